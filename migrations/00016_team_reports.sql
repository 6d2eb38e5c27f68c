-- A team's weekly report goes to the channel its admins chose ("отчёт сюда"). It is built in the
-- transaction of one member (the team's reporter, see the scheduler) under that member's row
-- security, and written by enqueue_team_report, which picks the channel itself and keys the row
-- so that a week's report is written once however often it is attempted.

-- +goose Up
-- enqueue_team_report writes the report for occurrence (its week) to the team's report channel,
-- to be delivered at at; it returns whether it was new, and NULL when the team has no live
-- report channel (no channel chosen, the workspace disabled or its token revoked). Only a member
-- may write it, and only a public message of team content: nothing for one person, no edit, no
-- thread, no ephemeral answer.
-- +goose StatementBegin
CREATE FUNCTION enqueue_team_report(team uuid, occurrence text, at timestamptz, body jsonb) RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  t record;
  n int;
BEGIN
  IF occurrence = '' OR length(occurrence) > 100 THEN
    RAISE EXCEPTION 'a team report has an occurrence' USING ERRCODE = '42501';
  END IF;
  IF (body->'reply'->>'team') IS DISTINCT FROM 'true' OR coalesce(body->'reply'->>'edit_ref', '') <> ''
     OR coalesce(body->>'callback_id', '') <> '' OR coalesce(body->>'response_url', '') <> ''
     OR coalesce(body->>'thread_id', '') <> '' OR coalesce(body->>'user_id', '') <> '' THEN
    RAISE EXCEPTION 'a team report is a new public message of team content' USING ERRCODE = '42501';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = team AND m.user_id = auth.uid()) THEN
    RAISE EXCEPTION 'only a member writes a team''s report' USING ERRCODE = '42501';
  END IF;
  SELECT tm.slack_team_id, tm.report_channel INTO t FROM teams tm
   WHERE tm.id = team AND tm.disabled_at IS NULL AND tm.bot_token IS NOT NULL
     AND coalesce(tm.report_channel, '') <> '' AND coalesce(tm.slack_team_id, '') <> '';
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  -- no user_id: the channel's message is nobody's, and waits for nobody's reachability
  INSERT INTO outbox (provider, workspace, chat, payload, dedupe_key, priority, available_at)
  VALUES ('slack', t.slack_team_id, t.report_channel, body,
          'team_weekly:' || team || ':' || occurrence, 1, greatest(now(), at))
  ON CONFLICT (dedupe_key) DO NOTHING;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n = 1;
END $$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION enqueue_team_report(uuid, text, timestamptz, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION enqueue_team_report(uuid, text, timestamptz, jsonb) TO authenticated;

-- +goose Down
DROP FUNCTION enqueue_team_report(uuid, text, timestamptz, jsonb);

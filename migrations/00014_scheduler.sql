-- The scheduler's pushes: what the assistant sends unasked (morning plans, check-ins, reminders,
-- weekly reports). A push goes to its user's private chat alone, written by the user's own
-- transaction through enqueue_push, which picks the chat itself and keys the row so that the
-- same push (kind, user, occurrence) is written once however often it is attempted. Pushes wait
-- behind interactive replies: a user who writes during a morning fan-out is answered first.

-- +goose Up
ALTER TABLE outbox ADD COLUMN priority smallint NOT NULL DEFAULT 0 CHECK (priority IN (0, 1));
DROP INDEX outbox_pending_idx;
CREATE INDEX outbox_pending_idx ON outbox (priority, available_at, id) WHERE status = 'pending';

-- Where a push to a user goes: the private chat they last opened with the bot. A Telegram bot
-- can't start a conversation, so Telegram counts only once the user wrote privately; Slack's
-- app DM and the terminal are always there.
-- +goose StatementBegin
CREATE FUNCTION push_address(uid uuid) RETURNS TABLE (provider identity_provider, workspace text, external_id text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT i.provider, i.workspace, i.external_id FROM identities i JOIN users u ON u.id = i.user_id
   WHERE i.user_id = uid AND u.unreachable_at IS NULL
     AND (i.provider IN ('slack', 'console') OR i.provider = 'telegram' AND i.private_at IS NOT NULL)
     AND (i.provider <> 'slack' OR EXISTS (SELECT 1 FROM teams t WHERE t.slack_team_id = i.workspace AND t.disabled_at IS NULL))
   ORDER BY i.private_at DESC NULLS LAST, i.created_at DESC
   LIMIT 1
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION push_address(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION push_address(uuid) TO service_role;

-- my_push_address is where the caller's own pushes go (a user's transaction builds a push for
-- that chat: its dialog, its buttons).
CREATE FUNCTION my_push_address() RETURNS TABLE (provider identity_provider, workspace text, external_id text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$ SELECT * FROM push_address(auth.uid()) $$;
REVOKE ALL ON FUNCTION my_push_address() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION my_push_address() TO authenticated;

-- enqueue_push writes one push of kind for occurrence (a local date, a task's time) to the
-- caller's private chat, to be delivered at at (prepared ahead, it goes out on the minute), and
-- reports whether it was new: the key kind:user:occurrence is unique.
-- +goose StatementBegin
CREATE FUNCTION enqueue_push(kind text, occurrence text, at timestamptz, body jsonb) RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  a record;
  n int;
BEGIN
  IF kind !~ '^[a-z_]{1,32}$' OR occurrence = '' OR length(occurrence) > 100 THEN
    RAISE EXCEPTION 'a push has a kind and an occurrence' USING ERRCODE = '42501';
  END IF;
  IF coalesce(body->'reply'->>'edit_ref', '') <> '' OR coalesce(body->>'callback_id', '') <> ''
     OR coalesce(body->>'response_url', '') <> '' OR coalesce(body->>'thread_id', '') <> '' THEN
    RAISE EXCEPTION 'a push is a new message' USING ERRCODE = '42501';
  END IF;
  SELECT * INTO a FROM push_address(auth.uid());
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  INSERT INTO outbox (user_id, provider, workspace, chat, payload, dedupe_key, priority, available_at)
  VALUES (auth.uid(), a.provider, a.workspace, a.external_id, jsonb_set(body, '{user_id}', to_jsonb(a.external_id)),
          kind || ':' || auth.uid() || ':' || occurrence, 1, greatest(now(), at))
  ON CONFLICT (dedupe_key) DO NOTHING;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n = 1;
END $$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION enqueue_push(text, text, timestamptz, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION enqueue_push(text, text, timestamptz, jsonb) TO authenticated;

-- The planner's clock: each pass plans the pushes due since the one before, so a pass after
-- downtime sees what it missed (sent late within the grace window, skipped and counted after).
CREATE TABLE scheduler_passes (
  name       text PRIMARY KEY,
  ran_until  timestamptz NOT NULL
);
ALTER TABLE scheduler_passes ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON scheduler_passes TO service_role USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON scheduler_passes TO service_role;

-- +goose Down
DROP TABLE scheduler_passes;
DROP FUNCTION enqueue_push(text, text, timestamptz, jsonb);
DROP FUNCTION my_push_address();
DROP FUNCTION push_address(uuid);
DROP INDEX outbox_pending_idx;
CREATE INDEX outbox_pending_idx ON outbox (available_at, id) WHERE status = 'pending';
ALTER TABLE outbox DROP COLUMN priority;

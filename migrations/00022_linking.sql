-- Linking a chat identity to a web account: /link in Telegram or Slack gives a one-time code (10
-- minutes, single use, stored as its SHA-256); entered by a signed-in web user, it merges the chat
-- user into the web user — every row of theirs moves over, nothing is lost or doubled where both
-- had one (a day's reflection, an achievement, a team membership) — and the chat user is gone.

-- +goose Up
CREATE TABLE link_codes (
  code_hash  bytea PRIMARY KEY CHECK (length(code_hash) = 32),
  user_id    uuid NOT NULL DEFAULT auth.uid() REFERENCES users ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
ALTER TABLE link_codes ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_insert ON link_codes FOR INSERT TO authenticated
  WITH CHECK (user_id = (SELECT auth.uid()) AND expires_at <= now() + interval '11 minutes'); -- a minute of clock skew
CREATE POLICY service_all ON link_codes TO service_role USING (true) WITH CHECK (true);
GRANT INSERT ON link_codes TO authenticated;
GRANT SELECT, DELETE ON link_codes TO service_role;

-- merge_users moves everything of src to dst and removes src (called by redeem_link_code only).
-- +goose StatementBegin
CREATE FUNCTION merge_users(src uuid, dst uuid) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  r record;
BEGIN
  -- one row per key: where both have one, dst's stays, with what src's adds
  UPDATE daily_progress d SET stress = coalesce(d.stress, s.stress), energy = coalesce(d.energy, s.energy),
      business_load = coalesce(d.business_load, s.business_load),
      tasks_completed = d.tasks_completed + s.tasks_completed, tasks_planned = d.tasks_planned + s.tasks_planned,
      reflection_notes = concat_ws(E'\n', nullif(d.reflection_notes, ''), nullif(s.reflection_notes, ''))
    FROM daily_progress s WHERE d.user_id = dst AND s.user_id = src AND s.date = d.date;
  DELETE FROM daily_progress s USING daily_progress d WHERE s.user_id = src AND d.user_id = dst AND s.date = d.date;
  DELETE FROM achievements s USING achievements d WHERE s.user_id = src AND d.user_id = dst AND s.kind = d.kind;
  DELETE FROM team_members s USING team_members d WHERE s.user_id = src AND d.user_id = dst AND s.team_id = d.team_id;
  DELETE FROM conversations s USING conversations d WHERE s.user_id = src AND d.user_id = dst AND s.chat = d.chat;
  DELETE FROM integration_connections s USING integration_connections d WHERE s.user_id = src AND d.user_id = dst AND s.service = d.service;
  DELETE FROM idempotency_keys WHERE user_id = src;
  DELETE FROM link_codes WHERE user_id = src AND used_at IS NULL;
  -- every other reference to a user, whatever table holds it
  FOR r IN SELECT c.conrelid::regclass AS tbl, a.attname AS col
      FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
     WHERE c.contype = 'f' AND c.confrelid = 'users'::regclass AND cardinality(c.conkey) = 1 LOOP
    EXECUTE format('UPDATE %s SET %I = $1 WHERE %I = $2', r.tbl, r.col, r.col) USING dst, src;
  END LOOP;
  -- jobs waiting for src (reminders, pushes) now work for dst
  IF to_regclass('river.river_job') IS NOT NULL THEN
    EXECUTE $q$UPDATE river.river_job SET args = jsonb_set(args, '{user}', to_jsonb($1::text))
      WHERE args->>'user' = $2::text AND state IN ('available', 'scheduled', 'retryable')$q$ USING dst, src;
  END IF;
  -- the chat user's way of working (zone, language, push times) comes along where dst has none
  UPDATE users d SET timezone = CASE WHEN d.timezone = 'UTC' THEN s.timezone ELSE d.timezone END,
      locale = CASE WHEN d.settings = '{}' THEN s.locale ELSE d.locale END,
      settings = s.settings || d.settings, name = coalesce(nullif(d.name, ''), s.name)
    FROM users s WHERE d.id = dst AND s.id = src;
  DELETE FROM users WHERE id = src;
END $$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION merge_users(uuid, uuid) FROM PUBLIC;

-- redeem_link_code links the chat user of code to the caller and returns that user's id (NULL:
-- no such live code). A code works once, for someone else than its maker.
-- +goose StatementBegin
CREATE FUNCTION redeem_link_code(code text) RETURNS uuid
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  src uuid;
BEGIN
  IF auth.uid() IS NULL OR code IS NULL OR length(code) > 64 THEN
    RETURN NULL;
  END IF;
  UPDATE link_codes SET used_at = now()
   WHERE code_hash = sha256(convert_to(code, 'UTF8')) AND used_at IS NULL AND expires_at > now() AND user_id <> auth.uid()
  RETURNING user_id INTO src;
  IF src IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM merge_users(src, auth.uid());
  RETURN src;
END $$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION redeem_link_code(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION redeem_link_code(text) TO authenticated;

-- +goose Down
DROP FUNCTION redeem_link_code(text);
DROP FUNCTION merge_users(uuid, uuid);
DROP TABLE link_codes;

-- Hardening after an outside probe.
-- 1. Queues: leases name their holder, so a restarted instance takes its own back at once and a
--    live one renews them; an inbox row ends processed or failed, never retried without bound;
--    an outbox row records the part in flight, so a crash can repeat at most that part.
-- 2. Own-row privileges: what `authenticated` may write is limited to what a user may change,
--    by column privileges, policies and SECURITY DEFINER functions for the few system writes, so
--    PostgreSQL refuses the rest whoever holds the role (our Go code, a REST API, PostgREST).

-- +goose Up
ALTER TABLE inbound_updates ADD COLUMN leased_by text;
ALTER TABLE inbound_updates ADD COLUMN failed_at timestamptz;
CREATE INDEX inbound_updates_leased_by_idx ON inbound_updates (leased_by) WHERE processed_at IS NULL AND leased_by IS NOT NULL;

ALTER TABLE outbox ADD COLUMN leased_by text;
-- parts of a multi-part reply already delivered, and the platform id of the last of them
ALTER TABLE outbox ADD COLUMN parts_sent int NOT NULL DEFAULT 0 CHECK (parts_sent >= 0);
-- set just before a part is handed to the platform, cleared once the outcome is recorded: a row
-- found with it set after a crash may have gone out already
ALTER TABLE outbox ADD COLUMN sending_at timestamptz;
CREATE INDEX outbox_leased_by_idx ON outbox (leased_by) WHERE status = 'pending' AND leased_by IS NOT NULL;

-- users: a user changes their name, zone, language and settings, nothing else (not their tier,
-- not their reachability); no one reads a password hash; teammates see each other only through
-- the teammates view.
REVOKE SELECT, UPDATE ON users FROM authenticated;
GRANT SELECT (id, email, name, timezone, locale, settings, subscription_tier, subscription_status,
  unreachable_at, created_at, updated_at) ON users TO authenticated;
GRANT UPDATE (name, timezone, locale, settings) ON users TO authenticated;
DROP POLICY self_select ON users;
CREATE POLICY self_select ON users FOR SELECT TO authenticated USING (id = (SELECT auth.uid()));

CREATE VIEW teammates AS
SELECT m.team_id, m.user_id, u.name, m.role, m.joined_at
  FROM team_members m JOIN users u ON u.id = m.user_id
 WHERE is_team_member(m.team_id);
REVOKE ALL ON teammates FROM PUBLIC;
GRANT SELECT ON teammates TO authenticated, service_role;

-- identities are written by the system only: a user can't claim someone else's account.
REVOKE INSERT, UPDATE, DELETE ON identities FROM authenticated;

-- teams: admins rename a team and choose its report channel; the workspace id and its sealed
-- token are the installation's, and no member reads the token.
REVOKE SELECT, UPDATE ON teams FROM authenticated;
GRANT SELECT (id, name, slack_team_id, report_channel, disabled_at, created_by, created_at, updated_at)
  ON teams TO authenticated;
GRANT UPDATE (name, report_channel) ON teams TO authenticated;

-- outbox: a user's transaction may only answer the update it is handling (claimed in this very
-- transaction), in the chat it came from or privately to its sender; the address, and whatever
-- else the reply points at (the person it is for, the message it edits, the callback it answers,
-- the thread, the response_url), is the update's own as the system recorded it.
DROP POLICY owner_insert ON outbox;
REVOKE INSERT, UPDATE, DELETE ON outbox FROM authenticated;
-- +goose StatementBegin
CREATE FUNCTION enqueue_reply(update_key text, to_chat text, body jsonb) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  src jsonb;
  claimed timestamptz;
BEGIN
  SELECT payload, processed_at INTO src, claimed FROM inbound_updates WHERE key = update_key;
  IF src IS NULL OR claimed IS DISTINCT FROM now() OR NOT EXISTS (
      SELECT 1 FROM identities i
       WHERE i.user_id = auth.uid() AND i.provider::text = src->>'provider'
         AND i.workspace = coalesce(src->>'workspace', '') AND i.external_id = src->>'external_user_id') THEN
    RAISE EXCEPTION 'not an update of this user being handled' USING ERRCODE = '42501';
  END IF;
  IF to_chat IS DISTINCT FROM src->>'chat_id' AND to_chat IS DISTINCT FROM src->>'external_user_id' THEN
    RAISE EXCEPTION 'a reply goes to the chat of its update or to its sender' USING ERRCODE = '42501';
  END IF;
  IF coalesce(body->'reply'->>'edit_ref', '') NOT IN ('', coalesce(src->>'message_ref', ''))
     OR coalesce(body->>'callback_id', '') NOT IN ('', coalesce(src->>'callback_id', ''))
     OR coalesce(body->>'thread_id', '') NOT IN ('', coalesce(src->>'thread_id', ''))
     OR coalesce(body->>'response_url', '') NOT IN ('', coalesce(src->>'response_url', '')) THEN
    RAISE EXCEPTION 'a reply points only at its own update''s message, callback, thread and response_url'
      USING ERRCODE = '42501';
  END IF;
  INSERT INTO outbox (user_id, provider, workspace, chat, payload)
  VALUES (auth.uid(), (src->>'provider')::identity_provider, coalesce(src->>'workspace', ''), to_chat,
          jsonb_set(body, '{user_id}', to_jsonb(src->>'external_user_id')));
END $$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION enqueue_reply(text, text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION enqueue_reply(text, text, jsonb) TO authenticated;

-- +goose Down
DROP FUNCTION enqueue_reply(text, text, jsonb);
GRANT INSERT, UPDATE, DELETE ON outbox TO authenticated;
CREATE POLICY owner_insert ON outbox FOR INSERT TO authenticated WITH CHECK (user_id = (SELECT auth.uid()));
REVOKE SELECT, UPDATE ON teams FROM authenticated;
GRANT SELECT, UPDATE ON teams TO authenticated;
GRANT INSERT, UPDATE, DELETE ON identities TO authenticated;
DROP VIEW teammates;
DROP POLICY self_select ON users;
CREATE POLICY self_select ON users FOR SELECT TO authenticated USING (id = (SELECT auth.uid()) OR shares_team(id));
REVOKE SELECT, UPDATE ON users FROM authenticated;
GRANT SELECT, UPDATE ON users TO authenticated;
DROP INDEX outbox_leased_by_idx;
ALTER TABLE outbox DROP COLUMN sending_at, DROP COLUMN parts_sent, DROP COLUMN leased_by;
DROP INDEX inbound_updates_leased_by_idx;
ALTER TABLE inbound_updates DROP COLUMN failed_at, DROP COLUMN leased_by;

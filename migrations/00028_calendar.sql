-- Google Calendar: a connection's state beside its sealed tokens, each day's busy minutes read
-- from the calendar, and the events that block time for tasks. Busy days and blocks belong to
-- their connection (they go with it, and move with it when accounts are linked).

-- +goose Up
ALTER TABLE integration_connections
  ADD COLUMN status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked', 'disconnected')),
  ADD COLUMN scopes        text[] NOT NULL DEFAULT '{}' CHECK (cardinality(scopes) <= 16),
  ADD COLUMN time_blocking boolean NOT NULL DEFAULT false,
  ADD COLUMN synced_at     timestamptz,
  ADD COLUMN revoked_at    timestamptz,
  -- syncs failing in a row, and when the next may be tried (backoff)
  ADD COLUMN failures      int NOT NULL DEFAULT 0,
  ADD COLUMN retry_at      timestamptz,
  -- blocking time writes events: only with the scope that allows it
  ADD CONSTRAINT integration_blocking_scope CHECK (NOT time_blocking OR service <> 'google_calendar'
    OR scopes @> ARRAY['https://www.googleapis.com/auth/calendar.events.owned']);

-- A user reads their connections without the tokens, switches time blocking and disconnects;
-- connecting, refreshing and removing are the service's.
REVOKE SELECT, INSERT, UPDATE, DELETE ON integration_connections FROM authenticated;
GRANT SELECT (id, user_id, service, expires_at, metadata, created_at, updated_at, status, scopes, time_blocking, synced_at, revoked_at,
  failures, retry_at)
  ON integration_connections TO authenticated;
GRANT UPDATE (time_blocking, status) ON integration_connections TO authenticated;

-- +goose StatementBegin
CREATE FUNCTION integration_user_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_user = 'authenticated' AND NEW.status IS DISTINCT FROM OLD.status AND NEW.status <> 'disconnected' THEN
    RAISE EXCEPTION 'a user only disconnects a connection' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER integration_user_change BEFORE UPDATE ON integration_connections
  FOR EACH ROW EXECUTE FUNCTION integration_user_change();

CREATE TABLE calendar_busy (
  connection_id uuid NOT NULL REFERENCES integration_connections ON DELETE CASCADE,
  user_id       uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  date          date NOT NULL,
  busy_min      int NOT NULL CHECK (busy_min BETWEEN 0 AND 1440),
  events        int NOT NULL DEFAULT 0 CHECK (events >= 0),
  PRIMARY KEY (connection_id, date)
);
CREATE INDEX calendar_busy_user_idx ON calendar_busy (user_id, date);
ALTER TABLE calendar_busy ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON calendar_busy TO service_role USING (true) WITH CHECK (true);
CREATE POLICY owner_select ON calendar_busy FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
GRANT SELECT ON calendar_busy TO authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON calendar_busy TO service_role;

CREATE TABLE calendar_blocks (
  task_id       uuid PRIMARY KEY REFERENCES tasks ON DELETE CASCADE,
  connection_id uuid NOT NULL REFERENCES integration_connections ON DELETE CASCADE,
  user_id       uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  event_id      text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 1024),
  starts_at     timestamptz NOT NULL,
  ends_at       timestamptz NOT NULL CHECK (ends_at > starts_at),
  summary       text NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX calendar_blocks_connection_idx ON calendar_blocks (connection_id);
CREATE INDEX calendar_blocks_user_idx ON calendar_blocks (user_id);
ALTER TABLE calendar_blocks ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON calendar_blocks TO service_role USING (true) WITH CHECK (true);
CREATE POLICY owner_select ON calendar_blocks FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
GRANT SELECT ON calendar_blocks TO authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON calendar_blocks TO service_role;

-- What a connection deleted without the sync (its user deleted, accounts linked) leaves in
-- Google: the sealed grant to revoke and the blocks ahead to delete, for the sync's pass. The
-- sync's own removal, which has cleaned up already, says so in a setting and leaves nothing.
CREATE TABLE calendar_leftovers (
  connection_id uuid PRIMARY KEY,
  access_token  bytea,
  refresh_token bytea NOT NULL,
  key_id        text NOT NULL,
  event_ids     text[] NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE calendar_leftovers ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON calendar_leftovers TO service_role USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, DELETE ON calendar_leftovers TO service_role;

-- +goose StatementBegin
CREATE FUNCTION calendar_leftover() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF OLD.service = 'google_calendar' AND OLD.refresh_token IS NOT NULL
     AND current_setting('bizconnect.calendar_removed', true) IS DISTINCT FROM OLD.id::text THEN
    INSERT INTO calendar_leftovers (connection_id, access_token, refresh_token, key_id, event_ids)
    VALUES (OLD.id, OLD.access_token, OLD.refresh_token, OLD.key_id,
            coalesce((SELECT array_agg(event_id) FROM calendar_blocks b WHERE b.connection_id = OLD.id AND b.ends_at > now()), '{}'))
    ON CONFLICT (connection_id) DO NOTHING;
  END IF;
  RETURN OLD;
END $$;
-- +goose StatementEnd
-- BEFORE: the blocks, which go with the connection, are still there to read
CREATE TRIGGER calendar_leftover BEFORE DELETE ON integration_connections
  FOR EACH ROW EXECUTE FUNCTION calendar_leftover();

-- +goose Down
DROP TRIGGER calendar_leftover ON integration_connections;
DROP FUNCTION calendar_leftover();
DROP TABLE calendar_leftovers;
DROP TABLE calendar_blocks, calendar_busy;
DROP TRIGGER integration_user_change ON integration_connections;
DROP FUNCTION integration_user_change();
REVOKE SELECT, UPDATE ON integration_connections FROM authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON integration_connections TO authenticated;
ALTER TABLE integration_connections DROP CONSTRAINT integration_blocking_scope,
  DROP COLUMN status, DROP COLUMN scopes, DROP COLUMN time_blocking, DROP COLUMN synced_at, DROP COLUMN revoked_at,
  DROP COLUMN failures, DROP COLUMN retry_at;

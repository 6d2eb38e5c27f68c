-- The admin API (webhooks/admin): keys an operator makes with `bizconnect admin create-key`,
-- stored by the SHA-256 of their secret with their scopes and expiry; the audit log of every
-- admin call that changes something (who, what, when, from where); broadcasts to a segment of
-- users, queued into the outbox by a job and cancellable; and suspended users, who get a notice
-- instead of replies, no pushes and no sign-in. Only the service touches these tables.

-- +goose Up
ALTER TABLE users ADD COLUMN suspended_at timestamptz;
GRANT SELECT (suspended_at) ON users TO authenticated;

CREATE TABLE admin_keys (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  prefix       text NOT NULL UNIQUE CHECK (prefix ~ '^[a-z0-9]{8}$'),
  secret_hash  bytea NOT NULL CHECK (length(secret_hash) = 32),
  scopes       text[] NOT NULL CHECK (cardinality(scopes) >= 1 AND scopes <@ ARRAY['read', 'write', 'broadcast', 'webhooks']),
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz,
  revoked_at   timestamptz,
  last_used_at timestamptz
);

CREATE TABLE admin_audit (
  id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key_id  uuid NOT NULL REFERENCES admin_keys,
  action  text NOT NULL CHECK (length(action) <= 100),
  target  text NOT NULL DEFAULT '' CHECK (length(target) <= 200),
  detail  jsonb NOT NULL DEFAULT '{}' CHECK (pg_column_size(detail) <= 8192),
  address text NOT NULL DEFAULT '' CHECK (length(address) <= 100),
  at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE broadcasts (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key_id      uuid NOT NULL REFERENCES admin_keys,
  text_en     text NOT NULL CHECK (length(text_en) BETWEEN 1 AND 3500),
  text_ru     text NOT NULL CHECK (length(text_ru) BETWEEN 1 AND 3500),
  segment     jsonb NOT NULL DEFAULT '{}',
  status      text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'cancelled')),
  recipients  int NOT NULL DEFAULT 0,
  queued      int NOT NULL DEFAULT 0,
  -- the last user queued: the job goes on from there after a restart
  cursor      uuid,
  created_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);

-- a broadcast's messages wait behind replies (0) and pushes (1), and are found to cancel
ALTER TABLE outbox DROP CONSTRAINT outbox_priority_check, ADD CONSTRAINT outbox_priority_check CHECK (priority IN (0, 1, 2)),
  ADD COLUMN broadcast_id uuid REFERENCES broadcasts ON DELETE SET NULL;
CREATE INDEX outbox_broadcast_idx ON outbox (broadcast_id, status) WHERE broadcast_id IS NOT NULL;

ALTER TABLE admin_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE admin_audit ENABLE ROW LEVEL SECURITY;
ALTER TABLE broadcasts ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON admin_keys TO service_role USING (true) WITH CHECK (true);
CREATE POLICY service_all ON admin_audit TO service_role USING (true) WITH CHECK (true);
CREATE POLICY service_all ON broadcasts TO service_role USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE ON admin_keys, broadcasts TO service_role;
GRANT SELECT, INSERT ON admin_audit TO service_role;

-- a suspended user's pushes go nowhere
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION push_address(uid uuid) RETURNS TABLE (provider identity_provider, workspace text, external_id text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT i.provider, i.workspace, i.external_id FROM identities i JOIN users u ON u.id = i.user_id
   WHERE i.user_id = uid AND u.unreachable_at IS NULL AND u.suspended_at IS NULL
     AND (i.provider IN ('slack', 'console') OR i.provider = 'telegram' AND i.private_at IS NOT NULL)
     AND (i.provider <> 'slack' OR EXISTS (SELECT 1 FROM teams t WHERE t.slack_team_id = i.workspace AND t.disabled_at IS NULL))
   ORDER BY i.private_at DESC NULLS LAST, i.created_at DESC
   LIMIT 1
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION push_address(uid uuid) RETURNS TABLE (provider identity_provider, workspace text, external_id text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT i.provider, i.workspace, i.external_id FROM identities i JOIN users u ON u.id = i.user_id
   WHERE i.user_id = uid AND u.unreachable_at IS NULL
     AND (i.provider IN ('slack', 'console') OR i.provider = 'telegram' AND i.private_at IS NOT NULL)
     AND (i.provider <> 'slack' OR EXISTS (SELECT 1 FROM teams t WHERE t.slack_team_id = i.workspace AND t.disabled_at IS NULL))
   ORDER BY i.private_at DESC NULLS LAST, i.created_at DESC
   LIMIT 1
$$;
-- +goose StatementEnd
DROP INDEX outbox_broadcast_idx;
ALTER TABLE outbox DROP COLUMN broadcast_id, DROP CONSTRAINT outbox_priority_check,
  ADD CONSTRAINT outbox_priority_check CHECK (priority IN (0, 1));
DROP TABLE broadcasts;
DROP TABLE admin_audit;
DROP TABLE admin_keys;
REVOKE SELECT (suspended_at) ON users FROM authenticated;
ALTER TABLE users DROP COLUMN suspended_at;

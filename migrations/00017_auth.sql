-- Web accounts (the Supabase Auth-compatible API, core/auth): a user signs in with an email and
-- a password (users.password_hash, argon2id) and holds a session: a family of refresh tokens,
-- stored as SHA-256 hashes, each used once. A token used twice means it was stolen: the whole
-- family is revoked. Only the service touches these tables; a user's own requests run under
-- their access token's claims and never see them.

-- +goose Up
ALTER TABLE users ADD COLUMN email_confirmed_at timestamptz, ADD COLUMN last_sign_in_at timestamptz,
  ADD COLUMN user_metadata jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(user_metadata) = 'object' AND pg_column_size(user_metadata) <= 8192);
GRANT SELECT (email_confirmed_at, last_sign_in_at, user_metadata) ON users TO authenticated;

CREATE TABLE auth_sessions (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id      uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  method       text NOT NULL CHECK (method IN ('password', 'oauth', 'telegram')),
  user_agent   text NOT NULL DEFAULT '' CHECK (length(user_agent) <= 512),
  created_at   timestamptz NOT NULL DEFAULT now(),
  refreshed_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX auth_sessions_user_idx ON auth_sessions (user_id) WHERE revoked_at IS NULL;

CREATE TABLE refresh_tokens (
  id         bigserial PRIMARY KEY,
  session_id uuid NOT NULL REFERENCES auth_sessions ON DELETE CASCADE,
  token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  used_at    timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);

ALTER TABLE auth_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE refresh_tokens ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON auth_sessions TO service_role USING (true) WITH CHECK (true);
CREATE POLICY service_all ON refresh_tokens TO service_role USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON auth_sessions, refresh_tokens TO service_role;
GRANT USAGE ON SEQUENCE refresh_tokens_id_seq TO service_role;

-- +goose Down
DROP TABLE refresh_tokens;
DROP TABLE auth_sessions;
ALTER TABLE users DROP COLUMN user_metadata, DROP COLUMN last_sign_in_at, DROP COLUMN email_confirmed_at;

-- A social sign-in in progress (core/auth: /auth/v1/authorize → the provider → /auth/v1/callback):
-- the state (stored as its hash), the PKCE verifier and the nonce it was started with, and where
-- the browser goes back. A flow is taken once, and only before it expires.

-- +goose Up
CREATE TABLE auth_flows (
  state_hash  bytea PRIMARY KEY CHECK (length(state_hash) = 32),
  provider    text NOT NULL CHECK (length(provider) <= 32),
  verifier    text NOT NULL CHECK (length(verifier) <= 128),
  nonce       text NOT NULL CHECK (length(nonce) <= 128),
  redirect_to text NOT NULL CHECK (length(redirect_to) <= 2048),
  expires_at  timestamptz NOT NULL
);
ALTER TABLE auth_flows ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON auth_flows TO service_role USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, DELETE ON auth_flows TO service_role;

-- +goose Down
DROP TABLE auth_flows;

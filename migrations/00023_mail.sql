-- Account mail (core/auth, core/mail): the one-time tokens that confirm an address or reset a
-- password, and the addresses that asked for no more mail of a kind. A token is mailed as a link
-- (32 random bytes) and as a six-digit code; both are stored as SHA-256 hashes, work once and
-- only before they expire, and a new one of the same purpose replaces the old. An email change
-- waits in users.email_change until the new address confirms it. Only the service touches these.

-- +goose Up
ALTER TABLE users ADD COLUMN email_change text CHECK (length(email_change) <= 254);

CREATE TABLE auth_tokens (
  id         bigserial PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  purpose    text NOT NULL CHECK (purpose IN ('signup', 'recovery', 'email_change')),
  token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  code_hash  bytea NOT NULL CHECK (length(code_hash) = 32),
  sent_to    text NOT NULL CHECK (length(sent_to) <= 254),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz -- kept until the next one: when it was made still paces the mails
);
CREATE INDEX auth_tokens_user_idx ON auth_tokens (user_id, purpose);

-- mail of a category ("account": the confirmations a stranger can trigger by typing an address;
-- "report": the weekly report) no longer sent to an address (List-Unsubscribe)
CREATE TABLE mail_suppressions (
  email      text NOT NULL CHECK (length(email) <= 254),
  category   text NOT NULL CHECK (category IN ('account', 'report')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (email, category)
);

ALTER TABLE auth_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE mail_suppressions ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON auth_tokens TO service_role USING (true) WITH CHECK (true);
CREATE POLICY service_all ON mail_suppressions TO service_role USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON auth_tokens, mail_suppressions TO service_role;
GRANT USAGE ON SEQUENCE auth_tokens_id_seq TO service_role;

ALTER TABLE auth_sessions DROP CONSTRAINT auth_sessions_method_check,
  ADD CONSTRAINT auth_sessions_method_check CHECK (method IN ('password', 'oauth', 'telegram', 'otp', 'recovery'));

-- +goose Down
ALTER TABLE auth_sessions DROP CONSTRAINT auth_sessions_method_check,
  ADD CONSTRAINT auth_sessions_method_check CHECK (method IN ('password', 'oauth', 'telegram'));
DROP TABLE mail_suppressions;
DROP TABLE auth_tokens;
ALTER TABLE users DROP COLUMN email_change;

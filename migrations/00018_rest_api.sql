-- The REST API (/api/v1): its lists are pages of the newest first, read by keyset (one index
-- range per page, however deep), and a POST retried with the same Idempotency-Key returns what
-- the first one made instead of making it again. The keys are the user's own rows, under RLS.

-- +goose Up
CREATE INDEX tasks_user_created_idx ON tasks (user_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX goals_user_created_idx ON goals (user_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;

CREATE TABLE idempotency_keys (
  user_id     uuid NOT NULL REFERENCES users ON DELETE CASCADE DEFAULT auth.uid(),
  key         text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
  -- what was asked (method, path, body hash): the same key with another request is refused
  fingerprint text NOT NULL CHECK (length(fingerprint) <= 300),
  status      smallint,
  response    jsonb CHECK (pg_column_size(response) <= 65536),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);
ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON idempotency_keys TO authenticated USING (user_id = (SELECT auth.uid())) WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY service_all ON idempotency_keys TO service_role USING (true) WITH CHECK (true);
GRANT SELECT, INSERT ON idempotency_keys TO authenticated;
GRANT UPDATE (status, response) ON idempotency_keys TO authenticated;
GRANT SELECT, DELETE ON idempotency_keys TO service_role;

-- +goose Down
DROP TABLE idempotency_keys;
DROP INDEX goals_user_created_idx;
DROP INDEX tasks_user_created_idx;

-- The platforms' rate limits are the bot's, not a process's: every instance books its send slots
-- here (one row per bucket: the bot overall, each chat), so N instances together keep to 30
-- messages a second and one a second per chat. Rows of idle chats are purged by the janitor.

-- +goose Up
CREATE TABLE send_pacer (
  bucket  text PRIMARY KEY CHECK (length(bucket) <= 200),
  next_at timestamptz NOT NULL
);
ALTER TABLE send_pacer ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON send_pacer TO service_role USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON send_pacer TO service_role;

-- +goose Down
DROP TABLE send_pacer;

-- Accepted updates are processed by workers that lease them, so a crashed worker's updates are
-- picked up again when the lease expires, and no update is processed by two workers at once.

-- +goose Up
ALTER TABLE inbound_updates ADD COLUMN lease_until timestamptz;
ALTER TABLE inbound_updates ADD COLUMN last_error text;

-- +goose Down
ALTER TABLE inbound_updates DROP COLUMN last_error;
ALTER TABLE inbound_updates DROP COLUMN lease_until;

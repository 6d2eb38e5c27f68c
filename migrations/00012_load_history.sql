-- The Business Load history reads each day's work set-wise (core/postgres WorkHistories): tasks
-- done on a day by when they were done, open ones by the day they were planned for. The second
-- needs tasks_user_date_idx; this index serves the first, so a batch of users reads only the
-- days of its window, not every task its users ever finished.

-- +goose Up
CREATE INDEX tasks_user_completed_idx ON tasks (user_id, completed_at) WHERE deleted_at IS NULL AND status = 'done';

-- +goose Down
DROP INDEX tasks_user_completed_idx;

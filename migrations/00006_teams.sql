-- Teams in Slack: OAuth states for installation, team progress by any member, and the first
-- member of a workspace's team as its owner.

-- +goose Up
-- One row per OAuth install attempt: single use and short-lived, shared by every instance.
CREATE TABLE oauth_states (
  state      text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
ALTER TABLE oauth_states ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON oauth_states TO service_role USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, DELETE ON oauth_states TO service_role;

-- Any member of a team logs progress on the team's goals; only the owner changes anything else.
-- +goose StatementBegin
CREATE FUNCTION log_team_progress(goal uuid, new_value numeric, day date, note text) RETURNS SETOF goals
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM goals g WHERE g.id = goal AND g.visibility = 'team' AND g.deleted_at IS NULL
                 AND is_team_member(g.team_id)) THEN
    RAISE EXCEPTION 'not a member of the goal''s team' USING ERRCODE = '42501';
  END IF;
  INSERT INTO goal_progress (goal_id, user_id, date, value, notes) VALUES (goal, auth.uid(), day, new_value, note);
  RETURN QUERY UPDATE goals SET current_value = new_value,
      status = CASE WHEN target_value IS NOT NULL AND new_value >= target_value AND status = 'active'
                    THEN 'completed'::goal_status ELSE status END
    WHERE id = goal RETURNING *;
END $$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION log_team_progress(uuid, numeric, date, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION log_team_progress(uuid, numeric, date, text) TO authenticated;

-- +goose Down
DROP FUNCTION log_team_progress(uuid, numeric, date, text);
DROP TABLE oauth_states;

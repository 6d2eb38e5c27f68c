-- A team goal is changed by its owner and by the team's owners and admins (core.Goal.ManagedBy),
-- now as PostgreSQL itself decides it, for the REST API as for the chats; a plain member reads
-- it and adds to its progress (log_team_progress), nothing more. No one, owner or admin, moves a
-- goal to another user: a goal's user_id, id and creation are not theirs to change.

-- +goose Up
CREATE POLICY team_admin_update ON goals FOR UPDATE TO authenticated
  USING (visibility = 'team' AND is_team_admin(team_id))
  WITH CHECK (visibility = 'team' AND is_team_admin(team_id));
REVOKE UPDATE ON goals FROM authenticated;
GRANT UPDATE (team_id, title, description, category, tracking, target_value, current_value, unit, start_date, end_date,
  status, visibility, completed_at, updated_at, deleted_at) ON goals TO authenticated;

-- +goose Down
REVOKE UPDATE ON goals FROM authenticated;
GRANT UPDATE ON goals TO authenticated;
DROP POLICY team_admin_update ON goals;

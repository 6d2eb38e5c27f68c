-- Team goals with integrity: any member adds (or takes back) an increment, credited to them;
-- only the team's owners and admins, or the goal's owner, set the total; an increment can be
-- undone by its author or an admin. The database checks each of these itself.

-- +goose Up
-- what an entry added (NULL when it set the total), and when it was undone
ALTER TABLE goal_progress ADD COLUMN delta numeric;
ALTER TABLE goal_progress ADD COLUMN undone_at timestamptz;

DROP FUNCTION log_team_progress(uuid, numeric, date, text);

-- +goose StatementBegin
CREATE FUNCTION can_manage_goal(goal uuid) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM goals g WHERE g.id = goal AND g.deleted_at IS NULL
                 AND (g.user_id = auth.uid() OR (g.visibility = 'team' AND is_team_admin(g.team_id))))
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION is_team_goal(goal uuid) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM goals g WHERE g.id = goal AND g.visibility = 'team')
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION add_team_progress(goal uuid, delta numeric, day date, note text) RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  entry bigint;
  total numeric;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM goals g WHERE g.id = goal AND g.visibility = 'team' AND g.deleted_at IS NULL
                 AND is_team_member(g.team_id)) THEN
    RAISE EXCEPTION 'not a member of the goal''s team' USING ERRCODE = '42501';
  END IF;
  UPDATE goals SET current_value = current_value + delta,
      status = CASE WHEN target_value IS NOT NULL AND current_value + delta >= target_value AND status = 'active'
                    THEN 'completed'::goal_status ELSE status END
    WHERE id = goal RETURNING current_value INTO total;
  INSERT INTO goal_progress (goal_id, user_id, date, value, delta, notes) VALUES (goal, auth.uid(), day, total, delta, note)
    RETURNING id INTO entry;
  RETURN entry;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION set_team_progress(goal uuid, new_value numeric, day date, note text) RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  entry bigint;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM goals g WHERE g.id = goal AND g.visibility = 'team') OR NOT can_manage_goal(goal) THEN
    RAISE EXCEPTION 'only the team''s owners and admins set a team goal''s total' USING ERRCODE = '42501';
  END IF;
  UPDATE goals SET current_value = new_value,
      status = CASE WHEN target_value IS NOT NULL AND new_value >= target_value AND status = 'active'
                    THEN 'completed'::goal_status ELSE status END
    WHERE id = goal;
  INSERT INTO goal_progress (goal_id, user_id, date, value, notes) VALUES (goal, auth.uid(), day, new_value, note)
    RETURNING id INTO entry;
  RETURN entry;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION undo_team_progress(entry bigint) RETURNS uuid
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  e goal_progress;
BEGIN
  -- taken back first, so two presses at once undo it once; a refusal below rolls it back
  UPDATE goal_progress p SET undone_at = now() WHERE p.id = entry AND p.undone_at IS NULL AND p.delta IS NOT NULL
    RETURNING * INTO e;
  IF NOT FOUND OR NOT EXISTS (SELECT 1 FROM goals g WHERE g.id = e.goal_id AND g.visibility = 'team' AND is_team_member(g.team_id))
     OR NOT (e.user_id = auth.uid() OR can_manage_goal(e.goal_id)) THEN
    RAISE EXCEPTION 'only its author or the team''s admins undo an entry' USING ERRCODE = '42501';
  END IF;
  UPDATE goals SET current_value = current_value - e.delta,
      status = CASE WHEN status = 'completed' AND target_value IS NOT NULL AND current_value - e.delta < target_value
                    THEN 'active'::goal_status ELSE status END
    WHERE id = e.goal_id;
  RETURN e.goal_id;
END $$;
-- +goose StatementEnd

REVOKE ALL ON FUNCTION can_manage_goal(uuid), is_team_goal(uuid), add_team_progress(uuid, numeric, date, text),
  set_team_progress(uuid, numeric, date, text), undo_team_progress(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION can_manage_goal(uuid), is_team_goal(uuid), add_team_progress(uuid, numeric, date, text),
  set_team_progress(uuid, numeric, date, text), undo_team_progress(bigint) TO authenticated;

-- a team goal's entries are written by the functions above alone: not even the goal's creator
-- rewrites who was credited with what
DROP POLICY owner_insert ON goal_progress;
DROP POLICY owner_update ON goal_progress;
DROP POLICY owner_delete ON goal_progress;
CREATE POLICY owner_insert ON goal_progress FOR INSERT TO authenticated
  WITH CHECK (user_id = (SELECT auth.uid()) AND owns_goal(goal_id) AND NOT is_team_goal(goal_id));
CREATE POLICY owner_update ON goal_progress FOR UPDATE TO authenticated
  USING (owns_goal(goal_id) AND NOT is_team_goal(goal_id)) WITH CHECK (owns_goal(goal_id) AND NOT is_team_goal(goal_id));
CREATE POLICY owner_delete ON goal_progress FOR DELETE TO authenticated USING (owns_goal(goal_id) AND NOT is_team_goal(goal_id));

-- milestones of a team goal are planned by those who manage it
DROP POLICY owner_insert ON milestones;
DROP POLICY owner_update ON milestones;
DROP POLICY owner_delete ON milestones;
CREATE POLICY manager_insert ON milestones FOR INSERT TO authenticated WITH CHECK (can_manage_goal(goal_id));
CREATE POLICY manager_update ON milestones FOR UPDATE TO authenticated USING (can_manage_goal(goal_id)) WITH CHECK (can_manage_goal(goal_id));
CREATE POLICY manager_delete ON milestones FOR DELETE TO authenticated USING (can_manage_goal(goal_id));

-- The team's owner hands the team over or names admins; the database checks the caller owns it.
-- +goose StatementBegin
CREATE FUNCTION set_team_role(team uuid, target_provider identity_provider, target_workspace text,
  target_external text, new_role team_role) RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  target uuid;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = team AND m.user_id = auth.uid() AND m.role = 'owner') THEN
    RAISE EXCEPTION 'only the team''s owner changes roles' USING ERRCODE = '42501';
  END IF;
  SELECT m.user_id INTO target FROM identities i JOIN team_members m ON m.user_id = i.user_id AND m.team_id = team
   WHERE i.provider = target_provider AND i.workspace = target_workspace AND i.external_id = target_external;
  IF target IS NULL OR target = auth.uid() THEN
    RETURN false;
  END IF;
  IF new_role = 'owner' THEN
    UPDATE team_members SET role = 'admin' WHERE team_id = team AND user_id = auth.uid();
  END IF;
  UPDATE team_members SET role = new_role WHERE team_id = team AND user_id = target;
  RETURN true;
END $$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION set_team_role(uuid, identity_provider, text, text, team_role) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION set_team_role(uuid, identity_provider, text, text, team_role) TO authenticated;

-- +goose Down
DROP POLICY owner_insert ON goal_progress;
DROP POLICY owner_update ON goal_progress;
DROP POLICY owner_delete ON goal_progress;
CREATE POLICY owner_insert ON goal_progress FOR INSERT TO authenticated
  WITH CHECK (user_id = (SELECT auth.uid()) AND owns_goal(goal_id));
CREATE POLICY owner_update ON goal_progress FOR UPDATE TO authenticated USING (owns_goal(goal_id)) WITH CHECK (owns_goal(goal_id));
CREATE POLICY owner_delete ON goal_progress FOR DELETE TO authenticated USING (owns_goal(goal_id));
DROP FUNCTION is_team_goal(uuid);
DROP FUNCTION set_team_role(uuid, identity_provider, text, text, team_role);
DROP POLICY manager_insert ON milestones;
DROP POLICY manager_update ON milestones;
DROP POLICY manager_delete ON milestones;
CREATE POLICY owner_insert ON milestones FOR INSERT TO authenticated WITH CHECK (owns_goal(goal_id));
CREATE POLICY owner_update ON milestones FOR UPDATE TO authenticated USING (owns_goal(goal_id)) WITH CHECK (owns_goal(goal_id));
CREATE POLICY owner_delete ON milestones FOR DELETE TO authenticated USING (owns_goal(goal_id));
DROP FUNCTION undo_team_progress(bigint);
DROP FUNCTION set_team_progress(uuid, numeric, date, text);
DROP FUNCTION add_team_progress(uuid, numeric, date, text);
DROP FUNCTION can_manage_goal(uuid);
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
ALTER TABLE goal_progress DROP COLUMN undone_at, DROP COLUMN delta;

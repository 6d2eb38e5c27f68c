-- Row Level Security on every table that holds user data. The application never connects as a
-- table owner: user work runs as `authenticated` with the user's claims, system work as `service_role`.
-- Policies call (select auth.uid()) so it is evaluated once per statement.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION is_team_member(team uuid) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = team AND m.user_id = auth.uid())
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION is_team_admin(team uuid) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM team_members m
                 WHERE m.team_id = team AND m.user_id = auth.uid() AND m.role IN ('owner', 'admin'))
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION shares_team(other uuid) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM team_members a JOIN team_members b ON a.team_id = b.team_id
                 WHERE a.user_id = other AND b.user_id = auth.uid())
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION owns_goal(goal uuid) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM goals g WHERE g.id = goal AND g.user_id = auth.uid())
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION is_team_member(uuid), is_team_admin(uuid), shares_team(uuid), owns_goal(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION is_team_member(uuid), is_team_admin(uuid), shares_team(uuid), owns_goal(uuid)
  TO authenticated, service_role;

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON users TO service_role USING (true) WITH CHECK (true);
ALTER TABLE identities ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON identities TO service_role USING (true) WITH CHECK (true);
ALTER TABLE teams ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON teams TO service_role USING (true) WITH CHECK (true);
ALTER TABLE team_members ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON team_members TO service_role USING (true) WITH CHECK (true);
ALTER TABLE goals ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON goals TO service_role USING (true) WITH CHECK (true);
ALTER TABLE milestones ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON milestones TO service_role USING (true) WITH CHECK (true);
ALTER TABLE tasks ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON tasks TO service_role USING (true) WITH CHECK (true);
ALTER TABLE task_history ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON task_history TO service_role USING (true) WITH CHECK (true);
ALTER TABLE goal_progress ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON goal_progress TO service_role USING (true) WITH CHECK (true);
ALTER TABLE daily_progress ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON daily_progress TO service_role USING (true) WITH CHECK (true);
ALTER TABLE recommendations ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON recommendations TO service_role USING (true) WITH CHECK (true);
ALTER TABLE recommendation_feedback ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON recommendation_feedback TO service_role USING (true) WITH CHECK (true);
ALTER TABLE ai_plans ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON ai_plans TO service_role USING (true) WITH CHECK (true);
ALTER TABLE integration_connections ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON integration_connections TO service_role USING (true) WITH CHECK (true);
ALTER TABLE achievements ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON achievements TO service_role USING (true) WITH CHECK (true);
ALTER TABLE subscriptions ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON subscriptions TO service_role USING (true) WITH CHECK (true);
ALTER TABLE conversations ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON conversations TO service_role USING (true) WITH CHECK (true);
ALTER TABLE inbound_updates ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON inbound_updates TO service_role USING (true) WITH CHECK (true);
ALTER TABLE outbox ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_all ON outbox TO service_role USING (true) WITH CHECK (true);

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO service_role;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO service_role, authenticated;
GRANT SELECT ON goose_db_version TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON identities, tasks, daily_progress, recommendations, recommendation_feedback, ai_plans, integration_connections, conversations, goals, milestones, goal_progress, outbox TO authenticated;
GRANT SELECT, UPDATE ON users, teams TO authenticated;
GRANT SELECT ON team_members, task_history, achievements, subscriptions, inbound_updates TO authenticated;

CREATE POLICY owner_all ON identities TO authenticated
  USING (user_id = (SELECT auth.uid())) WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY owner_all ON tasks TO authenticated
  USING (user_id = (SELECT auth.uid())) WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY owner_all ON daily_progress TO authenticated
  USING (user_id = (SELECT auth.uid())) WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY owner_all ON recommendations TO authenticated
  USING (user_id = (SELECT auth.uid())) WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY owner_all ON recommendation_feedback TO authenticated
  USING (user_id = (SELECT auth.uid())) WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY owner_all ON ai_plans TO authenticated
  USING (user_id = (SELECT auth.uid())) WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY owner_all ON integration_connections TO authenticated
  USING (user_id = (SELECT auth.uid())) WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY owner_all ON conversations TO authenticated
  USING (user_id = (SELECT auth.uid())) WITH CHECK (user_id = (SELECT auth.uid()));

CREATE POLICY self_select ON users FOR SELECT TO authenticated
  USING (id = (SELECT auth.uid()) OR shares_team(id));
CREATE POLICY self_update ON users FOR UPDATE TO authenticated
  USING (id = (SELECT auth.uid())) WITH CHECK (id = (SELECT auth.uid()));

CREATE POLICY member_select ON teams FOR SELECT TO authenticated USING (is_team_member(id));
CREATE POLICY admin_update ON teams FOR UPDATE TO authenticated USING (is_team_admin(id)) WITH CHECK (is_team_admin(id));
CREATE POLICY member_select ON team_members FOR SELECT TO authenticated USING (is_team_member(team_id));

CREATE POLICY owner_select ON goals FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY public_select ON goals FOR SELECT TO authenticated USING (visibility = 'public' AND deleted_at IS NULL AND (SELECT auth.uid()) IS NOT NULL);
CREATE POLICY team_select ON goals FOR SELECT TO authenticated USING (visibility = 'team' AND is_team_member(team_id));
CREATE POLICY owner_insert ON goals FOR INSERT TO authenticated
  WITH CHECK (user_id = (SELECT auth.uid()) AND (team_id IS NULL OR is_team_member(team_id)));
CREATE POLICY owner_update ON goals FOR UPDATE TO authenticated
  USING (user_id = (SELECT auth.uid()))
  WITH CHECK (user_id = (SELECT auth.uid()) AND (team_id IS NULL OR is_team_member(team_id)));
CREATE POLICY owner_delete ON goals FOR DELETE TO authenticated USING (user_id = (SELECT auth.uid()));

-- milestones and goal progress are visible wherever their goal is (the subquery applies goals' RLS)
CREATE POLICY goal_select ON milestones FOR SELECT TO authenticated
  USING (EXISTS (SELECT 1 FROM goals g WHERE g.id = milestones.goal_id));
CREATE POLICY owner_insert ON milestones FOR INSERT TO authenticated WITH CHECK (owns_goal(goal_id));
CREATE POLICY owner_update ON milestones FOR UPDATE TO authenticated USING (owns_goal(goal_id)) WITH CHECK (owns_goal(goal_id));
CREATE POLICY owner_delete ON milestones FOR DELETE TO authenticated USING (owns_goal(goal_id));

CREATE POLICY goal_select ON goal_progress FOR SELECT TO authenticated
  USING (EXISTS (SELECT 1 FROM goals g WHERE g.id = goal_progress.goal_id));
CREATE POLICY owner_insert ON goal_progress FOR INSERT TO authenticated
  WITH CHECK (user_id = (SELECT auth.uid()) AND owns_goal(goal_id));
CREATE POLICY owner_update ON goal_progress FOR UPDATE TO authenticated USING (owns_goal(goal_id)) WITH CHECK (owns_goal(goal_id));
CREATE POLICY owner_delete ON goal_progress FOR DELETE TO authenticated USING (owns_goal(goal_id));

CREATE POLICY owner_select ON task_history FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY owner_select ON achievements FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY owner_select ON subscriptions FOR SELECT TO authenticated
  USING (user_id = (SELECT auth.uid()) OR is_team_member(team_id));
CREATE POLICY owner_select ON inbound_updates FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY owner_select ON outbox FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY owner_insert ON outbox FOR INSERT TO authenticated WITH CHECK (user_id = (SELECT auth.uid()));

-- +goose Down
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM anon, authenticated, service_role;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM anon, authenticated, service_role;
ALTER TABLE users DISABLE ROW LEVEL SECURITY;
ALTER TABLE identities DISABLE ROW LEVEL SECURITY;
ALTER TABLE teams DISABLE ROW LEVEL SECURITY;
ALTER TABLE team_members DISABLE ROW LEVEL SECURITY;
ALTER TABLE goals DISABLE ROW LEVEL SECURITY;
ALTER TABLE milestones DISABLE ROW LEVEL SECURITY;
ALTER TABLE tasks DISABLE ROW LEVEL SECURITY;
ALTER TABLE task_history DISABLE ROW LEVEL SECURITY;
ALTER TABLE goal_progress DISABLE ROW LEVEL SECURITY;
ALTER TABLE daily_progress DISABLE ROW LEVEL SECURITY;
ALTER TABLE recommendations DISABLE ROW LEVEL SECURITY;
ALTER TABLE recommendation_feedback DISABLE ROW LEVEL SECURITY;
ALTER TABLE ai_plans DISABLE ROW LEVEL SECURITY;
ALTER TABLE integration_connections DISABLE ROW LEVEL SECURITY;
ALTER TABLE achievements DISABLE ROW LEVEL SECURITY;
ALTER TABLE subscriptions DISABLE ROW LEVEL SECURITY;
ALTER TABLE conversations DISABLE ROW LEVEL SECURITY;
ALTER TABLE inbound_updates DISABLE ROW LEVEL SECURITY;
ALTER TABLE outbox DISABLE ROW LEVEL SECURITY;
DROP POLICY service_all ON users;
DROP POLICY service_all ON identities;
DROP POLICY service_all ON teams;
DROP POLICY service_all ON team_members;
DROP POLICY service_all ON goals;
DROP POLICY service_all ON milestones;
DROP POLICY service_all ON tasks;
DROP POLICY service_all ON task_history;
DROP POLICY service_all ON goal_progress;
DROP POLICY service_all ON daily_progress;
DROP POLICY service_all ON recommendations;
DROP POLICY service_all ON recommendation_feedback;
DROP POLICY service_all ON ai_plans;
DROP POLICY service_all ON integration_connections;
DROP POLICY service_all ON achievements;
DROP POLICY service_all ON subscriptions;
DROP POLICY service_all ON conversations;
DROP POLICY service_all ON inbound_updates;
DROP POLICY service_all ON outbox;
DROP POLICY owner_all ON identities;
DROP POLICY owner_all ON tasks;
DROP POLICY owner_all ON daily_progress;
DROP POLICY owner_all ON recommendations;
DROP POLICY owner_all ON recommendation_feedback;
DROP POLICY owner_all ON ai_plans;
DROP POLICY owner_all ON integration_connections;
DROP POLICY owner_all ON conversations;
DROP POLICY self_select ON users;
DROP POLICY self_update ON users;
DROP POLICY member_select ON teams;
DROP POLICY admin_update ON teams;
DROP POLICY member_select ON team_members;
DROP POLICY owner_select ON goals;
DROP POLICY public_select ON goals;
DROP POLICY team_select ON goals;
DROP POLICY owner_insert ON goals;
DROP POLICY owner_update ON goals;
DROP POLICY owner_delete ON goals;
DROP POLICY goal_select ON milestones;
DROP POLICY owner_insert ON milestones;
DROP POLICY owner_update ON milestones;
DROP POLICY owner_delete ON milestones;
DROP POLICY goal_select ON goal_progress;
DROP POLICY owner_insert ON goal_progress;
DROP POLICY owner_update ON goal_progress;
DROP POLICY owner_delete ON goal_progress;
DROP POLICY owner_select ON task_history;
DROP POLICY owner_select ON achievements;
DROP POLICY owner_select ON subscriptions;
DROP POLICY owner_select ON inbound_updates;
DROP POLICY owner_select ON outbox;
DROP POLICY owner_insert ON outbox;
DROP FUNCTION is_team_member(uuid), is_team_admin(uuid), shares_team(uuid), owns_goal(uuid);

-- Goal analytics and achievements. A goal remembers when it was reached (reports show it as
-- achieved that week, and after); its milestones follow its value, whichever path changed it
-- (the chat, a team member's increment, the REST API), because a trigger moves them; and
-- achievements are keyed so that one per goal or per week can be earned once each, by the
-- user's own transaction (kinds are a closed list, rows are their owner's, never changed).

-- +goose Up
ALTER TABLE goals ADD COLUMN completed_at timestamptz;
UPDATE goals SET completed_at = updated_at WHERE status = 'completed';

-- +goose StatementBegin
CREATE FUNCTION goal_completed_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW.status = 'completed' THEN
    NEW.completed_at := coalesce(NEW.completed_at, now());
  ELSIF NEW.status = 'completed' AND OLD.status <> 'completed' THEN
    -- the writer's clock when it gives one with the change (the chat's), the database's otherwise
    NEW.completed_at := CASE WHEN NEW.completed_at IS DISTINCT FROM OLD.completed_at THEN coalesce(NEW.completed_at, now()) ELSE now() END;
  ELSIF NEW.status <> 'completed' THEN
    NEW.completed_at := NULL;
  ELSE
    NEW.completed_at := OLD.completed_at; -- nobody rewrites when it happened
  END IF;
  RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER goals_completed_at BEFORE INSERT OR UPDATE OF status, completed_at ON goals
  FOR EACH ROW EXECUTE FUNCTION goal_completed_at();

-- A milestone with a target is reached when its goal's value gets there; SECURITY DEFINER
-- because a team member's increment moves milestones that only the goal's managers may edit.
-- +goose StatementBegin
CREATE FUNCTION goal_milestones_follow() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  UPDATE milestones SET status = 'completed', completed_at = now()
   WHERE goal_id = NEW.id AND target_value IS NOT NULL AND target_value <= NEW.current_value
     AND status IN ('pending', 'in_progress');
  RETURN NULL;
END $$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION goal_milestones_follow() FROM PUBLIC;
CREATE TRIGGER goals_milestones_follow AFTER UPDATE OF current_value ON goals
  FOR EACH ROW WHEN (NEW.current_value > OLD.current_value) EXECUTE FUNCTION goal_milestones_follow();

-- achievements: a key (a goal's id, a week's Monday) lets a kind be earned once per thing
ALTER TABLE achievements ADD COLUMN key text NOT NULL DEFAULT '';
ALTER TABLE achievements DROP CONSTRAINT achievements_user_id_kind_key;
ALTER TABLE achievements ADD CONSTRAINT achievements_once UNIQUE (user_id, kind, key);
ALTER TABLE achievements ADD CONSTRAINT achievements_kind CHECK (kind IN ('first_goal', 'first_plan',
  'milestone', 'goal_achieved', 'streak_3', 'streak_7', 'streak_30', 'deep_work_week', 'recovered', 'consistency'));
ALTER TABLE achievements ADD CONSTRAINT achievements_key_len CHECK (length(key) <= 64 AND length(title) <= 300);
CREATE INDEX achievements_user_time_idx ON achievements (user_id, achieved_at);
GRANT INSERT (user_id, kind, key, title, metadata, achieved_at) ON achievements TO authenticated;
CREATE POLICY owner_insert ON achievements FOR INSERT TO authenticated WITH CHECK (user_id = (SELECT auth.uid()));

-- A team's week for its report: what each member completed on the team's goals (team content;
-- their other tasks stay theirs), this week and the one before, by days of the caller's zone.
-- +goose StatementBegin
CREATE FUNCTION team_week(team uuid, monday date, tz text)
  RETURNS TABLE (week_start date, user_id uuid, name text, tasks int, minutes int)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT date_trunc('week', (t.completed_at AT TIME ZONE tz)::date)::date, t.user_id, u.name,
         count(*)::int, sum(coalesce(t.estimated_time, 30))::int
    FROM tasks t JOIN goals g ON g.id = t.goal_id JOIN users u ON u.id = t.user_id
   WHERE is_team_member(team) AND g.team_id = team AND g.visibility = 'team' AND g.deleted_at IS NULL
     AND t.deleted_at IS NULL AND t.status = 'done' AND EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = team AND m.user_id = t.user_id)
     AND t.completed_at >= ((monday - 7)::timestamp AT TIME ZONE tz) AND t.completed_at < ((monday + 7)::timestamp AT TIME ZONE tz)
   GROUP BY 1, 2, 3
   ORDER BY 1, 4 DESC, 3
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION team_week(uuid, date, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION team_week(uuid, date, text) TO authenticated;

-- +goose Down
DROP FUNCTION team_week(uuid, date, text);
DROP POLICY owner_insert ON achievements;
REVOKE INSERT ON achievements FROM authenticated;
DROP INDEX achievements_user_time_idx;
ALTER TABLE achievements DROP CONSTRAINT achievements_key_len;
ALTER TABLE achievements DROP CONSTRAINT achievements_kind;
ALTER TABLE achievements DROP CONSTRAINT achievements_once;
DELETE FROM achievements a USING achievements b WHERE a.user_id = b.user_id AND a.kind = b.kind AND a.id > b.id;
ALTER TABLE achievements ADD CONSTRAINT achievements_user_id_kind_key UNIQUE (user_id, kind);
ALTER TABLE achievements DROP COLUMN key;
DROP TRIGGER goals_milestones_follow ON goals;
DROP FUNCTION goal_milestones_follow();
DROP TRIGGER goals_completed_at ON goals;
DROP FUNCTION goal_completed_at();
ALTER TABLE goals DROP COLUMN completed_at;

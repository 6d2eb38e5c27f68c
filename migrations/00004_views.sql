-- Read models for the dashboard, the Business Load model and the weekly report. security_invoker
-- makes every view run with the caller's rights, so RLS on the base tables applies unchanged.
-- A task without an estimate counts as 30 minutes.

-- +goose Up
CREATE VIEW dashboard_metrics WITH (security_invoker = true) AS
SELECT u.id AS user_id,
       (now() AT TIME ZONE u.timezone)::date AS local_date,
       (SELECT count(*) FROM goals g
         WHERE g.user_id = u.id AND g.status = 'active' AND g.deleted_at IS NULL) AS active_goals,
       (SELECT count(*) FROM tasks t
         WHERE t.user_id = u.id AND t.deleted_at IS NULL AND t.status IN ('todo', 'in_progress')) AS open_tasks,
       (SELECT count(*) FROM tasks t
         WHERE t.user_id = u.id AND t.deleted_at IS NULL AND t.status <> 'cancelled'
           AND t.scheduled_date = (now() AT TIME ZONE u.timezone)::date) AS tasks_today,
       (SELECT count(*) FROM tasks t
         WHERE t.user_id = u.id AND t.deleted_at IS NULL AND t.status = 'done'
           AND t.scheduled_date = (now() AT TIME ZONE u.timezone)::date) AS done_today,
       (SELECT count(*) FROM tasks t
         WHERE t.user_id = u.id AND t.deleted_at IS NULL AND t.status IN ('todo', 'in_progress')
           AND t.scheduled_date < (now() AT TIME ZONE u.timezone)::date) AS overdue_tasks,
       (SELECT count(*) FROM tasks t
         WHERE t.user_id = u.id AND t.status = 'done'
           AND t.completed_at >= now() - interval '7 days') AS completed_last_7_days,
       (SELECT dp.business_load FROM daily_progress dp
         WHERE dp.user_id = u.id AND dp.business_load IS NOT NULL
         ORDER BY dp.date DESC LIMIT 1) AS last_business_load
  FROM users u;

CREATE VIEW business_load_data WITH (security_invoker = true) AS
WITH planned AS (
  SELECT t.user_id, t.scheduled_date AS date,
         count(*) AS tasks_planned,
         count(*) FILTER (WHERE t.status = 'done') AS tasks_completed,
         sum(coalesce(t.estimated_time, 30)) AS planned_minutes,
         coalesce(sum(coalesce(t.estimated_time, 30)) FILTER (WHERE t.status = 'done'), 0) AS completed_minutes,
         sum(coalesce(t.estimated_time, 30) * t.cognitive_load) AS cognitive_minutes,
         max(t.cognitive_load) AS max_cognitive_load,
         count(*) FILTER (WHERE t.priority = 1) AS urgent_tasks,
         count(*) FILTER (WHERE t.complexity IN ('hard', 'extreme')) AS hard_tasks
    FROM tasks t
   WHERE t.deleted_at IS NULL AND t.scheduled_date IS NOT NULL AND t.status <> 'cancelled'
   GROUP BY t.user_id, t.scheduled_date
)
SELECT coalesce(p.user_id, dp.user_id) AS user_id,
       coalesce(p.date, dp.date) AS date,
       coalesce(p.tasks_planned, 0) AS tasks_planned,
       coalesce(p.tasks_completed, 0) AS tasks_completed,
       coalesce(p.planned_minutes, 0) AS planned_minutes,
       coalesce(p.completed_minutes, 0) AS completed_minutes,
       coalesce(p.cognitive_minutes, 0) AS cognitive_minutes,
       coalesce(p.max_cognitive_load, 0) AS max_cognitive_load,
       coalesce(p.urgent_tasks, 0) AS urgent_tasks,
       coalesce(p.hard_tasks, 0) AS hard_tasks,
       dp.stress, dp.energy, dp.business_load
  FROM planned p
  FULL JOIN daily_progress dp ON dp.user_id = p.user_id AND dp.date = p.date;

CREATE VIEW weekly_report_data WITH (security_invoker = true) AS
WITH days AS (
  SELECT b.*, date_trunc('week', b.date)::date AS week_start FROM business_load_data b
), progress AS (
  SELECT g.user_id, date_trunc('week', gp.date)::date AS week_start,
         count(*) AS progress_entries, count(DISTINCT gp.goal_id) AS goals_advanced
    FROM goal_progress gp JOIN goals g ON g.id = gp.goal_id
   GROUP BY g.user_id, date_trunc('week', gp.date)
)
SELECT d.user_id, d.week_start,
       sum(d.tasks_planned) AS tasks_planned,
       sum(d.tasks_completed) AS tasks_completed,
       sum(d.planned_minutes) AS planned_minutes,
       sum(d.completed_minutes) AS completed_minutes,
       round(avg(d.business_load), 1) AS avg_business_load,
       max(d.business_load) AS max_business_load,
       round(avg(d.stress), 1) AS avg_stress,
       round(avg(d.energy), 1) AS avg_energy,
       coalesce(max(p.progress_entries), 0) AS progress_entries,
       coalesce(max(p.goals_advanced), 0) AS goals_advanced
  FROM days d
  LEFT JOIN progress p ON p.user_id = d.user_id AND p.week_start = d.week_start
 GROUP BY d.user_id, d.week_start;

GRANT SELECT ON dashboard_metrics, business_load_data, weekly_report_data TO authenticated, service_role;

-- +goose Down
DROP VIEW weekly_report_data, business_load_data, dashboard_metrics;

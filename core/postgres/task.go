package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/bizconnect/bizconnect/core"
)

const taskColumns = `id, user_id, goal_id, milestone_id, title, description, priority, estimated_time, complexity::text,
	cognitive_load, status::text, scheduled_date::text, to_char(scheduled_time, 'HH24:MI'), coalesce(recurrence, ''),
	completed_at, created_at`

func scanTask(row pgx.Row) (core.Task, error) {
	var t core.Task
	var date, clock *string
	err := row.Scan(&t.ID, &t.UserID, &t.GoalID, &t.MilestoneID, &t.Title, &t.Description, &t.Priority, &t.EstimatedMin,
		&t.Complexity, &t.CognitiveLoad, &t.Status, &date, &clock, &t.Recurrence, &t.CompletedAt, &t.CreatedAt)
	if err != nil {
		return t, err
	}
	t.ScheduledDate = parseDatePtr(date)
	if clock != nil {
		var c core.ClockTime
		if c.UnmarshalText([]byte(*clock)) == nil {
			t.ScheduledTime = &c
		}
	}
	return t, nil
}

func clockArg(c *core.ClockTime) any {
	if c == nil {
		return nil
	}
	return c.String()
}

// CreateTask implements core.Tx: it fills in the task's defaults, checks it (core.Task.Validate),
// and sets its id, owner, status and creation time. The insert is deferred: it goes with the next
// statement or the commit, which report its errors.
func (t *tx) CreateTask(ctx context.Context, task *core.Task) error {
	task.ApplyDefaults()
	task.Status = core.TaskTodo
	if err := task.Validate(); err != nil {
		return err
	}
	task.ID, task.UserID, task.CompletedAt, task.CreatedAt = uuid.New(), t.user.ID, nil, t.now
	t.deferred.Queue(`INSERT INTO tasks (id, user_id, goal_id, milestone_id, title, description, priority, estimated_time,
			complexity, cognitive_load, scheduled_date, scheduled_time, recurrence, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::date, $12::time, nullif($13, ''), $14)`,
		task.ID, t.user.ID, task.GoalID, task.MilestoneID, task.Title, task.Description, task.Priority, task.EstimatedMin,
		task.Complexity, task.CognitiveLoad, dateArg(task.ScheduledDate), clockArg(task.ScheduledTime), task.Recurrence, task.CreatedAt)
	return t.remind(ctx, *task)
}

// remind schedules the reminder of a task given a time, with the change that gave it (a store
// without jobs has no reminders).
func (t *tx) remind(ctx context.Context, task core.Task) error {
	j, ok := core.ReminderOf(task, t.user, t.now)
	if !ok || t.jobs == nil {
		return nil
	}
	_, err := t.Later(ctx, j)
	return err
}

// FindTaskByID implements core.Tx.
func (t *tx) FindTaskByID(ctx context.Context, id uuid.UUID) (core.Task, error) {
	task, err := scanTask(t.q.QueryRow(ctx, `SELECT `+taskColumns+` FROM tasks WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL`, id, t.user.ID))
	if errors.Is(err, pgx.ErrNoRows) {
		return task, core.Errorf(core.ENOTFOUND, "task not found")
	}
	if err != nil {
		return task, fmt.Errorf("postgres: find task: %w", err)
	}
	return task, nil
}

// FindTasks implements core.Tx.
func (t *tx) FindTasks(ctx context.Context, f core.TaskFilter) ([]core.Task, error) {
	where := []string{"user_id = $1", "deleted_at IS NULL"}
	args := []any{t.user.ID}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if f.OpenOnly {
		where = append(where, "status IN ('todo', 'in_progress')")
	}
	if f.GoalID != nil {
		where = append(where, "goal_id = "+arg(*f.GoalID))
	}
	var span []string
	if !f.From.IsZero() {
		span = append(span, "scheduled_date >= "+arg(f.From.String())+"::date")
	}
	if !f.To.IsZero() {
		span = append(span, "scheduled_date <= "+arg(f.To.String())+"::date")
	}
	if len(span) > 0 {
		cond := strings.Join(span, " AND ")
		if f.Overdue && !f.From.IsZero() {
			cond = "(" + cond + ") OR (scheduled_date < " + arg(f.From.String()) + "::date AND status IN ('todo', 'in_progress'))"
		}
		where = append(where, "("+cond+")")
	}
	limit := 200
	if f.Limit > 0 {
		limit = f.Limit
	}
	order := `scheduled_date NULLS LAST, scheduled_time NULLS LAST, priority, created_at`
	if f.Page != nil {
		order = `created_at DESC, id DESC`
		if !f.Page.CreatedAt.IsZero() {
			where = append(where, "(created_at, id) < ("+arg(f.Page.CreatedAt)+", "+arg(f.Page.ID)+")")
		}
	}
	rows, err := t.q.Query(ctx, `SELECT `+taskColumns+` FROM tasks WHERE `+strings.Join(where, " AND ")+
		fmt.Sprintf(` ORDER BY %s LIMIT %d`, order, limit), args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: find tasks: %w", err)
	}
	tasks, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (core.Task, error) { return scanTask(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: find tasks: %w", err)
	}
	return tasks, nil
}

// UpdateTask implements core.Tx. Completing a task sets completed_at; reopening clears it.
func (t *tx) UpdateTask(ctx context.Context, id uuid.UUID, upd core.TaskUpdate) (core.Task, error) {
	var clock any
	setClock := upd.ScheduledTime != nil
	if setClock {
		clock = clockArg(*upd.ScheduledTime)
	}
	row := t.q.QueryRow(ctx, `UPDATE tasks SET
			title = coalesce($2, title),
			status = coalesce($3::task_status, status),
			completed_at = CASE WHEN $3::task_status = 'done' THEN coalesce(completed_at, $11)
				WHEN $3::task_status IS NOT NULL THEN NULL ELSE completed_at END,
			priority = coalesce($4, priority),
			estimated_time = CASE WHEN $12 THEN NULL ELSE coalesce($5, estimated_time) END,
			scheduled_date = coalesce($6::date, scheduled_date),
			scheduled_time = CASE WHEN $7 THEN $8::time ELSE scheduled_time END,
			deleted_at = CASE WHEN $9::bool THEN $11 WHEN $9::bool = false THEN NULL ELSE deleted_at END
		WHERE id = $1 AND user_id = $10 RETURNING `+taskColumns,
		id, upd.Title, upd.Status, upd.Priority, upd.EstimatedMin, datePtrArg(upd.ScheduledDate), setClock, clock, upd.Deleted, t.user.ID, t.now, upd.ClearEstimate)
	task, err := scanTask(row)
	if errors.Is(err, pgx.ErrNoRows) {
		return task, core.Errorf(core.ENOTFOUND, "task not found")
	}
	if err != nil {
		return task, fmt.Errorf("postgres: update task: %w", err)
	}
	if upd.Deleted == nil || !*upd.Deleted {
		err = t.remind(ctx, task)
	}
	return task, err
}

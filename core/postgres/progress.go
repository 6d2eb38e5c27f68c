package postgres

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/bizconnect/bizconnect/core"
)

// GoalProgress implements core.Tx; RLS shows the entries of the goals the user may see.
func (t *tx) GoalProgress(ctx context.Context, goalID uuid.UUID, before int64, limit int) ([]core.ProgressEntry, error) {
	rows, err := t.q.Query(ctx, `SELECT p.id, p.goal_id, p.user_id, p.date::text, p.value::float8, p.delta::float8,
			p.undone_at IS NOT NULL, p.created_at
		FROM goal_progress p JOIN goals g ON g.id = p.goal_id
		WHERE p.goal_id = $1 AND g.deleted_at IS NULL AND ($2 = 0 OR p.id < $2)
		ORDER BY p.id DESC LIMIT $3`, goalID, before, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: goal progress: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (core.ProgressEntry, error) {
		var e core.ProgressEntry
		var date string
		if err := r.Scan(&e.ID, &e.GoalID, &e.UserID, &date, &e.Value, &e.Delta, &e.Undone, &e.CreatedAt); err != nil {
			return e, err
		}
		var err error
		e.Date, err = core.ParseDate(date)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: goal progress: %w", err)
	}
	return out, nil
}

// Reflections implements core.Tx.
func (t *tx) Reflections(ctx context.Context, from, to core.Date) ([]core.DailyProgress, error) {
	rows, err := t.q.Query(ctx, `SELECT date::text, business_load, tasks_completed, tasks_planned, stress, energy, reflection_notes
		FROM daily_progress WHERE user_id = $1 AND date BETWEEN $2::date AND $3::date ORDER BY date`, t.user.ID, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("postgres: reflections: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (core.DailyProgress, error) {
		var dp core.DailyProgress
		var date string
		if err := r.Scan(&date, &dp.BusinessLoad, &dp.TasksCompleted, &dp.TasksPlanned, &dp.Stress, &dp.Energy, &dp.Notes); err != nil {
			return dp, err
		}
		var err error
		dp.Date, err = core.ParseDate(date)
		return dp, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: reflections: %w", err)
	}
	return out, nil
}

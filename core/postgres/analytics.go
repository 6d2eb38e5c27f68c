package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/bizconnect/bizconnect/core"
)

// goalHistoriesSQL reads goals' end-of-day values (the last entry of each day that was not
// taken back) from $2 on, with the last one before it (where the goal stood then), and their
// task counts, in one statement; RLS keeps it to goals the user may see.
const goalHistoriesSQL = `WITH g AS (
		SELECT id FROM goals WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL
	), days AS (
		SELECT DISTINCT ON (gp.goal_id, gp.date) gp.goal_id, gp.date, gp.value::float8 AS value
		  FROM goal_progress gp JOIN g ON g.id = gp.goal_id
		 WHERE gp.date >= $2::date AND gp.undone_at IS NULL
		 ORDER BY gp.goal_id, gp.date, gp.id DESC
	), before AS ( -- where each goal stood when the window opened
		SELECT DISTINCT ON (gp.goal_id) gp.goal_id, gp.date, gp.value::float8 AS value
		  FROM goal_progress gp JOIN g ON g.id = gp.goal_id
		 WHERE gp.date < $2::date AND gp.undone_at IS NULL
		 ORDER BY gp.goal_id, gp.date DESC, gp.id DESC
	), tasks AS (
		SELECT t.goal_id, count(*) FILTER (WHERE t.status <> 'cancelled') AS n, count(*) FILTER (WHERE t.status = 'done') AS done
		  FROM tasks t JOIN g ON g.id = t.goal_id WHERE t.deleted_at IS NULL GROUP BY t.goal_id
	)
	SELECT g.id, d.date::text, d.value, coalesce(t.n, 0)::int, coalesce(t.done, 0)::int
	  FROM g LEFT JOIN (SELECT * FROM before UNION ALL SELECT * FROM days) d ON d.goal_id = g.id
	  LEFT JOIN tasks t ON t.goal_id = g.id
	 ORDER BY g.id, d.date`

// GoalHistories implements core.Tx.
func (t *tx) GoalHistories(ctx context.Context, ids []uuid.UUID, from core.Date) (map[uuid.UUID]core.GoalHistory, error) {
	out := make(map[uuid.UUID]core.GoalHistory, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := t.q.Query(ctx, goalHistoriesSQL, ids, from.String())
	if err != nil {
		return nil, fmt.Errorf("postgres: goal histories: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id uuid.UUID
		var day *string
		var value *float64
		var h core.GoalHistory
		if err := rows.Scan(&id, &day, &value, &h.Tasks, &h.Done); err != nil {
			return nil, fmt.Errorf("postgres: goal histories: %w", err)
		}
		prev := out[id]
		prev.Tasks, prev.Done = h.Tasks, h.Done
		if day != nil && value != nil {
			d, err := core.ParseDate(*day)
			if err != nil {
				return nil, fmt.Errorf("postgres: goal histories: %w", err)
			}
			prev.Days = append(prev.Days, core.GoalDay{Date: d, Value: *value})
		}
		out[id] = prev
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: goal histories: %w", err)
	}
	return out, nil
}

// Award implements core.Tx: a second award of the same kind and key changes nothing.
func (t *tx) Award(ctx context.Context, a core.Achievement) (bool, error) {
	tag, err := t.q.Exec(ctx, `INSERT INTO achievements (user_id, kind, key, title, achieved_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (user_id, kind, key) DO NOTHING`, t.user.ID, a.Kind, a.Key, core.Truncate(a.Title, 300), t.now)
	if err != nil {
		return false, fmt.Errorf("postgres: award %s: %w", a.Kind, err)
	}
	if tag.RowsAffected() == 0 {
		return false, nil
	}
	a.AchievedAt = t.now
	t.earned = append(t.earned, a)
	return true, nil
}

// Earned implements core.Tx.
func (t *tx) Earned() []core.Achievement { return t.earned }

// Achievements implements core.Tx.
func (t *tx) Achievements(ctx context.Context, since time.Time) ([]core.Achievement, error) {
	rows, err := t.q.Query(ctx, `SELECT kind, key, title, achieved_at FROM achievements
		WHERE user_id = $1 AND achieved_at >= $2 ORDER BY achieved_at, kind, key LIMIT 500`, t.user.ID, since)
	if err != nil {
		return nil, fmt.Errorf("postgres: achievements: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (core.Achievement, error) {
		var a core.Achievement
		return a, r.Scan(&a.Kind, &a.Key, &a.Title, &a.AchievedAt)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: achievements: %w", err)
	}
	return out, nil
}

// TeamWeek implements core.Tx.
func (t *tx) TeamWeek(ctx context.Context, teamID uuid.UUID, monday core.Date) (string, []core.MemberWeek, []core.MemberWeek, error) {
	var name string
	err := t.q.QueryRow(ctx, `SELECT name FROM teams WHERE id = $1`, teamID).Scan(&name)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil, nil, core.Errorf(core.ENOTFOUND, "team not found")
	}
	if err != nil {
		return "", nil, nil, fmt.Errorf("postgres: team week: %w", err)
	}
	rows, err := t.q.Query(ctx, `SELECT week_start::text, name, tasks, minutes FROM team_week($1, $2::date, $3)`,
		teamID, monday.String(), t.user.Location().String())
	if err != nil {
		return "", nil, nil, fmt.Errorf("postgres: team week: %w", err)
	}
	defer rows.Close()
	var week, prev []core.MemberWeek
	for rows.Next() {
		var start string
		var m core.MemberWeek
		if err := rows.Scan(&start, &m.Name, &m.Tasks, &m.Minutes); err != nil {
			return "", nil, nil, fmt.Errorf("postgres: team week: %w", err)
		}
		if start == monday.String() {
			week = append(week, m)
		} else {
			prev = append(prev, m)
		}
	}
	if err := rows.Err(); err != nil {
		return "", nil, nil, fmt.Errorf("postgres: team week: %w", err)
	}
	return name, week, prev, nil
}

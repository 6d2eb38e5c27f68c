package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/bizconnect/bizconnect/core"
)

// adviceTypes file each kind of advice under the schema's recommendation_type.
var adviceTypes = map[string]string{"focus": "focus", "reschedule": "workload", "rest": "wellbeing", "goal_at_risk": "goal",
	"quick_win": "habit", "delegate": "planning"}

// SaveRecommendation implements core.Tx: the kind goes in the context, with what it is about.
func (t *tx) SaveRecommendation(ctx context.Context, r *core.Recommendation) error {
	typ, ok := adviceTypes[r.Kind]
	if !ok {
		return core.Errorf(core.EINVALID, "unknown kind of advice %q", r.Kind)
	}
	c, err := json.Marshal(map[string]any{"kind": r.Kind, "task": r.TaskID, "goal": r.GoalID})
	if err != nil {
		return fmt.Errorf("postgres: encode recommendation: %w", err)
	}
	err = t.q.QueryRow(ctx, `INSERT INTO recommendations (user_id, type, content, context) VALUES ($1, $2::recommendation_type, $3, $4)
		RETURNING id`, t.user.ID, typ, core.Truncate(r.Content, 2000), c).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("postgres: save recommendation: %w", err)
	}
	return nil
}

// FindRecommendation implements core.Tx.
func (t *tx) FindRecommendation(ctx context.Context, id uuid.UUID) (core.Recommendation, error) {
	r := core.Recommendation{ID: id}
	var c adviceContext
	err := t.q.QueryRow(ctx, `SELECT content, context, applied, coalesce(feedback::text, ''), created_at FROM recommendations
		WHERE id = $1 AND user_id = $2`, id, t.user.ID).Scan(&r.Content, &c, &r.Applied, &r.Feedback, &r.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, core.Errorf(core.ENOTFOUND, "no such recommendation")
	}
	if err != nil {
		return r, fmt.Errorf("postgres: find recommendation: %w", err)
	}
	r.Kind, r.TaskID, r.GoalID = c.Kind, c.Task, c.Goal
	return r, nil
}

// FindRecommendations implements core.Tx.
func (t *tx) FindRecommendations(ctx context.Context, f core.RecommendationFilter) ([]core.Recommendation, error) {
	args := []any{t.user.ID, cmp.Or(f.Limit, 100)}
	page := ""
	if f.Page != nil && !f.Page.CreatedAt.IsZero() {
		args = append(args, f.Page.CreatedAt, f.Page.ID)
		page = " AND (created_at, id) < ($3, $4)"
	}
	rows, err := t.q.Query(ctx, `SELECT id, content, context, applied, coalesce(feedback::text, ''), created_at FROM recommendations
		WHERE user_id = $1`+page+` ORDER BY created_at DESC, id DESC LIMIT $2`, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: find recommendations: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (core.Recommendation, error) {
		var r core.Recommendation
		var c adviceContext
		err := row.Scan(&r.ID, &r.Content, &c, &r.Applied, &r.Feedback, &r.CreatedAt)
		r.Kind, r.TaskID, r.GoalID = c.Kind, c.Task, c.Goal
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: find recommendations: %w", err)
	}
	return out, nil
}

// adviceContext is what a recommendation's context says: its kind and what it is about.
type adviceContext struct {
	Kind string     `json:"kind"`
	Task *uuid.UUID `json:"task"`
	Goal *uuid.UUID `json:"goal"`
}

// RateRecommendation implements core.Tx: the rating is kept, and is the recommendation's latest.
func (t *tx) RateRecommendation(ctx context.Context, id uuid.UUID, rating string) error {
	tag, err := t.q.Exec(ctx, `WITH r AS (
			UPDATE recommendations SET feedback = $3::feedback WHERE id = $1 AND user_id = $2 RETURNING id
		)
		INSERT INTO recommendation_feedback (recommendation_id, user_id, rating) SELECT id, $2, $3::feedback FROM r`, id, t.user.ID, rating)
	if err != nil {
		return fmt.Errorf("postgres: rate recommendation: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return core.Errorf(core.ENOTFOUND, "no such recommendation")
	}
	return nil
}

// MarkRecommendationApplied implements core.Tx: true only for the press that applied it.
func (t *tx) MarkRecommendationApplied(ctx context.Context, id uuid.UUID) (bool, error) {
	tag, err := t.q.Exec(ctx, `UPDATE recommendations SET applied = true WHERE id = $1 AND user_id = $2 AND NOT applied`, id, t.user.ID)
	if err != nil {
		return false, fmt.Errorf("postgres: apply recommendation: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// AdviceScores implements core.Tx: 👍 minus 👎 by kind over the user's last 200 rated
// recommendations, each counted by its latest rating (pressing 👎 twice is one 👎).
func (t *tx) AdviceScores(ctx context.Context) (map[string]int, error) {
	rows, err := t.q.Query(ctx, `SELECT kind, sum(CASE feedback WHEN 'helpful' THEN 1 WHEN 'not_helpful' THEN -1 ELSE 0 END)::int
		FROM (SELECT context->>'kind' AS kind, feedback FROM recommendations
			WHERE user_id = $1 AND feedback IS NOT NULL ORDER BY created_at DESC LIMIT 200) r
		GROUP BY 1`, t.user.ID)
	if err != nil {
		return nil, fmt.Errorf("postgres: advice scores: %w", err)
	}
	out := map[string]int{}
	for rows.Next() {
		var kind *string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("postgres: advice scores: %w", err)
		}
		if kind != nil {
			out[*kind] = n
		}
	}
	return out, rows.Err()
}

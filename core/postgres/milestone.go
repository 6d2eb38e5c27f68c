package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/bizconnect/bizconnect/core"
)

const milestoneColumns = `m.id, m.goal_id, m.title, m.target_value::float8, m.deadline::text, m.position, m.status::text,
	m.created_at, m.completed_at`

func scanMilestone(row pgx.Row) (core.Milestone, error) {
	var m core.Milestone
	var deadline *string
	err := row.Scan(&m.ID, &m.GoalID, &m.Title, &m.TargetValue, &deadline, &m.Position, &m.Status, &m.CreatedAt, &m.CompletedAt)
	m.Deadline = parseDatePtr(deadline)
	return m, err
}

// FindMilestoneByID implements core.Tx: RLS shows the milestones of the goals the user may see;
// a deleted goal's are gone with it.
func (t *tx) FindMilestoneByID(ctx context.Context, id uuid.UUID) (core.Milestone, error) {
	m, err := scanMilestone(t.q.QueryRow(ctx, `SELECT `+milestoneColumns+` FROM milestones m JOIN goals g ON g.id = m.goal_id
		WHERE m.id = $1 AND g.deleted_at IS NULL`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return m, core.Errorf(core.ENOTFOUND, "milestone not found")
	}
	if err != nil {
		return m, fmt.Errorf("postgres: find milestone: %w", err)
	}
	return m, nil
}

// ListMilestones implements core.Tx: without a goal, those of the user's own goals and of their
// teams' goals (not every public goal's).
func (t *tx) ListMilestones(ctx context.Context, f core.MilestoneFilter) ([]core.Milestone, error) {
	where := []string{"g.deleted_at IS NULL", "(g.user_id = $1 OR g.visibility = 'team' AND is_team_member(g.team_id))"}
	args := []any{t.user.ID}
	if f.GoalID != nil {
		where[1], args[0] = "g.id = $1", *f.GoalID
	}
	if f.Page != nil && !f.Page.CreatedAt.IsZero() {
		args = append(args, f.Page.CreatedAt, f.Page.ID)
		where = append(where, fmt.Sprintf("(m.created_at, m.id) < ($%d, $%d)", len(args)-1, len(args)))
	}
	rows, err := t.q.Query(ctx, `SELECT `+milestoneColumns+` FROM milestones m JOIN goals g ON g.id = m.goal_id WHERE `+
		strings.Join(where, " AND ")+fmt.Sprintf(` ORDER BY m.created_at DESC, m.id DESC LIMIT %d`, cmp.Or(f.Limit, 100)), args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: list milestones: %w", err)
	}
	ms, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (core.Milestone, error) { return scanMilestone(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: list milestones: %w", err)
	}
	return ms, nil
}

// UpdateMilestone implements core.Tx: the milestone as changed is checked, then written; RLS
// lets only the goal's managers write it. Reaching it stamps when, with the transaction's clock.
func (t *tx) UpdateMilestone(ctx context.Context, id uuid.UUID, upd core.MilestoneUpdate) (core.Milestone, error) {
	m, err := t.FindMilestoneByID(ctx, id)
	if err != nil {
		return m, err
	}
	if upd.Title != nil {
		m.Title = *upd.Title
	}
	if upd.TargetValue != nil {
		m.TargetValue = upd.TargetValue
	}
	if upd.Deadline != nil {
		m.Deadline = *upd.Deadline
	}
	if upd.Position != nil {
		m.Position = *upd.Position
	}
	if upd.Status != nil {
		m.Status = *upd.Status
	}
	if err := m.Validate(); err != nil {
		return m, err
	}
	m, err = scanMilestone(t.q.QueryRow(ctx, `UPDATE milestones m SET title = $2, target_value = $3, deadline = $4::date,
			position = $5, status = $6::milestone_status,
			completed_at = CASE WHEN $6::milestone_status <> 'completed' THEN NULL WHEN m.status = 'completed' THEN m.completed_at ELSE $7 END
		WHERE m.id = $1 RETURNING `+milestoneColumns,
		id, m.Title, m.TargetValue, dateArg(m.Deadline), m.Position, m.Status, t.now))
	if errors.Is(err, pgx.ErrNoRows) {
		return m, core.Errorf(core.ENOTFOUND, "milestone not found")
	}
	if err != nil {
		return m, fmt.Errorf("postgres: update milestone: %w", err)
	}
	return m, nil
}

// DeleteMilestone implements core.Tx; the tasks' link is set null by the schema.
func (t *tx) DeleteMilestone(ctx context.Context, id uuid.UUID) error {
	tag, err := t.q.Exec(ctx, `DELETE FROM milestones WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("postgres: delete milestone: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return core.Errorf(core.ENOTFOUND, "milestone not found")
	}
	return nil
}

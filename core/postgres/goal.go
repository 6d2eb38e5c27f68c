package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/bizconnect/bizconnect/core"
)

const goalColumns = `id, user_id, team_id, title, description, category::text, tracking::text, target_value::float8,
	current_value::float8, unit, start_date::text, end_date::text, status::text, visibility::text, created_at, completed_at`

func scanGoal(row pgx.Row) (core.Goal, error) {
	var g core.Goal
	var start string
	var end *string
	err := row.Scan(&g.ID, &g.UserID, &g.TeamID, &g.Title, &g.Description, &g.Category, &g.Tracking, &g.TargetValue,
		&g.CurrentValue, &g.Unit, &start, &end, &g.Status, &g.Visibility, &g.CreatedAt, &g.CompletedAt)
	if err != nil {
		return g, err
	}
	g.StartDate, _ = core.ParseDate(start)
	g.EndDate = parseDatePtr(end)
	return g, nil
}

func parseDatePtr(s *string) core.Date {
	if s == nil {
		return core.Date{}
	}
	d, _ := core.ParseDate(*s)
	return d
}

// dateArg is a date query argument: NULL for the zero date (use with a ::date cast).
func dateArg(d core.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// CreateGoal implements core.Tx: it fills in the goal's defaults, checks it (core.Goal.Validate)
// and sets its id, status and creation time.
func (t *tx) CreateGoal(ctx context.Context, g *core.Goal) error {
	g.ApplyDefaults(core.Today(t, t.user))
	if err := g.Validate(); err != nil {
		return err
	}
	row := t.q.QueryRow(ctx, `INSERT INTO goals (user_id, team_id, title, description, category, tracking, target_value,
			current_value, unit, start_date, end_date, visibility, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::date, $11::date, $12, $13) RETURNING `+goalColumns,
		t.user.ID, g.TeamID, g.Title, g.Description, g.Category, g.Tracking, g.TargetValue, g.CurrentValue, g.Unit,
		g.StartDate.String(), dateArg(g.EndDate), g.Visibility, t.now)
	created, err := scanGoal(row)
	if err != nil {
		return fmt.Errorf("postgres: create goal: %w", err)
	}
	*g = created
	return nil
}

// FindGoalByID implements core.Tx: RLS decides which goals the user may see.
func (t *tx) FindGoalByID(ctx context.Context, id uuid.UUID) (core.Goal, error) {
	g, err := scanGoal(t.q.QueryRow(ctx, `SELECT `+goalColumns+` FROM goals WHERE id = $1 AND deleted_at IS NULL`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return g, core.Errorf(core.ENOTFOUND, "goal not found")
	}
	if err != nil {
		return g, fmt.Errorf("postgres: find goal: %w", err)
	}
	return g, nil
}

// FindGoals implements core.Tx: the user's own goals, newest first.
func (t *tx) FindGoals(ctx context.Context, f core.GoalFilter) ([]core.Goal, error) {
	where := []string{"user_id = $1", "deleted_at IS NULL"}
	args := []any{t.user.ID}
	if f.TeamID != nil {
		where[0], args[0] = "team_id = $1 AND visibility = 'team'", *f.TeamID
	}
	switch {
	case f.ReachedSince != nil:
		args = append(args, *f.ReachedSince)
		where = append(where, fmt.Sprintf("(status = 'active' OR status = 'completed' AND completed_at >= $%d)", len(args)))
	case f.Status != "":
		args = append(args, f.Status)
		where = append(where, fmt.Sprintf("status = $%d::goal_status", len(args)))
	}
	limit := 100
	if f.Limit > 0 {
		limit = f.Limit
	}
	if f.Page != nil && !f.Page.CreatedAt.IsZero() {
		args = append(args, f.Page.CreatedAt, f.Page.ID)
		where = append(where, fmt.Sprintf("(created_at, id) < ($%d, $%d)", len(args)-1, len(args)))
	}
	rows, err := t.q.Query(ctx, `SELECT `+goalColumns+` FROM goals WHERE `+strings.Join(where, " AND ")+
		fmt.Sprintf(` ORDER BY created_at DESC, id DESC LIMIT %d`, limit), args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: find goals: %w", err)
	}
	goals, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (core.Goal, error) { return scanGoal(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: find goals: %w", err)
	}
	return goals, nil
}

// UpdateGoal implements core.Tx.
func (t *tx) UpdateGoal(ctx context.Context, id uuid.UUID, upd core.GoalUpdate) (core.Goal, error) {
	row := t.q.QueryRow(ctx, `UPDATE goals SET
			title = coalesce($2, title),
			current_value = coalesce($3, current_value),
			target_value = coalesce($4, target_value),
			end_date = coalesce($5::date, end_date),
			status = coalesce($6::goal_status, status),
			completed_at = CASE WHEN $6::goal_status = 'completed' AND status <> 'completed' THEN $8 ELSE completed_at END,
			deleted_at = CASE WHEN $7::bool THEN $8 WHEN $7::bool = false THEN NULL ELSE deleted_at END
		WHERE id = $1 AND (deleted_at IS NULL OR $7::bool = false) RETURNING `+goalColumns,
		id, upd.Title, upd.CurrentValue, upd.TargetValue, datePtrArg(upd.EndDate), upd.Status, upd.Deleted, t.now)
	g, err := scanGoal(row)
	if errors.Is(err, pgx.ErrNoRows) {
		return g, core.Errorf(core.ENOTFOUND, "goal not found")
	}
	if err != nil {
		return g, fmt.Errorf("postgres: update goal: %w", err)
	}
	return g, nil
}

func datePtrArg(d *core.Date) any {
	if d == nil {
		return nil
	}
	return dateArg(*d)
}

// AddGoalProgress implements core.Tx.
func (t *tx) AddGoalProgress(ctx context.Context, goalID uuid.UUID, date core.Date, value float64, delta *float64, notes string) error {
	_, err := t.q.Exec(ctx, `INSERT INTO goal_progress (goal_id, user_id, date, value, delta, notes) VALUES ($1, $2, $3::date, $4, $5, $6)`,
		goalID, t.user.ID, date.String(), value, delta, notes)
	if err != nil {
		return fmt.Errorf("postgres: add goal progress: %w", err)
	}
	return nil
}

// AddTeamProgress implements core.Tx through add_team_progress(), which checks membership.
func (t *tx) AddTeamProgress(ctx context.Context, goalID uuid.UUID, date core.Date, delta float64) (int64, error) {
	var entry int64
	err := t.q.QueryRow(ctx, `SELECT add_team_progress($1, $2, $3::date, '')`, goalID, delta, date.String()).Scan(&entry)
	return entry, teamError("add team progress", err)
}

// SetTeamProgress implements core.Tx through set_team_progress(), which checks the role.
func (t *tx) SetTeamProgress(ctx context.Context, goalID uuid.UUID, date core.Date, value float64) (int64, error) {
	var entry int64
	err := t.q.QueryRow(ctx, `SELECT set_team_progress($1, $2, $3::date, '')`, goalID, value, date.String()).Scan(&entry)
	return entry, teamError("set team progress", err)
}

// UndoTeamProgress implements core.Tx through undo_team_progress(), which checks who may.
func (t *tx) UndoTeamProgress(ctx context.Context, entry int64) (uuid.UUID, error) {
	var goal uuid.UUID
	err := t.q.QueryRow(ctx, `SELECT undo_team_progress($1)`, entry).Scan(&goal)
	return goal, teamError("undo team progress", err)
}

// teamError maps the team functions' refusal (42501) to EFORBIDDEN. The refusal has ended the
// transaction: callers check roles first and meet it only when something raced them.
func teamError(op string, err error) error {
	var pgErr *pgconn.PgError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &pgErr) && pgErr.Code == "42501":
		return core.Errorf(core.EFORBIDDEN, "%s", pgErr.Message)
	}
	return fmt.Errorf("postgres: %s: %w", op, err)
}

// FindProgress implements core.Tx; RLS shows entries of the goals the user may see.
func (t *tx) FindProgress(ctx context.Context, entry int64) (core.ProgressEntry, error) {
	e := core.ProgressEntry{ID: entry}
	var date string
	err := t.q.QueryRow(ctx, `SELECT goal_id, user_id, date::text, value::float8, delta::float8, undone_at IS NOT NULL
		FROM goal_progress WHERE id = $1`, entry).Scan(&e.GoalID, &e.UserID, &date, &e.Value, &e.Delta, &e.Undone)
	if errors.Is(err, pgx.ErrNoRows) {
		return e, core.Errorf(core.ENOTFOUND, "progress entry not found")
	}
	if err != nil {
		return e, fmt.Errorf("postgres: find progress: %w", err)
	}
	e.Date, _ = core.ParseDate(date)
	return e, nil
}

// TeamRole implements core.Tx. The role in the session's workspace team was read with the user;
// other teams cost a query.
func (t *tx) TeamRole(ctx context.Context, teamID uuid.UUID) (string, error) {
	if t.team != nil && *t.team == teamID {
		return t.teamRole, nil
	}
	var role string
	err := t.q.QueryRow(ctx, `SELECT role::text FROM team_members WHERE team_id = $1 AND user_id = $2`, teamID, t.user.ID).Scan(&role)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("postgres: team role: %w", err)
	}
	return role, nil
}

// SetTeamRole implements core.Tx through set_team_role(), which checks the caller owns the team.
func (t *tx) SetTeamRole(ctx context.Context, teamID uuid.UUID, member core.IdentityRef, role string) error {
	var done bool
	err := t.q.QueryRow(ctx, `SELECT set_team_role($1, $2, $3, $4, $5)`, teamID, member.Provider, member.Workspace, member.ExternalID, role).Scan(&done)
	return t.roleSet("set team role", teamID, role, done, err)
}

// roleSet is the outcome of a role change of set_team_role or set_member_role: handing the
// team over makes this user, its owner until now, an admin of it.
func (t *tx) roleSet(op string, teamID uuid.UUID, role string, done bool, err error) error {
	if err := teamError(op, err); err != nil {
		return err
	}
	if !done {
		return core.Errorf(core.ENOTFOUND, "not a member of the team")
	}
	if t.team != nil && *t.team == teamID && role == core.TeamOwner {
		t.teamRole = core.TeamAdmin
	}
	return nil
}

// SetReportChannel implements core.Tx; RLS lets only team owners and admins change a team.
func (t *tx) SetReportChannel(ctx context.Context, teamID uuid.UUID, chat string) error {
	tag, err := t.q.Exec(ctx, `UPDATE teams SET report_channel = $2 WHERE id = $1`, teamID, chat)
	if err != nil {
		return fmt.Errorf("postgres: set report channel: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return core.Errorf(core.EFORBIDDEN, "only the team's owner or admins choose the report channel")
	}
	return nil
}

// CreateMilestones implements core.Tx; each is checked first (core.Milestone.Validate).
func (t *tx) CreateMilestones(ctx context.Context, ms []core.Milestone) error {
	for i := range ms {
		if err := ms[i].Validate(); err != nil {
			return err
		}
	}
	b := &pgx.Batch{}
	for i := range ms {
		m := &ms[i]
		b.Queue(`INSERT INTO milestones (goal_id, title, target_value, deadline, position) VALUES ($1, $2, $3, $4::date, $5) RETURNING id, status::text`,
			m.GoalID, m.Title, m.TargetValue, dateArg(m.Deadline), m.Position).QueryRow(func(row pgx.Row) error {
			return row.Scan(&m.ID, &m.Status)
		})
	}
	if err := t.q.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("postgres: create milestones: %w", err)
	}
	return nil
}

// ReplaceMilestones implements core.Tx in one statement: the open tasks of the goal's unreached
// milestones are marked deleted, then those milestones go (their tasks' link is set null).
func (t *tx) ReplaceMilestones(ctx context.Context, goalID uuid.UUID) (int, error) {
	var n int
	err := t.q.QueryRow(ctx, `WITH gone AS (
			UPDATE tasks SET deleted_at = $3, milestone_id = NULL WHERE user_id = $2 AND goal_id = $1 AND deleted_at IS NULL AND status IN ('todo', 'in_progress')
				AND milestone_id IN (SELECT id FROM milestones WHERE goal_id = $1 AND status IN ('pending', 'in_progress'))
			RETURNING 1
		), ms AS (
			DELETE FROM milestones WHERE goal_id = $1 AND status IN ('pending', 'in_progress') RETURNING 1
		)
		SELECT (SELECT count(*) FROM gone) + 0 * (SELECT count(*) FROM ms)`, goalID, t.user.ID, t.now).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("postgres: replace milestones: %w", err)
	}
	return n, nil
}

// SavePlan implements core.Tx: a new version of the goal's plan. An applied one supersedes the
// goal's earlier applied plan; a ready one supersedes the earlier proposals still waiting.
func (t *tx) SavePlan(ctx context.Context, p core.PlanRecord) (uuid.UUID, error) {
	in, err := json.Marshal(p.Input)
	if err != nil {
		return uuid.Nil, fmt.Errorf("postgres: encode plan input: %w", err)
	}
	out := []byte(p.Output)
	if len(out) == 0 {
		out = []byte("{}")
	}
	if p.Status != core.PlanReady && p.Status != core.PlanApplied {
		return uuid.Nil, core.Errorf(core.EINVALID, "a plan is saved ready or applied, not %q", p.Status)
	}
	var id uuid.UUID
	err = t.q.QueryRow(ctx, `WITH old AS (
			UPDATE ai_plans SET status = 'superseded'
			WHERE goal_id = $1 AND (status = 'ready' OR status = 'applied' AND $7 = 'applied') RETURNING version
		)
		INSERT INTO ai_plans (goal_id, user_id, version, provider, model, input, output, status, prompt_tokens, completion_tokens)
		SELECT $1, $2, coalesce((SELECT max(version) FROM ai_plans WHERE goal_id = $1), 0) + 1, $3, $4, $5, $6, $7::plan_status, $8, $9
		RETURNING id`,
		p.GoalID, t.user.ID, p.Provider, p.Model, in, out, p.Status, p.PromptTokens, p.CompletionTokens).Scan(&id)
	if err != nil {
		return uuid.Nil, fmt.Errorf("postgres: save plan: %w", err)
	}
	return id, nil
}

// FindPlan implements core.Tx.
func (t *tx) FindPlan(ctx context.Context, id uuid.UUID) (core.PlanRecord, error) {
	p := core.PlanRecord{ID: id}
	err := t.q.QueryRow(ctx, `SELECT goal_id, version, provider, model, output, status::text FROM ai_plans WHERE id = $1 AND user_id = $2`,
		id, t.user.ID).Scan(&p.GoalID, &p.Version, &p.Provider, &p.Model, &p.Output, &p.Status)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, core.Errorf(core.ENOTFOUND, "no such plan")
	}
	if err != nil {
		return p, fmt.Errorf("postgres: find plan: %w", err)
	}
	return p, nil
}

// ApplyPlan implements core.Tx: one statement marks the plan applied, if it is still ready, and
// supersedes the goal's plan applied before (which the statement's snapshot still sees applied).
func (t *tx) ApplyPlan(ctx context.Context, id uuid.UUID) (bool, error) {
	var n int
	err := t.q.QueryRow(ctx, `WITH p AS (
			UPDATE ai_plans SET status = 'applied' WHERE id = $1 AND user_id = $2 AND status = 'ready' RETURNING goal_id
		), old AS (
			UPDATE ai_plans SET status = 'superseded' FROM p WHERE ai_plans.goal_id = p.goal_id AND ai_plans.status = 'applied' RETURNING 1
		)
		SELECT count(*) FROM p`, id, t.user.ID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("postgres: apply plan: %w", err)
	}
	return n == 1, nil
}

// FindMilestones implements core.Tx: a goal's milestones in order.
func (t *tx) FindMilestones(ctx context.Context, goalID uuid.UUID) ([]core.Milestone, error) {
	rows, err := t.q.Query(ctx, `SELECT `+milestoneColumns+` FROM milestones m WHERE m.goal_id = $1 ORDER BY m.position, m.deadline`, goalID)
	if err != nil {
		return nil, fmt.Errorf("postgres: find milestones: %w", err)
	}
	ms, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (core.Milestone, error) { return scanMilestone(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: find milestones: %w", err)
	}
	return ms, nil
}

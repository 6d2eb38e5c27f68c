package plan

import (
	"context"
	"math"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/locale"
)

// OfflineMilestones splits the way from today to g's deadline into up to four checkpoints with
// evenly growing targets (task-based goals get dated checkpoints without values), titled in lang.
func OfflineMilestones(g core.Goal, today core.Date, lang string) []core.Milestone {
	if g.EndDate.IsZero() || !g.EndDate.After(today) {
		return nil
	}
	days := today.DaysUntil(g.EndDate)
	n := min(4, max(1, days/7))
	ms := make([]core.Milestone, 0, n)
	for i := 1; i <= n; i++ {
		m := core.Milestone{GoalID: g.ID, Position: i, Deadline: today.AddDays(days * i / n)}
		if g.TargetValue != nil {
			v := g.CurrentValue + (*g.TargetValue-g.CurrentValue)*float64(i)/float64(n)
			v = math.Round(v)
			m.TargetValue = &v
			m.Title = locale.T(lang, "milestone_value", locale.Amount(v, g.Unit))
		} else {
			m.Title = locale.T(lang, "milestone_step", i, n)
		}
		ms = append(ms, m)
	}
	return ms
}

// ErrPlanTeamGoal refuses a member's plan of a team goal: its owner and the team's owners and
// admins plan it.
var ErrPlanTeamGoal = core.Errorf(core.EFORBIDDEN, "only the team's owners and admins plan a team goal")

// PlanGoal breaks goal g into milestones up to its deadline (the offline planner; the LLM
// planner replaces it when configured), stores them and the plan, and returns them. A goal
// without a future deadline gets none.
func PlanGoal(ctx context.Context, tx core.Tx, u *core.User, g core.Goal) ([]core.Milestone, error) {
	if g.UserID != u.ID {
		role := ""
		if g.TeamID != nil {
			var err error
			if role, err = tx.TeamRole(ctx, *g.TeamID); err != nil {
				return nil, err
			}
		}
		if !g.ManagedBy(u.ID, role) {
			return nil, ErrPlanTeamGoal
		}
	}
	today := core.Today(tx, u)
	ms := OfflineMilestones(g, today, u.Locale)
	if len(ms) == 0 {
		return nil, nil
	}
	if err := tx.CreateMilestones(ctx, ms); err != nil {
		return nil, err
	}
	if err := tx.SavePlan(ctx, g.ID, "offline", "", map[string]any{"goal": g.Title, "today": today}, ms); err != nil {
		return nil, err
	}
	return ms, nil
}

package progress

import (
	"context"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
)

// ErrNotManager refuses a change to a goal the user sees but does not manage: a team goal of
// which they are a plain member.
var ErrNotManager = core.Errorf(core.EFORBIDDEN, "only the goal's owner and its team's owners and admins change it")

// MayManage reports whether u may change goal g beyond adding to it (ErrNotManager when not):
// its owner, and a team goal's owners and admins (core.Goal.ManagedBy).
func MayManage(ctx context.Context, tx core.Tx, u *core.User, g core.Goal) error {
	role := ""
	if g.UserID != u.ID && g.TeamID != nil && g.Visibility == core.TeamVisible {
		var err error
		if role, err = tx.TeamRole(ctx, *g.TeamID); err != nil {
			return err
		}
	}
	if !g.ManagedBy(u.ID, role) {
		return ErrNotManager
	}
	return nil
}

// AddMilestone adds milestone m to its goal, after the goal's others unless it says where.
func AddMilestone(ctx context.Context, tx core.Tx, u *core.User, m core.Milestone) (core.Milestone, error) {
	g, err := tx.FindGoalByID(ctx, m.GoalID)
	if err != nil {
		return m, err
	}
	if err := MayManage(ctx, tx, u, g); err != nil {
		return m, err
	}
	if m.Position == 0 {
		ms, err := tx.FindMilestones(ctx, g.ID)
		if err != nil {
			return m, err
		}
		for _, o := range ms {
			m.Position = max(m.Position, o.Position)
		}
		m.Position++
	}
	ms := []core.Milestone{m}
	if err := tx.CreateMilestones(ctx, ms); err != nil {
		return m, err
	}
	return tx.FindMilestoneByID(ctx, ms[0].ID)
}

// ChangeMilestone changes milestone id of a goal the user manages. Marking it reached (status
// completed) earns the milestone achievement, as the goal's value passing its target does.
func ChangeMilestone(ctx context.Context, tx core.Tx, u *core.User, id uuid.UUID, upd core.MilestoneUpdate) (core.Milestone, error) {
	before, err := managedMilestone(ctx, tx, u, id)
	if err != nil {
		return before, err
	}
	after, err := tx.UpdateMilestone(ctx, id, upd)
	if err != nil {
		return after, err
	}
	if after.Reached() && !before.Reached() {
		err = AwardAll(ctx, tx, []core.Achievement{{Kind: core.AchMilestone, Key: after.ID.String(), Title: after.Title}})
	}
	return after, err
}

// RemoveMilestone deletes milestone id of a goal the user manages; its tasks stay.
func RemoveMilestone(ctx context.Context, tx core.Tx, u *core.User, id uuid.UUID) error {
	if _, err := managedMilestone(ctx, tx, u, id); err != nil {
		return err
	}
	return tx.DeleteMilestone(ctx, id)
}

// managedMilestone is milestone id, when the user manages its goal.
func managedMilestone(ctx context.Context, tx core.Tx, u *core.User, id uuid.UUID) (core.Milestone, error) {
	m, err := tx.FindMilestoneByID(ctx, id)
	if err != nil {
		return m, err
	}
	g, err := tx.FindGoalByID(ctx, m.GoalID)
	if err != nil {
		return m, err
	}
	return m, MayManage(ctx, tx, u, g)
}

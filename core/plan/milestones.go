package plan

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
)

// ErrPlanTeamGoal refuses a member's plan of a team goal: its owner and the team's owners and
// admins plan it.
var ErrPlanTeamGoal = core.Errorf(core.EFORBIDDEN, "only the team's owners and admins plan a team goal")

// ErrPlanStale says a proposal was made for another day: its first tasks would already be late.
var ErrPlanStale = core.Errorf(core.ECONFLICT, "the plan was made for another day")

// ErrPlanGone says a proposal can no longer be accepted: it was accepted already, or a newer
// proposal for the goal replaced it.
var ErrPlanGone = core.Errorf(core.ECONFLICT, "the plan is no longer open")

// Adjust is what the user asked to change in a proposal: "finish by May instead", "поменьше задач".
type Adjust struct {
	Deadline core.Date // a new deadline, when said
	Fewer    bool      // about half the tasks, the first of each milestone kept
}

// Proposal is a plan proposed for a goal and stored as a ready plan version.
type Proposal struct {
	ID      uuid.UUID
	Goal    core.Goal
	Draft   Draft
	Summary Summary
}

// MayPlan reports whether u may plan g (ErrPlanTeamGoal when not): its owner, or a team goal's
// owners and admins.
func MayPlan(ctx context.Context, tx core.Tx, u *core.User, g core.Goal) error {
	if g.UserID == u.ID {
		return nil
	}
	role := ""
	if g.TeamID != nil {
		var err error
		if role, err = tx.TeamRole(ctx, *g.TeamID); err != nil {
			return err
		}
	}
	if !g.ManagedBy(u.ID, role) {
		return ErrPlanTeamGoal
	}
	return nil
}

// ProposePlan drafts a plan for goal g (the offline planner), changed as adj says, places its
// tasks on the user's working days around their open work, and stores it as a ready version of
// the goal's plan, replacing an earlier proposal. Nothing is created until the user accepts it
// (AcceptPlan).
func ProposePlan(ctx context.Context, tx core.Tx, u *core.User, g core.Goal, adj Adjust) (Proposal, error) {
	return propose(ctx, tx, u, g, adj, nil, Maker{Provider: "offline"})
}

// Maker is who made a draft: "offline", or the LLM's provider and model, with what it cost.
type Maker struct {
	Provider, Model                string
	PromptTokens, CompletionTokens int
}

// ProposeDraft proposes draft d, made by an LLM for g as adj changes it (AdjustGoal) on the same
// day, the way ProposePlan proposes an offline one: adj.Fewer thins it the same way.
func ProposeDraft(ctx context.Context, tx core.Tx, u *core.User, g core.Goal, adj Adjust, d Draft, by Maker) (Proposal, error) {
	return propose(ctx, tx, u, g, adj, &d, by)
}

// AdjustGoal is goal g as the plan changed by adj sees it: with the new deadline, if any.
func AdjustGoal(g core.Goal, today core.Date, adj Adjust) core.Goal {
	if adj.Deadline.After(today) { // a zero date is never after today
		g.EndDate = adj.Deadline
	}
	return g
}

func propose(ctx context.Context, tx core.Tx, u *core.User, g core.Goal, adj Adjust, made *Draft, by Maker) (Proposal, error) {
	if err := MayPlan(ctx, tx, u, g); err != nil {
		return Proposal{}, err
	}
	today := core.Today(tx, u)
	g = AdjustGoal(g, today, adj)
	var d Draft
	if made != nil {
		d = *made
	} else {
		d = Offline(g, today, u.Locale)
	}
	d.NewDeadline, d.Fewer = adj.Deadline.After(today), adj.Fewer
	if adj.Fewer {
		d.fewer()
	}
	busy, err := tx.FindTasks(ctx, core.TaskFilter{OpenOnly: true, From: today, To: d.Deadline})
	if err != nil {
		return Proposal{}, err
	}
	meetings, err := tx.BusyMinutes(ctx, today, d.Deadline)
	if err != nil {
		return Proposal{}, err
	}
	sum := d.Schedule(today, u.Settings, busy, meetings)
	out, err := json.Marshal(d)
	if err != nil {
		return Proposal{}, fmt.Errorf("plan: encode: %w", err)
	}
	id, err := tx.SavePlan(ctx, core.PlanRecord{GoalID: g.ID, Provider: by.Provider, Model: by.Model, Status: core.PlanReady, Output: out,
		PromptTokens: by.PromptTokens, CompletionTokens: by.CompletionTokens,
		Input: map[string]any{"goal": g.Title, "kind": d.Kind, "today": today, "deadline": d.Deadline, "fewer": adj.Fewer}})
	if err != nil {
		return Proposal{}, err
	}
	return Proposal{ID: id, Goal: g, Draft: d, Summary: sum}, nil
}

// fewer keeps about half of each milestone's tasks, the first ones.
func (d *Draft) fewer() {
	count := map[int]int{}
	for _, t := range d.Tasks {
		count[t.Milestone]++
	}
	kept, seen := d.Tasks[:0], map[int]int{}
	for _, t := range d.Tasks {
		if seen[t.Milestone] < (count[t.Milestone]+1)/2 {
			kept = append(kept, t)
		}
		seen[t.Milestone]++
	}
	d.Tasks = kept
}

// AcceptPlan puts proposal id in force: its milestones and tasks are created, linked to the goal
// (tasks to their milestone, on their planned days), the goal takes a proposed deadline, and the
// plan version is marked applied. A proposal accepted already or replaced is ErrPlanGone.
func AcceptPlan(ctx context.Context, tx core.Tx, u *core.User, id uuid.UUID) (Proposal, []core.Milestone, error) {
	rec, err := tx.FindPlan(ctx, id)
	if err != nil {
		return Proposal{}, nil, err
	}
	g, err := tx.FindGoalByID(ctx, rec.GoalID)
	if err != nil {
		return Proposal{}, nil, err
	}
	if err := MayPlan(ctx, tx, u, g); err != nil {
		return Proposal{}, nil, err
	}
	var d Draft
	if err := json.Unmarshal(rec.Output, &d); err != nil {
		return Proposal{}, nil, fmt.Errorf("plan: decode plan %s: %w", id, err)
	}
	if !d.Made.IsZero() && d.Made != core.Today(tx, u) {
		return Proposal{}, nil, ErrPlanStale
	}
	ok, err := tx.ApplyPlan(ctx, id)
	if err != nil {
		return Proposal{}, nil, err
	}
	if !ok {
		return Proposal{}, nil, ErrPlanGone
	}
	if (d.ProposedDeadline || d.NewDeadline) && g.EndDate != d.Deadline && g.UserID == u.ID { // a team goal's deadline stays its owner's
		end := d.Deadline
		if g, err = tx.UpdateGoal(ctx, g.ID, core.GoalUpdate{EndDate: &end}); err != nil {
			return Proposal{}, nil, err
		}
	}
	if _, err := tx.ReplaceMilestones(ctx, g.ID); err != nil { // a new plan replaces the one before, not adds to it
		return Proposal{}, nil, err
	}
	ms := make([]core.Milestone, len(d.Milestones))
	for i, m := range d.Milestones {
		ms[i] = core.Milestone{GoalID: g.ID, Title: m.Title, TargetValue: m.Target, Deadline: m.Due, Position: i + 1}
	}
	if err := tx.CreateMilestones(ctx, ms); err != nil {
		return Proposal{}, nil, err
	}
	for _, pt := range d.Tasks {
		if pt.Milestone < 0 || pt.Milestone >= len(ms) {
			return Proposal{}, nil, fmt.Errorf("plan: plan %s: a task of milestone %d of %d", id, pt.Milestone, len(ms))
		}
		minutes, goal, milestone := pt.Minutes, g.ID, ms[pt.Milestone].ID
		task := core.Task{Title: pt.Title, GoalID: &goal, MilestoneID: &milestone, EstimatedMin: &minutes, Complexity: pt.Complexity,
			CognitiveLoad: pt.Load, ScheduledDate: pt.Due}
		if err := tx.CreateTask(ctx, &task); err != nil {
			return Proposal{}, nil, err
		}
	}
	if _, err := tx.Award(ctx, core.Achievement{Kind: core.AchFirstPlan}); err != nil { // the first plan accepted
		return Proposal{}, nil, err
	}
	return Proposal{ID: id, Goal: g, Draft: d}, ms, nil
}

package api

import (
	"context"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/plan"
)

// CreatePlan implements StrictServerInterface: plan.ProposePlan, the offline planner the chat
// uses when the user has no LLM.
func (s *Server) CreatePlan(ctx context.Context, req CreatePlanRequestObject) (CreatePlanResponseObject, error) {
	if req.Body == nil {
		return nil, core.Errorf(core.EINVALID, "a goal is needed")
	}
	b := req.Body
	adj := plan.Adjust{Fewer: deref(b.Fewer)}
	if b.Deadline != nil {
		adj.Deadline = dateOf(*b.Deadline)
	}
	var out Plan
	err := s.idempotent(ctx, req.Params.IdempotencyKey, "POST /plans", b, &out, func(ctx context.Context, tx core.Tx, u *core.User) error {
		g, err := tx.FindGoalByID(ctx, b.GoalId)
		if err != nil {
			return err
		}
		if !adj.Deadline.IsZero() && !adj.Deadline.After(core.Today(tx, u)) {
			return core.Errorf(core.EINVALID, "a plan's deadline is after today")
		}
		p, err := plan.ProposePlan(ctx, tx, u, g, adj)
		out = planOf(p, u.Locale)
		return err
	})
	if err != nil {
		return nil, err
	}
	return CreatePlan201JSONResponse(out), nil
}

// AcceptPlan implements StrictServerInterface: plan.AcceptPlan, as the proposal's Accept button.
func (s *Server) AcceptPlan(ctx context.Context, req AcceptPlanRequestObject) (AcceptPlanResponseObject, error) {
	var out PlanAccepted
	op := "POST /plans/" + req.Id.String() + "/accept"
	err := s.idempotent(ctx, req.Params.IdempotencyKey, op, nil, &out, func(ctx context.Context, tx core.Tx, u *core.User) error {
		p, _, err := plan.AcceptPlan(ctx, tx, u, req.Id)
		if err != nil {
			return err
		}
		ms, err := tx.FindMilestones(ctx, p.Goal.ID)
		out = PlanAccepted{Id: p.ID, Goal: goalOf(p.Goal), Tasks: len(p.Draft.Tasks), Milestones: make([]Milestone, len(ms))}
		for i, m := range ms {
			out.Milestones[i] = milestoneOf(m)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return AcceptPlan200JSONResponse(out), nil
}

func planOf(p plan.Proposal, lang string) Plan {
	d := p.Draft
	out := Plan{Id: p.ID, GoalId: p.Goal.ID, Deadline: apiDay(d.Deadline), Summary: p.Summary.Explain(lang),
		Milestones: make([]PlanMilestone, len(d.Milestones)), Tasks: make([]PlanTask, len(d.Tasks))}
	for i, m := range d.Milestones {
		out.Milestones[i] = PlanMilestone{Title: m.Title, Due: apiDay(m.Due), Target: m.Target}
	}
	for i, t := range d.Tasks {
		out.Tasks[i] = PlanTask{Title: t.Title, Due: apiDay(t.Due), Minutes: t.Minutes, Milestone: t.Milestone}
	}
	return out
}

package api

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/progress"
)

// ListMilestones implements StrictServerInterface.
func (s *Server) ListMilestones(ctx context.Context, req ListMilestonesRequestObject) (ListMilestonesResponseObject, error) {
	page, limit, err := pageOf(req.Params.Cursor, req.Params.Limit)
	if err != nil {
		return nil, err
	}
	var out MilestonePage
	err = s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		ms, err := tx.ListMilestones(ctx, core.MilestoneFilter{GoalID: req.Params.GoalId, Page: page, Limit: limit + 1})
		if err != nil {
			return err
		}
		out.Items, out.NextCursor = paged(ms, limit, milestoneOf, func(m core.Milestone) (time.Time, uuid.UUID) { return m.CreatedAt, m.ID })
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ListMilestones200JSONResponse(out), nil
}

// CreateMilestone implements StrictServerInterface.
func (s *Server) CreateMilestone(ctx context.Context, req CreateMilestoneRequestObject) (CreateMilestoneResponseObject, error) {
	if req.Body == nil {
		return nil, core.Errorf(core.EINVALID, "a milestone is needed")
	}
	b := req.Body
	m := core.Milestone{GoalID: b.GoalId, Title: b.Title, TargetValue: b.TargetValue, Position: deref(b.Position)}
	if b.Deadline != nil {
		m.Deadline = dateOf(*b.Deadline)
	}
	var out Milestone
	err := s.idempotent(ctx, req.Params.IdempotencyKey, "POST /milestones", b, &out, func(ctx context.Context, tx core.Tx, u *core.User) error {
		created, err := progress.AddMilestone(ctx, tx, u, m)
		out = milestoneOf(created)
		return err
	})
	if err != nil {
		return nil, err
	}
	return CreateMilestone201JSONResponse{Body: out, Headers: CreateMilestone201ResponseHeaders{ETag: etag(out)}}, nil
}

// GetMilestone implements StrictServerInterface.
func (s *Server) GetMilestone(ctx context.Context, req GetMilestoneRequestObject) (GetMilestoneResponseObject, error) {
	var out Milestone
	err := s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		m, err := tx.FindMilestoneByID(ctx, req.Id)
		out = milestoneOf(m)
		return err
	})
	if err != nil {
		return nil, err
	}
	return GetMilestone200JSONResponse{Body: out, Headers: GetMilestone200ResponseHeaders{ETag: etag(out)}}, nil
}

// UpdateMilestone implements StrictServerInterface.
func (s *Server) UpdateMilestone(ctx context.Context, req UpdateMilestoneRequestObject) (UpdateMilestoneResponseObject, error) {
	if req.Body == nil {
		return nil, core.Errorf(core.EINVALID, "a change is needed")
	}
	b := req.Body
	upd := core.MilestoneUpdate{Title: b.Title, TargetValue: b.TargetValue, Position: b.Position}
	if b.Deadline != nil {
		d := dateOf(*b.Deadline)
		upd.Deadline = &d
	}
	if b.Reached != nil {
		st := core.MilestonePending
		if *b.Reached {
			st = core.MilestoneCompleted
		}
		upd.Status = &st
	}
	var out Milestone
	err := s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		before, err := tx.FindMilestoneByID(ctx, req.Id)
		if err != nil {
			return err
		}
		if err := ifMatch(req.Params.IfMatch, milestoneOf(before)); err != nil {
			return err
		}
		if upd.Status != nil && (*upd.Status == core.MilestoneCompleted) == before.Reached() {
			upd.Status = nil // reached stays reached, and when: not a new achievement
		}
		after, err := progress.ChangeMilestone(ctx, tx, u, req.Id, upd)
		out = milestoneOf(after)
		return err
	})
	if err != nil {
		return nil, err
	}
	return UpdateMilestone200JSONResponse{Body: out, Headers: UpdateMilestone200ResponseHeaders{ETag: etag(out)}}, nil
}

// DeleteMilestone implements StrictServerInterface.
func (s *Server) DeleteMilestone(ctx context.Context, req DeleteMilestoneRequestObject) (DeleteMilestoneResponseObject, error) {
	err := s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		return progress.RemoveMilestone(ctx, tx, u, req.Id)
	})
	if err != nil {
		return nil, err
	}
	return DeleteMilestone204Response{}, nil
}

func milestoneOf(m core.Milestone) Milestone {
	return Milestone{Id: m.ID, GoalId: m.GoalID, Title: m.Title, TargetValue: m.TargetValue, Deadline: apiDate(m.Deadline),
		Position: m.Position, Status: MilestoneStatus(m.Status), Reached: m.Reached(), CreatedAt: m.CreatedAt, CompletedAt: m.CompletedAt}
}

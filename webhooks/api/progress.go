package api

import (
	"context"
	"strconv"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/load"
	"github.com/bizconnect/bizconnect/core/progress"
)

// ListGoalProgress implements StrictServerInterface: a page of entries, the next one after the
// last entry's id.
func (s *Server) ListGoalProgress(ctx context.Context, req ListGoalProgressRequestObject) (ListGoalProgressResponseObject, error) {
	_, limit, err := pageOf(nil, req.Params.Limit)
	if err != nil {
		return nil, err
	}
	var before int64
	if c := deref(req.Params.Cursor); c != "" {
		if before, err = strconv.ParseInt(c, 10, 64); err != nil || before <= 0 {
			return nil, core.Errorf(core.EINVALID, "not a cursor of this list")
		}
	}
	out := ProgressPage{Items: []ProgressEntry{}}
	err = s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		g, err := tx.FindGoalByID(ctx, req.Id)
		if err != nil {
			return err
		}
		entries, err := tx.GoalProgress(ctx, g.ID, before, limit+1)
		if err != nil {
			return err
		}
		for _, e := range entries[:min(len(entries), limit)] {
			out.Items = append(out.Items, progressOf(e, g))
		}
		if len(entries) > limit {
			next := strconv.FormatInt(entries[limit-1].ID, 10)
			out.NextCursor = &next
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ListGoalProgress200JSONResponse(out), nil
}

// LogGoalProgress implements StrictServerInterface through progress.LogProgress, the chat's
// path: the goal completed at its target, milestones reached, team rules, achievements.
func (s *Server) LogGoalProgress(ctx context.Context, req LogGoalProgressRequestObject) (LogGoalProgressResponseObject, error) {
	if req.Body == nil {
		return nil, core.Errorf(core.EINVALID, "a value is needed")
	}
	b := req.Body
	var out ProgressLogged
	err := s.idempotent(ctx, req.Params.IdempotencyKey, "POST /goals/"+req.Id.String()+"/progress", b, &out, func(ctx context.Context, tx core.Tx, u *core.User) error {
		g, err := tx.FindGoalByID(ctx, req.Id)
		if err != nil {
			return err
		}
		r, err := progress.LogProgress(ctx, tx, u, g, b.Value, deref(b.Increment))
		if err != nil {
			return err
		}
		out = ProgressLogged{Goal: goalOf(r.Goal), Reached: r.Reached}
		if r.Entry > 0 {
			out.EntryId = &r.Entry
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return LogGoalProgress201JSONResponse(out), nil
}

func progressOf(e core.ProgressEntry, g core.Goal) ProgressEntry {
	out := ProgressEntry{Id: e.ID, GoalId: e.GoalID, UserId: e.UserID, Date: apiDay(e.Date), Value: e.Value, Delta: e.Delta,
		Undone: e.Undone, CreatedAt: e.CreatedAt}
	if g.TargetValue != nil && *g.TargetValue > 0 {
		p := e.Value / *g.TargetValue * 100
		out.Percent = &p
	}
	return out
}

// maxDays bounds a range of days asked for at once: a year and a day, as a load history.
const maxDays = load.MaxHistory

// ListReflections implements StrictServerInterface.
func (s *Server) ListReflections(ctx context.Context, req ListReflectionsRequestObject) (ListReflectionsResponseObject, error) {
	out := ReflectionList{Items: []Reflection{}}
	err := s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		from, to, err := daysOf(req.Params.From, req.Params.To, core.Today(tx, u))
		if err != nil {
			return err
		}
		days, err := tx.Reflections(ctx, from, to)
		for _, d := range days {
			out.Items = append(out.Items, reflectionOf(d))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return ListReflections200JSONResponse(out), nil
}

// CreateReflection implements StrictServerInterface through progress.Reflect, as the evening
// check-in records the day.
func (s *Server) CreateReflection(ctx context.Context, req CreateReflectionRequestObject) (CreateReflectionResponseObject, error) {
	b := req.Body
	if b == nil || b.Stress == nil && b.Energy == nil && deref(b.Note) == "" {
		return nil, core.Errorf(core.EINVALID, "stress, energy or a note is needed")
	}
	var out Reflection
	err := s.idempotent(ctx, req.Params.IdempotencyKey, "POST /reflections", b, &out, func(ctx context.Context, tx core.Tx, u *core.User) error {
		if err := progress.Reflect(ctx, tx, u, b.Stress, b.Energy, deref(b.Note)); err != nil {
			return err
		}
		d, err := tx.Reflection(ctx, core.Today(tx, u))
		out = reflectionOf(d)
		return err
	})
	if err != nil {
		return nil, err
	}
	return CreateReflection201JSONResponse(out), nil
}

func reflectionOf(d core.DailyProgress) Reflection {
	out := Reflection{Date: apiDay(d.Date), Stress: d.Stress, Energy: d.Energy, BusinessLoad: d.BusinessLoad,
		TasksCompleted: d.TasksCompleted, TasksPlanned: d.TasksPlanned}
	if d.Notes != "" {
		out.Note = &d.Notes
	}
	return out
}

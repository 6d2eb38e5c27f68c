package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/auth"
	"github.com/bizconnect/bizconnect/core/chat"
	"github.com/bizconnect/bizconnect/core/plan"
	"github.com/bizconnect/bizconnect/core/progress"
	"github.com/bizconnect/bizconnect/webhooks/problem"
)

// Server implements the API on the core's operations, each request in one transaction of the
// access token's user.
type Server struct {
	Store   core.Store
	Auth    *auth.Service
	Changes Changes // the realtime stream's wake-ups; nil: no stream
	// Closing, closed when the service shuts down, ends the open streams (a server's graceful
	// shutdown waits for its connections).
	Closing <-chan struct{}
	// Secret makes what must be made again rather than stored (an invite code retried); at
	// least 32 bytes. Without it such codes are kept in the idempotency record.
	Secret []byte
	// CalendarLinks makes a user's Google Calendar connect link; nil: no calendar here.
	CalendarLinks func(user uuid.UUID, lang string, blocking bool) string
}

var _ StrictServerInterface = (*Server)(nil)

// Register mounts the API at /api/v1 on r: the bearer check, then the generated routes.
func (s *Server) Register(r gin.IRouter) {
	g := r.Group("/api/v1")
	g.GET("/openapi.json", s.document)
	g.GET("/docs", docsPage)
	authed := g.Group("", s.authenticate)
	authed.GET("/stream", s.stream)
	strict := NewStrictHandlerWithOptions(s, nil, StrictGinServerOptions{
		RequestErrorHandlerFunc: func(c *gin.Context, err error) {
			problem.Write(c, problem.New(http.StatusBadRequest, "the body is not valid JSON of this request"))
		},
		HandlerErrorFunc:         func(c *gin.Context, err error) { problem.Write(c, err) },
		ResponseErrorHandlerFunc: func(c *gin.Context, err error) { problem.Write(c, err) },
	})
	RegisterHandlersWithOptions(authed, strict, GinServerOptions{
		ErrorHandler: func(c *gin.Context, err error, status int) { problem.Write(c, problem.New(status, err.Error())) },
	})
}

// maxBody bounds a request body.
const maxBody = 64 << 10

// userKey holds the request's user id in its context.
type userKey struct{}

// authenticate admits a request with a valid access token, as its user.
func (s *Server) authenticate(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBody)
	token, ok := auth.BearerToken(c.GetHeader("Authorization"))
	if !ok {
		c.Header("WWW-Authenticate", `Bearer realm="api"`)
		problem.Write(c, problem.New(http.StatusUnauthorized, "an access token is needed: Authorization: Bearer <access_token>"))
		return
	}
	claims, err := s.Auth.Verify(token)
	if err != nil {
		c.Header("WWW-Authenticate", `Bearer realm="api", error="invalid_token"`)
		problem.Write(c, problem.New(http.StatusUnauthorized, "the access token is invalid or expired"))
		return
	}
	id, _ := claims.UserID()
	c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), userKey{}, id))
}

// as runs fn in a transaction of the request's user.
func (s *Server) as(ctx context.Context, fn func(ctx context.Context, tx core.Tx, u *core.User) error) error {
	id, ok := ctx.Value(userKey{}).(uuid.UUID)
	if !ok {
		return core.Errorf(core.EUNAUTHORIZED, "not signed in")
	}
	return s.Store.InUser(ctx, id, func(ctx context.Context, tx core.Tx, u *core.User) error {
		if u.Suspended {
			return core.Errorf(core.EFORBIDDEN, "this account is suspended")
		}
		return fn(ctx, tx, u)
	})
}

// document serves the OpenAPI document the routes are generated from.
func (s *Server) document(c *gin.Context) {
	doc, err := Document()
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusOK, doc)
}

func docsPage(c *gin.Context) {
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.String(http.StatusOK, `<!doctype html>
<html><head><meta charset="utf-8"><title>Business Connect API</title></head>
<body><script id="api-reference" data-url="/api/v1/openapi.json"></script>
<script src="https://cdn.jsdelivr.net/npm/@scalar/api-reference"></script></body></html>`)
}

// ---- goals ----

// ListGoals implements StrictServerInterface.
func (s *Server) ListGoals(ctx context.Context, req ListGoalsRequestObject) (ListGoalsResponseObject, error) {
	page, limit, err := pageOf(req.Params.Cursor, req.Params.Limit)
	if err != nil {
		return nil, err
	}
	f := core.GoalFilter{Page: page, Limit: limit + 1}
	if req.Params.Status != nil {
		f.Status = string(*req.Params.Status)
	}
	if req.Params.TeamId != nil {
		id := *req.Params.TeamId
		f.TeamID = &id
	}
	var out GoalPage
	err = s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		goals, err := tx.FindGoals(ctx, f)
		if err != nil {
			return err
		}
		out.Items, out.NextCursor = paged(goals, limit, goalOf, func(g core.Goal) (time.Time, uuid.UUID) { return g.CreatedAt, g.ID })
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ListGoals200JSONResponse(out), nil
}

// CreateGoal implements StrictServerInterface.
func (s *Server) CreateGoal(ctx context.Context, req CreateGoalRequestObject) (CreateGoalResponseObject, error) {
	if req.Body == nil {
		return nil, core.Errorf(core.EINVALID, "a goal is needed")
	}
	b := req.Body
	g := core.Goal{Title: b.Title, Description: deref(b.Description), Category: string(deref(b.Category)), Unit: deref(b.Unit),
		TargetValue: b.TargetValue, Status: core.GoalActive, Visibility: string(deref(b.Visibility)), TeamID: b.TeamId}
	g.Tracking = core.TrackTasks
	if g.TargetValue != nil {
		g.Tracking = core.TrackValue
	}
	if b.EndDate != nil {
		g.EndDate = dateOf(*b.EndDate)
	}
	var out Goal
	err := s.idempotent(ctx, req.Params.IdempotencyKey, "POST /goals", b, &out, func(ctx context.Context, tx core.Tx, u *core.User) error {
		g.StartDate = core.Today(tx, u)
		saved, err := progress.SaveGoal(ctx, tx, g, nil)
		out = goalOf(saved)
		return err
	})
	if err != nil {
		return nil, err
	}
	return CreateGoal201JSONResponse{Body: out, Headers: CreateGoal201ResponseHeaders{ETag: etag(out)}}, nil
}

// GetGoal implements StrictServerInterface.
func (s *Server) GetGoal(ctx context.Context, req GetGoalRequestObject) (GetGoalResponseObject, error) {
	var out Goal
	err := s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		g, err := tx.FindGoalByID(ctx, req.Id)
		out = goalOf(g)
		return err
	})
	if err != nil {
		return nil, err
	}
	return GetGoal200JSONResponse{Body: out, Headers: GetGoal200ResponseHeaders{ETag: etag(out)}}, nil
}

// UpdateGoal implements StrictServerInterface.
func (s *Server) UpdateGoal(ctx context.Context, req UpdateGoalRequestObject) (UpdateGoalResponseObject, error) {
	if req.Body == nil {
		return nil, core.Errorf(core.EINVALID, "a change is needed")
	}
	b := req.Body
	upd := core.GoalUpdate{Title: b.Title, TargetValue: b.TargetValue, CurrentValue: b.CurrentValue}
	if b.EndDate != nil {
		d := dateOf(*b.EndDate)
		upd.EndDate = &d
	}
	if b.Status != nil {
		st := string(*b.Status)
		upd.Status = &st
	}
	var out Goal
	err := s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		before, err := tx.FindGoalByID(ctx, req.Id)
		if err != nil {
			return err
		}
		if err := ifMatch(req.Params.IfMatch, goalOf(before)); err != nil {
			return err
		}
		role := ""
		if before.TeamID != nil && before.Visibility == core.TeamVisible {
			if role, err = tx.TeamRole(ctx, *before.TeamID); err != nil {
				return err
			}
		}
		if !before.ManagedBy(u.ID, role) {
			return core.Errorf(core.EFORBIDDEN, "only the goal's owner and its team's owners and admins change it")
		}
		if upd.Title != nil {
			g := before
			g.Title = *upd.Title
			if err := g.Validate(); err != nil {
				return err
			}
		}
		after, err := tx.UpdateGoal(ctx, req.Id, upd)
		out = goalOf(after)
		return err
	})
	if err != nil {
		return nil, err
	}
	return UpdateGoal200JSONResponse{Body: out, Headers: UpdateGoal200ResponseHeaders{ETag: etag(out)}}, nil
}

// DeleteGoal implements StrictServerInterface.
func (s *Server) DeleteGoal(ctx context.Context, req DeleteGoalRequestObject) (DeleteGoalResponseObject, error) {
	yes := true
	err := s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		g, err := tx.FindGoalByID(ctx, req.Id)
		if err != nil {
			return err
		}
		if g.UserID != u.ID {
			return core.Errorf(core.EFORBIDDEN, "only the goal's owner deletes it")
		}
		_, err = tx.UpdateGoal(ctx, req.Id, core.GoalUpdate{Deleted: &yes})
		return err
	})
	if err != nil {
		return nil, err
	}
	return DeleteGoal204Response{}, nil
}

// ---- tasks ----

// ListTasks implements StrictServerInterface.
func (s *Server) ListTasks(ctx context.Context, req ListTasksRequestObject) (ListTasksResponseObject, error) {
	p := req.Params
	page, limit, err := pageOf(p.Cursor, p.Limit)
	if err != nil {
		return nil, err
	}
	f := core.TaskFilter{Page: page, Limit: limit + 1, OpenOnly: p.Open != nil && *p.Open, GoalID: p.GoalId}
	if p.From != nil {
		f.From = dateOf(*p.From)
	}
	if p.To != nil {
		f.To = dateOf(*p.To)
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return nil, core.Errorf(core.EINVALID, "to is before from")
	}
	var out TaskPage
	err = s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		tasks, err := tx.FindTasks(ctx, f)
		if err != nil {
			return err
		}
		out.Items, out.NextCursor = paged(tasks, limit, taskOf, func(t core.Task) (time.Time, uuid.UUID) { return t.CreatedAt, t.ID })
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ListTasks200JSONResponse(out), nil
}

// TodayTasks implements StrictServerInterface.
func (s *Server) TodayTasks(ctx context.Context, _ TodayTasksRequestObject) (TodayTasksResponseObject, error) {
	var out TaskPage
	err := s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		today := core.Today(tx, u)
		tasks, err := tx.FindTasks(ctx, core.TaskFilter{From: today, To: today, Overdue: true, OpenOnly: true})
		if err != nil {
			return err
		}
		goals, err := tx.FindGoals(ctx, core.GoalFilter{Status: core.GoalActive})
		if err != nil {
			return err
		}
		tasks = plan.Prioritize(tasks, goals, today)
		out.Items = make([]Task, len(tasks))
		for i, t := range tasks {
			out.Items[i] = taskOf(t)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return TodayTasks200JSONResponse(out), nil
}

// CreateTask implements StrictServerInterface.
func (s *Server) CreateTask(ctx context.Context, req CreateTaskRequestObject) (CreateTaskResponseObject, error) {
	if req.Body == nil {
		return nil, core.Errorf(core.EINVALID, "a task is needed")
	}
	b := req.Body
	t := core.Task{Title: b.Title, Description: deref(b.Description), GoalID: b.GoalId, EstimatedMin: b.EstimatedMin}
	if b.Priority != nil {
		t.Priority = *b.Priority
	}
	if b.ScheduledDate != nil {
		t.ScheduledDate = dateOf(*b.ScheduledDate)
	}
	if b.ScheduledTime != nil {
		c, err := clockOf(*b.ScheduledTime)
		if err != nil {
			return nil, err
		}
		t.ScheduledTime = &c
	}
	var out Task
	err := s.idempotent(ctx, req.Params.IdempotencyKey, "POST /tasks", b, &out, func(ctx context.Context, tx core.Tx, u *core.User) error {
		created, err := plan.CreateTask(ctx, tx, u, t)
		out = taskOf(created)
		return err
	})
	if err != nil {
		return nil, err
	}
	return CreateTask201JSONResponse{Body: out, Headers: CreateTask201ResponseHeaders{ETag: etag(out)}}, nil
}

// GetTask implements StrictServerInterface.
func (s *Server) GetTask(ctx context.Context, req GetTaskRequestObject) (GetTaskResponseObject, error) {
	var out Task
	err := s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		t, err := tx.FindTaskByID(ctx, req.Id)
		out = taskOf(t)
		return err
	})
	if err != nil {
		return nil, err
	}
	return GetTask200JSONResponse{Body: out, Headers: GetTask200ResponseHeaders{ETag: etag(out)}}, nil
}

// UpdateTask implements StrictServerInterface.
func (s *Server) UpdateTask(ctx context.Context, req UpdateTaskRequestObject) (UpdateTaskResponseObject, error) {
	if req.Body == nil {
		return nil, core.Errorf(core.EINVALID, "a change is needed")
	}
	b := req.Body
	upd := core.TaskUpdate{Title: b.Title, Priority: b.Priority, EstimatedMin: b.EstimatedMin}
	if b.Status != nil {
		st := string(*b.Status)
		upd.Status = &st
	}
	if b.ScheduledDate != nil {
		d := dateOf(*b.ScheduledDate)
		upd.ScheduledDate = &d
	}
	if b.ScheduledTime != nil {
		c, err := clockOf(*b.ScheduledTime)
		if err != nil {
			return nil, err
		}
		pc := &c
		upd.ScheduledTime = &pc
	}
	var out Task
	err := s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		before, err := tx.FindTaskByID(ctx, req.Id)
		if err != nil {
			return err
		}
		if err := ifMatch(req.Params.IfMatch, taskOf(before)); err != nil {
			return err
		}
		next := before
		if upd.Title != nil {
			next.Title = *upd.Title
		}
		if upd.Priority != nil {
			next.Priority = *upd.Priority
		}
		if err := next.Validate(); err != nil {
			return err
		}
		if upd.Status != nil && *upd.Status == core.TaskDone && before.Open() {
			upd.Status = nil // completing is the chat's ✅: the next occurrence, the goal, the achievements
			if _, err := tx.UpdateTask(ctx, req.Id, upd); err != nil {
				return err
			}
			c, err := progress.CompleteTaskByID(ctx, tx, u, req.Id)
			out = taskOf(c.Task)
			return err
		}
		after, err := tx.UpdateTask(ctx, req.Id, upd)
		out = taskOf(after)
		return err
	})
	if err != nil {
		return nil, err
	}
	return UpdateTask200JSONResponse{Body: out, Headers: UpdateTask200ResponseHeaders{ETag: etag(out)}}, nil
}

// DeleteTask implements StrictServerInterface.
func (s *Server) DeleteTask(ctx context.Context, req DeleteTaskRequestObject) (DeleteTaskResponseObject, error) {
	yes := true
	err := s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		_, err := tx.UpdateTask(ctx, req.Id, core.TaskUpdate{Deleted: &yes})
		return err
	})
	if err != nil {
		return nil, err
	}
	return DeleteTask204Response{}, nil
}

// CompleteTask implements StrictServerInterface.
func (s *Server) CompleteTask(ctx context.Context, req CompleteTaskRequestObject) (CompleteTaskResponseObject, error) {
	var out Completion
	op := "POST /tasks/" + req.Id.String() + "/complete"
	err := s.idempotent(ctx, req.Params.IdempotencyKey, op, nil, &out, func(ctx context.Context, tx core.Tx, u *core.User) error {
		c, err := progress.CompleteTaskByID(ctx, tx, u, req.Id)
		if err != nil {
			return err
		}
		out.Task = taskOf(c.Task)
		if c.Next != nil {
			next := taskOf(*c.Next)
			out.Next = &next
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return CompleteTask200JSONResponse(out), nil
}

// LinkChat implements StrictServerInterface: the chat user of the code is merged into this
// account (redeem_link_code, in this transaction), and the chat hears of it.
func (s *Server) LinkChat(ctx context.Context, req LinkChatRequestObject) (LinkChatResponseObject, error) {
	if req.Body == nil || len(req.Body.Code) > 32 {
		return nil, core.Errorf(core.EINVALID, "a code from /link is needed")
	}
	code := chat.NormalizeLinkCode(req.Body.Code)
	var out LinkChat200JSONResponse
	err := s.idempotent(ctx, req.Params.IdempotencyKey, "POST /link", req.Body, &out, func(ctx context.Context, tx core.Tx, u *core.User) error {
		from, lang, err := tx.RedeemLinkCode(ctx, code)
		if err != nil {
			return err
		}
		out.Linked = true
		_, err = tx.Push(ctx, "linked", from.String(), tx.Now(), []core.Outgoing{{Reply: chat.LinkedReply(lang)}})
		return err
	})
	if core.ErrorCode(err) == core.ENOTFOUND {
		return nil, problem.New(http.StatusNotFound, "no such code, or it was used or expired: ask the bot for a new one with /link")
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ---- idempotency, versions, pages ----

// idempotent runs fn as the request's user unless a POST with the same key ran before: then it
// puts what that one answered into out instead. The key is taken in fn's transaction, so two
// requests racing with one key make one thing.
func (s *Server) idempotent(ctx context.Context, key *string, op string, body any, out any, fn func(ctx context.Context, tx core.Tx, u *core.User) error) error {
	if key == nil {
		return s.as(ctx, fn)
	}
	raw, _ := json.Marshal(body)
	sum := sha256.Sum256(raw)
	fingerprint := op + " " + hex.EncodeToString(sum[:])
	return s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		prev, err := tx.ClaimIdempotencyKey(ctx, *key, fingerprint)
		if err != nil {
			return err
		}
		if prev != nil {
			return json.Unmarshal(prev, out)
		}
		if err := fn(ctx, tx, u); err != nil {
			return err
		}
		saved, err := json.Marshal(out)
		if err != nil {
			return err
		}
		return tx.SaveIdempotentResponse(ctx, *key, saved)
	})
}

// etag is the version of a resource as shown: the hash of its JSON.
func etag(v any) *string {
	raw, _ := json.Marshal(v)
	sum := sha256.Sum256(raw)
	e := `"` + hex.EncodeToString(sum[:12]) + `"`
	return &e
}

// ifMatch refuses a change made from another version than current's.
func ifMatch(header *string, current any) error {
	if header == nil || *header == "*" {
		return nil
	}
	if strings.TrimPrefix(*header, "W/") != *etag(current) {
		return problem.New(http.StatusPreconditionFailed, "the resource changed since that version: read it again")
	}
	return nil
}

// pageOf reads a cursor and a page size (50 by default, at most 200).
func pageOf(cursor *string, limit *int) (*core.Cursor, int, error) {
	n := 50
	if limit != nil {
		if *limit < 1 || *limit > 200 {
			return nil, 0, core.Errorf(core.EINVALID, "limit is 1 to 200")
		}
		n = *limit
	}
	if cursor == nil || *cursor == "" {
		return &core.Cursor{}, n, nil
	}
	c, err := core.ParseCursor(*cursor)
	if err != nil {
		return nil, 0, err
	}
	return &c, n, nil
}

// paged is the first limit of rows (read one more than a page, to know whether another follows)
// as the API shows them, and the cursor of the next page when there is one.
func paged[R, V any](rows []R, limit int, show func(R) V, key func(R) (time.Time, uuid.UUID)) ([]V, *string) {
	out := make([]V, 0, min(len(rows), limit))
	for _, r := range rows[:min(len(rows), limit)] {
		out = append(out, show(r))
	}
	if len(rows) <= limit {
		return out, nil
	}
	return out, cursorOf(key(rows[limit-1]))
}

func cursorOf(at time.Time, id uuid.UUID) *string {
	c := core.Cursor{CreatedAt: at, ID: id}.Token()
	return &c
}

// ---- shapes ----

func goalOf(g core.Goal) Goal {
	out := Goal{Id: g.ID, Title: g.Title, Category: g.Category, Tracking: GoalTracking(g.Tracking), TargetValue: g.TargetValue,
		CurrentValue: g.CurrentValue, Unit: g.Unit, Status: g.Status, Visibility: GoalVisibility(g.Visibility), TeamId: g.TeamID,
		Progress: g.Progress(), CreatedAt: g.CreatedAt, CompletedAt: g.CompletedAt}
	if g.Description != "" {
		out.Description = &g.Description
	}
	out.StartDate, out.EndDate = apiDate(g.StartDate), apiDate(g.EndDate)
	return out
}

func taskOf(t core.Task) Task {
	out := Task{Id: t.ID, Title: t.Title, GoalId: t.GoalID, MilestoneId: t.MilestoneID, Priority: t.Priority, EstimatedMin: t.EstimatedMin,
		Status: t.Status, ScheduledDate: apiDate(t.ScheduledDate), CreatedAt: t.CreatedAt, CompletedAt: t.CompletedAt}
	if t.Description != "" {
		out.Description = &t.Description
	}
	if t.ScheduledTime != nil {
		c := t.ScheduledTime.String()
		out.ScheduledTime = &c
	}
	if t.Recurrence != "" {
		out.Recurrence = &t.Recurrence
	}
	return out
}

func apiDate(d core.Date) *openapi_types.Date {
	if d.IsZero() {
		return nil
	}
	return &openapi_types.Date{Time: d.In(time.UTC)}
}

// apiDay is a date that is always there, as the API shows it.
func apiDay(d core.Date) openapi_types.Date { return openapi_types.Date{Time: d.In(time.UTC)} }

func dateOf(d openapi_types.Date) core.Date { return core.DateOf(d.Time) }

// clockOf reads an "HH:MM" time of day as the core reads one.
func clockOf(s string) (core.ClockTime, error) {
	var c core.ClockTime
	if err := c.UnmarshalText([]byte(s)); err != nil {
		return 0, core.Errorf(core.EINVALID, "a time of day is HH:MM")
	}
	return c, nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

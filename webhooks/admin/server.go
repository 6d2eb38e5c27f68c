package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/admin"
	"github.com/bizconnect/bizconnect/core/auth"
	"github.com/bizconnect/bizconnect/core/hooks"
	"github.com/bizconnect/bizconnect/core/vault"
	"github.com/bizconnect/bizconnect/webhooks/problem"
)

// Server implements the admin API as the service, each call admitted by the scopes of its key
// (as the document names them), validated against the document, and, when it changes
// something, written to the audit log.
type Server struct {
	Store admin.Store
	Jobs  admin.Jobs
	// Hooks keeps the outgoing webhooks' endpoints, their secrets sealed by Vault and their URLs
	// checked by Guard; nil: the webhook operations answer 503 (no BC_ENCRYPTION_KEY).
	Hooks  hooks.Endpoints
	Vault  *vault.Vault
	Guard  hooks.Guard
	Logger *slog.Logger
	Now    func() time.Time // default time.Now
	// JobsUI, when set, is River's web UI (riverqueue.com/riverui) made with the prefix
	// JobsUIPath, served there to admin keys (see registerJobsUI).
	JobsUI http.Handler

	ops    map[string]operation // by "METHOD /admin/v1/route/:id"
	router routers.Router
}

var _ StrictServerInterface = (*Server)(nil)

// operation is what the document says about a route: its id and the scopes it needs.
type operation struct {
	id     string
	scopes []string
}

// base is where the API is mounted.
const base = "/admin/v1"

// maxBody bounds a request body.
const maxBody = 64 << 10

// Register mounts the API at /admin/v1 on r. The document is compiled in: one it can't read
// is a bug, and panics.
func (s *Server) Register(r gin.IRouter) {
	if err := s.register(r); err != nil {
		panic(err)
	}
}

func (s *Server) register(r gin.IRouter) error {
	doc, err := Document()
	if err != nil {
		return err
	}
	s.ops = map[string]operation{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			var scopes []string
			if op.Security != nil {
				for _, req := range *op.Security {
					scopes = append(scopes, req["adminKey"]...)
				}
			}
			if len(scopes) == 0 {
				return fmt.Errorf("admin: %s %s names no scope", method, path)
			}
			route := base + strings.NewReplacer("{", ":", "}", "").Replace(path)
			s.ops[method+" "+route] = operation{id: op.OperationID, scopes: scopes}
		}
	}
	doc.Servers = nil // routes are matched below the mount point
	if s.router, err = legacy.NewRouter(doc); err != nil {
		return err
	}
	g := r.Group(base)
	g.GET("/openapi.json", func(c *gin.Context) { c.JSON(http.StatusOK, doc) })
	strict := NewStrictHandlerWithOptions(s, nil, StrictGinServerOptions{
		RequestErrorHandlerFunc: func(c *gin.Context, err error) {
			problem.Write(c, problem.New(http.StatusBadRequest, "the body is not valid JSON of this request"))
		},
		HandlerErrorFunc:         func(c *gin.Context, err error) { problem.Write(c, err) },
		ResponseErrorHandlerFunc: func(c *gin.Context, err error) { problem.Write(c, err) },
	})
	RegisterHandlersWithOptions(g.Group("", s.authenticate, s.validate, s.audit), strict, GinServerOptions{
		ErrorHandler: func(c *gin.Context, err error, status int) { problem.Write(c, problem.New(status, err.Error())) },
	})
	if s.JobsUI != nil {
		s.registerJobsUI(r)
	}
	return nil
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// keyKey holds the request's admin key in its context; keyName in gin's.
type keyKey struct{}

const keyName = "admin.key"

// authenticate admits a request whose key is valid and has every scope its operation needs.
func (s *Server) authenticate(c *gin.Context) {
	op, ok := s.ops[c.Request.Method+" "+c.FullPath()]
	if !ok {
		problem.Write(c, problem.New(http.StatusNotFound, "no such route"))
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBody)
	refuse := func() {
		c.Header("WWW-Authenticate", `Bearer realm="admin"`)
		problem.Write(c, problem.New(http.StatusUnauthorized, "an admin key is needed: Authorization: Bearer bca_…"))
	}
	token, ok := auth.BearerToken(c.GetHeader("Authorization"))
	if !ok {
		refuse()
		return
	}
	s.admit(c, token, op, refuse)
}

// admit lets the request through when token is a valid key with every scope op needs; else it
// answers refuse's 401 (no such key, or not valid now) or 403 (a scope missing) and stops it.
func (s *Server) admit(c *gin.Context, token string, op operation, refuse func()) bool {
	prefix, hash, ok := admin.ParseKey(token)
	if !ok {
		refuse()
		return false
	}
	key, err := s.Store.KeyByPrefix(c.Request.Context(), prefix)
	if core.ErrorCode(err) == core.ENOTFOUND {
		refuse()
		return false
	}
	if err != nil {
		problem.Write(c, err)
		return false
	}
	now := s.now()
	if !key.Valid(hash, "", now) {
		refuse()
		return false
	}
	for _, scope := range op.scopes {
		if !key.Valid(hash, scope, now) {
			problem.Write(c, problem.New(http.StatusForbidden, fmt.Sprintf("this key lacks the %q scope that %s needs", scope, op.id)))
			return false
		}
	}
	c.Set("admin.operation", op.id)
	c.Set(keyName, key) // the handlers' context is gin's: found there, and in the request's
	c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), keyKey{}, key))
	return true
}

// validate refuses a request the document does not allow (a bound, an enum, a format, an
// unknown field), before any handler sees it.
func (s *Server) validate(c *gin.Context) {
	req := c.Request.Clone(c.Request.Context())
	req.URL.Path = strings.TrimPrefix(req.URL.Path, base)
	route, params, err := s.router.FindRoute(req)
	if err != nil {
		problem.Write(c, problem.New(http.StatusNotFound, "no such route"))
		return
	}
	if c.Request.Body != nil && c.Request.Body != http.NoBody {
		body, err := io.ReadAll(c.Request.Body)
		if err != nil {
			problem.Write(c, problem.New(http.StatusRequestEntityTooLarge, fmt.Sprintf("a body is at most %d bytes", maxBody)))
			return
		}
		c.Request.Body = io.NopCloser(bytes.NewReader(body))
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: false}}
	if err := openapi3filter.ValidateRequest(c.Request.Context(), in); err != nil {
		problem.Write(c, problem.New(http.StatusBadRequest, requestError(err)))
	}
}

// requestError says briefly what is wrong with a request, without the schema it broke.
func requestError(err error) string {
	var re *openapi3filter.RequestError
	if !errors.As(err, &re) {
		return "the request does not match the API"
	}
	var se *openapi3.SchemaError
	where := "the body"
	if re.Parameter != nil {
		where = "parameter " + re.Parameter.Name
	}
	if errors.As(err, &se) {
		field := strings.Join(se.JSONPointer(), ".")
		if field != "" {
			where += " field " + field
		}
		return where + ": " + lastReason(se.Reason)
	}
	if re.Reason != "" {
		return where + ": " + lastReason(re.Reason)
	}
	if re.Err != nil {
		return where + ": " + lastReason(re.Err.Error())
	}
	return where + " is not valid"
}

// lastReason is a validator's reason without the schema's address: its last line, after the
// location ("- at '/x': minimum: got 0, want 1" → "minimum: got 0, want 1").
func lastReason(reason string) string {
	lines := strings.Split(strings.TrimSpace(reason), "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	if rest, ok := strings.CutPrefix(last, "- at '"); ok {
		if _, after, ok := strings.Cut(rest, "': "); ok {
			return after
		}
	}
	return last
}

// audit writes every call that changes something to the audit log, after it ran: the key, the
// operation, its target, the answer's status, the body sent (when small) and the address.
func (s *Server) audit(c *gin.Context) {
	if safeMethod(c.Request.Method) {
		return
	}
	var body []byte
	if c.Request.Body != nil {
		body, _ = io.ReadAll(c.Request.Body)
		c.Request.Body = io.NopCloser(bytes.NewReader(body))
	}
	c.Next()
	key := keyOf(c)
	detail := map[string]any{"status": c.Writer.Status()}
	if len(body) > 0 && len(body) <= 4096 && json.Valid(body) {
		detail["request"] = json.RawMessage(body)
	} else if len(body) > 0 {
		detail["request_bytes"] = len(body)
	}
	target := c.Param("id")
	if t, ok := c.Get("admin.target"); ok {
		target, _ = t.(string)
	}
	e := admin.AuditEntry{KeyID: key.ID, Action: c.GetString("admin.operation"), Target: target, Detail: detail,
		Address: core.Truncate(c.ClientIP(), 100)}
	// written even when the client has gone: the action happened
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), 5*time.Second)
	defer cancel()
	if err := s.Store.Audit(ctx, e); err != nil && s.Logger != nil {
		s.Logger.Error("admin: the audit log refused an entry", "action", e.Action, "err", err)
	}
}

func keyOf(ctx context.Context) admin.Key {
	if k, ok := ctx.Value(keyKey{}).(admin.Key); ok {
		return k
	}
	k, _ := ctx.Value(keyName).(admin.Key)
	return k
}

// ---- users and teams ----

// ListUsers implements StrictServerInterface.
func (s *Server) ListUsers(ctx context.Context, req ListUsersRequestObject) (ListUsersResponseObject, error) {
	after, limit, err := pageOf(req.Params.Cursor, req.Params.Limit)
	if err != nil {
		return nil, err
	}
	q := admin.UserQuery{Q: deref(req.Params.Q), Tier: string(deref(req.Params.Tier)), Platform: string(deref(req.Params.Platform)), After: after, Limit: limit + 1}
	users, err := s.Store.Users(ctx, q)
	if err != nil {
		return nil, err
	}
	out := UserPage{Items: []User{}}
	for i, u := range users {
		if i == limit {
			out.NextCursor = ptr(core.Cursor{CreatedAt: users[i-1].CreatedAt, ID: users[i-1].ID}.Token())
			break
		}
		out.Items = append(out.Items, userOf(u))
	}
	return ListUsers200JSONResponse(out), nil
}

// GetUser implements StrictServerInterface.
func (s *Server) GetUser(ctx context.Context, req GetUserRequestObject) (GetUserResponseObject, error) {
	u, err := s.Store.User(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return GetUser200JSONResponse(userOf(u)), nil
}

// UpdateUser implements StrictServerInterface.
func (s *Server) UpdateUser(ctx context.Context, req UpdateUserRequestObject) (UpdateUserResponseObject, error) {
	var tier *string
	if req.Body.Tier != nil {
		tier = ptr(string(*req.Body.Tier))
	}
	u, err := s.Store.UpdateUser(ctx, req.Id, tier, req.Body.Suspended)
	if err != nil {
		return nil, err
	}
	return UpdateUser200JSONResponse(userOf(u)), nil
}

// ListTeams implements StrictServerInterface.
func (s *Server) ListTeams(ctx context.Context, req ListTeamsRequestObject) (ListTeamsResponseObject, error) {
	after, limit, err := pageOf(req.Params.Cursor, req.Params.Limit)
	if err != nil {
		return nil, err
	}
	teams, err := s.Store.Teams(ctx, after, limit+1)
	if err != nil {
		return nil, err
	}
	out := TeamPage{Items: []Team{}}
	for i, t := range teams {
		if i == limit {
			out.NextCursor = ptr(core.Cursor{CreatedAt: teams[i-1].CreatedAt, ID: teams[i-1].ID}.Token())
			break
		}
		out.Items = append(out.Items, Team{Id: t.ID, Name: t.Name, SlackTeamId: nonEmpty(t.SlackTeamID), Members: t.Members,
			DisabledAt: t.DisabledAt, CreatedAt: t.CreatedAt})
	}
	return ListTeams200JSONResponse(out), nil
}

// ---- broadcasts ----

// CreateBroadcast implements StrictServerInterface.
func (s *Server) CreateBroadcast(ctx context.Context, req CreateBroadcastRequestObject) (CreateBroadcastResponseObject, error) {
	var seg admin.Segment
	if g := req.Body.Segment; g != nil {
		seg.Tiers = convert[string](deref(g.Tiers))
		seg.Languages = convert[string](deref(g.Languages))
		seg.Platforms = convert[string](deref(g.Platforms))
		seg.ActiveWithinDays = deref(g.ActiveWithinDays)
	}
	en, ru := strings.TrimSpace(req.Body.Text.En), strings.TrimSpace(req.Body.Text.Ru)
	if en == "" || ru == "" {
		return nil, core.Errorf(core.EINVALID, "the text is needed in both languages")
	}
	b, err := s.Store.CreateBroadcast(ctx, keyOf(ctx).ID, en, ru, seg)
	if err != nil {
		return nil, err
	}
	return CreateBroadcast202JSONResponse(broadcastOf(b)), nil
}

// GetBroadcast implements StrictServerInterface.
func (s *Server) GetBroadcast(ctx context.Context, req GetBroadcastRequestObject) (GetBroadcastResponseObject, error) {
	b, err := s.Store.Broadcast(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return GetBroadcast200JSONResponse(broadcastOf(b)), nil
}

// CancelBroadcast implements StrictServerInterface.
func (s *Server) CancelBroadcast(ctx context.Context, req CancelBroadcastRequestObject) (CancelBroadcastResponseObject, error) {
	b, err := s.Store.CancelBroadcast(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return CancelBroadcast200JSONResponse(broadcastOf(b)), nil
}

// ---- jobs and stats ----

// TriggerJob implements StrictServerInterface.
func (s *Server) TriggerJob(ctx context.Context, req TriggerJobRequestObject) (TriggerJobResponseObject, error) {
	out := JobStarted{Kind: string(req.Body.Kind)}
	switch req.Body.Kind {
	case WeeklyReport:
		if req.Body.UserId == nil {
			return nil, core.Errorf(core.EINVALID, "weekly_report needs user_id")
		}
		if _, err := s.Store.User(ctx, *req.Body.UserId); err != nil {
			return nil, err
		}
		started, err := s.Jobs.WeeklyReport(ctx, *req.Body.UserId)
		if err != nil {
			return nil, err
		}
		out.Started = started
	case RecomputeLoad:
		day := core.DateOf(s.now().UTC()).AddDays(-1)
		if req.Body.Date != nil {
			day = core.DateOf(req.Body.Date.Time)
		}
		if today := core.DateOf(s.now().UTC()); day.After(today.AddDays(1)) || day.Before(today.AddDays(-366)) {
			return nil, core.Errorf(core.EINVALID, "the day is within the last year, up to tomorrow")
		}
		n, err := s.Jobs.RecomputeLoad(ctx, day)
		if err != nil {
			return nil, err
		}
		out.Started, out.Users = true, &n
	default:
		return nil, core.Errorf(core.EINVALID, "no such job")
	}
	return TriggerJob202JSONResponse(out), nil
}

// GetStats implements StrictServerInterface.
func (s *Server) GetStats(ctx context.Context, req GetStatsRequestObject) (GetStatsResponseObject, error) {
	from, to := core.DateOf(req.Params.From.Time), core.DateOf(req.Params.To.Time)
	if to.Before(from) || from.DaysUntil(to) > 366 {
		return nil, core.Errorf(core.EINVALID, "to is from or later, at most 366 days after it")
	}
	days, err := s.Store.Stats(ctx, from, to)
	if err != nil {
		return nil, err
	}
	out := GetStats200JSONResponse{Days: []DayStats{}}
	for _, d := range days {
		out.Days = append(out.Days, DayStats{Date: openapi_types.Date{Time: d.Date.In(time.UTC)}, ActiveUsers: d.ActiveUsers,
			Messages: d.Messages, Pushes: d.Pushes, LlmTokens: d.LLMTokens})
	}
	return out, nil
}

// ---- outgoing webhooks ----

func (s *Server) hooks() (hooks.Endpoints, error) {
	if s.Hooks == nil {
		return nil, core.Errorf(core.EUNAVAILABLE, "outgoing webhooks need BC_ENCRYPTION_KEY to seal their secrets")
	}
	return s.Hooks, nil
}

// ListWebhooks implements StrictServerInterface.
func (s *Server) ListWebhooks(ctx context.Context, _ ListWebhooksRequestObject) (ListWebhooksResponseObject, error) {
	h, err := s.hooks()
	if err != nil {
		return nil, err
	}
	es, err := h.Endpoints(ctx)
	if err != nil {
		return nil, err
	}
	out := ListWebhooks200JSONResponse{Items: []Webhook{}}
	for _, e := range es {
		out.Items = append(out.Items, webhookOf(e))
	}
	return out, nil
}

// CreateWebhook implements StrictServerInterface: the URL is checked by the SSRF guard (as it is
// again at every delivery), the secret made, sealed with the endpoint's id, and shown once.
func (s *Server) CreateWebhook(ctx context.Context, req CreateWebhookRequestObject) (CreateWebhookResponseObject, error) {
	h, err := s.hooks()
	if err != nil {
		return nil, err
	}
	events, err := hooks.CheckEvents(req.Body.Events)
	if err != nil {
		return nil, core.Errorf(core.EINVALID, "%s", err.Error())
	}
	if err := s.Guard.CheckURL(ctx, req.Body.Url); err != nil {
		return nil, core.Errorf(core.EINVALID, "%s", err.Error())
	}
	secret := hooks.NewSecret()
	id := uuid.New()
	sealed, keyID, err := s.Vault.Seal([]byte(secret), id[:])
	if err != nil {
		return nil, err
	}
	e, err := h.CreateEndpoint(ctx, hooks.Endpoint{ID: id, URL: req.Body.Url, Events: events, Description: deref(req.Body.Description),
		Sealed: sealed, KeyID: keyID})
	if err != nil {
		return nil, err
	}
	w := webhookOf(e)
	return CreateWebhook201JSONResponse{Id: w.Id, Url: w.Url, Events: w.Events, Description: w.Description, Enabled: w.Enabled,
		DisabledReason: w.DisabledReason, FailingSince: w.FailingSince, CreatedAt: w.CreatedAt, Secret: secret}, nil
}

// UpdateWebhook implements StrictServerInterface.
func (s *Server) UpdateWebhook(ctx context.Context, req UpdateWebhookRequestObject) (UpdateWebhookResponseObject, error) {
	h, err := s.hooks()
	if err != nil {
		return nil, err
	}
	u := hooks.EndpointUpdate{URL: req.Body.Url, Description: req.Body.Description, Enabled: req.Body.Enabled}
	if req.Body.Events != nil {
		if u.Events, err = hooks.CheckEvents(*req.Body.Events); err != nil {
			return nil, core.Errorf(core.EINVALID, "%s", err.Error())
		}
	}
	if u.URL != nil {
		if err := s.Guard.CheckURL(ctx, *u.URL); err != nil {
			return nil, core.Errorf(core.EINVALID, "%s", err.Error())
		}
	}
	e, err := h.UpdateEndpoint(ctx, req.Id, u)
	if err != nil {
		return nil, err
	}
	return UpdateWebhook200JSONResponse(webhookOf(e)), nil
}

// DeleteWebhook implements StrictServerInterface.
func (s *Server) DeleteWebhook(ctx context.Context, req DeleteWebhookRequestObject) (DeleteWebhookResponseObject, error) {
	h, err := s.hooks()
	if err != nil {
		return nil, err
	}
	if err := h.DeleteEndpoint(ctx, req.Id); err != nil {
		return nil, err
	}
	return DeleteWebhook204Response{}, nil
}

// maxReplay bounds a replay's time range.
const maxReplay = 31 * 24 * time.Hour

// ReplayWebhook implements StrictServerInterface.
func (s *Server) ReplayWebhook(ctx context.Context, req ReplayWebhookRequestObject) (ReplayWebhookResponseObject, error) {
	h, err := s.hooks()
	if err != nil {
		return nil, err
	}
	ids := deref(req.Body.EventIds)
	var from, to time.Time
	switch {
	case len(ids) > 0 && (req.Body.From != nil || req.Body.To != nil):
		return nil, core.Errorf(core.EINVALID, "event_ids, or from and to: not both")
	case len(ids) > 0:
	case req.Body.From != nil && req.Body.To != nil:
		from, to = *req.Body.From, *req.Body.To
		if !to.After(from) || to.Sub(from) > maxReplay {
			return nil, core.Errorf(core.EINVALID, "to is after from, at most 31 days after it")
		}
	default:
		return nil, core.Errorf(core.EINVALID, "event_ids, or from and to, are needed")
	}
	n, err := h.Replay(ctx, &req.Id, ids, from, to)
	if err != nil {
		return nil, err
	}
	return ReplayWebhook202JSONResponse{Queued: n}, nil
}

// ---- audit ----

// ListAudit implements StrictServerInterface.
func (s *Server) ListAudit(ctx context.Context, req ListAuditRequestObject) (ListAuditResponseObject, error) {
	limit := 50
	if req.Params.Limit != nil {
		limit = *req.Params.Limit
	}
	var before int64
	if c := deref(req.Params.Cursor); c != "" {
		var err error
		if before, err = strconv.ParseInt(c, 10, 64); err != nil || before <= 0 {
			return nil, core.Errorf(core.EINVALID, "not a cursor of this API")
		}
	}
	entries, err := s.Store.AuditLog(ctx, before, limit+1)
	if err != nil {
		return nil, err
	}
	out := AuditPage{Items: []AuditEntry{}}
	for i, e := range entries {
		if i == limit {
			out.NextCursor = ptr(strconv.FormatInt(entries[i-1].ID, 10))
			break
		}
		detail := e.Detail
		out.Items = append(out.Items, AuditEntry{Id: e.ID, KeyId: e.KeyID, KeyName: e.KeyName, Action: e.Action,
			Target: nonEmpty(e.Target), Detail: &detail, Address: nonEmpty(e.Address), At: e.At})
	}
	return ListAudit200JSONResponse(out), nil
}

// ---- shapes ----

// pageOf reads a page's cursor and size (the document bounds the size).
func pageOf(cursor *string, limit *int) (*core.Cursor, int, error) {
	n := 50
	if limit != nil {
		n = *limit
	}
	if cursor == nil || *cursor == "" {
		return nil, n, nil
	}
	c, err := core.ParseCursor(*cursor)
	if err != nil {
		return nil, 0, err
	}
	return &c, n, nil
}

func userOf(u admin.User) User {
	out := User{Id: u.ID, Name: u.Name, Email: nonEmpty(u.Email), Locale: Language(u.Locale), Timezone: u.Timezone, Tier: Tier(u.Tier),
		Platforms: convert[Platform](u.Platforms), SuspendedAt: u.SuspendedAt, LastActiveAt: u.LastActiveAt, CreatedAt: u.CreatedAt, Goals: u.Goals, OpenTasks: u.OpenTasks}
	return out
}

func broadcastOf(b admin.Broadcast) Broadcast {
	out := Broadcast{Id: b.ID, Status: BroadcastStatus(b.Status), Recipients: b.Recipients, Queued: b.Queued, Sent: b.Sent,
		Dropped: &b.Dropped, CreatedAt: b.CreatedAt, FinishedAt: b.FinishedAt}
	if len(b.Segment.Tiers) > 0 {
		out.Segment.Tiers = ptr(convert[Tier](b.Segment.Tiers))
	}
	if len(b.Segment.Languages) > 0 {
		out.Segment.Languages = ptr(convert[Language](b.Segment.Languages))
	}
	if len(b.Segment.Platforms) > 0 {
		out.Segment.Platforms = ptr(convert[SegmentPlatforms](b.Segment.Platforms))
	}
	if b.Segment.ActiveWithinDays > 0 {
		out.Segment.ActiveWithinDays = &b.Segment.ActiveWithinDays
	}
	return out
}

func webhookOf(e hooks.Endpoint) Webhook {
	return Webhook{Id: e.ID, Url: e.URL, Events: e.Events, Description: nonEmpty(e.Description), Enabled: e.Enabled,
		DisabledReason: nonEmpty(e.DisabledWhy), FailingSince: e.FailingSince, CreatedAt: e.CreatedAt}
}

// convert is xs as another string type, never nil.
func convert[To, From ~string](xs []From) []To {
	out := make([]To, len(xs))
	for i, x := range xs {
		out[i] = To(x)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/webhooks/api"
)

// restClient calls the REST API as one user and checks every request and response against the
// OpenAPI document the routes are generated from.
type restClient struct {
	t      *testing.T
	base   string
	token  string
	router routers.Router
}

func newRESTClients(t *testing.T, n int) (*coretest.TestDB, []*restClient) {
	t.Helper()
	db, base := startApp(t, authEnv)
	router := newRESTRouter(t, base)
	var out []*restClient
	for i := range n {
		status, s := authCall(t, "POST", base+"/auth/v1/signup", "", map[string]any{"email": fmt.Sprintf("user%d@example.com", i), "password": "correct horse"})
		if status != 200 {
			t.Fatalf("sign-up: %d %v", status, s)
		}
		out = append(out, &restClient{t: t, base: base + "/api/v1", token: s["access_token"].(string), router: router})
	}
	return db, out
}

// newRESTRouter finds a request's operation in the API's document, for validating it.
func newRESTRouter(t *testing.T, base string) routers.Router {
	t.Helper()
	doc, err := api.Document()
	if err != nil {
		t.Fatal(err)
	}
	doc.Servers = openapi3.Servers{{URL: base + "/api/v1"}}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return router
}

// do makes a request and returns the status, the ETag and the decoded body.
func (c *restClient) do(method, path string, body any, header ...string) (int, string, map[string]any) {
	c.t.Helper()
	var raw []byte
	if body != nil {
		raw, _ = json.Marshal(body)
	}
	req, _ := http.NewRequest(method, c.base+path, bytes.NewReader(raw))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	c.validate(req, raw, resp, got)
	var out map[string]any
	if len(got) > 0 {
		if err := json.Unmarshal(got, &out); err != nil {
			c.t.Fatalf("%s %s: %d, not JSON: %q", method, path, resp.StatusCode, got)
		}
	}
	return resp.StatusCode, resp.Header.Get("ETag"), out
}

// validate checks the exchange against the document: the request as sent, the response as
// answered (its status, headers, content type and body schema).
func (c *restClient) validate(req *http.Request, body []byte, resp *http.Response, got []byte) {
	c.t.Helper()
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		c.t.Errorf("%s %s is not in the document: %v", req.Method, req.URL.Path, err)
		return
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true}}
	out.SetBodyBytes(got)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		c.t.Errorf("%s %s → %d does not match the document: %v\n%s", req.Method, req.URL.Path, resp.StatusCode, err, got)
	}
}

// TestRESTGoalsAndTasks walks the REST API as a front end would, every answer validated against
// the OpenAPI document: goals and tasks created, read, listed page by page, changed under
// If-Match, completed, deleted; a retried POST with its Idempotency-Key makes nothing twice.
func TestRESTGoalsAndTasks(t *testing.T) {
	t.Parallel()
	db, users := newRESTClients(t, 1)
	a := users[0]
	status, tag, g := a.do("POST", "/goals", map[string]any{"title": "10 клиентов", "target_value": 10, "unit": "клиентов", "end_date": "2027-03-31"})
	if status != 201 || tag == "" || g["tracking"] != "value" || g["status"] != "active" {
		t.Fatalf("create goal: %d %v", status, g)
	}
	goal := g["id"].(string)
	if status, tag2, got := a.do("GET", "/goals/"+goal, nil); status != 200 || tag2 != tag || got["title"] != "10 клиентов" {
		t.Errorf("get goal: %d %s %v", status, tag2, got)
	}
	if status, _, p := a.do("PATCH", "/goals/"+goal, map[string]any{"current_value": 3}, "If-Match", tag); status != 200 || p["progress"].(float64) != 0.3 {
		t.Errorf("patch goal: %d %v", status, p)
	}
	if status, _, p := a.do("PATCH", "/goals/"+goal, map[string]any{"current_value": 4}, "If-Match", tag); status != 412 || p["status"].(float64) != 412 {
		t.Errorf("a patch from a stale version: %d %v", status, p)
	}
	var ids []string
	for i := range 5 {
		status, _, task := a.do("POST", "/tasks", map[string]any{"title": fmt.Sprintf("задача %d", i), "priority": 1 + i%4, "goal_id": goal})
		if status != 201 {
			t.Fatalf("create task: %d %v", status, task)
		}
		ids = append(ids, task["id"].(string))
	}
	seen := map[string]bool{}
	cursor := ""
	for pages := 0; ; pages++ {
		status, _, page := a.do("GET", "/tasks?limit=2&cursor="+cursor, nil)
		if status != 200 || pages > 3 {
			t.Fatalf("list page %d: %d %v", pages, status, page)
		}
		for _, it := range page["items"].([]any) {
			id := it.(map[string]any)["id"].(string)
			if seen[id] {
				t.Fatalf("task %s on two pages", id)
			}
			seen[id] = true
		}
		next, ok := page["next_cursor"].(string)
		if !ok {
			break
		}
		cursor = next
	}
	if len(seen) != 5 {
		t.Errorf("the pages held %d of 5 tasks", len(seen))
	}
	status, _, today := a.do("GET", "/tasks/today", nil)
	if items := today["items"].([]any); status != 200 || len(items) != 5 || items[0].(map[string]any)["priority"].(float64) != 1 {
		t.Errorf("today: %d %v", status, today)
	}
	if status, _, c := a.do("POST", "/tasks/"+ids[0]+"/complete", nil); status != 200 || c["task"].(map[string]any)["status"] != "done" {
		t.Errorf("complete: %d %v", status, c)
	}
	if status, _, _ := a.do("DELETE", "/tasks/"+ids[1], nil); status != 204 {
		t.Errorf("delete: %d", status)
	}
	if status, _, p := a.do("GET", "/tasks/"+ids[1], nil); status != 404 || p["title"] != "Not Found" {
		t.Errorf("a deleted task: %d %v", status, p)
	}
	body := map[string]any{"title": "оплатить хостинг", "scheduled_date": "2027-01-15", "scheduled_time": "10:30"}
	_, _, first := a.do("POST", "/tasks", body, "Idempotency-Key", "k-1")
	_, _, again := a.do("POST", "/tasks", body, "Idempotency-Key", "k-1")
	if first["id"] == nil || first["id"] != again["id"] || first["scheduled_time"] != "10:30" {
		t.Errorf("a retried POST: %v then %v", first, again)
	}
	if n := db.Scalar(t, `SELECT count(*) FROM tasks WHERE title = 'оплатить хостинг'`); n != "1" {
		t.Errorf("%s tasks from one key", n)
	}
	if status, _, p := a.do("POST", "/tasks", map[string]any{"title": "другое"}, "Idempotency-Key", "k-1"); status != 409 {
		t.Errorf("a key reused for another request: %d %v", status, p)
	}
	for _, bad := range []map[string]any{{"title": ""}, {"title": strings.Repeat("я", 2001)}, {"title": "x", "scheduled_time": "25:00"}} {
		if status, _, p := a.do("POST", "/tasks", bad); status != 400 {
			t.Errorf("%.40v: %d %v", bad, status, p)
		}
	}
	a.token = "not a token"
	if status, _, p := a.do("GET", "/tasks", nil); status != 401 || p["status"].(float64) != 401 {
		t.Errorf("without a valid token: %d %v", status, p)
	}
}

// TestRESTKeepsUsersApart: user B's token against user A's goals and tasks gets 404 for every
// operation, as if they did not exist, and nothing of A's changes.
func TestRESTKeepsUsersApart(t *testing.T) {
	t.Parallel()
	db, users := newRESTClients(t, 2)
	a, b := users[0], users[1]
	_, _, g := a.do("POST", "/goals", map[string]any{"title": "A's goal"})
	_, _, task := a.do("POST", "/tasks", map[string]any{"title": "A's task"})
	goal, tk := g["id"].(string), task["id"].(string)
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"GET", "/goals/" + goal, nil}, {"PATCH", "/goals/" + goal, map[string]any{"title": "mine now"}}, {"DELETE", "/goals/" + goal, nil},
		{"GET", "/tasks/" + tk, nil}, {"PATCH", "/tasks/" + tk, map[string]any{"title": "mine now"}}, {"DELETE", "/tasks/" + tk, nil},
		{"POST", "/tasks/" + tk + "/complete", nil},
	} {
		if status, _, p := b.do(c.method, c.path, c.body); status != 404 {
			t.Errorf("B %s %s: %d %v, want 404", c.method, c.path, status, p)
		}
	}
	for _, path := range []string{"/goals", "/tasks", "/tasks/today", "/tasks?goal_id=" + goal} {
		if _, _, page := b.do("GET", path, nil); len(page["items"].([]any)) != 0 {
			t.Errorf("B's %s shows %v", path, page["items"])
		}
	}
	if got := db.Scalar(t, `SELECT title || '/' || status || '/' || (deleted_at IS NULL) FROM tasks WHERE id = $1`, tk); got != "A's task/todo/true" {
		t.Errorf("A's task is now %s", got)
	}
	if got := db.Scalar(t, `SELECT title || '/' || (deleted_at IS NULL) FROM goals WHERE id = $1`, goal); got != "A's goal/true" {
		t.Errorf("A's goal is now %s", got)
	}
}

// TestRESTTeamGoals: a team goal is read by every member and changed only by its owner and the
// team's owners and admins; a plain member's change is refused and changes nothing, an
// outsider doesn't see the goal at all.
func TestRESTTeamGoals(t *testing.T) {
	t.Parallel()
	db, users := newRESTClients(t, 4)
	owner, admin, member, outsider := users[0], users[1], users[2], users[3]
	ids := make([]uuid.UUID, 4)
	for i := range ids {
		ids[i] = uuid.MustParse(db.Scalar(t, `SELECT id FROM users WHERE email = $1`, fmt.Sprintf("user%d@example.com", i)))
	}
	team := coretest.Team(t, db, "Acme", ids[0], ids[1], ids[2])
	if _, err := db.Super.Exec(context.Background(), `UPDATE team_members SET role = 'admin' WHERE user_id = $1`, ids[1]); err != nil {
		t.Fatal(err)
	}
	status, _, g := owner.do("POST", "/goals", map[string]any{"title": "Запуск продукта", "visibility": "team", "team_id": team.String()})
	if status != 201 {
		t.Fatalf("team goal: %d %v", status, g)
	}
	goal := g["id"].(string)
	for _, c := range []*restClient{admin, member} {
		if status, _, got := c.do("GET", "/goals/"+goal, nil); status != 200 || got["title"] != "Запуск продукта" {
			t.Errorf("a member reads the team goal: %d %v", status, got)
		}
		if _, _, page := c.do("GET", "/goals?team_id="+team.String(), nil); len(page["items"].([]any)) != 1 {
			t.Errorf("the team's goals: %v", page)
		}
	}
	if status, _, p := member.do("PATCH", "/goals/"+goal, map[string]any{"title": "моя цель"}); status != 403 {
		t.Errorf("a plain member's change: %d %v", status, p)
	}
	if status, _, p := member.do("DELETE", "/goals/"+goal, nil); status != 403 {
		t.Errorf("a plain member's delete: %d %v", status, p)
	}
	if status, _, p := admin.do("PATCH", "/goals/"+goal, map[string]any{"title": "Запуск продукта в марте"}); status != 200 || p["title"] != "Запуск продукта в марте" {
		t.Errorf("an admin's change: %d %v", status, p)
	}
	if status, _, _ := outsider.do("GET", "/goals/"+goal, nil); status != 404 {
		t.Errorf("an outsider reads the team goal: %d", status)
	}
	if got := db.Scalar(t, `SELECT title || '/' || user_id FROM goals WHERE id = $1`, goal); got != "Запуск продукта в марте/"+ids[0].String() {
		t.Errorf("the goal is now %s", got)
	}
}

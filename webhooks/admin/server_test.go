package admin_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/admin"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/hooks"
	"github.com/bizconnect/bizconnect/core/postgres"
	"github.com/bizconnect/bizconnect/core/vault"
	adminapi "github.com/bizconnect/bizconnect/webhooks/admin"
)

// fixture is the admin API on a fresh database, served over HTTP, every answer checked
// against its document.
type fixture struct {
	t      *testing.T
	db     *coretest.TestDB
	store  *postgres.Admin
	url    string
	router routers.Router
	jobs   *fakeJobs
}

type fakeJobs struct{ reports []uuid.UUID }

func (f *fakeJobs) WeeklyReport(_ context.Context, user uuid.UUID) (bool, error) {
	f.reports = append(f.reports, user)
	return len(f.reports) == 1, nil
}

func (f *fakeJobs) RecomputeLoad(context.Context, core.Date) (int, error) { return 2, nil }

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := coretest.NewDB(t)
	// an instance that only schedules: the broadcasts' and deliveries' jobs wait in River
	jobs, err := postgres.NewJobs(context.Background(), db.DB, postgres.JobsConfig{},
		postgres.Work(func(context.Context, admin.BroadcastJob) error { return nil }),
		postgres.Work(func(context.Context, hooks.DeliveryJob) error { return nil }))
	if err != nil {
		t.Fatal(err)
	}
	key, _ := hex.DecodeString(strings.Repeat("cd", 32))
	v, err := vault.New(key)
	if err != nil {
		t.Fatal(err)
	}
	guard := hooks.Guard{Lookup: func(_ context.Context, host string) ([]netip.Addr, error) {
		switch host {
		case "hooks.example.com":
			return []netip.Addr{netip.MustParseAddr("93.184.216.34")}, nil
		case "internal.example.com":
			return []netip.Addr{netip.MustParseAddr("10.1.2.3")}, nil
		}
		return nil, fmt.Errorf("no such host %s", host)
	}}
	f := &fixture{t: t, db: db, store: postgres.NewAdmin(db.DB, jobs), jobs: &fakeJobs{}}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(func(c *gin.Context) { // a 500's cause, to the test's log
		c.Next()
		for _, e := range c.Errors {
			t.Log(c.Request.Method, c.Request.URL.Path, e)
		}
	})
	ui, err := adminapi.NewJobsUI(jobs.Client(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if err := ui.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	(&adminapi.Server{Store: f.store, Jobs: f.jobs, Hooks: postgres.NewHooks(db.DB, jobs, 3), Vault: v, Guard: guard, JobsUI: ui}).Register(r)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	f.url = srv.URL
	doc, err := adminapi.Document()
	if err != nil {
		t.Fatal(err)
	}
	doc.Servers = openapi3.Servers{{URL: srv.URL + "/admin/v1"}}
	if f.router, err = legacy.NewRouter(doc); err != nil {
		t.Fatal(err)
	}
	return f
}

// key makes an admin key with scopes, as `bizconnect admin create-key` does.
func (f *fixture) key(name string, expires *time.Time, scopes ...string) string {
	f.t.Helper()
	key, prefix, hash := admin.NewKey()
	if _, err := f.store.CreateKey(context.Background(), admin.Key{Name: name, Prefix: prefix, Hash: hash, Scopes: scopes, ExpiresAt: expires}); err != nil {
		f.t.Fatal(err)
	}
	return key
}

// do calls the API with key and returns the status and the decoded answer, checked against
// the document.
func (f *fixture) do(key, method, path string, body any) (int, map[string]any) {
	f.t.Helper()
	var raw []byte
	if body != nil {
		if s, ok := body.(string); ok {
			raw = []byte(s)
		} else {
			raw, _ = json.Marshal(body)
		}
	}
	req, _ := http.NewRequest(method, f.url+"/admin/v1"+path, bytes.NewReader(raw))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if route, params, err := f.router.FindRoute(req); err != nil {
		f.t.Errorf("%s %s is not in the document: %v", method, path, err)
	} else {
		req.Body = io.NopCloser(bytes.NewReader(raw))
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, ExcludeRequestBody: true}}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
			Options: &openapi3filter.Options{IncludeResponseStatus: true}}
		out.SetBodyBytes(got)
		if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
			f.t.Errorf("%s %s → %d does not match the document: %v\n%s", method, path, resp.StatusCode, err, got)
		}
	}
	var m map[string]any
	if len(got) > 0 {
		if err := json.Unmarshal(got, &m); err != nil {
			f.t.Fatalf("%s %s: %d, not JSON: %q", method, path, resp.StatusCode, got)
		}
	}
	return resp.StatusCode, m
}

// TestAdminKeysAndScopes: no key, a malformed, unknown, revoked or expired key are 401; a key
// without the scope an operation names is 403 and changes nothing; the right scope passes.
func TestAdminKeysAndScopes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	reader := f.key("reader", nil, "read")
	past := time.Now().Add(-time.Minute)
	expired := f.key("expired", &past, "read", "broadcast")
	revoked := f.key("revoked", nil, "read")
	if ok, err := f.store.RevokeKey(context.Background(), strings.Split(revoked, "_")[1]); err != nil || !ok {
		t.Fatalf("revoke: %v %v", ok, err)
	}
	forged := reader[:len(reader)-4] + "AAAA" // the right prefix, another secret
	for name, key := range map[string]string{"none": "", "malformed": "hello", "unknown": "bca_zzzzzzzz_" + strings.Repeat("A", 43),
		"forged": forged, "revoked": revoked, "expired": expired} {
		if status, p := f.do(key, "GET", "/users", nil); status != 401 {
			t.Errorf("%s key: %d %v, want 401", name, status, p)
		}
	}
	if status, _ := f.do(reader, "GET", "/users", nil); status != 200 {
		t.Fatalf("reader lists users: %d", status)
	}
	before := f.db.Scalar(t, `SELECT count(*) FROM broadcasts`)
	status, p := f.do(reader, "POST", "/broadcasts", map[string]any{"text": map[string]string{"en": "Hi", "ru": "Привет"}})
	if status != 403 || !strings.Contains(fmt.Sprint(p["detail"]), "broadcast") {
		t.Fatalf("a key without the broadcast scope: %d %v, want 403 naming the scope", status, p)
	}
	if after := f.db.Scalar(t, `SELECT count(*) FROM broadcasts`); after != before {
		t.Fatalf("a refused broadcast was stored: %s → %s", before, after)
	}
	user := coretest.User(t, f.db, coretest.UserOpts{Name: "Anna"})
	if status, _ := f.do(reader, "PATCH", "/users/"+user.String(), map[string]any{"tier": "pro"}); status != 403 {
		t.Fatalf("a read key changes a user: %d", status)
	}
	if tier := f.db.Scalar(t, `SELECT subscription_tier::text FROM users WHERE id = $1`, user); tier != "free" {
		t.Fatalf("tier %s after a refused change", tier)
	}
	if status, _ := f.do(reader, "GET", "/webhooks", nil); status != 403 {
		t.Fatalf("a read key lists webhooks: %d", status)
	}
	broadcaster := f.key("news", nil, "broadcast")
	status, b := f.do(broadcaster, "POST", "/broadcasts", map[string]any{"text": map[string]string{"en": "Hi", "ru": "Привет"},
		"segment": map[string]any{"tiers": []string{"pro"}, "languages": []string{"ru"}}})
	if status != 202 || b["status"] != "queued" {
		t.Fatalf("a broadcast: %d %v", status, b)
	}
	if status, got := f.do(broadcaster, "GET", "/broadcasts/"+b["id"].(string), nil); status != 200 || got["recipients"] != float64(0) {
		t.Fatalf("the broadcast: %d %v", status, got)
	}
	if status, got := f.do(broadcaster, "POST", "/broadcasts/"+b["id"].(string)+"/cancel", nil); status != 200 || got["status"] != "cancelled" {
		t.Fatalf("cancel: %d %v", status, got)
	}
	if status, _ := f.do(broadcaster, "GET", "/users", nil); status != 403 {
		t.Fatalf("a broadcast key reads users: %d", status)
	}
	// the document is served, with each operation's scope
	resp, err := http.Get(f.url + "/admin/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(raw), `"broadcast"`) || !strings.Contains(string(raw), `"createBroadcast"`) {
		t.Fatalf("openapi.json: %d %.200s", resp.StatusCode, raw)
	}
}

// TestAdminUsersAuditAndValidation: an operator finds a user, changes their tier and suspends
// them (their sessions end); each change is in the audit log with the key and the address;
// what the document does not allow is refused before it reaches the store.
func TestAdminUsersAuditAndValidation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	key := f.key("ops", nil, "read", "write")
	anna := coretest.User(t, f.db, coretest.UserOpts{Name: "Anna Petrova"})
	coretest.Identity(t, f.db, anna, "telegram", "", "5001")
	for i := range 3 {
		coretest.User(t, f.db, coretest.UserOpts{Name: fmt.Sprintf("Other %d", i)})
	}
	if _, err := f.db.Super.Exec(context.Background(), `INSERT INTO auth_sessions (user_id, method) VALUES ($1, 'password')`, anna); err != nil {
		t.Fatal(err)
	}
	status, page := f.do(key, "GET", "/users?q=petrova", nil)
	items, _ := page["items"].([]any)
	if status != 200 || len(items) != 1 || items[0].(map[string]any)["id"] != anna.String() {
		t.Fatalf("search by name: %d %v", status, page)
	}
	if status, page = f.do(key, "GET", "/users?q=5001", nil); status != 200 || len(page["items"].([]any)) != 1 {
		t.Fatalf("search by Telegram id: %d %v", status, page)
	}
	// pages
	seen := map[string]bool{}
	cursor := ""
	for range 5 {
		_, page = f.do(key, "GET", "/users?limit=2"+cursor, nil)
		for _, it := range page["items"].([]any) {
			seen[it.(map[string]any)["id"].(string)] = true
		}
		next, ok := page["next_cursor"].(string)
		if !ok {
			break
		}
		cursor = "&cursor=" + next
	}
	if len(seen) != 4 {
		t.Fatalf("paging saw %d users, want 4", len(seen))
	}
	status, u := f.do(key, "PATCH", "/users/"+anna.String(), map[string]any{"tier": "pro", "suspended": true})
	if status != 200 || u["tier"] != "pro" || u["suspended_at"] == nil {
		t.Fatalf("suspend: %d %v", status, u)
	}
	if n := f.db.Scalar(t, `SELECT count(*) FROM auth_sessions WHERE user_id = $1 AND revoked_at IS NULL`, anna); n != "0" {
		t.Fatalf("%s sessions live after the suspension", n)
	}
	if status, u = f.do(key, "PATCH", "/users/"+anna.String(), map[string]any{"suspended": false}); status != 200 || u["suspended_at"] != nil {
		t.Fatalf("reinstate: %d %v", status, u)
	}
	// the document's bounds
	for _, c := range []struct{ method, path, body string }{
		{"PATCH", "/users/" + anna.String(), `{"tier": "platinum"}`},
		{"PATCH", "/users/" + anna.String(), `{"tier": "pro", "role": "admin"}`},
		{"PATCH", "/users/not-a-uuid", `{"tier": "pro"}`},
		{"GET", "/users?limit=5000", ""},
		{"GET", "/users?q=" + strings.Repeat("x", 300), ""},
		{"GET", "/users?tier=gold", ""},
		{"GET", "/stats?from=2026-01-01", ""},
		{"GET", "/stats?from=2025-01-01&to=2026-06-01", ""},
		{"GET", "/users?cursor=garbage", ""},
		{"POST", "/jobs", `{"kind": "weekly_report"}`},
		{"POST", "/jobs", `{"kind": "drop_tables"}`},
		{"PATCH", "/users/" + anna.String(), `{"tier": `},
	} {
		var body any
		if c.body != "" {
			body = c.body
		}
		if status, p := f.do(key, c.method, c.path, body); status != 400 {
			t.Errorf("%s %s %s: %d %v, want 400", c.method, c.path, c.body, status, p)
		}
	}
	if _, p := f.do(key, "GET", "/users?limit=5000", nil); !strings.HasPrefix(fmt.Sprint(p["detail"]), "parameter limit: maximum") {
		t.Errorf("a bound's refusal says %q", p["detail"])
	}
	if status, _ := f.do(key, "GET", "/users/"+uuid.NewString(), nil); status != 404 {
		t.Fatalf("an unknown user: %d", status)
	}
	if status, p := f.do(key, "POST", "/jobs", map[string]any{"kind": "weekly_report", "user_id": anna.String()}); status != 202 || p["started"] != true {
		t.Fatalf("weekly report: %d %v", status, p)
	}
	if status, p := f.do(key, "POST", "/jobs", map[string]any{"kind": "recompute_load"}); status != 202 || p["users"] != float64(2) {
		t.Fatalf("recompute: %d %v", status, p)
	}
	if status, p := f.do(key, "GET", "/stats?from=2026-01-01&to=2026-01-07", nil); status != 200 || len(p["days"].([]any)) != 7 {
		t.Fatalf("stats: %d %v", status, p)
	}
	// the audit log: every change, newest first, with who and from where; reads are not in it
	status, log := f.do(key, "GET", "/audit", nil)
	entries := log["items"].([]any)
	var actions []string
	for _, e := range entries {
		m := e.(map[string]any)
		actions = append(actions, fmt.Sprint(m["action"]))
		if m["key_name"] != "ops" || m["address"] != "127.0.0.1" {
			t.Errorf("audit entry without its key or address: %v", m)
		}
	}
	if status != 200 || len(actions) < 4 || actions[len(actions)-1] != "updateUser" || actions[0] != "triggerJob" {
		t.Fatalf("audit: %d %v", status, actions)
	}
	first := entries[len(entries)-1].(map[string]any)
	if first["target"] != anna.String() || !strings.Contains(fmt.Sprint(first["detail"]), "suspended") {
		t.Fatalf("the suspension's entry: %v", first)
	}
	if n := f.db.Scalar(t, `SELECT count(*) FROM admin_audit WHERE action LIKE 'list%' OR action LIKE 'get%'`); n != "0" {
		t.Fatalf("%s reads in the audit log", n)
	}
}

// TestAdminWebhooks: an endpoint is registered (its secret shown once, sealed in the store),
// listed without its secret, changed and deleted; internal addresses are refused at
// registration, however written; unknown events are refused; a replay is bounded.
func TestAdminWebhooks(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	key := f.key("integrations", nil, "webhooks")
	status, w := f.do(key, "POST", "/webhooks", map[string]any{"url": "https://hooks.example.com/bc", "events": []string{"task.created", "goal.completed"}})
	secret, _ := w["secret"].(string)
	if status != 201 || !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("create: %d %v", status, w)
	}
	id := w["id"].(string)
	if stored := f.db.Scalar(t, `SELECT encode(secret_sealed, 'escape') FROM webhook_endpoints WHERE id = $1`, id); strings.Contains(stored, strings.TrimPrefix(secret, "whsec_")) {
		t.Fatal("the secret is stored in the clear")
	}
	_, list := f.do(key, "GET", "/webhooks", nil)
	if items := list["items"].([]any); len(items) != 1 || items[0].(map[string]any)["secret"] != nil {
		t.Fatalf("list: %v", list)
	}
	for _, url := range []string{"http://127.0.0.1/x", "http://[::1]/x", "http://10.0.0.5/x", "http://172.16.3.4/x", "http://192.168.1.1/x",
		"http://169.254.169.254/latest/meta-data", "http://[::ffff:10.0.0.1]/x", "http://2130706433/x", "http://0177.0.0.1/x", "http://0x7f000001/x",
		"http://internal.example.com/x", "http://localhost/x", "ftp://hooks.example.com/x"} {
		if status, p := f.do(key, "POST", "/webhooks", map[string]any{"url": url, "events": []string{"task.created"}}); status != 400 {
			t.Errorf("%s registered: %d %v", url, status, p)
		}
		if status, _ := f.do(key, "PATCH", "/webhooks/"+id, map[string]any{"url": url}); status != 400 {
			t.Errorf("%s set by an update: %d", url, status)
		}
	}
	if n := f.db.Scalar(t, `SELECT count(*) FROM webhook_endpoints`); n != "1" {
		t.Fatalf("%s endpoints after the refusals", n)
	}
	if status, _ := f.do(key, "POST", "/webhooks", map[string]any{"url": "https://hooks.example.com/bc", "events": []string{"task.exploded"}}); status != 400 {
		t.Fatalf("an unknown event: %d", status)
	}
	status, w = f.do(key, "PATCH", "/webhooks/"+id, map[string]any{"events": []string{"*"}, "enabled": false})
	if status != 200 || w["enabled"] != false || len(w["events"].([]any)) < 10 {
		t.Fatalf("update: %d %v", status, w)
	}
	now := time.Now().UTC()
	if status, _ := f.do(key, "POST", "/webhooks/"+id+"/replay", map[string]any{"from": now.Add(-time.Hour), "to": now}); status != 409 {
		t.Fatalf("a replay to a disabled endpoint: %d", status)
	}
	f.do(key, "PATCH", "/webhooks/"+id, map[string]any{"enabled": true})
	if status, p := f.do(key, "POST", "/webhooks/"+id+"/replay", map[string]any{"from": now.Add(-time.Hour), "to": now}); status != 202 || p["queued"] != float64(0) {
		t.Fatalf("replay: %d %v", status, p)
	}
	if status, _ := f.do(key, "POST", "/webhooks/"+id+"/replay", map[string]any{"from": now.Add(-40 * 24 * time.Hour), "to": now}); status != 400 {
		t.Fatalf("a 40-day replay: %d", status)
	}
	if status, _ := f.do(key, "POST", "/webhooks/"+uuid.NewString()+"/replay", map[string]any{"event_ids": []int64{1}}); status != 404 {
		t.Fatalf("a replay to no endpoint: %d", status)
	}
	if status, _ := f.do(key, "DELETE", "/webhooks/"+id, nil); status != 204 {
		t.Fatalf("delete: %d", status)
	}
	if status, _ := f.do(key, "DELETE", "/webhooks/"+id, nil); status != 404 {
		t.Fatalf("delete again: %d", status)
	}
	if n := f.db.Scalar(t, `SELECT count(*) FROM admin_audit WHERE action = 'createWebhook' AND detail::text LIKE '%whsec_%'`); n != "0" {
		t.Fatal("a secret in the audit log")
	}
}

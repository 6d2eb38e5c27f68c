package webhooks_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/webhooks"
)

func get(t *testing.T, h http.Handler, path string) (int, string, http.Header) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.String(), rec.Header()
}

func TestHealthAndMetrics(t *testing.T) {
	t.Parallel()
	h := webhooks.New(webhooks.Options{}).Handler()
	for _, c := range []struct {
		path   string
		status int
		body   string
	}{
		{"/healthz", 200, `"ok"`},
		{"/metrics", 200, "bizconnect_http_request_duration_seconds"},
		{"/nope", 404, `"status":404`},
	} {
		// one request first so the metrics have a sample
		get(t, h, "/healthz")
		status, body, _ := get(t, h, c.path)
		if status != c.status || !strings.Contains(body, c.body) {
			t.Errorf("GET %s = %d %q, want %d containing %q", c.path, status, body, c.status, c.body)
		}
	}
	_, _, hdr := get(t, h, "/nope")
	if ct := hdr.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("error content type = %q", ct)
	}
}

func TestReadyzFollowsTheDatabase(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	h := webhooks.New(webhooks.Options{ReadyFunc: db.Ready}).Handler()
	ready := func(want int, reason string) {
		t.Helper()
		status, body, _ := get(t, h, "/readyz")
		if status != want {
			t.Fatalf("GET /readyz = %d %s, want %d", status, body, want)
		}
		if reason != "" {
			var p webhooks.Problem
			if err := json.Unmarshal([]byte(body), &p); err != nil || !strings.Contains(p.Detail, reason) {
				t.Fatalf("GET /readyz body %s: want a reason containing %q", body, reason)
			}
		}
	}
	ready(200, "")

	db.SetAllowConnections(t, false)
	ready(503, "database unavailable")

	db.SetAllowConnections(t, true)
	ready(200, "")

	// a schema behind the binary is not ready either
	if _, err := db.Super.Exec(context.Background(), `DELETE FROM goose_db_version WHERE version_id = (SELECT max(version_id) FROM goose_db_version)`); err != nil {
		t.Fatal(err)
	}
	ready(503, "migrate up")
}

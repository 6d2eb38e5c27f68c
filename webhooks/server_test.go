package webhooks_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/bizconnect/bizconnect/core"
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
	srv := webhooks.New(webhooks.Options{})
	h := srv.Handler()
	for _, c := range []struct {
		path   string
		status int
		body   string
	}{
		{"/healthz", 200, `"ok"`},
		{"/metrics", 404, `"status":404`}, // never beside the public routes
		{"/nope", 404, `"status":404`},
	} {
		status, body, _ := get(t, h, c.path)
		if status != c.status || !strings.Contains(body, c.body) {
			t.Errorf("GET %s = %d %q, want %d containing %q", c.path, status, body, c.status, c.body)
		}
	}
	_, _, hdr := get(t, h, "/nope")
	if ct := hdr.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("error content type = %q", ct)
	}
	status, body, _ := get(t, srv.MetricsHandler(), "/metrics")
	if status != 200 || !strings.Contains(body, `bizconnect_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"} 1`) ||
		!strings.Contains(body, `route="not_found"`) {
		t.Errorf("metrics = %d %q", status, body)
	}
}

// TestMetricsLabelsDontComeFromRequests sends 20,000 requests with made-up methods and paths: the
// metrics stay small and so does the memory, since no label value is taken from a request.
func TestMetricsLabelsDontComeFromRequests(t *testing.T) {
	srv := webhooks.New(webhooks.Options{})
	h := srv.Handler()
	rng := rand.New(rand.NewPCG(1, 2))
	hit := func(n int) {
		for range n {
			method := fmt.Sprintf("X%06d", rng.IntN(1_000_000))
			if rng.IntN(4) == 0 {
				method = http.MethodGet
			}
			r := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/p%d/%d?q=%d", rng.IntN(1e6), rng.IntN(1e6), rng.IntN(1e6)), nil)
			r.Method = method
			h.ServeHTTP(httptest.NewRecorder(), r)
		}
	}
	hit(2000) // warm up: pools, maps and the GC reach their steady size
	heap0, rss0 := memory()
	hit(20_000)
	heap1, rss1 := memory()
	_, body, _ := get(t, srv.MetricsHandler(), "/metrics")
	if len(body) > 100<<10 {
		t.Errorf("/metrics is %d bytes after 20,000 made-up requests, want < 100 KB", len(body))
	}
	if n := strings.Count(body, "bizconnect_http_request_duration_seconds_count{"); n > 4 {
		t.Errorf("%d request series, want a handful (GET and other, not_found):\n%s", n, body)
	}
	if grow := heap1 - heap0; grow > 2<<20 {
		t.Errorf("live heap grew by %d KB", grow>>10)
	}
	if rss0 > 0 && rss1-rss0 > 10<<20 {
		t.Errorf("RSS grew by %d MB", (rss1-rss0)>>20)
	}
}

// memory returns the live heap after a collection and the resident set size (0 where /proc is
// not available).
func memory() (heap, rss int64) {
	runtime.GC()
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if b, err := os.ReadFile("/proc/self/statm"); err == nil {
		if f := strings.Fields(string(b)); len(f) > 1 {
			pages, _ := strconv.ParseInt(f[1], 10, 64)
			rss = pages * int64(os.Getpagesize())
		}
	}
	return int64(ms.HeapAlloc), rss
}

func TestReadyzHidesConnectionDetailsAndListsPending(t *testing.T) {
	t.Parallel()
	var logs strings.Builder
	h := webhooks.New(webhooks.Options{
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		ReadyFunc: func(context.Context) error {
			return errors.Join(core.Errorf(core.EUNAVAILABLE, "database unavailable"),
				errors.New("failed to connect to `user=bizconnect_app database=bizconnect`: 127.0.0.1:5432"))
		},
	}).Handler()
	status, body, _ := get(t, h, "/readyz")
	if status != 503 || !strings.Contains(body, "database unavailable") || strings.Contains(body, "user=") || strings.Contains(body, "127.0.0.1") {
		t.Errorf("readyz = %d %s", status, body)
	}
	if !strings.Contains(logs.String(), "127.0.0.1:5432") {
		t.Errorf("the detail is not in the log: %s", logs.String())
	}
	h = webhooks.New(webhooks.Options{ReadyFunc: func(context.Context) error { return errors.New("dial tcp 10.0.0.7:5432: refused") }}).Handler()
	if status, body, _ := get(t, h, "/readyz"); status != 503 || strings.Contains(body, "10.0.0.7") {
		t.Errorf("readyz with an internal error = %d %s", status, body)
	}
	h = webhooks.New(webhooks.Options{PendingFunc: func() []string { return []string{"telegram setup"} }}).Handler()
	if status, body, _ := get(t, h, "/readyz"); status != 200 || !strings.Contains(body, `"pending":["telegram setup"]`) {
		t.Errorf("readyz with a pending step = %d %s", status, body)
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

package admin_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// ui calls River's web UI at path with key as the Basic password (none when empty), from the
// UI's own page unless origin says another.
func (f *fixture) ui(key, method, path, body, origin string) (int, http.Header, string) {
	f.t.Helper()
	req, _ := http.NewRequest(method, f.url+"/admin/riverui"+path, strings.NewReader(body))
	if key != "" {
		req.SetBasicAuth("operator", key)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
		req.Header.Set("Sec-Fetch-Site", "cross-site")
	} else if method != http.MethodGet {
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(got)
}

// TestAdminJobsUI: River's web UI answers an admin key only, given as the browser gives it
// (the Basic password it asks for once): a read key looks at the jobs but can't cancel one; a
// write key cancels it, and that is in the audit log; a change posted from another site is
// refused whatever the key; a revoked key is refused.
func TestAdminJobsUI(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	reader := f.key("reader", nil, "read")
	writer := f.key("ops", nil, "read", "write")
	broadcaster := f.key("news", nil, "broadcast")

	status, h, _ := f.ui("", "GET", "/", "", "")
	if status != 401 || !strings.HasPrefix(h.Get("WWW-Authenticate"), "Basic ") {
		t.Fatalf("no key: %d %q, want 401 asking for Basic credentials", status, h.Get("WWW-Authenticate"))
	}
	if status, _, _ := f.ui("not-a-key", "GET", "/", "", ""); status != 401 {
		t.Fatalf("a wrong password: %d, want 401", status)
	}
	if status, _, _ := f.ui(broadcaster, "GET", "/api/jobs?state=available", "", ""); status != 403 {
		t.Fatalf("a key without the read scope: %d, want 403", status)
	}
	status, h, page := f.ui(reader, "GET", "/", "", "")
	if status != 200 || !strings.Contains(page, "<title>River</title>") || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("the UI's page: %d %q %.200s", status, h.Get("Cache-Control"), page)
	}

	// its script, and a page opened by its address, come the same way
	script := regexp.MustCompile(`src="/admin/riverui(/assets/[^"]+\.js)"`).FindStringSubmatch(page)
	if script == nil {
		t.Fatalf("no script in the page: %.400s", page)
	}
	if status, h, _ := f.ui(reader, "GET", script[1], "", ""); status != 200 || !strings.Contains(h.Get("Content-Type"), "javascript") {
		t.Fatalf("the script %s: %d %q", script[1], status, h.Get("Content-Type"))
	}
	if status, _, _ := f.ui("", "GET", script[1], "", ""); status != 401 {
		t.Fatalf("the script without a key: %d", status)
	}
	if status, _, deep := f.ui(reader, "GET", "/jobs", "", ""); status != 200 || !strings.Contains(deep, "<title>River</title>") {
		t.Fatalf("/jobs: %d", status)
	}

	// a broadcast's job waits in River (this instance only schedules)
	if status, _ := f.do(broadcaster, "POST", "/broadcasts", map[string]any{"text": map[string]string{"en": "Hi", "ru": "Привет"}}); status != 202 {
		t.Fatalf("broadcast: %d", status)
	}
	status, _, list := f.ui(reader, "GET", "/api/jobs?state=available", "", "")
	var jobs struct {
		Data []struct {
			ID   json.Number `json:"id"`
			Kind string      `json:"kind"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(list), &jobs); status != 200 || err != nil || len(jobs.Data) != 1 {
		t.Fatalf("the available jobs: %d %v %.300s", status, err, list)
	}
	id := jobs.Data[0].ID.String()
	cancel := fmt.Sprintf(`{"ids":["%s"]}`, id)
	state := func() string { return f.db.Scalar(t, `SELECT state::text FROM river.river_job WHERE id = $1`, id) }

	if status, _, _ := f.ui(reader, "POST", "/api/jobs/cancel", cancel, ""); status != 403 || state() != "available" {
		t.Fatalf("a read key cancels a job: %d, job %s", status, state())
	}
	if status, _, _ := f.ui(writer, "POST", "/api/jobs/cancel", cancel, "https://evil.example"); status != 403 || state() != "available" {
		t.Fatalf("a cancel posted from another site: %d, job %s", status, state())
	}
	if status, _, body := f.ui(writer, "POST", "/api/jobs/cancel", cancel, ""); status != 200 || state() != "cancelled" {
		t.Fatalf("a write key cancels the job: %d %.200s, job %s", status, body, state())
	}
	audit := f.db.Scalar(t, `SELECT action || ' ' || target || ' ' || (detail->>'status') FROM admin_audit
		WHERE action = 'riverui' ORDER BY id DESC LIMIT 1`)
	if audit != "riverui POST /api/jobs/cancel 200" {
		t.Fatalf("the audit log has %q, want the cancel", audit)
	}
	if status, _, _ := f.ui(reader, "GET", "/api/jobs?state=cancelled", "", ""); status != 200 {
		t.Fatalf("looking again: %d", status)
	}
	if ok, err := f.store.RevokeKey(context.Background(), strings.Split(reader, "_")[1]); err != nil || !ok {
		t.Fatalf("revoke: %v %v", ok, err)
	}
	if status, _, _ := f.ui(reader, "GET", "/api/jobs?state=available", "", ""); status != 401 {
		t.Fatalf("a revoked key: %d, want 401", status)
	}
}

package main

import (
	"net/http"
	"strings"
	"testing"
)

// TestCORSAllowsOnlyTheListedOrigins: a front end on an allowed origin may call the auth and
// REST APIs from a browser (preflight answered, ETag readable); another origin gets no CORS
// headers, and neither do the platform webhooks.
func TestCORSAllowsOnlyTheListedOrigins(t *testing.T) {
	t.Parallel()
	_, base := startApp(t, map[string]string{"BC_JWT_SECRET": authEnv["BC_JWT_SECRET"], "AUTH_AUTOCONFIRM": "true",
		"CORS_ALLOWED_ORIGINS": "https://app.example.com"})
	preflight := func(path, origin string) *http.Response {
		req, _ := http.NewRequest("OPTIONS", base+path, nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "apikey,authorization,content-type,idempotency-key,x-client-info") // as browsers send it: sorted, lower case
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for _, path := range []string{"/auth/v1/token?grant_type=password", "/api/v1/tasks"} {
		resp := preflight(path, "https://app.example.com")
		if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example.com" ||
			!strings.Contains(strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers")), "idempotency-key") {
			t.Errorf("%s preflight from the app: %d %v", path, resp.StatusCode, resp.Header)
		}
		if resp := preflight(path, "https://evil.example"); resp.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s preflight from another origin allowed: %v", path, resp.Header)
		}
	}
	if resp := preflight("/telegram/webhook", "https://app.example.com"); resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("the webhook answers CORS: %v", resp.Header)
	}
	_, s := authCall(t, "POST", base+"/auth/v1/signup", "", map[string]any{"email": "cors@example.com", "password": "long enough"})
	req, _ := http.NewRequest("GET", base+"/api/v1/tasks", nil)
	req.Header.Set("Origin", "https://app.example.com")
	req.Header.Set("Authorization", "Bearer "+s["access_token"].(string))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example.com" ||
		!strings.Contains(resp.Header.Get("Access-Control-Expose-Headers"), "Etag") && !strings.Contains(resp.Header.Get("Access-Control-Expose-Headers"), "ETag") {
		t.Errorf("a request from the app: %d %v", resp.StatusCode, resp.Header)
	}
}

// TestAPILimitsEachUser: past its bound a user's requests get 429 with Retry-After in RFC 9457
// form, while another user's go through.
func TestAPILimitsEachUser(t *testing.T) {
	t.Parallel()
	_, base := startApp(t, map[string]string{"BC_JWT_SECRET": authEnv["BC_JWT_SECRET"], "AUTH_AUTOCONFIRM": "true", "API_RATE_PER_MINUTE": "5"})
	token := func(email string) string {
		_, s := authCall(t, "POST", base+"/auth/v1/signup", "", map[string]any{"email": email, "password": "long enough"})
		return s["access_token"].(string)
	}
	get := func(tok string) *http.Response {
		req, _ := http.NewRequest("GET", base+"/api/v1/tasks", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	a, b := token("limit-a@example.com"), token("limit-b@example.com")
	for i := range 5 {
		if resp := get(a); resp.StatusCode != 200 {
			t.Fatalf("request %d: %d", i+1, resp.StatusCode)
		}
	}
	resp := get(a)
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("the sixth request: %d %v", resp.StatusCode, resp.Header)
	}
	if resp := get(b); resp.StatusCode != 200 {
		t.Errorf("another user: %d", resp.StatusCode)
	}
}

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

var authEnv = map[string]string{"BC_JWT_SECRET": strings.Repeat("s3cret-", 6), "AUTH_AUTOCONFIRM": "true"}

// authCall makes one auth API request and decodes its JSON answer.
func authCall(t testing.TB, method, url, token string, body any) (int, map[string]any) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, r)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("apikey", "anon") // supabase-js sends it; it grants nothing
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if resp.StatusCode != http.StatusNoContent {
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			t.Fatalf("%s %s: %d, not JSON: %v", method, url, resp.StatusCode, err)
		}
	}
	return resp.StatusCode, out
}

// TestAuthAPISpeaksGoTrue walks the Supabase Auth API as supabase-js does: sign up, sign in,
// read and change the user, refresh (and reuse a refresh token), sign out; every answer in
// GoTrue's shapes, every refusal in its error shape.
func TestAuthAPISpeaksGoTrue(t *testing.T) {
	t.Parallel()
	_, base := startApp(t, authEnv)
	api := base + "/auth/v1"
	status, s := authCall(t, "POST", api+"/signup", "", map[string]any{"email": "Anna@Example.com", "password": "correct horse", "data": map[string]any{"name": "Anna"}})
	if status != 200 || s["token_type"] != "bearer" || s["access_token"] == "" || s["refresh_token"] == "" || s["expires_in"].(float64) != 3600 {
		t.Fatalf("sign-up: %d %v", status, s)
	}
	user := s["user"].(map[string]any)
	if user["email"] != "anna@example.com" || user["aud"] != "authenticated" || user["email_confirmed_at"] == nil ||
		user["user_metadata"].(map[string]any)["name"] != "Anna" {
		t.Errorf("user %v", user)
	}
	if status, e := authCall(t, "POST", api+"/signup", "", map[string]any{"email": "anna@example.com", "password": "another one"}); status != 422 || e["error_code"] != "user_already_exists" {
		t.Errorf("a second sign-up: %d %v", status, e)
	}
	status, in := authCall(t, "POST", api+"/token?grant_type=password", "", map[string]any{"email": "anna@example.com", "password": "correct horse", "gotrue_meta_security": map[string]any{}})
	if status != 200 || in["access_token"] == s["access_token"] {
		t.Fatalf("sign-in: %d %v", status, in)
	}
	for _, bad := range []map[string]any{{"email": "anna@example.com", "password": "wrong one"}, {"email": "nobody@example.com", "password": "wrong one"}} {
		if status, e := authCall(t, "POST", api+"/token?grant_type=password", "", bad); status != 400 || e["error_code"] != "invalid_credentials" || e["msg"] != "Invalid login credentials" || e["code"].(float64) != 400 {
			t.Errorf("%v: %d %v", bad["email"], status, e)
		}
	}
	token := in["access_token"].(string)
	if status, u := authCall(t, "GET", api+"/user", token, nil); status != 200 || u["email"] != "anna@example.com" {
		t.Errorf("user: %d %v", status, u)
	}
	if status, u := authCall(t, "PUT", api+"/user", token, map[string]any{"data": map[string]any{"company": "Acme"}}); status != 200 ||
		u["user_metadata"].(map[string]any)["company"] != "Acme" || u["user_metadata"].(map[string]any)["name"] != "Anna" {
		t.Errorf("update: %d %v", status, u)
	}
	for _, tok := range []string{"", token + "x"} {
		if status, e := authCall(t, "GET", api+"/user", tok, nil); status != 401 && status != 403 || e["error_code"] == nil {
			t.Errorf("user with token %.10q: %d %v", tok, status, e)
		}
	}
	status, next := authCall(t, "POST", api+"/token?grant_type=refresh_token", "", map[string]any{"refresh_token": in["refresh_token"]})
	if status != 200 || next["refresh_token"] == in["refresh_token"] {
		t.Fatalf("refresh: %d %v", status, next)
	}
	if status, e := authCall(t, "POST", api+"/token?grant_type=refresh_token", "", map[string]any{"refresh_token": in["refresh_token"]}); status != 400 || e["error_code"] != "refresh_token_already_used" {
		t.Errorf("a reused refresh token: %d %v", status, e)
	}
	if status, e := authCall(t, "POST", api+"/token?grant_type=refresh_token", "", map[string]any{"refresh_token": next["refresh_token"]}); status != 400 || e["error_code"] != "refresh_token_not_found" {
		t.Errorf("the revoked family's last token: %d %v", status, e)
	}
	if status, _ := authCall(t, "POST", api+"/logout?scope=global", s["access_token"].(string), nil); status != 204 {
		t.Errorf("logout: %d", status)
	}
	if status, e := authCall(t, "POST", api+"/token?grant_type=refresh_token", "", map[string]any{"refresh_token": s["refresh_token"]}); status != 400 || e["error_code"] != "refresh_token_not_found" {
		t.Errorf("refresh after a global sign-out: %d %v", status, e)
	}
	if status, st := authCall(t, "GET", api+"/settings", "", nil); status != 200 || st["mailer_autoconfirm"] != true || st["external"].(map[string]any)["email"] != true {
		t.Errorf("settings: %d %v", status, st)
	}
	if status, e := authCall(t, "POST", api+"/token?grant_type=password", "", strings.Repeat("x", 20<<10)); status != 400 || e["error_code"] != "bad_json" {
		t.Errorf("a 20 KB body: %d %v", status, e)
	}
}

// TestAuthAPILimitsEachAddress: past 30 auth requests a minute from one address the API
// answers 429 (GoTrue's over_request_rate_limit): sign-ins cost a hash each.
func TestAuthAPILimitsEachAddress(t *testing.T) {
	t.Parallel()
	_, base := startApp(t, authEnv)
	limited := 0
	for i := range 35 {
		// cheap requests (no hash): 35 of them take milliseconds, well within one refill of the bucket
		status, e := authCall(t, "POST", base+"/auth/v1/token?grant_type=unknown", "", map[string]any{"email": fmt.Sprintf("u%d@example.com", i)})
		if status == 429 {
			limited++
			if e["error_code"] != "over_request_rate_limit" {
				t.Errorf("429 answer %v", e)
			}
		}
	}
	if limited != 5 {
		t.Errorf("%d of 35 requests limited, want 5", limited)
	}
}

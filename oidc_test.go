package main

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/oauth2-proxy/mockoidc"
)

// oidcRig is the product with Google sign-in pointed at a mockoidc provider, and a browser that
// doesn't follow redirects by itself.
type oidcRig struct {
	t       *testing.T
	base    string
	idp     *mockoidc.MockOIDC
	browser *http.Client
}

const welcome = "http://app.example/welcome"

func newOIDCRig(t *testing.T) (*oidcRig, func(sql string, args ...any) string) {
	t.Helper()
	idp, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idp.Shutdown() }) //nolint:errcheck // the test is over
	cfg := idp.Config()
	env := map[string]string{"PUBLIC_URL": "auto", "AUTH_GOOGLE_CLIENT_ID": cfg.ClientID, "AUTH_GOOGLE_SECRET": cfg.ClientSecret,
		"AUTH_GOOGLE_ISSUER": cfg.Issuer, "AUTH_REDIRECT_URLS": welcome + ", http://app.example/other"}
	maps.Copy(env, authEnv)
	db, base := startApp(t, env)
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	scalar := func(sql string, args ...any) string { return db.Scalar(t, sql, args...) }
	return &oidcRig{t: t, base: base, idp: idp, browser: browser}, scalar
}

// get requests u and returns the status and where it redirects.
func (r *oidcRig) get(u string) (int, *url.URL) {
	r.t.Helper()
	resp, err := r.browser.Get(u)
	if err != nil {
		r.t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := resp.Location()
	return resp.StatusCode, loc
}

// start begins a sign-in and returns the provider's authorize URL.
func (r *oidcRig) start() *url.URL {
	r.t.Helper()
	status, to := r.get(r.base + "/auth/v1/authorize?provider=google&redirect_to=" + url.QueryEscape(welcome))
	if status != http.StatusFound || to == nil {
		r.t.Fatalf("authorize: %d", status)
	}
	return to
}

// atProvider signs in at the provider and returns our callback URL it sends the browser to.
func (r *oidcRig) atProvider(authorize *url.URL) *url.URL {
	r.t.Helper()
	status, cb := r.get(authorize.String())
	if status != http.StatusFound || cb == nil || !strings.HasPrefix(cb.String(), r.base+"/auth/v1/callback") {
		r.t.Fatalf("the provider answered %d → %v", status, cb)
	}
	return cb
}

// TestGoogleSignInWithStatePKCEAndNonce: the sign-in goes to the provider with a state, a PKCE
// S256 challenge and a nonce, and comes back with a session in the redirect's fragment; the
// identity is kept, so the next sign-in is the same user. A replayed callback, a forged state, a
// code replayed under another flow and an ID token with another nonce are all refused, and an
// unlisted redirect_to is never used.
func TestGoogleSignInWithStatePKCEAndNonce(t *testing.T) {
	t.Parallel()
	r, scalar := newOIDCRig(t)
	r.idp.QueueUser(&mockoidc.MockUser{Subject: "g-1", Email: "Anna@Gmail.com", EmailVerified: true})
	authorize := r.start()
	q := authorize.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("nonce") == "" || q.Get("state") == "" ||
		q.Get("redirect_uri") != r.base+"/auth/v1/callback" {
		t.Fatalf("authorize URL %s", authorize)
	}
	callback := r.atProvider(authorize)
	status, back := r.get(callback.String())
	if status != http.StatusFound || back == nil || !strings.HasPrefix(back.String(), welcome+"#") {
		t.Fatalf("callback: %d → %v", status, back)
	}
	session, _ := url.ParseQuery(back.Fragment)
	token := session.Get("access_token")
	if token == "" || session.Get("refresh_token") == "" || session.Get("token_type") != "bearer" {
		t.Fatalf("fragment %q", back.Fragment)
	}
	if status, u := authCall(t, "GET", r.base+"/auth/v1/user", token, nil); status != 200 || u["email"] != "anna@gmail.com" ||
		fmt.Sprint(u["app_metadata"]) != "map[provider:google providers:[google]]" {
		t.Fatalf("the signed-in user: %d %v", status, u)
	}
	if n := scalar(`SELECT count(*) FROM identities WHERE provider = 'google' AND external_id = 'g-1'`); n != "1" {
		t.Errorf("%s Google identities", n)
	}

	// the same callback again: its state was used
	if status, _ := r.get(callback.String()); status != http.StatusBadRequest {
		t.Errorf("a replayed callback: %d, want 400", status)
	}
	if status, _ := r.get(r.base + "/auth/v1/callback?code=x&state=forged"); status != http.StatusBadRequest {
		t.Errorf("a forged state: %d, want 400", status)
	}
	// the used code under a fresh flow's state: the provider refuses it
	fresh := r.start()
	replay := r.base + "/auth/v1/callback?code=" + url.QueryEscape(callback.Query().Get("code")) + "&state=" + url.QueryEscape(fresh.Query().Get("state"))
	if status, to := r.get(replay); status != http.StatusFound || !strings.Contains(to.Fragment, "error_code=bad_oauth_callback") || strings.Contains(to.Fragment, "access_token") {
		t.Errorf("a replayed code: %d → %v", status, to)
	}
	// an ID token whose nonce is not the flow's
	tampered := r.start()
	tq := tampered.Query()
	tq.Set("nonce", "someone-elses")
	tampered.RawQuery = tq.Encode()
	if status, to := r.get(r.atProvider(tampered).String()); status != http.StatusFound || !strings.Contains(to.Fragment, "error_code=bad_oauth_callback") {
		t.Errorf("a bad nonce: %d → %v", status, to)
	}
	// a second sign-in of the same Google account is the same user
	r.idp.QueueUser(&mockoidc.MockUser{Subject: "g-1", Email: "anna@gmail.com", EmailVerified: true})
	if _, back := r.get(r.atProvider(r.start()).String()); back == nil || !strings.Contains(back.Fragment, "access_token") {
		t.Fatalf("second sign-in: %v", back)
	}
	if n := scalar(`SELECT count(*) FROM users WHERE email = 'anna@gmail.com'`); n != "1" || scalar(`SELECT count(DISTINCT user_id) FROM identities WHERE provider = 'google'`) != "1" {
		t.Errorf("%s accounts after two sign-ins", n)
	}
	for _, to := range []string{"http://evil.example/", welcome + "/../steal", "javascript:alert(1)"} {
		if status, _ := r.get(r.base + "/auth/v1/authorize?provider=google&redirect_to=" + url.QueryEscape(to)); status != http.StatusBadRequest {
			t.Errorf("redirect_to %q: %d, want 400", to, status)
		}
	}
	if status, _ := r.get(r.base + "/auth/v1/authorize?provider=yandex"); status != http.StatusBadRequest {
		t.Errorf("a provider not configured: %d, want 400", status)
	}
	if status, s := authCall(t, "GET", r.base+"/auth/v1/settings", "", nil); status != 200 || s["external"].(map[string]any)["google"] != true {
		t.Errorf("settings: %v", s)
	}
}

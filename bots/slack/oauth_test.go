package slack

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/bots/slack/slackfake"
	"github.com/bizconnect/bizconnect/core"
)

// install runs GET /slack/install and returns the state cookie.
func install(t *testing.T, b *testBundle) *http.Cookie {
	t.Helper()
	rec := serve(b.a.InstallHandler(), httptest.NewRequest(http.MethodGet, "/slack/install", nil))
	if rec.Code != http.StatusFound {
		t.Fatalf("install status %d", rec.Code)
	}
	cookies := rec.Result().Cookies()
	if len(cookies) != 1 || cookies[0].Name != stateCookie {
		t.Fatalf("cookies %v", cookies)
	}
	return cookies[0]
}

func TestInstallRedirects(t *testing.T) {
	b := setup(t)
	rec := serve(b.a.InstallHandler(), httptest.NewRequest(http.MethodGet, "/slack/install", nil))
	c := rec.Result().Cookies()[0]
	if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || len(c.Value) != 32+1+43 {
		t.Errorf("cookie %+v", c)
	}
	if exp, ok := b.a.parseState(c.Value); !ok || time.Until(exp) < 9*time.Minute || time.Until(exp) > stateTTL {
		t.Errorf("state %q: signed %v, expires %v", c.Value, ok, exp)
	}
	if len(b.states.used) != 0 {
		t.Errorf("an install visit stored states: %v", b.states.used)
	}
	loc, err := url.Parse(rec.Header().Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	q := loc.Query()
	if loc.Path != "/oauth/v2/authorize" || !strings.HasPrefix(b.api.URL(), "http://"+loc.Host) {
		t.Errorf("redirect to %v, want the fake's authorize page", loc)
	}
	if q.Get("state") != c.Value || q.Get("client_id") != "cid" || q.Get("scope") != Scopes ||
		q.Get("redirect_uri") != "https://bc.example/slack/oauth/callback" {
		t.Errorf("query %v", q)
	}
}

func TestOAuthCallback(t *testing.T) {
	grant := slackfake.Grant{Code: "code-1", TeamID: "T9", TeamName: "Acme", BotToken: "xoxb-new", BotUserID: "UBOT", UserID: "U7"}
	tests := []struct {
		name     string
		state    func(cookie string) string // the state query parameter
		noCookie bool
		reuse    bool
		// forgeCookie sends the cookie with the state's value (a forger controls both)
		forgeCookie bool
		expired     bool // the callback comes after the state's expiry
		code        string
		wantStatus  int
		wantSaved   bool
	}{
		{name: "good", state: same, code: "code-1", wantStatus: 200, wantSaved: true},
		{name: "state differs from cookie", state: func(string) string { return "forged" }, code: "code-1", wantStatus: 403},
		{name: "no cookie", state: same, noCookie: true, code: "code-1", wantStatus: 403},
		{name: "reused state", state: same, reuse: true, code: "code-1", wantStatus: 403},
		{name: "forged signature", state: func(c string) string { // other last two characters, always
			if strings.HasSuffix(c, "AA") {
				return c[:len(c)-2] + "BB"
			}
			return c[:len(c)-2] + "AA"
		}, forgeCookie: true, code: "code-1", wantStatus: 403},
		{name: "expired state", state: same, expired: true, code: "code-1", wantStatus: 403},
		{name: "code refused by Slack", state: same, code: "bad", wantStatus: 502},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := setup(t)
			b.api.SetGrant(grant)
			c := install(t, b)
			if tt.reuse {
				if ok, _ := b.states.Consume(t.Context(), c.Value, time.Now().Add(time.Minute)); !ok {
					t.Fatal("first consume failed")
				}
			}
			if tt.expired {
				b.a.now = func() time.Time { return time.Now().Add(stateTTL + time.Second) }
			}
			state := tt.state(c.Value)
			if tt.forgeCookie {
				c.Value = state
			}
			r := httptest.NewRequest(http.MethodGet, "/slack/oauth/callback?code="+tt.code+"&state="+url.QueryEscape(state), nil)
			if !tt.noCookie {
				r.AddCookie(c)
			}
			rec := serve(b.a.OAuthCallbackHandler(), r)
			if rec.Code != tt.wantStatus {
				t.Errorf("status %d, want %d: %s", rec.Code, tt.wantStatus, rec.Body.String())
			}
			saved := b.installs.saved
			if !tt.wantSaved {
				if len(saved) != 0 {
					t.Errorf("saved %v", saved)
				}
				return
			}
			want := core.Installation{TeamID: "T9", TeamName: "Acme", BotToken: "xoxb-new", BotUserID: "UBOT", InstallerUserID: "U7", InstallerName: "User U7", InstallerTimeZone: "Europe/Berlin"}
			if len(saved) != 1 || saved[0] != want {
				t.Errorf("saved %+v, want %+v", saved, want)
			}
			calls := b.api.Calls("oauth.v2.access")
			if len(calls) != 1 || calls[0].Form.Get("client_secret") != "csecret" || calls[0].Form.Get("redirect_uri") != "https://bc.example/slack/oauth/callback" {
				t.Errorf("oauth.v2.access calls %+v", calls)
			}
			if !strings.Contains(rec.Body.String(), "Installed, open Slack") {
				t.Errorf("page %q", rec.Body.String())
			}
			if cs := rec.Result().Cookies(); len(cs) != 1 || cs[0].MaxAge >= 0 {
				t.Errorf("cookie not cleared: %v", cs)
			}
		})
	}
}

func same(s string) string { return s }

func TestInstallVisitsStoreNothing(t *testing.T) {
	b := setup(t)
	seen := map[string]bool{}
	for range 1000 {
		c := install(t, b)
		if seen[c.Value] {
			t.Fatalf("state %q issued twice", c.Value)
		}
		seen[c.Value] = true
	}
	if len(b.states.used) != 0 {
		t.Fatalf("1,000 anonymous install visits stored %d states", len(b.states.used))
	}
}

func TestOAuthCallbackError(t *testing.T) {
	b := setup(t)
	rec := serve(b.a.OAuthCallbackHandler(), httptest.NewRequest(http.MethodGet, "/slack/oauth/callback?error=access_denied", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "cancelled") || len(b.installs.saved) != 0 || len(b.api.Calls("")) != 0 {
		t.Errorf("answer %d %q", rec.Code, rec.Body.String())
	}
}

func TestOAuthDisabledWithoutClientID(t *testing.T) {
	b := setup(t)
	b.a.opts.ClientID = ""
	if rec := serve(b.a.InstallHandler(), httptest.NewRequest(http.MethodGet, "/slack/install", nil)); rec.Code != 404 {
		t.Errorf("status %d, want 404", rec.Code)
	}
}

func TestAuthorizeURL(t *testing.T) {
	tests := []struct{ api, option, want string }{
		{"https://slack.com/api/", "", "https://slack.com/oauth/v2/authorize"},
		{"http://127.0.0.1:5555/", "", "http://127.0.0.1:5555/oauth/v2/authorize"},
		{"http://127.0.0.1:5555/", "https://auth.example/authorize", "https://auth.example/authorize"},
	}
	for _, tt := range tests {
		a := &Adapter{apiURL: tt.api, opts: Options{AuthorizeURL: tt.option}}
		if got := a.authorizeURL(); got != tt.want {
			t.Errorf("authorizeURL(%q, %q) = %q, want %q", tt.api, tt.option, got, tt.want)
		}
	}
}

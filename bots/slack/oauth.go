package slack

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bizconnect/bizconnect/core"
	"github.com/slack-go/slack"
)

// Scopes are the bot scopes the app asks for when installed.
const Scopes = "app_mentions:read,chat:write,commands,im:history,im:read,im:write,users:read"

// stateCookie binds an OAuth state to the browser that started the install.
const stateCookie = "slack_oauth_state"

// stateTTL is how long an install may take between /slack/install and the callback.
const stateTTL = 10 * time.Minute

// InstallHandler returns the handler for GET /slack/install: it issues a fresh OAuth state, sets
// it in a cookie and redirects to Slack's consent screen. The state is signed and carries its
// expiry, so an anonymous visit stores nothing. 404 when OAuth isn't configured.
func (a *Adapter) InstallHandler() http.Handler {
	return http.HandlerFunc(a.serveInstall)
}

func (a *Adapter) serveInstall(w http.ResponseWriter, r *http.Request) {
	if a.opts.ClientID == "" {
		http.NotFound(w, r)
		return
	}
	state, err := a.newState(a.now().Add(stateTTL))
	if err != nil {
		a.log.Error("slack: install: new state", "error", err)
		page(w, http.StatusInternalServerError, "Something went wrong", "Please try again in a minute.")
		return
	}
	a.setStateCookie(w, state, int(stateTTL/time.Second))
	q := url.Values{"client_id": {a.opts.ClientID}, "scope": {Scopes}, "state": {state}, "redirect_uri": {a.opts.RedirectURL}}
	http.Redirect(w, r, a.authorizeURL()+"?"+q.Encode(), http.StatusFound)
}

// newState returns 16 random bytes and the expiry, signed: base64url(nonce‖expiry).base64url(mac).
func (a *Adapter) newState(expires time.Time) (string, error) {
	payload := make([]byte, 16, 24)
	if _, err := rand.Read(payload); err != nil {
		return "", fmt.Errorf("slack: oauth state: %w", err)
	}
	payload = binary.BigEndian.AppendUint64(payload, uint64(expires.Unix()))
	return base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(a.stateMAC(payload)), nil
}

// parseState checks a state's signature and returns its expiry.
func (a *Adapter) parseState(state string) (time.Time, bool) {
	p, m, ok := strings.Cut(state, ".")
	payload, err1 := base64.RawURLEncoding.DecodeString(p)
	mac, err2 := base64.RawURLEncoding.DecodeString(m)
	if !ok || err1 != nil || err2 != nil || len(payload) != 24 || !hmac.Equal(mac, a.stateMAC(payload)) {
		return time.Time{}, false
	}
	return time.Unix(int64(binary.BigEndian.Uint64(payload[16:])), 0), true
}

// stateMAC signs a state with a key derived from the client secret, which only we and Slack hold.
func (a *Adapter) stateMAC(payload []byte) []byte {
	k := hmac.New(sha256.New, []byte(a.opts.ClientSecret))
	k.Write([]byte("bizconnect slack oauth state"))
	h := hmac.New(sha256.New, k.Sum(nil))
	h.Write(payload)
	return h.Sum(nil)
}

// authorizeURL is Slack's consent screen, or the test server's when APIURL points at one.
func (a *Adapter) authorizeURL() string {
	if a.opts.AuthorizeURL != "" {
		return a.opts.AuthorizeURL
	}
	u, err := url.Parse(a.apiURL)
	if err != nil || u.Host == "" || u.Hostname() == "slack.com" || strings.HasSuffix(u.Hostname(), ".slack.com") {
		return "https://slack.com/oauth/v2/authorize"
	}
	return u.Scheme + "://" + u.Host + "/oauth/v2/authorize"
}

// setStateCookie sets (maxAge > 0) or clears (maxAge < 0) the state cookie.
func (a *Adapter) setStateCookie(w http.ResponseWriter, state string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: stateCookie, Value: state, Path: "/slack/", MaxAge: maxAge, HttpOnly: true,
		Secure: strings.HasPrefix(a.opts.RedirectURL, "https://"), SameSite: http.SameSiteLaxMode,
	})
}

// OAuthCallbackHandler returns the handler for GET /slack/oauth/callback. It requires the state
// parameter to equal the browser's cookie and to be unused and unexpired, exchanges the code
// (oauth.v2.access) and saves the installation. Nothing is stored unless all of that holds.
func (a *Adapter) OAuthCallbackHandler() http.Handler {
	return http.HandlerFunc(a.serveCallback)
}

func (a *Adapter) serveCallback(w http.ResponseWriter, r *http.Request) {
	if a.opts.ClientID == "" {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	if q.Get("error") != "" {
		a.setStateCookie(w, "", -1)
		page(w, http.StatusOK, "Installation cancelled", "Business Connect was not added to your workspace. You can close this page.")
		return
	}
	if status, msg := a.checkState(r.Context(), r, q.Get("state")); status != http.StatusOK {
		page(w, status, "Installation refused", msg)
		return
	}
	a.setStateCookie(w, "", -1)
	inst, err := a.exchange(r.Context(), q.Get("code"))
	if err == nil {
		err = a.opts.Installs.Save(r.Context(), inst)
	}
	if err != nil {
		a.log.Error("slack: install", "team_id", inst.TeamID, "error", err)
		page(w, http.StatusBadGateway, "Installation failed", "Slack didn't complete the installation. Please start again.")
		return
	}
	a.log.Info("slack: installed", "team_id", inst.TeamID, "installer", inst.InstallerUserID)
	page(w, http.StatusOK, "Installed, open Slack",
		"Business Connect is now in "+inst.TeamName+". Open Slack and write to it, or type /bc.")
}

// checkState compares state with the cookie in constant time, checks its signature and expiry,
// then consumes it.
func (a *Adapter) checkState(ctx context.Context, r *http.Request, state string) (int, string) {
	c, err := r.Cookie(stateCookie)
	if state == "" || err != nil || subtle.ConstantTimeCompare([]byte(c.Value), []byte(state)) != 1 {
		return http.StatusForbidden, "This link doesn't belong to this browser. Start the installation again."
	}
	expires, ok := a.parseState(state)
	if !ok || !a.now().Before(expires) {
		return http.StatusForbidden, "This link has expired or was already used. Start the installation again."
	}
	ok, err = a.opts.States.Consume(ctx, state, expires)
	switch {
	case err != nil:
		a.log.Error("slack: install: consume state", "error", err)
		return http.StatusInternalServerError, "Something went wrong. Please try again."
	case !ok:
		return http.StatusForbidden, "This link has expired or was already used. Start the installation again."
	}
	return http.StatusOK, ""
}

// exchange trades an authorization code for the workspace's bot token.
func (a *Adapter) exchange(ctx context.Context, code string) (core.Installation, error) {
	if code == "" {
		return core.Installation{}, fmt.Errorf("slack: oauth exchange: no code")
	}
	resp, err := slack.GetOAuthV2ResponseContext(ctx, a.client, a.opts.ClientID, a.opts.ClientSecret,
		code, a.opts.RedirectURL, slack.OAuthOptionAPIURL(a.apiURL))
	if err != nil {
		return core.Installation{}, fmt.Errorf("slack: oauth exchange: %w", err)
	}
	if resp.AccessToken == "" || resp.Team.ID == "" {
		return core.Installation{}, fmt.Errorf("slack: oauth exchange: no bot token or team in the answer")
	}
	inst := core.Installation{
		TeamID: resp.Team.ID, TeamName: resp.Team.Name, BotToken: resp.AccessToken,
		BotUserID: resp.BotUserID, InstallerUserID: resp.AuthedUser.ID,
	}
	inst.InstallerName, inst.InstallerTimeZone = a.installer(ctx, resp.AccessToken, inst.InstallerUserID)
	return inst, nil
}

// installer looks the installer's name and time zone up; they are niceties, so failures give "".
func (a *Adapter) installer(ctx context.Context, token, userID string) (name, zone string) {
	if userID == "" {
		return "", ""
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	u, err := a.api(token).GetUserInfoContext(ctx, userID)
	if err != nil {
		a.log.Debug("slack: install: users.info", "error", err)
		return "", ""
	}
	if u.RealName != "" {
		return u.RealName, u.TZ
	}
	return u.Name, u.TZ
}

// page writes a minimal HTML page for the browser.
func page(w http.ResponseWriter, status int, title, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html><meta charset=utf-8><title>%s</title><h1>%s</h1><p>%s</p>\n",
		html.EscapeString(title), html.EscapeString(title), html.EscapeString(text))
}

// Package googletest is a fake of Google's OAuth 2.0 endpoints and the parts of the Calendar
// API v3 the assistant uses (freeBusy, events insert/patch/delete), speaking their wire
// protocol and refusing what Google refuses: a code used twice or with the wrong PKCE verifier,
// a revoked refresh token (invalid_grant), an expired or revoked access token (401), a call
// outside the granted scopes (403 insufficientPermissions), an empty or too long time range,
// an event without an end, a malformed or taken event id (a deleted event's too: it stays,
// cancelled, until a write confirms it), deleting a deleted event (410).
package googletest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// Scopes the fake knows.
const (
	FreeBusyScope = "https://www.googleapis.com/auth/calendar.freebusy"
	EventsScope   = "https://www.googleapis.com/auth/calendar.events.owned"
)

// Period is a busy stretch of time.
type Period struct{ Start, End time.Time }

// Event is an event as stored by the fake.
type Event struct {
	ID, Summary, Description string
	Start, End               time.Time
	Transparent              bool
	Deleted                  bool
}

// Server is the fake. Its zero value is not usable: call New.
type Server struct {
	*httptest.Server
	ClientID, ClientSecret string

	mu       sync.Mutex
	now      func() time.Time
	codes    map[string]grant  // authorization codes not yet exchanged
	refresh  map[string]grant  // refresh tokens
	access   map[string]access // access tokens
	busy     []Period          // the calendar's own busy time (other people's meetings)
	events   map[string]*Event
	calls    map[string]int    // "POST /token refresh_token", "POST freeBusy", …
	failNext map[string][2]int // what → HTTP status to answer, and how many times more
	untick   map[string]bool   // scopes the user unticks on the consent screen
}

type grant struct {
	scopes    []string
	challenge string
	redirect  string
	revoked   bool
}

type access struct {
	scopes  []string
	expires time.Time
	refresh string
}

// New starts a fake for the client id and secret.
func New(clientID, clientSecret string) *Server {
	s := &Server{ClientID: clientID, ClientSecret: clientSecret, now: time.Now, codes: map[string]grant{}, refresh: map[string]grant{},
		access: map[string]access{}, events: map[string]*Event{}, calls: map[string]int{}, failNext: map[string][2]int{}, untick: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /o/oauth2/v2/auth", s.authorize)
	mux.HandleFunc("POST /token", s.token)
	mux.HandleFunc("POST /revoke", s.revoke)
	mux.HandleFunc("POST /calendar/v3/freeBusy", s.api(FreeBusyScope, s.freeBusy))
	mux.HandleFunc("POST /calendar/v3/calendars/{cal}/events", s.api(EventsScope, s.insert))
	mux.HandleFunc("PATCH /calendar/v3/calendars/{cal}/events/{id}", s.api(EventsScope, s.patch))
	mux.HandleFunc("DELETE /calendar/v3/calendars/{cal}/events/{id}", s.api(EventsScope, s.delete))
	s.Server = httptest.NewServer(mux)
	return s
}

// AuthURL, TokenURL, RevokeURL and APIURL are where the client is to be pointed.
func (s *Server) AuthURL() string   { return s.URL + "/o/oauth2/v2/auth" }
func (s *Server) TokenURL() string  { return s.URL + "/token" }
func (s *Server) RevokeURL() string { return s.URL + "/revoke" }
func (s *Server) APIURL() string    { return s.URL + "/calendar/v3/" }

// SetNow sets the fake's clock (access tokens expire by it).
func (s *Server) SetNow(now func() time.Time) { s.mu.Lock(); s.now = now; s.mu.Unlock() }

// SetBusy sets the calendar's busy time that the assistant did not write.
func (s *Server) SetBusy(p ...Period) { s.mu.Lock(); s.busy = p; s.mu.Unlock() }

// RevokeAll revokes every grant, as a user removing the app's access in their Google account.
func (s *Server) RevokeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, g := range s.refresh {
		g.revoked = true
		s.refresh[k] = g
	}
	clear(s.access)
}

// ExpireAccessTokens makes every access token expired, so the next call refreshes.
func (s *Server) ExpireAccessTokens() { s.mu.Lock(); clear(s.access); s.mu.Unlock() }

// Events are the live events the assistant wrote, by id.
func (s *Server) Events() map[string]Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]Event{}
	for id, e := range s.events {
		if !e.Deleted {
			out[id] = *e
		}
	}
	return out
}

// DeleteEvent deletes an event as its owner would in Google Calendar.
func (s *Server) DeleteEvent(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.events[id]; e != nil {
		e.Deleted = true
	}
}

// Calls counts the requests by what they were ("token refresh_token", "freeBusy", "insert", …).
func (s *Server) Calls(what string) int { s.mu.Lock(); defer s.mu.Unlock(); return s.calls[what] }

// FailNext makes the next request of what ("freeBusy", "insert", …) fail with status.
func (s *Server) FailNext(what string, status int) { s.Fail(what, status, 1) }

// Fail makes the next n requests of what fail with status.
func (s *Server) Fail(what string, status, n int) {
	s.mu.Lock()
	s.failNext[what] = [2]int{status, n}
	s.mu.Unlock()
}

// Untick makes the consent screen grant everything asked but scopes, as a user unticking their
// boxes; Untick() grants all again.
func (s *Server) Untick(scopes ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.untick)
	for _, sc := range scopes {
		s.untick[sc] = true
	}
}

// Grants are the scopes of the live refresh tokens, one list per grant.
func (s *Server) Grants() [][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out [][]string
	for _, g := range s.refresh {
		if !g.revoked {
			out = append(out, g.scopes)
		}
	}
	return out
}

// Consent follows an authorization URL as a user pressing "Allow": it checks what Google checks
// and returns the redirect with the code and the state.
func (s *Server) Consent(authURL string) (*url.URL, error) {
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(authURL)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusFound {
		return nil, fmt.Errorf("googletest: consent: %s", res.Status)
	}
	return url.Parse(res.Header.Get("Location"))
}

func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch {
	case q.Get("client_id") != s.ClientID:
		http.Error(w, "Error 401: invalid_client", http.StatusUnauthorized)
		return
	case q.Get("response_type") != "code", q.Get("redirect_uri") == "", q.Get("scope") == "":
		http.Error(w, "Error 400: invalid_request", http.StatusBadRequest)
		return
	case q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43:
		http.Error(w, "Error 400: invalid_request (code_challenge)", http.StatusBadRequest)
		return
	}
	scopes := strings.Fields(q.Get("scope"))
	for _, sc := range scopes {
		if sc != FreeBusyScope && sc != EventsScope {
			http.Error(w, "Error 400: invalid_scope", http.StatusBadRequest)
			return
		}
	}
	code := "4/" + token()
	s.mu.Lock()
	scopes = slices.DeleteFunc(scopes, func(sc string) bool { return s.untick[sc] })
	if q.Get("include_granted_scopes") == "true" { // incremental authorization keeps what was granted
		for _, g := range s.refresh {
			if !g.revoked {
				for _, sc := range g.scopes {
					if !slices.Contains(scopes, sc) {
						scopes = append(scopes, sc)
					}
				}
			}
		}
	}
	s.codes[code] = grant{scopes: scopes, challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri")}
	s.mu.Unlock()
	to, _ := url.Parse(q.Get("redirect_uri"))
	v := to.Query()
	v.Set("code", code)
	v.Set("state", q.Get("state"))
	v.Set("scope", strings.Join(scopes, " "))
	to.RawQuery = v.Encode()
	http.Redirect(w, r, to.String(), http.StatusFound)
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "bad form")
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != s.ClientID || secret != s.ClientSecret {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "The OAuth client was not found.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	kind := r.PostForm.Get("grant_type")
	s.calls["token "+kind]++
	switch kind {
	case "authorization_code":
		code := r.PostForm.Get("code")
		g, ok := s.codes[code]
		delete(s.codes, code) // a code works once
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		switch {
		case !ok:
			oauthError(w, http.StatusBadRequest, "invalid_grant", "Malformed auth code.")
		case base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge:
			oauthError(w, http.StatusBadRequest, "invalid_grant", "Invalid code verifier.")
		case r.PostForm.Get("redirect_uri") != g.redirect:
			oauthError(w, http.StatusBadRequest, "redirect_uri_mismatch", "Bad Request")
		default:
			rt := "1//" + token()
			s.refresh[rt] = g
			s.issue(w, rt, g.scopes, true)
		}
	case "refresh_token":
		rt := r.PostForm.Get("refresh_token")
		g, ok := s.refresh[rt]
		if !ok || g.revoked {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "Token has been expired or revoked.")
			return
		}
		s.issue(w, rt, g.scopes, false)
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "Invalid grant_type: "+kind)
	}
}

// issue answers a new access token (and the refresh token on the first exchange).
func (s *Server) issue(w http.ResponseWriter, refresh string, scopes []string, first bool) {
	at := "ya29." + token()
	s.access[at] = access{scopes: scopes, expires: s.now().Add(time.Hour), refresh: refresh}
	body := map[string]any{"access_token": at, "expires_in": 3599, "token_type": "Bearer", "scope": strings.Join(scopes, " ")}
	if first {
		body["refresh_token"] = refresh
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(body)
}

func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	t := r.Form.Get("token")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls["revoke"]++
	if a, ok := s.access[t]; ok {
		t = a.refresh
	}
	g, ok := s.refresh[t]
	if !ok || g.revoked {
		oauthError(w, http.StatusBadRequest, "invalid_token", "Token expired or revoked")
		return
	}
	g.revoked = true
	s.refresh[t] = g
	for k, a := range s.access {
		if a.refresh == t {
			delete(s.access, k)
		}
	}
	w.WriteHeader(http.StatusOK)
}

// api checks the bearer token and its scope, counts the call and answers a failure set by
// FailNext, then serves fn.
func (s *Server) api(scope string, fn func(w http.ResponseWriter, r *http.Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		what := map[string]string{http.MethodPost: "insert", http.MethodPatch: "patch", http.MethodDelete: "delete"}[r.Method]
		if strings.HasSuffix(r.URL.Path, "/freeBusy") {
			what = "freeBusy"
		}
		s.mu.Lock()
		s.calls[what]++
		fail := 0
		if f := s.failNext[what]; f[1] > 0 {
			fail = f[0]
			s.failNext[what] = [2]int{f[0], f[1] - 1}
		}
		a, ok := s.access[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
		live := ok && s.now().Before(a.expires) && !s.refresh[a.refresh].revoked
		s.mu.Unlock()
		switch {
		case !live:
			apiError(w, http.StatusUnauthorized, "authError", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.")
		case !slices.Contains(a.scopes, scope): // events.owned does not read free/busy: Google's freeBusy takes the calendar scopes only
			apiError(w, http.StatusForbidden, "insufficientPermissions", "Request had insufficient authentication scopes.")
		case fail != 0:
			apiError(w, fail, "backendError", http.StatusText(fail))
		case r.PathValue("cal") != "" && r.PathValue("cal") != "primary":
			apiError(w, http.StatusNotFound, "notFound", "Not Found")
		default:
			r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
			fn(w, r)
		}
	}
}

type wirePeriod struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

func (s *Server) freeBusy(w http.ResponseWriter, r *http.Request) {
	var req struct {
		TimeMin  string `json:"timeMin"`
		TimeMax  string `json:"timeMax"`
		TimeZone string `json:"timeZone"`
		Items    []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		apiError(w, http.StatusBadRequest, "parseError", "Parse Error")
		return
	}
	from, err1 := time.Parse(time.RFC3339, req.TimeMin)
	to, err2 := time.Parse(time.RFC3339, req.TimeMax)
	switch {
	case req.TimeMin == "":
		apiError(w, http.StatusBadRequest, "required", "Missing timeMin parameter.")
		return
	case req.TimeMax == "":
		apiError(w, http.StatusBadRequest, "required", "Missing timeMax parameter.")
		return
	case err1 != nil || err2 != nil:
		apiError(w, http.StatusBadRequest, "invalid", "Bad Request")
		return
	case !to.After(from):
		apiError(w, http.StatusBadRequest, "timeRangeEmpty", "The specified time range is empty.")
		return
	case to.Sub(from) > 90*24*time.Hour:
		apiError(w, http.StatusBadRequest, "timeRangeTooLong", "The requested time range is too long.")
		return
	case len(req.Items) == 0 || len(req.Items) > 50:
		apiError(w, http.StatusBadRequest, "invalid", "Invalid items.")
		return
	}
	loc := time.UTC
	if req.TimeZone != "" {
		if loc, err1 = time.LoadLocation(req.TimeZone); err1 != nil {
			apiError(w, http.StatusBadRequest, "invalid", "Invalid time zone definition for query.")
			return
		}
	}
	s.mu.Lock()
	periods := slices.Clone(s.busy)
	for _, e := range s.events {
		if !e.Deleted && !e.Transparent {
			periods = append(periods, Period{e.Start, e.End})
		}
	}
	s.mu.Unlock()
	slices.SortFunc(periods, func(a, b Period) int { return a.Start.Compare(b.Start) })
	var merged []Period // Google answers merged, clipped periods
	for _, p := range periods {
		p.Start, p.End = later(p.Start, from), earlier(p.End, to)
		if !p.End.After(p.Start) {
			continue
		}
		if n := len(merged); n > 0 && !p.Start.After(merged[n-1].End) {
			merged[n-1].End = later(merged[n-1].End, p.End)
			continue
		}
		merged = append(merged, p)
	}
	cals := map[string]any{}
	for _, it := range req.Items {
		if it.ID != "primary" {
			cals[it.ID] = map[string]any{"errors": []map[string]string{{"domain": "global", "reason": "notFound"}}}
			continue
		}
		busy := []wirePeriod{}
		for _, p := range merged {
			busy = append(busy, wirePeriod{p.Start.In(loc).Format(time.RFC3339), p.End.In(loc).Format(time.RFC3339)})
		}
		cals[it.ID] = map[string]any{"busy": busy}
	}
	writeJSON(w, http.StatusOK, map[string]any{"kind": "calendar#freeBusy", "timeMin": req.TimeMin, "timeMax": req.TimeMax, "calendars": cals})
}

type wireEvent struct {
	ID           string   `json:"id,omitempty"`
	Summary      string   `json:"summary,omitempty"`
	Description  string   `json:"description,omitempty"`
	Start        *wireDay `json:"start,omitempty"`
	End          *wireDay `json:"end,omitempty"`
	Transparency string   `json:"transparency,omitempty"`
	Status       string   `json:"status,omitempty"`
	Kind         string   `json:"kind,omitempty"`
	Etag         string   `json:"etag,omitempty"`
}

type wireDay struct {
	DateTime string `json:"dateTime,omitempty"`
	Date     string `json:"date,omitempty"`
	TimeZone string `json:"timeZone,omitempty"`
}

// eventID is Google's rule for ids a client chooses: base32hex, 5 to 1024 characters.
var eventID = regexp.MustCompile(`^[a-v0-9]+$`)

func (s *Server) insert(w http.ResponseWriter, r *http.Request) {
	var ev wireEvent
	if err := json.NewDecoder(r.Body).Decode(&ev); err != nil {
		apiError(w, http.StatusBadRequest, "parseError", "Parse Error")
		return
	}
	if ev.ID == "" {
		ev.ID = strings.ToLower(strings.Trim(base64.RawURLEncoding.EncodeToString([]byte(token()))[:26], "-_"))
	} else if !eventID.MatchString(ev.ID) || len(ev.ID) < 5 || len(ev.ID) > 1024 {
		apiError(w, http.StatusBadRequest, "invalid", "Invalid resource id value.")
		return
	}
	e := &Event{ID: ev.ID}
	if !s.apply(w, e, ev, true) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, taken := s.events[ev.ID]; taken {
		apiError(w, http.StatusConflict, "duplicate", "The requested identifier already exists.") // deleted ones too
		return
	}
	s.events[ev.ID] = e
	writeJSON(w, http.StatusOK, wire(e))
}

func (s *Server) patch(w http.ResponseWriter, r *http.Request) {
	var ev wireEvent
	if err := json.NewDecoder(r.Body).Decode(&ev); err != nil {
		apiError(w, http.StatusBadRequest, "parseError", "Parse Error")
		return
	}
	s.mu.Lock()
	e := s.events[r.PathValue("id")]
	var cp Event
	if e != nil {
		cp = *e
	}
	s.mu.Unlock()
	if e == nil {
		apiError(w, http.StatusNotFound, "notFound", "Not Found")
		return
	}
	if !s.apply(w, &cp, ev, false) {
		return
	}
	if ev.Status == "confirmed" { // a deleted event stays, cancelled, until a write confirms it again
		cp.Deleted = false
	}
	s.mu.Lock()
	*e = cp
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, wire(&cp))
}

func (s *Server) delete(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.events[r.PathValue("id")]
	switch {
	case e == nil:
		apiError(w, http.StatusNotFound, "notFound", "Not Found")
	case e.Deleted:
		apiError(w, http.StatusGone, "deleted", "Resource has been deleted")
	default:
		e.Deleted = true
		w.WriteHeader(http.StatusNoContent)
	}
}

// apply sets what ev says on e, refusing what Google refuses; whole is an insert (start and
// end required).
func (s *Server) apply(w http.ResponseWriter, e *Event, ev wireEvent, whole bool) bool {
	if len([]rune(ev.Summary)) > 1024 || len(ev.Description) > 8192 {
		apiError(w, http.StatusBadRequest, "invalid", "Invalid value.")
		return false
	}
	if ev.Summary != "" || whole {
		e.Summary = ev.Summary
	}
	if ev.Description != "" || whole {
		e.Description = ev.Description
	}
	if ev.Transparency != "" {
		e.Transparent = ev.Transparency == "transparent"
	}
	for _, d := range []struct {
		day  *wireDay
		to   *time.Time
		name string
	}{{ev.Start, &e.Start, "start"}, {ev.End, &e.End, "end"}} {
		if d.day == nil {
			if whole {
				apiError(w, http.StatusBadRequest, "required", "Missing "+d.name+" time.")
				return false
			}
			continue
		}
		t, err := time.Parse(time.RFC3339, d.day.DateTime)
		if err != nil {
			apiError(w, http.StatusBadRequest, "invalid", "Invalid "+d.name+" time.")
			return false
		}
		*d.to = t
	}
	if !e.End.After(e.Start) {
		apiError(w, http.StatusBadRequest, "timeRangeEmpty", "The specified time range is empty.")
		return false
	}
	return true
}

func wire(e *Event) wireEvent {
	tr := "opaque"
	if e.Transparent {
		tr = "transparent"
	}
	status := "confirmed"
	if e.Deleted {
		status = "cancelled"
	}
	return wireEvent{Kind: "calendar#event", ID: e.ID, Etag: fmt.Sprintf("%q", token()[:8]), Status: status, Summary: e.Summary,
		Description: e.Description, Transparency: tr,
		Start: &wireDay{DateTime: e.Start.Format(time.RFC3339)}, End: &wireDay{DateTime: e.End.Format(time.RFC3339)}}
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

// apiError answers Google's JSON error shape.
func apiError(w http.ResponseWriter, status int, reason, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"code": status, "message": msg,
		"errors": []map[string]string{{"domain": "global", "reason": reason, "message": msg}}}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func token() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

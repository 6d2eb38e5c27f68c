// Package slackfake helps test code that talks to Slack: a Web API server (built on slacktest)
// that records the calls it gets and answers like Slack, and request signing as Slack does it.
package slackfake

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack/slacktest"
)

// Sign sets the X-Slack-Request-Timestamp and X-Slack-Signature headers Slack would send with
// body at time at, signed with secret (v0: HMAC-SHA256 over "v0:<timestamp>:<body>").
func Sign(h http.Header, secret string, body []byte, at time.Time) {
	ts := strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:%s", ts, body)
	h.Set("X-Slack-Request-Timestamp", ts)
	h.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
}

// Call is one Web API call the server received.
type Call struct {
	Method string         // "chat.postMessage"
	Token  string         // the bearer token, or the form's token
	Form   url.Values     // form-encoded calls
	JSON   map[string]any // JSON calls (views.*)
	At     time.Time
}

// Failure is the answer to give to the next call of a method instead of success.
type Failure struct {
	Status     int    // HTTP status; 200 when zero
	RetryAfter int    // Retry-After seconds, with Status 429
	Error      string // the Web API error code ("channel_not_found")
}

// Grant is what oauth.v2.access answers for Code.
type Grant struct {
	Code, TeamID, TeamName, BotToken, BotUserID, UserID string
}

// Server is a fake Web API. Point the code under test at URL().
type Server struct {
	srv *slacktest.Server

	mu       sync.Mutex
	calls    []Call
	failures map[string][]Failure
	grant    Grant
	seq      int
}

// methods are the Web API methods the fake answers itself.
var methods = []string{"chat.postMessage", "chat.postEphemeral", "chat.update", "views.open", "views.publish",
	"oauth.v2.access", "users.info"}

// New starts a server stopped when the test ends.
func New(t testing.TB) *Server {
	s := &Server{failures: map[string][]Failure{}}
	s.srv = slacktest.NewTestServer(func(c slacktest.Customize) {
		for _, m := range methods {
			c.Handle("/"+m, s.handle(m))
		}
	})
	s.srv.Start()
	t.Cleanup(s.srv.Stop)
	return s
}

// URL is the Web API base URL, ending in "/".
func (s *Server) URL() string { return s.srv.GetAPIURL() }

// SetGrant sets what oauth.v2.access answers; other codes get invalid_code.
func (s *Server) SetGrant(g Grant) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.grant = g
}

// FailNext makes the next call of method fail with f (queued after earlier failures).
func (s *Server) FailNext(method string, f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures[method] = append(s.failures[method], f)
}

// Calls returns the calls of method received so far, oldest first ("" for all).
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

func (s *Server) handle(method string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := readCall(method, r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.mu.Lock()
		s.calls = append(s.calls, c)
		var f *Failure
		if q := s.failures[method]; len(q) > 0 {
			f, s.failures[method] = &q[0], q[1:]
		}
		s.seq++
		seq, grant := s.seq, s.grant
		s.mu.Unlock()
		if f != nil {
			fail(w, *f)
			return
		}
		writeJSON(w, answer(c, seq, grant))
	}
}

func readCall(method string, r *http.Request) (Call, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return Call{}, err
	}
	c := Call{Method: method, Token: strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "), At: time.Now()}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		err = json.Unmarshal(body, &c.JSON)
	} else {
		c.Form, err = url.ParseQuery(string(body))
		if c.Token == "" {
			c.Token = c.Form.Get("token")
		}
	}
	return c, err
}

func fail(w http.ResponseWriter, f Failure) {
	if f.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
	}
	if f.Status != 0 && f.Status != http.StatusOK {
		http.Error(w, http.StatusText(f.Status), f.Status)
		return
	}
	writeJSON(w, map[string]any{"ok": false, "error": f.Error})
}

// answer is Slack's success answer to c.
func answer(c Call, seq int, g Grant) map[string]any {
	ts := fmt.Sprintf("1700000000.%06d", seq)
	switch c.Method {
	case "chat.postMessage", "chat.update":
		return map[string]any{"ok": true, "channel": c.Form.Get("channel"), "ts": orDefault(c.Form.Get("ts"), ts)}
	case "chat.postEphemeral":
		return map[string]any{"ok": true, "message_ts": ts}
	case "views.open", "views.publish":
		return map[string]any{"ok": true, "view": map[string]any{"id": fmt.Sprintf("V%d", seq)}}
	case "oauth.v2.access":
		if g.Code == "" || c.Form.Get("code") != g.Code {
			return map[string]any{"ok": false, "error": "invalid_code"}
		}
		return map[string]any{"ok": true, "access_token": g.BotToken, "token_type": "bot", "bot_user_id": g.BotUserID,
			"team": map[string]any{"id": g.TeamID, "name": g.TeamName}, "authed_user": map[string]any{"id": g.UserID}}
	case "users.info":
		id := c.Form.Get("user")
		return map[string]any{"ok": true, "user": map[string]any{"id": id, "name": "user" + id, "real_name": "User " + id, "tz": "Europe/Berlin"}}
	}
	return map[string]any{"ok": true}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

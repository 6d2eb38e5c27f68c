package telegramtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// DefaultToken is the bot token a Server accepts unless Options.Token says otherwise.
const DefaultToken = "123456789:AAtest-token"

// DefaultUsername is the fake bot's username unless Options.Username says otherwise.
const DefaultUsername = "bizconnect_test_bot"

// Options configure a Server; zero values pick sensible defaults.
type Options struct {
	Token    string        // the only token accepted; DefaultToken when empty
	Username string        // getMe's username; DefaultUsername when empty
	PollWait time.Duration // longest getUpdates long-poll wait, whatever timeout asks; 200 ms when 0
	// EnforceRates answers 429 (retry_after 1), as Telegram does, to a send beyond 30 in any
	// second or to a chat written to less than a second before (with RateSlack of allowance for
	// the network between client and server).
	EnforceRates bool
	RateSlack    time.Duration
}

// Server is a fake Bot API server. Its methods are safe for concurrent use.
type Server struct {
	URL string // base URL, to be used as TELEGRAM_API_URL

	srv      *httptest.Server
	token    string
	username string
	pollWait time.Duration

	mu       sync.Mutex
	calls    []Call
	changed  chan struct{} // closed and replaced whenever calls or updates change
	updates  []queuedUpdate
	nextUpd  int64
	nextMsg  int
	messages map[string]*sentMessage // "chat/message" → message
	failures []scripted
	blocked  map[string]Failure // chat id → what every send there answers
	webhook  webhook
	refused  []Refusal
	rates    bool
	slack    time.Duration
	sends    []time.Time          // the accepted sends' times, for EnforceRates
	lastTo   map[string]time.Time // chat → its last accepted send
	limited  []Limited            // sends answered 429 by EnforceRates
}

type queuedUpdate struct {
	id  int64
	raw json.RawMessage
}

type webhook struct{ url, secret string }

// NewServer starts a Server and closes it when the test ends.
func NewServer(t testing.TB, opts Options) *Server {
	t.Helper()
	s := &Server{
		token:    opts.Token,
		username: opts.Username,
		pollWait: opts.PollWait,
		changed:  make(chan struct{}),
		nextUpd:  1,
		nextMsg:  1,
		messages: map[string]*sentMessage{},
		blocked:  map[string]Failure{},
		rates:    opts.EnforceRates,
		slack:    opts.RateSlack,
		lastTo:   map[string]time.Time{},
	}
	if s.token == "" {
		s.token = DefaultToken
	}
	if s.username == "" {
		s.username = DefaultUsername
	}
	if s.pollWait == 0 {
		s.pollWait = 200 * time.Millisecond
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// Token returns the token the server accepts.
func (s *Server) Token() string { return s.token }

// Bot returns the fake bot's own user, as getMe describes it.
func (s *Server) Bot() User {
	id, _ := strconv.ParseInt(strings.SplitN(s.token, ":", 2)[0], 10, 64)
	return User{ID: id, IsBot: true, FirstName: "Business Connect", Username: s.username}
}

// Webhook returns the URL and secret token of the last setWebhook call ("" after deleteWebhook).
func (s *Server) Webhook() (url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhook.url, s.webhook.secret
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	token, method, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/bot"), "/")
	if !ok || !strings.HasPrefix(r.URL.Path, "/bot") {
		writeError(w, Failure{Code: http.StatusNotFound, Description: "Not Found"})
		return
	}
	if token != s.token {
		writeError(w, Failure{Code: http.StatusUnauthorized, Description: "Unauthorized"})
		return
	}
	call, err := readCall(r, method)
	if err != nil {
		writeError(w, BadRequest(err.Error()))
		return
	}
	s.record(call)
	if s.overRate(call) {
		writeError(w, TooManyRequests(1))
		return
	}
	scriptedF, hold, ok := s.scriptedFailure(call)
	if ok {
		writeError(w, scriptedF)
		return
	}
	if hold != nil {
		select {
		case <-hold:
		case <-r.Context().Done():
			return
		}
	}
	result, f := s.dispatch(r, call)
	if f != nil {
		if f.Code == http.StatusBadRequest {
			s.mu.Lock()
			s.refused = append(s.refused, Refusal{Call: call, Failure: *f})
			s.mu.Unlock()
		}
		writeError(w, *f)
		return
	}
	writeResult(w, result)
}

// overRate reports whether a send goes beyond the bot's 30 a second or its chat's one a second,
// when the server enforces them; an accepted send counts toward both.
func (s *Server) overRate(c Call) bool {
	if !s.rates || !isSend(c.Method) {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	window := c.Time.Add(-time.Second + s.slack)
	n := 0
	for i := len(s.sends) - 1; i >= 0 && s.sends[i].After(window); i-- {
		n++
	}
	if n >= 30 || c.Time.Sub(s.lastTo[c.ChatID()]) < time.Second-s.slack {
		by := "chat"
		if n >= 30 {
			by = "bot"
		}
		s.limited = append(s.limited, Limited{Call: c, By: by})
		return true
	}
	s.sends = append(s.sends, c.Time)
	s.lastTo[c.ChatID()] = c.Time
	return false
}

// Limited is a send EnforceRates answered with 429, and whose limit it broke: "bot" (30 a
// second) or "chat" (one a second).
type Limited struct {
	Call Call
	By   string
}

// Limited are the sends EnforceRates answered with 429.
func (s *Server) Limited() []Limited {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Limited(nil), s.limited...)
}

// Refusal is a call the server refused as malformed, as the real Bot API would.
type Refusal struct {
	Call    Call
	Failure Failure
}

// Refusals returns the calls refused as malformed (400) on their own merits, not by a scripted
// failure. A product that speaks the Bot API correctly causes none, except for edits Telegram
// refuses by design (a message not modified, or gone).
func (s *Server) Refusals() []Refusal {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Refusal(nil), s.refused...)
}

func (s *Server) dispatch(r *http.Request, c Call) (any, *Failure) {
	switch strings.ToLower(c.Method) {
	case "getme":
		return s.Bot(), nil
	case "getupdates":
		return s.getUpdates(r.Context(), c)
	case "sendmessage":
		return s.sendMessage(c)
	case "sendphoto":
		return s.sendPhoto(c)
	case "editmessagetext":
		return s.editMessageText(c)
	case "answercallbackquery":
		if len([]rune(c.Params["text"])) > 200 {
			return nil, failure(BadRequest("MESSAGE_TOO_LONG"))
		}
		return true, nil
	case "setwebhook":
		return s.setWebhook(c)
	case "deletewebhook":
		s.mu.Lock()
		s.webhook = webhook{}
		s.mu.Unlock()
		return true, nil
	case "setmycommands":
		return s.setMyCommands(c)
	}
	return nil, &Failure{Code: http.StatusNotFound, Description: "Not Found"}
}

func (s *Server) record(c Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
	s.notifyLocked()
}

// notifyLocked wakes everyone waiting for a change; s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func writeResult(w http.ResponseWriter, result any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

func writeError(w http.ResponseWriter, f Failure) {
	body := map[string]any{"ok": false, "error_code": f.Code, "description": f.Description}
	if f.RetryAfter > 0 {
		body["parameters"] = map[string]int{"retry_after": f.RetryAfter}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(f.Code)
	_ = json.NewEncoder(w).Encode(body)
}

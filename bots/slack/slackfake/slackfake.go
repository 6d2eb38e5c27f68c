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
	"unicode/utf8"

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

// Server is a fake Web API. Point the code under test at URL(). It refuses what Slack refuses:
// blocks over Block Kit's limits (invalid_blocks), posts to channels the bot is not in
// (not_in_channel, see NotIn), chat.update of an ephemeral or unknown message
// (message_not_found), and a response_url used more than five times or after 30 minutes.
type Server struct {
	srv *slacktest.Server

	mu        sync.Mutex
	calls     []Call
	failures  map[string][]Failure
	grant     Grant
	seq       int
	messages  map[string]bool // "channel/ts" of the messages posted, true for ephemeral ones
	notIn     map[string]bool // channels the bot is not a member of
	hooks     map[string]*hook
	responses []Response
	refused   []Call
	admins    map[string]string // user id → "owner" or "admin" of the workspace
	locales   map[string]string // user id → the language of their Slack, "en-US" when unset
	uploads   map[string]*File  // file id → a file announced by files.getUploadURLExternal
	files     []File            // files shared by files.completeUploadExternal
	rates     bool              // EnforceRates
	rateSlack time.Duration
	lastPost  map[string]time.Time // channel → its last accepted chat.postMessage
	limited   []Call               // posts answered 429 by EnforceRates
}

// EnforceRates answers 429 (Retry-After 1), as Slack does, to a chat.postMessage to a channel
// that had one less than a second before, with slack of allowance for the network between
// client and server.
func (s *Server) EnforceRates(slack time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rates, s.rateSlack = true, slack
}

// Limited are the posts EnforceRates answered 429.
func (s *Server) Limited() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.limited...)
}

// File is a file uploaded through files.getUploadURLExternal, its upload URL and
// files.completeUploadExternal.
type File struct {
	ID, Name, Title string
	Length          int    // the length announced
	Data            []byte // what was uploaded
	Channel         string // where it was shared
	ThreadTS        string
	Uploaded        bool
}

// maxUpload is the largest file the fake takes (Slack's limit is 1 GB; a chart is far below).
const maxUpload = 10 << 20

// SetRole makes user an owner or admin of the workspace, as users.info reports it.
func (s *Server) SetRole(user, role string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.admins[user] = role
}

// SetLocale sets the language user runs Slack in ("ru-RU"), as users.info reports it when asked
// with include_locale.
func (s *Server) SetLocale(user, locale string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.locales[user] = locale
}

// Response is one post to a response_url.
type Response struct {
	URL             string
	ResponseType    string `json:"response_type"`
	ReplaceOriginal bool   `json:"replace_original"`
	DeleteOriginal  bool   `json:"delete_original"`
	Text            string `json:"text"`
	Blocks          json.RawMessage
	At              time.Time
}

// InChannel reports whether the response is shown to the whole channel.
func (r Response) InChannel() bool { return r.ResponseType == "in_channel" }

type hook struct {
	issued time.Time
	uses   int
}

// methods are the Web API methods the fake answers itself.
var methods = []string{"chat.postMessage", "chat.postEphemeral", "chat.update", "views.open", "views.publish",
	"oauth.v2.access", "users.info", "auth.test", "files.getUploadURLExternal", "files.completeUploadExternal"}

// New starts a server stopped when the test ends.
func New(t testing.TB) *Server {
	s := &Server{failures: map[string][]Failure{}, messages: map[string]bool{}, notIn: map[string]bool{}, hooks: map[string]*hook{},
		admins: map[string]string{}, locales: map[string]string{}, uploads: map[string]*File{}, lastPost: map[string]time.Time{}}
	s.srv = slacktest.NewTestServer(func(c slacktest.Customize) {
		for _, m := range methods {
			c.Handle("/"+m, s.handle(m))
		}
		c.Handle("/response/", s.respond)
		c.Handle("/upload/", s.upload)
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

// NotIn makes the bot a non-member of channel: posts there answer not_in_channel.
func (s *Server) NotIn(channel string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notIn[channel] = true
}

// Closed reports whether NotIn closed channel to the bot.
func (s *Server) Closed(channel string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.notIn[channel]
}

// ResponseURL issues a response_url, as Slack puts in commands and interactions.
func (s *Server) ResponseURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	u := fmt.Sprintf("%sresponse/%d", s.srv.GetAPIURL(), s.seq)
	s.hooks[u] = &hook{issued: time.Now()}
	return u
}

// Responses returns the posts to response_urls so far, oldest first.
func (s *Server) Responses() []Response {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Response(nil), s.responses...)
}

// Refused returns the calls answered with an error Slack would give (not a scripted failure).
func (s *Server) Refused() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.refused...)
}

func (s *Server) respond(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var resp Response
	var raw struct {
		Blocks json.RawMessage `json:"blocks"`
	}
	if json.Unmarshal(body, &resp) != nil || json.Unmarshal(body, &raw) != nil {
		http.Error(w, "invalid_payload", http.StatusBadRequest)
		return
	}
	resp.URL, resp.Blocks, resp.At = s.srv.GetAPIURL()+strings.TrimPrefix(r.URL.Path, "/"), raw.Blocks, time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	h, ok := s.hooks[resp.URL]
	switch {
	case !ok:
		http.Error(w, "no_service", http.StatusNotFound)
		return
	case time.Since(h.issued) > 30*time.Minute:
		http.Error(w, "expired_url", http.StatusNotFound)
		return
	case h.uses >= 5:
		http.Error(w, "used_url", http.StatusNotFound)
		return
	}
	if msg := checkBlocks(raw.Blocks, 50); msg != "" {
		http.Error(w, "invalid_blocks: "+msg, http.StatusBadRequest)
		return
	}
	h.uses++
	s.responses = append(s.responses, resp)
	w.Write([]byte("ok")) //nolint:errcheck
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
		seq, grant, role, locale := s.seq, s.grant, s.admins[c.Form.Get("user")], orDefault(s.locales[c.Form.Get("user")], "en-US")
		refusal := ""
		if f == nil {
			refusal = s.refusalLocked(c)
		}
		if f == nil && refusal == "" && s.rates && method == "chat.postMessage" {
			channel := c.Form.Get("channel")
			if last, ok := s.lastPost[channel]; ok && c.At.Sub(last) < time.Second-s.rateSlack {
				f = &Failure{Status: http.StatusTooManyRequests, RetryAfter: 1}
				s.limited = append(s.limited, c)
			} else {
				s.lastPost[channel] = c.At
			}
		}
		if refusal != "" {
			s.refused = append(s.refused, c)
		}
		s.mu.Unlock()
		switch {
		case f != nil:
			fail(w, *f)
		case refusal != "":
			writeJSON(w, map[string]any{"ok": false, "error": refusal})
		default:
			a := answer(c, s.srv.GetAPIURL(), seq, grant, role, locale)
			s.remember(c, a)
			writeJSON(w, a)
		}
	}
}

// refusalLocked is the error Slack would answer c with, "" when it would take it.
func (s *Server) refusalLocked(c Call) string {
	channel := c.Form.Get("channel")
	switch c.Method {
	case "chat.postMessage", "chat.postEphemeral", "chat.update":
		if s.notIn[channel] {
			return "not_in_channel"
		}
		if msg := checkBlocks(json.RawMessage(c.Form.Get("blocks")), 50); msg != "" {
			return "invalid_blocks"
		}
	case "files.getUploadURLExternal":
		n, err := strconv.Atoi(c.Form.Get("length"))
		if c.Form.Get("filename") == "" || err != nil || n <= 0 || n > maxUpload {
			return "invalid_arguments"
		}
	case "files.completeUploadExternal":
		var fs []struct{ ID string }
		if err := json.Unmarshal([]byte(c.Form.Get("files")), &fs); err != nil || len(fs) == 0 {
			return "invalid_arguments"
		}
		for _, f := range fs {
			if u := s.uploads[f.ID]; u == nil || !u.Uploaded {
				return "file_not_found"
			}
		}
		if ch := c.Form.Get("channel_id"); ch != "" && s.notIn[ch] {
			return "not_in_channel"
		}
	case "views.publish":
		view, _ := c.JSON["view"].(map[string]any)
		b, _ := json.Marshal(view["blocks"])
		if msg := checkBlocks(b, 100); msg != "" {
			return "invalid_blocks"
		}
	case "views.open":
		view, _ := c.JSON["view"].(map[string]any)
		b, _ := json.Marshal(view["blocks"])
		meta, _ := view["private_metadata"].(string)
		if checkBlocks(b, 100) != "" || len(meta) > 3000 || !shortText(view["title"], true) || !shortText(view["submit"], false) || !shortText(view["close"], false) {
			return "invalid_arguments" // a modal's title, submit and close are plain text of at most 24 characters
		}
	}
	if c.Method == "chat.update" {
		if ephemeral, ok := s.messages[channel+"/"+c.Form.Get("ts")]; !ok || ephemeral {
			return "message_not_found" // ephemeral messages are changed through response_url only
		}
	}
	return ""
}

// shortText reports whether a modal's title, submit or close text object is plain text of at
// most 24 characters (absent is fine where it isn't required).
func shortText(v any, required bool) bool {
	o, ok := v.(map[string]any)
	if !ok {
		return !required && v == nil
	}
	text, _ := o["text"].(string)
	return o["type"] == "plain_text" && text != "" && utf8.RuneCountInString(text) <= 24
}

// remember keeps the messages posted, so updates of unknown or ephemeral ones are refused.
func (s *Server) remember(c Call, a map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch c.Method {
	case "chat.postMessage":
		s.messages[c.Form.Get("channel")+"/"+fmt.Sprint(a["ts"])] = false
	case "chat.postEphemeral":
		s.messages[c.Form.Get("channel")+"/"+fmt.Sprint(a["message_ts"])] = true
	case "files.getUploadURLExternal":
		n, _ := strconv.Atoi(c.Form.Get("length"))
		id := fmt.Sprint(a["file_id"])
		s.uploads[id] = &File{ID: id, Name: c.Form.Get("filename"), Length: n}
	case "files.completeUploadExternal":
		var fs []struct{ ID, Title string }
		_ = json.Unmarshal([]byte(c.Form.Get("files")), &fs)
		for _, f := range fs {
			u := s.uploads[f.ID]
			u.Title, u.Channel, u.ThreadTS = f.Title, c.Form.Get("channel_id"), c.Form.Get("thread_ts")
			s.files = append(s.files, *u)
		}
	}
}

// upload takes a file's bytes at the URL files.getUploadURLExternal gave, refusing an unknown
// file, a second upload and bytes that are not the length announced.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/upload/")
	f, _, err := r.FormFile("file")
	if err != nil {
		http.Error(w, "no file", http.StatusBadRequest)
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxUpload+1))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.uploads[id]
	switch {
	case u == nil || u.Uploaded:
		http.Error(w, "unknown upload", http.StatusNotFound)
	case len(data) != u.Length:
		http.Error(w, "length mismatch", http.StatusBadRequest)
	default:
		u.Data, u.Uploaded = data, true
		fmt.Fprintf(w, "OK - %d", len(data))
	}
}

// Files are the files shared to channels, in order.
func (s *Server) Files() []File {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]File(nil), s.files...)
}

// Seed makes channel/ts a message the bot posted earlier (a public one), so tests can press its
// buttons and have it updated.
func (s *Server) Seed(channel, ts string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages[channel+"/"+ts] = false
}

// checkBlocks applies Block Kit's limits; it returns what is wrong, "" when nothing is.
func checkBlocks(raw json.RawMessage, maxBlocks int) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var blocks []struct {
		Type     string          `json:"type"`
		BlockID  string          `json:"block_id"`
		Text     *textObject     `json:"text"`
		Elements json.RawMessage `json:"elements"`
	}
	if err := json.Unmarshal(raw, &blocks); err != nil {
		return "blocks are not a JSON array"
	}
	if len(blocks) > maxBlocks {
		return fmt.Sprintf("%d blocks, at most %d", len(blocks), maxBlocks)
	}
	for i, b := range blocks {
		if len(b.BlockID) > 255 {
			return fmt.Sprintf("block %d: block_id over 255 characters", i)
		}
		switch b.Type {
		case "section":
			if b.Text == nil || utf8.RuneCountInString(b.Text.Text) == 0 || utf8.RuneCountInString(b.Text.Text) > 3000 {
				return fmt.Sprintf("block %d: section text must be 1–3000 characters", i)
			}
		case "header":
			if b.Text == nil || b.Text.Type != "plain_text" || utf8.RuneCountInString(b.Text.Text) > 150 {
				return fmt.Sprintf("block %d: header text must be plain_text of at most 150 characters", i)
			}
		case "actions":
			var els []struct {
				Type  string      `json:"type"`
				Text  *textObject `json:"text"`
				Value string      `json:"value"`
			}
			if json.Unmarshal(b.Elements, &els) != nil || len(els) == 0 || len(els) > 25 {
				return fmt.Sprintf("block %d: actions need 1–25 elements", i)
			}
			for _, e := range els {
				if e.Type == "button" && (e.Text == nil || e.Text.Text == "" || utf8.RuneCountInString(e.Text.Text) > 75 || len(e.Value) > 2000) {
					return fmt.Sprintf("block %d: a button needs a text of 1–75 characters and a value of at most 2000", i)
				}
			}
		case "context":
			var els []json.RawMessage
			if json.Unmarshal(b.Elements, &els) != nil || len(els) == 0 || len(els) > 10 {
				return fmt.Sprintf("block %d: context needs 1–10 elements", i)
			}
		case "divider", "image", "input":
		default:
			return fmt.Sprintf("block %d: unknown type %q", i, b.Type)
		}
	}
	return ""
}

type textObject struct {
	Type string `json:"type"`
	Text string `json:"text"`
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
func answer(c Call, base string, seq int, g Grant, role, locale string) map[string]any {
	ts := fmt.Sprintf("1700000000.%06d", seq)
	switch c.Method {
	case "chat.postMessage", "chat.update":
		return map[string]any{"ok": true, "channel": c.Form.Get("channel"), "ts": orDefault(c.Form.Get("ts"), ts)}
	case "chat.postEphemeral":
		return map[string]any{"ok": true, "message_ts": ts}
	case "views.open", "views.publish":
		return map[string]any{"ok": true, "view": map[string]any{"id": fmt.Sprintf("V%d", seq)}}
	case "files.getUploadURLExternal":
		id := fmt.Sprintf("F%d", seq)
		return map[string]any{"ok": true, "file_id": id, "upload_url": base + "upload/" + id}
	case "files.completeUploadExternal":
		var fs []struct {
			ID    string `json:"id"`
			Title string `json:"title"`
		}
		_ = json.Unmarshal([]byte(c.Form.Get("files")), &fs)
		return map[string]any{"ok": true, "files": fs}
	case "oauth.v2.access":
		if g.Code == "" || c.Form.Get("code") != g.Code {
			return map[string]any{"ok": false, "error": "invalid_code"}
		}
		return map[string]any{"ok": true, "access_token": g.BotToken, "token_type": "bot", "bot_user_id": g.BotUserID,
			"team": map[string]any{"id": g.TeamID, "name": g.TeamName}, "authed_user": map[string]any{"id": g.UserID}}
	case "auth.test":
		return map[string]any{"ok": true, "team_id": "T1", "team": "Team T1", "user_id": "UBOT", "bot_id": "BBOT"}
	case "users.info":
		id := c.Form.Get("user")
		user := map[string]any{"id": id, "name": "user" + id, "real_name": "User " + id, "tz": "Europe/Berlin",
			"is_admin": role == "admin" || role == "owner", "is_owner": role == "owner"}
		if c.Form.Get("include_locale") == "true" {
			user["locale"] = locale
		}
		return map[string]any{"ok": true, "user": user}
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

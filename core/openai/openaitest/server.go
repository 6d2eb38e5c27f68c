// Package openaitest is a fake OpenAI chat completions API for tests: an httptest server that
// speaks the real /v1/chat/completions wire format, refuses what the real service refuses (a
// wrong key, a request without a model or messages, a response_format schema strict mode
// rejects) and answers from a script.
package openaitest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// key is the API key every fake accepts.
const key = "sk-openaitest-0123456789abcdef"

// Server is a scripted fake of the chat completions API. Its methods are safe for concurrent use.
type Server struct {
	t   testing.TB
	srv *httptest.Server

	mu       sync.Mutex
	script   []step
	delay    time.Duration // before the next answer
	strict   bool
	requests []Request
}

// step is one scripted answer.
type step struct {
	status     int    // 200, or the error status
	retryAfter string // Retry-After of an error
	content    string
	refusal    string
	finish     string
	prompt     int // usage; -1 derives it from lengths
	completion int
}

// New starts a fake server, closed when the test ends.
func New(t testing.TB) *Server {
	s := &Server{t: t}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", s.chatCompletions)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "invalid_request_error", "", "unknown_url",
			fmt.Sprintf("Invalid URL (%s %s)", r.Method, r.URL.Path))
	})
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	return s
}

// URL returns the API's base URL, ending in /v1: the value of OPENAI_BASE_URL.
func (s *Server) URL() string { return s.srv.URL + "/v1" }

// Key returns the API key the server accepts.
func (s *Server) Key() string { return key }

// Answer scripts a successful answer with content, its usage derived from the lengths.
func (s *Server) Answer(content string) { s.push(step{content: content, prompt: -1}) }

// AnswerUsage scripts a successful answer with content and the given token counts.
func (s *Server) AnswerUsage(content string, prompt, completion int) {
	s.push(step{content: content, prompt: prompt, completion: completion})
}

// Fail scripts an error answer with status (429, 500, 503, 400, …), OpenAI's error body for it
// and, unless retryAfter is "", a Retry-After header.
func (s *Server) Fail(status int, retryAfter string) {
	s.push(step{status: status, retryAfter: retryAfter})
}

// Refuse scripts a refusal: no content, the refusal text in the message's refusal field.
func (s *Server) Refuse(text string) { s.push(step{refusal: text, prompt: -1}) }

// Truncate scripts an answer cut at the token limit: finish_reason "length".
func (s *Server) Truncate(content string) {
	s.push(step{content: content, finish: "length", prompt: -1})
}

// Delay makes the next request served wait d before its answer, or until the client goes away.
func (s *Server) Delay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// Strict makes a request with nothing scripted fail the test (it is answered with a 500 either
// way).
func (s *Server) Strict() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.strict = true
}

// Requests returns, in order, the requests that got past the key check and decoded, those then
// refused for what they asked included.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Server) push(st step) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.script = append(s.script, st)
}

// next takes the next scripted step and the delay before it.
func (s *Server) next() (step, time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delay := s.delay
	s.delay = 0
	if len(s.script) == 0 {
		if s.strict {
			s.t.Errorf("openaitest: a request with nothing scripted")
		}
		return step{}, delay, false
	}
	st := s.script[0]
	s.script = s.script[1:]
	return st, delay, true
}

func (s *Server) chatCompletions(w http.ResponseWriter, r *http.Request) {
	auth, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || auth == "" {
		writeError(w, http.StatusUnauthorized, "invalid_request_error", "", "invalid_api_key",
			"You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).")
		return
	}
	if auth != key {
		writeError(w, http.StatusUnauthorized, "invalid_request_error", "", "invalid_api_key",
			"Incorrect API key provided: "+mask(auth)+". You can find your API key at https://platform.openai.com/account/api-keys.")
		return
	}
	var req Request
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "", "",
			"We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)")
		return
	}
	s.mu.Lock()
	s.requests = append(s.requests, req)
	s.mu.Unlock()
	if status, param, msg := refusal(req); status != 0 {
		writeError(w, status, "invalid_request_error", param, "", msg)
		return
	}
	st, delay, ok := s.next()
	if delay > 0 {
		select {
		case <-r.Context().Done():
			return
		case <-time.After(delay):
		}
	}
	if !ok {
		writeError(w, http.StatusInternalServerError, "server_error", "", "", "openaitest: nothing scripted")
		return
	}
	if st.status != 0 {
		if st.retryAfter != "" {
			w.Header().Set("Retry-After", st.retryAfter)
		}
		failure(w, st.status)
		return
	}
	writeJSON(w, http.StatusOK, s.completion(req, st))
}

// refusal checks a request as the real service does; it returns status 0 for a good one.
func refusal(req Request) (status int, param, msg string) {
	switch {
	case req.Model == "":
		return http.StatusBadRequest, "model", "you must provide a model parameter"
	case len(req.Messages) == 0:
		return http.StatusBadRequest, "messages", "[] is too short - 'messages'"
	}
	f := req.ResponseFormat
	if f == nil || f.Type != "json_schema" {
		return 0, "", ""
	}
	if f.JSONSchema == nil || f.JSONSchema.Name == "" {
		return http.StatusBadRequest, "response_format", "Missing required parameter: 'response_format.json_schema.name'."
	}
	if !f.JSONSchema.Strict {
		return 0, "", ""
	}
	if problem := strictProblem(f.JSONSchema.Schema); problem != "" {
		return http.StatusBadRequest, "response_format",
			fmt.Sprintf("Invalid schema for response_format '%s': %s", f.JSONSchema.Name, problem)
	}
	return 0, "", ""
}

func (s *Server) completion(req Request, st step) completion {
	prompt, completionTokens := st.prompt, st.completion
	if prompt < 0 {
		n := 0
		for _, m := range req.Messages {
			n += len(m.Content)
		}
		prompt, completionTokens = tokens(n), tokens(len(st.content)+len(st.refusal))
	}
	msg := answer{Role: "assistant"}
	if st.refusal != "" {
		msg.Refusal = &st.refusal
	} else {
		msg.Content = &st.content
	}
	return completion{
		ID:      fmt.Sprintf("chatcmpl-test%d", time.Now().UnixNano()),
		Object:  "chat.completion",
		Created: time.Now().Unix(),
		Model:   req.Model,
		Choices: []choice{{Message: msg, FinishReason: cmp.Or(st.finish, "stop")}},
		Usage: usage{
			PromptTokens: prompt, CompletionTokens: completionTokens, TotalTokens: prompt + completionTokens,
		},
	}
}

// failure writes the error OpenAI sends with status.
func failure(w http.ResponseWriter, status int) {
	switch {
	case status == http.StatusTooManyRequests:
		writeError(w, status, "requests", "", "rate_limit_exceeded",
			"Rate limit reached for requests. Please try again in 1s.")
	case status == http.StatusServiceUnavailable:
		writeError(w, status, "server_error", "", "", "The engine is currently overloaded, please try again later.")
	case status >= 500:
		writeError(w, status, "server_error", "", "",
			"The server had an error while processing your request. Sorry about that!")
	default:
		writeError(w, status, "invalid_request_error", "", "", http.StatusText(status))
	}
}

func writeError(w http.ResponseWriter, status int, typ, param, code, msg string) {
	e := apiError{Message: msg, Type: typ}
	if param != "" {
		e.Param = &param
	}
	if code != "" {
		e.Code = &code
	}
	writeJSON(w, status, map[string]apiError{"error": e})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// tokens approximates a token count from a length in bytes, as four bytes a token.
func tokens(n int) int { return n/4 + 1 }

// mask shows a wrong key as OpenAI does: its start and its last four characters.
func mask(k string) string {
	if len(k) <= 8 {
		return strings.Repeat("*", len(k))
	}
	return k[:3] + strings.Repeat("*", len(k)-7) + k[len(k)-4:]
}

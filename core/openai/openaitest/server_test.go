package openaitest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/core/openai/openaitest"
)

const good = `{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":0.2,"seed":1}`

// post sends body to the fake with key and returns the status, the Retry-After header and the
// decoded JSON body.
func post(t *testing.T, s *openaitest.Server, key, body string) (int, string, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL()+"/chat/completions", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var v map[string]any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("body %q: %v", raw, err)
	}
	return resp.StatusCode, resp.Header.Get("Retry-After"), v
}

func errorOf(t *testing.T, body map[string]any) map[string]any {
	t.Helper()
	e, ok := body["error"].(map[string]any)
	if !ok {
		t.Fatalf("no error object in %v", body)
	}
	for _, k := range []string{"message", "type", "param", "code"} {
		if _, ok := e[k]; !ok {
			t.Errorf("error lacks %q: %v", k, e)
		}
	}
	return e
}

func TestRefusesWhatOpenAIRefuses(t *testing.T) {
	t.Parallel()
	strictSchema := func(schema string) string {
		return `{"model":"m","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema",
			"json_schema":{"name":"x","strict":true,"schema":` + schema + `}}}`
	}
	tests := []struct {
		name   string
		key    string
		body   string
		status int
		code   any
		msg    string
	}{
		{"no key", "", good, 401, "invalid_api_key", "You didn't provide an API key"},
		{"wrong key", "sk-nope-123456789", good, 401, "invalid_api_key", "Incorrect API key provided: sk-"},
		{"no model", "", `{"messages":[{"role":"user","content":"hi"}]}`, 400, nil, "you must provide a model"},
		{"no messages", "", `{"model":"m","messages":[]}`, 400, nil, "too short"},
		{"not JSON", "", `{"model":`, 400, nil, "could not parse"},
		{"root not an object", "", strictSchema(`{"type":"array","items":{"type":"string"}}`), 400, nil,
			"Invalid schema for response_format 'x': schema must be a JSON Schema of 'type: \"object\"'"},
		{"no additionalProperties", "", strictSchema(`{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}`), 400, nil,
			"In context=(), 'additionalProperties' is required to be supplied and to be false."},
		{"property not required", "", strictSchema(`{"type":"object","additionalProperties":false,"required":["a"],
			"properties":{"a":{"type":"string"},"b":{"$ref":"#/$defs/B"}},"$defs":{"B":{"type":"object","properties":{}}}}`), 400, nil,
			"Missing 'b'."},
		{"nested in $defs", "", strictSchema(`{"type":"object","additionalProperties":false,"required":["b"],
			"properties":{"b":{"$ref":"#/$defs/B"}},"$defs":{"B":{"type":"object","properties":{"c":{"type":"string"}},"required":["c"]}}}`), 400, nil,
			"In context=('$defs', 'B'), 'additionalProperties'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := openaitest.New(t)
			s.Strict() // none of these reaches the script
			key := tt.key
			if key == "" && tt.status != 401 {
				key = s.Key()
			}
			status, _, body := post(t, s, key, tt.body)
			e := errorOf(t, body)
			if status != tt.status || e["code"] != tt.code || !strings.Contains(e["message"].(string), tt.msg) {
				t.Errorf("status %d, error %v; want %d, code %v, message with %q", status, e, tt.status, tt.code, tt.msg)
			}
			if strings.Contains(e["message"].(string), "sk-nope-123456789") {
				t.Errorf("the wrong key is echoed whole: %v", e["message"])
			}
		})
	}
}

func TestScript(t *testing.T) {
	t.Parallel()
	s := openaitest.New(t)
	s.Strict()
	s.AnswerUsage(`{"a":1}`, 10, 3)
	s.Fail(429, "2")
	s.Refuse("no")
	s.Truncate(`{"a":`)
	s.Answer(`{"b":2}`)

	status, _, body := post(t, s, s.Key(), good)
	if status != 200 || body["object"] != "chat.completion" || body["model"] != "m" {
		t.Fatalf("status %d, body %v", status, body)
	}
	choice := body["choices"].([]any)[0].(map[string]any)
	msg := choice["message"].(map[string]any)
	if msg["role"] != "assistant" || msg["content"] != `{"a":1}` || msg["refusal"] != nil || choice["finish_reason"] != "stop" {
		t.Errorf("choice %v", choice)
	}
	if u := body["usage"].(map[string]any); u["prompt_tokens"] != 10.0 || u["completion_tokens"] != 3.0 || u["total_tokens"] != 13.0 {
		t.Errorf("usage %v", u)
	}

	status, retryAfter, body := post(t, s, s.Key(), good)
	if e := errorOf(t, body); status != 429 || retryAfter != "2" || e["code"] != "rate_limit_exceeded" {
		t.Errorf("status %d, Retry-After %q, error %v", status, retryAfter, e)
	}

	_, _, body = post(t, s, s.Key(), good)
	msg = body["choices"].([]any)[0].(map[string]any)["message"].(map[string]any)
	if msg["content"] != nil || msg["refusal"] != "no" {
		t.Errorf("refusal %v", msg)
	}

	_, _, body = post(t, s, s.Key(), good)
	if choice := body["choices"].([]any)[0].(map[string]any); choice["finish_reason"] != "length" {
		t.Errorf("truncated %v", choice)
	}

	_, _, body = post(t, s, s.Key(), good)
	if u := body["usage"].(map[string]any); u["prompt_tokens"].(float64) < 1 || u["completion_tokens"].(float64) < 1 {
		t.Errorf("derived usage %v", u)
	}

	reqs := s.Requests()
	if len(reqs) != 5 || reqs[0].Model != "m" || reqs[0].Messages[0].Content != "hi" {
		t.Errorf("requests %+v", reqs)
	}
}

// recorder is a testing.TB that notes Errorf calls instead of failing.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, format)
}

func TestUnscripted(t *testing.T) {
	t.Parallel()
	for _, strict := range []bool{false, true} {
		rec := &recorder{TB: t}
		s := openaitest.New(rec)
		if strict {
			s.Strict()
		}
		status, _, body := post(t, s, s.Key(), good)
		if e := errorOf(t, body); status != 500 || e["type"] != "server_error" {
			t.Errorf("status %d, error %v", status, e)
		}
		rec.mu.Lock()
		if failed := len(rec.errors) > 0; failed != strict {
			t.Errorf("strict %v: test failed: %v", strict, failed)
		}
		rec.mu.Unlock()
	}
}

func TestDelayHonoursTheClient(t *testing.T) {
	t.Parallel()
	s := openaitest.New(t)
	s.Delay(time.Minute)
	s.Answer(`{}`)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.URL()+"/chat/completions", bytes.NewBufferString(good))
	req.Header.Set("Authorization", "Bearer "+s.Key())
	start := time.Now()
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("answered before the delay")
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("took %s", took)
	}
	// The server closes in cleanup, which waits for the handler: it must have stopped sleeping.
}

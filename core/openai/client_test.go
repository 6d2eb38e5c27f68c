package openai_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/core/openai"
	"github.com/bizconnect/bizconnect/core/openai/openaitest"
)

// plan is a nested answer type: objects in arrays in objects, and an optional field.
type plan struct {
	Milestones []milestone `json:"milestones"`
	Note       string      `json:"note,omitempty"`
}

type milestone struct {
	Title  string  `json:"title"`
	Date   string  `json:"date" description:"YYYY-MM-DD"`
	Target float64 `json:"target"`
	Tasks  []task  `json:"tasks"`
}

type task struct {
	Title         string `json:"title"`
	EstimateMin   int    `json:"estimate_min"`
	Complexity    string `json:"complexity" enum:"trivial,easy,medium,hard,extreme"`
	CognitiveLoad int    `json:"cognitive_load"`
}

const planJSON = `{"milestones":[{"title":"First 5 clients","date":"2026-03-01","target":5,
	"tasks":[{"title":"Call 10 former clients","estimate_min":90,"complexity":"medium","cognitive_load":4}]}],
	"note":null}`

type goalInput struct {
	Title    string `json:"title"`
	Target   int    `json:"target"`
	Deadline string `json:"deadline"`
}

var input = goalInput{Title: "10 clients", Target: 10, Deadline: "2026-06-30"}

type testBundle struct {
	server *openaitest.Server
	cfg    openai.Config
}

// setup returns a client of a fake API with short waits, and the fake.
func setup(t *testing.T) (*openai.Client, *testBundle) {
	t.Helper()
	s := openaitest.New(t)
	cfg := openai.Config{
		APIKey: s.Key(), BaseURL: s.URL(), Model: "main-model", FastModel: "fast-model",
		Timeout: 5 * time.Second, MaxRetries: 2, RetryWait: 5 * time.Millisecond,
	}
	return openai.New(cfg), &testBundle{server: s, cfg: cfg}
}

func TestCallDecodesAndValidates(t *testing.T) {
	t.Parallel()
	c, b := setup(t)
	b.server.AnswerUsage(planJSON, 120, 45)

	var out plan
	validated := false
	res, err := c.Call(context.Background(), openai.JobGoalPlan, "en", input, &out, func() error {
		validated = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !validated {
		t.Error("validate was not called")
	}
	if len(out.Milestones) != 1 || out.Milestones[0].Tasks[0].Title != "Call 10 former clients" {
		t.Errorf("decoded %+v", out)
	}
	if res.Job != openai.JobGoalPlan || res.Model != "main-model" || res.PromptVersion != 1 ||
		res.PromptTokens != 120 || res.CompletionTokens != 45 || res.Duration <= 0 {
		t.Errorf("result %+v", res)
	}

	reqs := b.server.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	req := reqs[0]
	if len(req.Messages) != 2 || req.Messages[0].Role != "system" || req.Messages[1].Role != "user" {
		t.Fatalf("messages %+v", req.Messages)
	}
	want, _ := json.Marshal(input)
	if req.Messages[1].Content != string(want) {
		t.Errorf("user message %s, want %s", req.Messages[1].Content, want)
	}
	f := req.ResponseFormat
	if f == nil || f.Type != "json_schema" || f.JSONSchema == nil || !f.JSONSchema.Strict || f.JSONSchema.Name != "goal_plan" {
		t.Errorf("response_format %+v", f)
	}
}

func TestRouting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		job         openai.Job
		lang        string
		model       string
		instruction string
	}{
		{openai.JobGoalPlan, "ru", "main-model", "Milestones"},
		{openai.JobReplanExplain, "en", "main-model", "Explain the change"},
		{openai.JobRecommend, "ru", "fast-model", "quick_win"},
		{openai.JobUnderstand, "en", "fast-model", "intent"},
	}
	for _, tt := range tests {
		t.Run(string(tt.job), func(t *testing.T) {
			t.Parallel()
			c, b := setup(t)
			b.server.Answer(planJSON)
			res, err := c.Call(context.Background(), tt.job, tt.lang, input, &plan{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			req := b.server.Requests()[0]
			if req.Model != tt.model || res.Model != tt.model {
				t.Errorf("model %q (result %q), want %q", req.Model, res.Model, tt.model)
			}
			system := req.Messages[0].Content
			if !strings.Contains(system, tt.instruction) {
				t.Errorf("system prompt lacks %q:\n%s", tt.instruction, system)
			}
			if !strings.Contains(system, `language "`+tt.lang+`"`) || strings.Contains(system, "{{lang}}") {
				t.Errorf("system prompt does not ask for %q:\n%s", tt.lang, system)
			}
		})
	}
}

func TestBadCalls(t *testing.T) {
	t.Parallel()
	c, b := setup(t)
	b.server.Strict()
	for name, call := range map[string]func() error{
		"unknown job": func() error { _, err := c.Call(context.Background(), "poem", "en", input, &plan{}, nil); return err },
		"unknown lang": func() error {
			_, err := c.Call(context.Background(), openai.JobGoalPlan, "de", input, &plan{}, nil)
			return err
		},
		"out not a pointer": func() error {
			_, err := c.Call(context.Background(), openai.JobGoalPlan, "en", input, plan{}, nil)
			return err
		},
		"out a map": func() error {
			_, err := c.Call(context.Background(), openai.JobGoalPlan, "en", input, &map[string]any{}, nil)
			return err
		},
		"input not JSON": func() error {
			_, err := c.Call(context.Background(), openai.JobGoalPlan, "en", func() {}, &plan{}, nil)
			return err
		},
	} {
		if err := call(); !errors.Is(err, openai.ErrRequest) {
			t.Errorf("%s: %v, want ErrRequest", name, err)
		}
	}
	if n := len(b.server.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestAnswerErrors(t *testing.T) {
	t.Parallel()
	invalid := errors.New("milestone after the deadline")
	tests := []struct {
		name     string
		script   func(*openaitest.Server)
		validate func() error
		want     error
	}{
		{"not JSON", func(s *openaitest.Server) { s.Answer("Sure! Here is your plan") }, nil, openai.ErrMalformed},
		{"unknown field", func(s *openaitest.Server) { s.Answer(`{"milestones":[],"extra":1}`) }, nil, openai.ErrMalformed},
		{"wrong type", func(s *openaitest.Server) { s.Answer(`{"milestones":"soon"}`) }, nil, openai.ErrMalformed},
		{"two values", func(s *openaitest.Server) { s.Answer(`{"milestones":[]} {}`) }, nil, openai.ErrMalformed},
		{"empty", func(s *openaitest.Server) { s.Answer("") }, nil, openai.ErrMalformed},
		{"truncated", func(s *openaitest.Server) { s.Truncate(`{"milestones":[{"title":"Fir`) }, nil, openai.ErrMalformed},
		{"refused", func(s *openaitest.Server) { s.Refuse("I can't help with that.") }, nil, openai.ErrRefused},
		{"invalid", func(s *openaitest.Server) { s.Answer(planJSON) }, func() error { return invalid }, invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, b := setup(t)
			tt.script(b.server)
			res, err := c.Call(context.Background(), openai.JobGoalPlan, "en", input, &plan{}, tt.validate)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			if tt.want == invalid && !errors.Is(err, openai.ErrInvalid) {
				t.Errorf("error %v, want ErrInvalid too", err)
			}
			if res.PromptTokens == 0 || res.CompletionTokens == 0 || res.PromptVersion == 0 {
				t.Errorf("the answer's usage is lost: %+v", res)
			}
		})
	}
}

func TestRetries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		script   func(*openaitest.Server)
		want     error // nil: success
		requests int
	}{
		{"429 then success", func(s *openaitest.Server) { s.Fail(429, ""); s.Answer(planJSON) }, nil, 2},
		{"429 always", func(s *openaitest.Server) { s.Fail(429, ""); s.Fail(429, ""); s.Fail(429, "") }, openai.ErrRateLimited, 3},
		{"500 then success", func(s *openaitest.Server) { s.Fail(500, ""); s.Answer(planJSON) }, nil, 2},
		{"503, 502 then success", func(s *openaitest.Server) { s.Fail(503, ""); s.Fail(502, ""); s.Answer(planJSON) }, nil, 3},
		{"500 always", func(s *openaitest.Server) { s.Fail(500, ""); s.Fail(500, ""); s.Fail(500, "") }, openai.ErrUnavailable, 3},
		{"400", func(s *openaitest.Server) { s.Fail(400, ""); s.Answer(planJSON) }, openai.ErrRequest, 1},
		{"404", func(s *openaitest.Server) { s.Fail(404, ""); s.Answer(planJSON) }, openai.ErrRequest, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, b := setup(t)
			tt.script(b.server)
			res, err := c.Call(context.Background(), openai.JobRecommend, "en", input, &plan{}, nil)
			if tt.want == nil && err != nil || !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
			if n := len(b.server.Requests()); n != tt.requests {
				t.Errorf("%d requests, want %d", n, tt.requests)
			}
			if tt.want != nil && res.PromptTokens != 0 {
				t.Errorf("tokens counted for a failed call: %+v", res)
			}
		})
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	t.Parallel()
	for _, status := range []int{429, 500} { // retryablehttp itself would ignore it on a 500
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			c, b := setup(t) // backoff without the header: 5 ms
			b.server.Fail(status, "1")
			b.server.Answer(planJSON)
			start := time.Now()
			if _, err := c.Call(context.Background(), openai.JobUnderstand, "ru", input, &plan{}, nil); err != nil {
				t.Fatal(err)
			}
			if took := time.Since(start); took < time.Second || took > 2*time.Second {
				t.Errorf("took %s, want about the 1 s the server asked for", took)
			}
			if n := len(b.server.Requests()); n != 2 {
				t.Errorf("%d requests, want 2", n)
			}
		})
	}
}

func TestRetryAfterBeyondDeadline(t *testing.T) {
	t.Parallel()
	c, b := setup(t) // timeout 5 s
	b.server.Fail(429, "20")
	b.server.Answer(planJSON)
	start := time.Now()
	_, err := c.Call(context.Background(), openai.JobUnderstand, "ru", input, &plan{}, nil)
	if !errors.Is(err, openai.ErrRateLimited) || time.Since(start) > time.Second {
		t.Errorf("error %v after %s, want ErrRateLimited at once", err, time.Since(start))
	}
}

func TestTimeout(t *testing.T) {
	t.Parallel()
	_, b := setup(t)
	c := openai.New(withTimeout(b.cfg, 200*time.Millisecond))
	b.server.Delay(time.Minute)
	b.server.Answer(planJSON)
	start := time.Now()
	_, err := c.Call(context.Background(), openai.JobGoalPlan, "en", input, &plan{}, nil)
	if !errors.Is(err, openai.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v, want ErrTimeout", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("took %s for a 200 ms timeout", took)
	}
	// The server's cleanup waits for its handlers: a handler still sleeping would hang the test.
}

func TestCallerDeadlineAndCancel(t *testing.T) {
	t.Parallel()
	c, b := setup(t)
	b.server.Delay(time.Minute)
	b.server.Answer(planJSON)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := c.Call(ctx, openai.JobGoalPlan, "en", input, &plan{}, nil); !errors.Is(err, openai.ErrTimeout) {
		t.Errorf("caller's deadline: %v, want ErrTimeout", err)
	}

	b.server.Delay(time.Minute)
	b.server.Answer(planJSON)
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err := c.Call(ctx, openai.JobGoalPlan, "en", input, &plan{}, nil)
	if !errors.Is(err, context.Canceled) || errors.Is(err, openai.ErrTimeout) {
		t.Errorf("caller's cancel: %v, want context.Canceled", err)
	}
}

func TestConnectionFailure(t *testing.T) {
	t.Parallel()
	_, b := setup(t)
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	cfg := b.cfg
	cfg.BaseURL = dead.URL + "/v1"
	_, err := openai.New(cfg).Call(context.Background(), openai.JobGoalPlan, "en", input, &plan{}, nil)
	if !errors.Is(err, openai.ErrUnavailable) {
		t.Errorf("error %v, want ErrUnavailable", err)
	}
}

func TestDisabled(t *testing.T) {
	t.Parallel()
	_, b := setup(t)
	b.server.Strict()
	cfg := b.cfg
	cfg.APIKey = ""
	_, err := openai.New(cfg).Call(context.Background(), openai.JobGoalPlan, "en", input, &plan{}, nil)
	if !errors.Is(err, openai.ErrDisabled) {
		t.Errorf("error %v, want ErrDisabled", err)
	}
	if n := len(b.server.Requests()); n != 0 {
		t.Errorf("%d requests sent without a key", n)
	}
}

func TestKeyNeverShown(t *testing.T) {
	t.Parallel()
	_, b := setup(t)
	cfg := b.cfg
	cfg.APIKey = "sk-wrong-key-0123456789"
	_, err := openai.New(cfg).Call(context.Background(), openai.JobGoalPlan, "en", input, &plan{}, nil)
	if !errors.Is(err, openai.ErrRequest) || strings.Contains(err.Error(), cfg.APIKey) {
		t.Errorf("wrong key: %v", err)
	}

	// A server that echoes the key it was sent.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"error":{"message":"bad key %s","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}`,
			strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	}))
	defer echo.Close()
	cfg.BaseURL = echo.URL + "/v1"
	_, err = openai.New(cfg).Call(context.Background(), openai.JobGoalPlan, "en", input, &plan{}, nil)
	if !errors.Is(err, openai.ErrRequest) || strings.Contains(err.Error(), cfg.APIKey) {
		t.Errorf("echoed key: %v", err)
	}

	for _, s := range []string{fmt.Sprint(cfg), fmt.Sprintf("%v %+v %#v %s", cfg, cfg, cfg, &cfg)} {
		if strings.Contains(s, cfg.APIKey) {
			t.Errorf("the key is printed: %s", s)
		}
	}
	if j, _ := json.Marshal(cfg); strings.Contains(string(j), cfg.APIKey) {
		t.Errorf("the key is in JSON: %s", j)
	}
}

func withTimeout(cfg openai.Config, d time.Duration) openai.Config {
	cfg.Timeout = d
	return cfg
}

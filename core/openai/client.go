package openai

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	goopenai "github.com/sashabaranov/go-openai"
)

// Client calls the LLM. It is safe for concurrent use.
type Client struct {
	cfg Config
	api *goopenai.Client
}

// New returns a client for cfg. A client without a key makes no requests: Call returns
// ErrDisabled.
func New(cfg Config) *Client {
	cfg.BaseURL = cmp.Or(cfg.BaseURL, DefaultBaseURL)
	cfg.Model = cmp.Or(cfg.Model, DefaultModel)
	cfg.FastModel = cmp.Or(cfg.FastModel, cfg.Model)
	cfg.Timeout = cmp.Or(cfg.Timeout, DefaultTimeout)
	cfg.RetryWait = cmp.Or(cfg.RetryWait, DefaultRetryWait)
	api := goopenai.DefaultConfig(cfg.APIKey)
	api.BaseURL = cfg.BaseURL
	api.HTTPClient = newHTTPClient(cfg.MaxRetries, cfg.RetryWait)
	return &Client{cfg: cfg, api: goopenai.NewClientWithConfig(api)}
}

// Enabled reports whether the client makes calls (a nil client makes none).
func (c *Client) Enabled() bool { return c != nil && c.cfg.Enabled() }

// DailyTokens is the daily token budget of a user of tier: 0 means the LLM is not used for them.
func (c *Client) DailyTokens(tier string) int {
	if !c.Enabled() {
		return 0
	}
	return c.cfg.DailyTokens[tier]
}

// Result describes a call, for the caller to record. The token counts are set whenever the API
// answered, also when the answer was then refused, malformed or invalid.
type Result struct {
	Job              Job
	Model            string // the model that answered, as the API names it
	PromptVersion    int
	PromptTokens     int
	CompletionTokens int
	Duration         time.Duration // the whole call, retries included
}

// Call asks the LLM to do job for a user writing in lang ("ru" or "en"). input, marshalled to
// JSON, is the user message: pass the minimum the job needs. out must be a pointer to a struct;
// the answer is constrained to its JSON schema, decoded into it (unknown fields are an error)
// and then checked by validate, which may be nil. The call is bounded by the configured
// timeout and by ctx: a deadline passing is ErrTimeout, while a cancelled ctx yields an error
// wrapping context.Canceled and none of this package's errors.
func (c *Client) Call(ctx context.Context, job Job, lang string, input any, out any, validate func() error) (Result, error) {
	res := Result{Job: job}
	if !c.cfg.Enabled() {
		return res, fmt.Errorf("openai: %s: %w", job, ErrDisabled)
	}
	req, p, err := c.request(job, lang, input, out)
	if err != nil {
		return res, fmt.Errorf("openai: %s: %w: %w", job, ErrRequest, err)
	}
	res.Model, res.PromptVersion = req.Model, p.Version

	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	start := time.Now()
	resp, err := c.api.CreateChatCompletion(ctx, req)
	res.Duration = time.Since(start)
	if err != nil {
		return res, redacted(fmt.Errorf("openai: %s: %w", job, classify(ctx, err)), c.cfg.APIKey)
	}
	res.Model = cmp.Or(resp.Model, req.Model)
	res.PromptTokens, res.CompletionTokens = resp.Usage.PromptTokens, resp.Usage.CompletionTokens
	if err := decode(resp, out, validate); err != nil {
		return res, fmt.Errorf("openai: %s: %w", job, err)
	}
	return res, nil
}

// request builds the chat completion request of a call.
func (c *Client) request(job Job, lang string, input, out any) (goopenai.ChatCompletionRequest, prompt, error) {
	model, ok := c.cfg.modelFor(job)
	if !ok {
		return goopenai.ChatCompletionRequest{}, prompt{}, fmt.Errorf("unknown job %q", job)
	}
	if !validLang(lang) {
		return goopenai.ChatCompletionRequest{}, prompt{}, fmt.Errorf("unsupported language %q", lang)
	}
	if v := reflect.ValueOf(out); v.Kind() != reflect.Pointer || v.IsNil() {
		return goopenai.ChatCompletionRequest{}, prompt{}, fmt.Errorf("out must be a non-nil pointer, not %T", out)
	}
	p, err := loadPrompt(job)
	if err != nil {
		return goopenai.ChatCompletionRequest{}, prompt{}, err
	}
	schema, err := schemaFor(out)
	if err != nil {
		return goopenai.ChatCompletionRequest{}, prompt{}, fmt.Errorf("schema of %T: %w", out, err)
	}
	user, err := json.Marshal(input)
	if err != nil {
		return goopenai.ChatCompletionRequest{}, prompt{}, fmt.Errorf("marshal input: %w", err)
	}
	return goopenai.ChatCompletionRequest{
		Model: model,
		Messages: []goopenai.ChatCompletionMessage{
			{Role: goopenai.ChatMessageRoleSystem, Content: p.system(lang)},
			{Role: goopenai.ChatMessageRoleUser, Content: string(user)},
		},
		ResponseFormat: &goopenai.ChatCompletionResponseFormat{
			Type: goopenai.ChatCompletionResponseFormatTypeJSONSchema,
			JSONSchema: &goopenai.ChatCompletionResponseFormatJSONSchema{
				Name:   string(job),
				Schema: schema,
				Strict: true,
			},
		},
	}, p, nil
}

// decode reads the answer into out and validates it.
func decode(resp goopenai.ChatCompletionResponse, out any, validate func() error) error {
	if len(resp.Choices) == 0 {
		return fmt.Errorf("%w: no choices", ErrMalformed)
	}
	choice := resp.Choices[0]
	switch {
	case choice.Message.Refusal != "":
		return fmt.Errorf("%w: %q", ErrRefused, clip(choice.Message.Refusal, 200))
	case choice.FinishReason == goopenai.FinishReasonContentFilter:
		return fmt.Errorf("%w: content filter", ErrRefused)
	case choice.FinishReason == goopenai.FinishReasonLength:
		return fmt.Errorf("%w: answer cut at the token limit", ErrMalformed)
	}
	dec := json.NewDecoder(strings.NewReader(choice.Message.Content))
	dec.DisallowUnknownFields()
	if err := dec.Decode(out); err != nil {
		return fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: data after the JSON value", ErrMalformed)
	}
	if validate != nil {
		if err := validate(); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalid, err)
		}
	}
	return nil
}

// clip shortens s to at most n bytes, on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

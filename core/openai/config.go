package openai

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Defaults of the configuration.
const (
	DefaultBaseURL    = "https://api.openai.com/v1"
	DefaultModel      = "gpt-4o-mini"
	DefaultTimeout    = 30 * time.Second
	DefaultMaxRetries = 2
	DefaultRetryWait  = 500 * time.Millisecond
)

// Config says which API to call and how patiently. The key is never printed: String, GoString
// and JSON leave it out.
type Config struct {
	APIKey     string `json:"-"`
	BaseURL    string
	Model      string        // serves goal plans and replan explanations
	FastModel  string        // serves recommendations and understanding
	Timeout    time.Duration // bounds a whole call, retries included; 0 means DefaultTimeout
	MaxRetries int           // retries after the first attempt; negative means none
	// RetryWait is the first retry's wait when the server sends no Retry-After; it doubles on
	// each retry, with jitter. 0 means DefaultRetryWait. Tests set it to a few milliseconds.
	RetryWait time.Duration
	// DailyTokens is each subscription tier's daily token budget per user ("free", "pro",
	// "business"); a tier without one (or 0) is planned offline only.
	DailyTokens map[string]int
}

// Default daily token budgets: the free tier is offline unless configured otherwise.
var DefaultDailyTokens = map[string]int{"free": 0, "pro": 200_000, "business": 1_000_000}

// ConfigFromEnv reads OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL, OPENAI_MODEL_FAST (default:
// the model), OPENAI_TIMEOUT (a Go duration) and OPENAI_MAX_RETRIES. An unset or unparsable
// value takes its default; the program's own configuration is where invalid values are reported.
func ConfigFromEnv(getenv func(string) string) Config {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	c := Config{
		APIKey:     getenv("OPENAI_API_KEY"),
		BaseURL:    env("OPENAI_BASE_URL", DefaultBaseURL),
		Model:      env("OPENAI_MODEL", DefaultModel),
		Timeout:    DefaultTimeout,
		MaxRetries: DefaultMaxRetries,
	}
	c.FastModel = env("OPENAI_MODEL_FAST", c.Model)
	if d, err := time.ParseDuration(getenv("OPENAI_TIMEOUT")); err == nil && d > 0 {
		c.Timeout = d
	}
	if n, err := strconv.Atoi(getenv("OPENAI_MAX_RETRIES")); err == nil && n >= 0 {
		c.MaxRetries = n
	}
	c.DailyTokens = map[string]int{}
	for tier, def := range DefaultDailyTokens {
		c.DailyTokens[tier] = def
		if n, err := strconv.Atoi(getenv("OPENAI_DAILY_TOKENS_" + strings.ToUpper(tier))); err == nil && n >= 0 {
			c.DailyTokens[tier] = n
		}
	}
	return c
}

// Enabled reports whether an API key is set, that is whether calls are made at all.
func (c Config) Enabled() bool { return c.APIKey != "" }

// String describes the configuration without its key (and without a password in the base URL).
func (c Config) String() string {
	key := "unset"
	if c.Enabled() {
		key = "set"
	}
	base := c.BaseURL
	if u, err := url.Parse(base); err == nil {
		base = u.Redacted()
	}
	return fmt.Sprintf("openai.Config{BaseURL: %s, Model: %s, FastModel: %s, Timeout: %s, MaxRetries: %d, APIKey: %s}",
		base, c.Model, c.FastModel, c.Timeout, c.MaxRetries, key)
}

// GoString keeps %#v from printing the key too.
func (c Config) GoString() string { return c.String() }

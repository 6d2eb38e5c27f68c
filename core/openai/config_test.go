package openai_test

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/core/openai"
)

func TestConfigFromEnv(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want openai.Config
	}{
		{"defaults", nil, openai.Config{
			BaseURL: "https://api.openai.com/v1", Model: "gpt-4o-mini", FastModel: "gpt-4o-mini",
			Timeout: 30 * time.Second, MaxRetries: 2, DailyTokens: map[string]int{"free": 0, "pro": 200000, "business": 1000000},
		}},
		{"fast model follows the model", map[string]string{"OPENAI_API_KEY": "k", "OPENAI_MODEL": "gpt-4o"}, openai.Config{
			APIKey: "k", BaseURL: "https://api.openai.com/v1", Model: "gpt-4o", FastModel: "gpt-4o",
			Timeout: 30 * time.Second, MaxRetries: 2, DailyTokens: map[string]int{"free": 0, "pro": 200000, "business": 1000000},
		}},
		{"everything set", map[string]string{
			"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": "http://localhost:8000/v1", "OPENAI_MODEL": "big",
			"OPENAI_MODEL_FAST": "small", "OPENAI_TIMEOUT": "5s", "OPENAI_MAX_RETRIES": "0",
			"OPENAI_DAILY_TOKENS_FREE": "5000", "OPENAI_DAILY_TOKENS_PRO": "0", "OPENAI_DAILY_TOKENS_BUSINESS": "many",
		}, openai.Config{
			APIKey: "k", BaseURL: "http://localhost:8000/v1", Model: "big", FastModel: "small",
			Timeout: 5 * time.Second, MaxRetries: 0,
			DailyTokens: map[string]int{"free": 5000, "pro": 0, "business": 1000000},
		}},
		{"unparsable values take defaults", map[string]string{"OPENAI_TIMEOUT": "soon", "OPENAI_MAX_RETRIES": "-1"}, openai.Config{
			BaseURL: "https://api.openai.com/v1", Model: "gpt-4o-mini", FastModel: "gpt-4o-mini",
			Timeout: 30 * time.Second, MaxRetries: 2, DailyTokens: map[string]int{"free": 0, "pro": 200000, "business": 1000000},
		}},
	}
	for _, tt := range tests {
		got := openai.ConfigFromEnv(func(k string) string { return tt.env[k] })
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %#v\nwant %#v", tt.name, got, tt.want)
		}
		if got.Enabled() != (tt.want.APIKey != "") {
			t.Errorf("%s: Enabled() = %v", tt.name, got.Enabled())
		}
	}
}

// TestKindNamesEveryError: each typed error, wrapped as a call returns it, has its own kind.
func TestKindNamesEveryError(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, err := range []error{openai.ErrDisabled, openai.ErrTimeout, openai.ErrRateLimited, openai.ErrUnavailable,
		openai.ErrRefused, openai.ErrMalformed, openai.ErrInvalid, openai.ErrRequest} {
		k := openai.Kind(fmt.Errorf("plan: %w", fmt.Errorf("%w: milestone 1: title %q", err, "secret plan")))
		if k == "other" || seen[k] {
			t.Errorf("%v: kind %q", err, k)
		}
		seen[k] = true
	}
	if k := openai.Kind(errors.New("boom")); k != "other" {
		t.Errorf("an untyped error: %q", k)
	}
}

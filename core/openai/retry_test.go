package openai

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func response(status int, header ...string) *http.Response {
	h := http.Header{}
	for i := 0; i+1 < len(header); i += 2 {
		h.Set(header[i], header[i+1])
	}
	return &http.Response{StatusCode: status, Header: h}
}

func TestBackoff(t *testing.T) {
	const first, limit = 100 * time.Millisecond, maxRetryWait
	date := time.Now().Add(5 * time.Second).UTC().Format(http.TimeFormat)
	tests := []struct {
		name     string
		resp     *http.Response
		attempt  int
		min, max time.Duration
	}{
		{"429 Retry-After", response(429, "Retry-After", "2"), 0, 2 * time.Second, 2200 * time.Millisecond},
		{"500 Retry-After too", response(500, "Retry-After", "2"), 0, 2 * time.Second, 2200 * time.Millisecond},
		{"502 Retry-After too", response(502, "Retry-After", "1"), 3, time.Second, 1100 * time.Millisecond},
		{"Retry-After capped", response(503, "Retry-After", "120"), 0, 30 * time.Second, 30 * time.Second},
		{"Retry-After as a date", response(429, "Retry-After", date), 0, 3 * time.Second, 5500 * time.Millisecond},
		{"retry-after-ms first", response(429, "Retry-After-Ms", "250", "Retry-After", "9"), 0, 250 * time.Millisecond, 275 * time.Millisecond},
		{"no header: first wait", response(500), 0, first / 2, first},
		{"no header: doubles", response(500), 2, 2 * first, 4 * first},
		{"no header: capped", response(500), 40, limit / 2, limit},
		{"garbage header", response(429, "Retry-After", "soon"), 0, first / 2, first},
		{"connection error", nil, 1, first, 2 * first},
	}
	for _, tt := range tests {
		for range 20 { // the jitter
			got := backoff(first, limit, tt.attempt, tt.resp)
			if got < tt.min || got > tt.max {
				t.Errorf("%s: backoff = %s, want %s…%s", tt.name, got, tt.min, tt.max)
				break
			}
		}
	}
}

func TestCheckRetry(t *testing.T) {
	ctx := context.Background()
	for status, want := range map[int]bool{200: false, 400: false, 401: false, 404: false, 422: false,
		429: true, 500: true, 501: false, 502: true, 503: true, 504: true} {
		if got, _ := checkRetry(ctx, response(status), nil); got != want {
			t.Errorf("status %d: retry = %v, want %v", status, got, want)
		}
	}
	if got, _ := checkRetry(ctx, nil, errors.New("connection refused")); !got {
		t.Error("a connection error is not retried")
	}

	short, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if got, _ := checkRetry(short, response(429, "Retry-After", "20"), nil); got {
		t.Error("retried a wait the deadline leaves no time for")
	}
	if got, _ := checkRetry(short, response(429, "Retry-After", "0"), nil); !got {
		t.Error("did not retry a wait that fits")
	}

	done, cancel := context.WithCancel(ctx)
	cancel()
	if got, err := checkRetry(done, response(500), nil); got || !errors.Is(err, context.Canceled) {
		t.Errorf("after the context ended: retry = %v, %v", got, err)
	}
}

func TestRedacted(t *testing.T) {
	const secret = "sk-secret-123"
	cause := errors.New("bad key " + secret)
	err := redacted(cause, secret)
	if strings.Contains(err.Error(), secret) || !errors.Is(err, cause) {
		t.Errorf("redacted = %q (wraps the cause: %v)", err, errors.Is(err, cause))
	}
	if plain := errors.New("other"); redacted(plain, secret) != plain {
		t.Error("an error without the secret was rewrapped")
	}
}

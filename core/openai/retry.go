package openai

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// maxRetryWait caps any wait between attempts, the server's Retry-After included.
const maxRetryWait = 30 * time.Second

// newHTTPClient returns an HTTP client that retries 429s, 5xx and failed connections up to
// maxRetries times, waiting as the server asks or backing off exponentially with jitter. It
// never logs: retryablehttp's logger would print URLs and errors we keep to ourselves.
func newHTTPClient(maxRetries int, wait time.Duration) *http.Client {
	rc := retryablehttp.NewClient()
	rc.Logger = nil
	rc.RetryMax = max(maxRetries, 0)
	rc.RetryWaitMin = wait
	rc.RetryWaitMax = maxRetryWait
	rc.CheckRetry = checkRetry
	rc.Backoff = backoff
	rc.ErrorHandler = lastResponse
	return rc.StandardClient()
}

// checkRetry retries connection errors, 429 and 5xx, and nothing else: another 4xx is our
// bug and would fail again. It gives up at once when the server asks for a wait the call's
// deadline leaves no time for, so that the caller hears "rate limited", not "timed out".
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		return retryablehttp.DefaultRetryPolicy(ctx, resp, err) // not for TLS, scheme or redirect errors
	}
	if !retryable(resp.StatusCode) {
		return false, nil
	}
	if wait, ok := retryAfter(resp); ok {
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return false, nil
		}
	}
	return true, nil
}

// retryable reports whether a status is worth another attempt: too many requests, or a server
// error other than "not implemented".
func retryable(status int) bool {
	return status == http.StatusTooManyRequests ||
		status >= 500 && status <= 599 && status != http.StatusNotImplemented
}

// backoff waits what the server asks (Retry-After, for every status we retry, not only 429
// and 503 as retryablehttp's default does), plus up to a tenth more; otherwise first doubled
// on each attempt, half of it random. Either is capped at limit.
func backoff(first, limit time.Duration, attempt int, resp *http.Response) time.Duration {
	if wait, ok := retryAfter(resp); ok {
		return min(wait+jitter(wait/10), limit)
	}
	wait := min(first, limit)
	for range attempt {
		wait = min(2*wait, limit)
	}
	return wait/2 + jitter(wait/2)
}

// retryAfter reads the wait a retryable response asks for: OpenAI's retry-after-ms, else
// Retry-After in seconds or as an HTTP date; capped at maxRetryWait.
func retryAfter(resp *http.Response) (time.Duration, bool) {
	if resp == nil || !retryable(resp.StatusCode) {
		return 0, false
	}
	var wait time.Duration
	if ms, err := strconv.ParseFloat(resp.Header.Get("Retry-After-Ms"), 64); err == nil && ms >= 0 {
		wait = time.Duration(ms * float64(time.Millisecond))
	} else if h := resp.Header.Get("Retry-After"); h == "" {
		return 0, false
	} else if s, err := strconv.Atoi(h); err == nil && s >= 0 {
		wait = time.Duration(s) * time.Second
	} else if t, err := http.ParseTime(h); err == nil {
		wait = max(time.Until(t), 0)
	} else {
		return 0, false
	}
	return min(wait, maxRetryWait), true
}

// jitter returns a random duration in [0, d).
func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return rand.N(d)
}

// lastResponse hands the last response to go-openai when the retries are spent, so that it
// reads the API's error body; without a response it returns the transport's error.
func lastResponse(resp *http.Response, err error, _ int) (*http.Response, error) {
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return nil, err
	}
	return resp, nil
}

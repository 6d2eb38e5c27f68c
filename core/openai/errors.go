package openai

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	goopenai "github.com/sashabaranov/go-openai"
)

// The errors a call returns, checked with errors.Is. Each wraps its cause.
var (
	ErrDisabled    = errors.New("LLM disabled: no API key")
	ErrTimeout     = errors.New("LLM call timed out")
	ErrRateLimited = errors.New("LLM rate limited")
	ErrUnavailable = errors.New("LLM unavailable")
	ErrRefused     = errors.New("LLM refused to answer")
	ErrMalformed   = errors.New("LLM answer malformed")
	ErrInvalid     = errors.New("LLM answer invalid")
	ErrRequest     = errors.New("LLM request rejected") // a 4xx other than 429, or a request we could not build: our bug
)

// classify says which of the errors above an error of the API round trip is. ctx is the call's
// context, whose end outranks whatever the transport made of it.
func classify(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil || errors.Is(err, context.DeadlineExceeded) {
		if ctxErr != nil && !errors.Is(err, ctxErr) {
			err = fmt.Errorf("%w: %w", ctxErr, err)
		}
		if errors.Is(ctxErr, context.Canceled) {
			return err // the caller gave up: no verdict on the LLM
		}
		return fmt.Errorf("%w: %w", ErrTimeout, err)
	}
	var status int
	var apiErr *goopenai.APIError
	var reqErr *goopenai.RequestError
	switch {
	case errors.As(err, &apiErr):
		status = apiErr.HTTPStatusCode
	case errors.As(err, &reqErr):
		status = reqErr.HTTPStatusCode
	default: // no HTTP answer: the connection failed, after retries
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	switch {
	case status == http.StatusTooManyRequests:
		return fmt.Errorf("%w: %w", ErrRateLimited, err)
	case status >= 500:
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	default:
		return fmt.Errorf("%w: %w", ErrRequest, err)
	}
}

// redacted hides secret in err's text while keeping its chain for errors.Is and errors.As: a
// compatible server may echo the key it was given in its error message.
func redacted(err error, secret string) error {
	if err == nil || secret == "" || !strings.Contains(err.Error(), secret) {
		return err
	}
	return &redactedError{err: err, text: strings.ReplaceAll(err.Error(), secret, "[redacted]")}
}

type redactedError struct {
	err  error
	text string
}

func (e *redactedError) Error() string { return e.text }
func (e *redactedError) Unwrap() error { return e.err }

// Kind names which of the errors above err is ("timeout", "invalid", …), "other" for none: what
// may be logged at info level, where the error's own text, which can quote the answer, may not.
func Kind(err error) string {
	for _, k := range []struct {
		err  error
		name string
	}{{ErrDisabled, "disabled"}, {ErrTimeout, "timeout"}, {ErrRateLimited, "rate_limited"}, {ErrUnavailable, "unavailable"},
		{ErrRefused, "refused"}, {ErrMalformed, "malformed"}, {ErrInvalid, "invalid"}, {ErrRequest, "request"}} {
		if errors.Is(err, k.err) {
			return k.name
		}
	}
	return "other"
}

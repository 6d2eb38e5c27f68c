package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/bizconnect/bizconnect/core"
	"github.com/go-telegram/bot"
)

// statusKey is the context key under which a call asks statusClient for the HTTP status.
type statusKey struct{}

// statusClient tells callers the HTTP status of a Bot API answer, which go-telegram/bot hides
// for error codes it has no sentinel for (413, 5xx…). The Bot API answers with an HTTP status
// equal to error_code.
type statusClient struct{ c *http.Client }

// Do implements bot.HttpClient.
func (s statusClient) Do(req *http.Request) (*http.Response, error) {
	resp, err := s.c.Do(req)
	if p, ok := req.Context().Value(statusKey{}).(*int); ok && resp != nil {
		*p = resp.StatusCode
	}
	return resp, err
}

// withStatus returns a context that records the status of the call made with it into *status.
func withStatus(ctx context.Context, status *int) context.Context {
	return context.WithValue(ctx, statusKey{}, status)
}

// call runs one library call with status capture and maps its error (see classify).
func (a *Adapter) call(ctx context.Context, op string, f func(ctx context.Context) error) error {
	var status int
	err := f(withStatus(ctx, &status))
	if err == nil {
		return nil
	}
	return a.classify(ctx, op, status, err)
}

// classify maps a Bot API error to the core's delivery errors: 429 pauses the whole bot and
// becomes a RetryAfterError, 403 ErrUnreachable, other 4xx ErrPermanent; 5xx and network errors
// stay plain so the worker retries them.
func (a *Adapter) classify(ctx context.Context, op string, status int, err error) error {
	var tooMany *bot.TooManyRequestsError
	var migrate *bot.MigrateError
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("telegram: %s: %w", op, ctx.Err())
	case errors.As(err, &tooMany):
		after := time.Duration(max(tooMany.RetryAfter, 1)) * time.Second
		a.limit.pause(a.now().Add(after))
		a.sharePause(ctx, a.now().Add(after))
		a.log.Warn("telegram: rate limited, pausing all sends", "retry_after", after)
		return fmt.Errorf("telegram: %s: %w", op, &core.RetryAfterError{After: after})
	case errors.Is(err, bot.ErrorForbidden), status == http.StatusForbidden:
		return fmt.Errorf("telegram: %s: %w: %w", op, core.ErrUnreachable, err)
	case errors.As(err, &migrate), errors.Is(err, bot.ErrorBadRequest), errors.Is(err, bot.ErrorUnauthorized),
		errors.Is(err, bot.ErrorNotFound), errors.Is(err, bot.ErrorConflict), status >= 400 && status < 500:
		return fmt.Errorf("telegram: %s: %w: %w", op, core.ErrPermanent, err)
	}
	return fmt.Errorf("telegram: %s: %w", op, err)
}

// isNotModified tells the harmless "message is not modified" edit answer.
func isNotModified(err error) bool {
	return errors.Is(err, core.ErrPermanent) && strings.Contains(err.Error(), "message is not modified")
}

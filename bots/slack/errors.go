package slack

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/bizconnect/bizconnect/core"
	"github.com/slack-go/slack"
)

// unreachable are the Web API errors after which nothing can be sent to the user or the
// workspace until something changes on Slack's side. A channel the bot can't post in
// (not_in_channel, channel_not_found, is_archived) fails that message only.
var unreachable = map[string]bool{
	"user_not_found": true, "cannot_dm_bot": true, "messages_tab_disabled": true, "user_disabled": true,
	// The workspace is gone: the token no longer works.
	"invalid_auth": true, "token_revoked": true, "account_inactive": true, "not_authed": true,
	"team_access_not_granted": true, "token_expired": true,
}

// transient are the Web API errors worth retrying as they are.
var transient = map[string]bool{
	"internal_error": true, "fatal_error": true, "service_unavailable": true, "request_timeout": true,
	"ratelimited": true,
}

// classify maps a Web API error to the core's delivery errors: 429 pauses the workspace and
// becomes a RetryAfterError, lost channels and tokens ErrUnreachable, other API errors and 4xx
// ErrPermanent; 5xx and network errors stay plain so the worker retries them.
func (a *Adapter) classify(ctx context.Context, op, workspace string, err error) error {
	var (
		limited *slack.RateLimitedError
		apiErr  slack.SlackErrorResponse
		status  slack.StatusCodeError
	)
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("slack: %s: %w", op, ctx.Err())
	case errors.As(err, &limited):
		after := max(limited.RetryAfter, time.Second)
		a.limit.pause(workspace, a.now().Add(after))
		a.sharePause(context.WithoutCancel(ctx), workspace, a.now().Add(after))
		a.log.Warn("slack: rate limited, pausing the workspace", "team_id", workspace, "retry_after", after)
		return fmt.Errorf("slack: %s: %w", op, &core.RetryAfterError{After: after})
	case errors.As(err, &apiErr) && unreachable[apiErr.Err]:
		return fmt.Errorf("slack: %s: %w: %w", op, core.ErrUnreachable, err)
	case errors.As(err, &apiErr) && !transient[apiErr.Err]:
		return fmt.Errorf("slack: %s: %w: %w", op, core.ErrPermanent, err)
	case errors.As(err, &status) && status.Code == http.StatusTooManyRequests:
		return fmt.Errorf("slack: %s: %w", op, &core.RetryAfterError{After: time.Second})
	case errors.As(err, &status) && status.Code >= 400 && status.Code < 500:
		return fmt.Errorf("slack: %s: %w: %w", op, core.ErrPermanent, err)
	}
	return fmt.Errorf("slack: %s: %w", op, err)
}

// apiError reports whether err is the Web API error code.
func apiError(err error, code string) bool {
	var apiErr slack.SlackErrorResponse
	return errors.As(err, &apiErr) && apiErr.Err == code
}

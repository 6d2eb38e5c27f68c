package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// allowedUpdates are the update kinds the bot asks Telegram for.
var allowedUpdates = []string{models.AllowedUpdateMessage, models.AllowedUpdateCallbackQuery}

// maxBackoff caps the pause after repeated polling errors.
const maxBackoff = 30 * time.Second

// Poll receives updates by long polling until ctx is cancelled, then returns nil. It deletes any
// webhook first. An update is confirmed (the offset moves past it) only after Accept succeeded,
// so a crash or an Accept error makes Telegram deliver it again.
func (a *Adapter) Poll(ctx context.Context) error {
	pause := a.backoff
	for {
		err := a.call(ctx, "delete webhook", func(ctx context.Context) error {
			_, err := a.bot.DeleteWebhook(ctx, &bot.DeleteWebhookParams{})
			return err
		})
		if err == nil {
			break
		}
		if pause = a.pauseAfter(ctx, err, pause); ctx.Err() != nil {
			return nil
		}
	}
	var offset int64
	pause = a.backoff
	for ctx.Err() == nil {
		next, err := a.pollOnce(ctx, offset)
		offset = next
		if err == nil {
			pause = a.backoff
			continue
		}
		pause = a.pauseAfter(ctx, err, pause)
	}
	return nil
}

// pollOnce fetches one batch and accepts it in order, returning the new offset.
func (a *Adapter) pollOnce(ctx context.Context, offset int64) (int64, error) {
	raws, err := a.getUpdates(ctx, offset)
	if err != nil {
		return offset, err
	}
	for _, raw := range raws {
		id, err := a.acceptRaw(ctx, raw)
		if err != nil {
			return offset, err
		}
		offset = id + 1
	}
	return offset, nil
}

// acceptRaw decodes one update and hands it to Accept; updates the library can't parse are
// skipped so they can't block the queue.
func (a *Adapter) acceptRaw(ctx context.Context, raw json.RawMessage) (int64, error) {
	var u models.Update
	if err := json.Unmarshal(raw, &u); err != nil {
		var idOnly struct {
			ID int64 `json:"update_id"`
		}
		if json.Unmarshal(raw, &idOnly) != nil {
			return 0, fmt.Errorf("telegram: decode update: %w", err)
		}
		a.log.Warn("telegram: skipping undecodable update", "update_id", idOnly.ID, "error", err)
		return idOnly.ID, nil
	}
	if a.undecidable(&u) {
		return 0, errUsernameUnknown // the offset stays: it comes again once getMe succeeded
	}
	if in, ok := a.Decode(&u); ok {
		if err := a.accept(ctx, in); err != nil {
			return 0, fmt.Errorf("telegram: accept update %d: %w", u.ID, err)
		}
	}
	return u.ID, nil
}

// pauseAfter logs a polling error, sleeps and returns the next pause.
func (a *Adapter) pauseAfter(ctx context.Context, err error, pause time.Duration) time.Duration {
	if ctx.Err() != nil {
		return pause
	}
	var ra interface{ RetryAfter() time.Duration }
	if errors.As(err, &ra) {
		pause = max(pause, ra.RetryAfter())
	}
	a.log.Warn("telegram: polling failed", "error", err, "retry_in", pause)
	_ = sleepUntil(ctx, a.now, a.now().Add(pause))
	return min(2*pause, maxBackoff)
}

// apiError is a Bot API error answer to getUpdates.
type apiError struct {
	Code        int    `json:"error_code"`
	Description string `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// Error implements the error interface.
func (e *apiError) Error() string { return fmt.Sprintf("%d %s", e.Code, e.Description) }

// RetryAfter returns how long Telegram asked to wait (0 when it didn't).
func (e *apiError) RetryAfter() time.Duration {
	return time.Duration(e.Parameters.RetryAfter) * time.Second
}

// getUpdates calls the Bot API directly: go-telegram/bot keeps its getUpdates private and
// confirms updates before handlers run.
func (a *Adapter) getUpdates(ctx context.Context, offset int64) ([]json.RawMessage, error) {
	body, _ := json.Marshal(map[string]any{
		"offset": offset, "timeout": int(a.poll / time.Second), "allowed_updates": allowedUpdates,
	})
	ctx, cancel := context.WithTimeout(ctx, a.poll+15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.apiURL+"/bot"+a.token+"/getUpdates", bytes.NewReader(body))
	if err != nil {
		return nil, errors.New("telegram: get updates: bad API URL")
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("telegram: get updates: %w", redact(err))
	}
	defer resp.Body.Close()
	var r struct {
		OK     bool              `json:"ok"`
		Result []json.RawMessage `json:"result"`
		apiError
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil, fmt.Errorf("telegram: get updates: status %d: %w", resp.StatusCode, err)
	}
	if !r.OK {
		return nil, fmt.Errorf("telegram: get updates: %w", &r.apiError)
	}
	return r.Result, nil
}

// redact keeps the token out of a network error, which quotes the URL.
func redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err // the method is in our prefix already
	}
	return err
}

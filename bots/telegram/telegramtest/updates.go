package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// PushUpdate queues an update for getUpdates. An update_id of 0 is replaced by the next free id;
// PushUpdate returns the id used.
func (s *Server) PushUpdate(update []byte) int64 {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(update, &m); err != nil {
		panic(fmt.Sprintf("telegramtest: PushUpdate: %v", err))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var id int64
	_ = json.Unmarshal(m["update_id"], &id)
	if id == 0 {
		id = s.nextUpd
		m["update_id"] = json.RawMessage(strconv.FormatInt(id, 10))
		update, _ = json.Marshal(m)
	}
	s.nextUpd = max(s.nextUpd, id+1)
	s.updates = append(s.updates, queuedUpdate{id: id, raw: update})
	s.notifyLocked()
	return id
}

// Pending returns the ids of queued updates not yet confirmed by a getUpdates offset.
func (s *Server) Pending() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]int64, 0, len(s.updates))
	for _, u := range s.updates {
		ids = append(ids, u.id)
	}
	return ids
}

// getUpdates confirms updates below offset and long-polls for the rest, waiting at most
// min(timeout, PollWait).
func (s *Server) getUpdates(ctx context.Context, c Call) (any, *Failure) {
	offset, _ := strconv.ParseInt(c.Params["offset"], 10, 64)
	timeout, _ := strconv.Atoi(c.Params["timeout"])
	limit, _ := strconv.Atoi(c.Params["limit"])
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	s.mu.Lock()
	if s.webhook.url != "" {
		s.mu.Unlock()
		return nil, &Failure{Code: http.StatusConflict, Description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	}
	s.mu.Unlock()
	deadline := time.After(min(time.Duration(timeout)*time.Second, s.pollWait))
	for {
		s.mu.Lock()
		ups := s.confirmLocked(offset)
		changed := s.changed
		s.mu.Unlock()
		if len(ups) > 0 {
			return ups[:min(limit, len(ups))], nil
		}
		select {
		case <-changed:
		case <-deadline:
			return []json.RawMessage{}, nil
		case <-ctx.Done():
			return []json.RawMessage{}, nil
		}
	}
}

// confirmLocked forgets updates below offset (offset 0 confirms nothing) and returns the rest.
func (s *Server) confirmLocked(offset int64) []json.RawMessage {
	kept := s.updates[:0]
	var out []json.RawMessage
	for _, u := range s.updates {
		if offset > 0 && u.id < offset {
			continue
		}
		kept = append(kept, u)
		out = append(out, u.raw)
	}
	s.updates = kept
	return out
}

// DeliverWebhook posts update to the URL of the last setWebhook call with its secret token, as
// Telegram does, and returns the response status.
func (s *Server) DeliverWebhook(ctx context.Context, update []byte) (int, error) {
	url, secret := s.Webhook()
	if url == "" {
		return 0, fmt.Errorf("telegramtest: deliver webhook: no webhook set")
	}
	return PostWebhook(ctx, url, secret, update)
}

// PostWebhook posts update to url with secret in X-Telegram-Bot-Api-Secret-Token (omitted when
// empty) and returns the response status.
func PostWebhook(ctx context.Context, url, secret string, update []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(update))
	if err != nil {
		return 0, fmt.Errorf("telegramtest: post webhook: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("telegramtest: post webhook: %w", err)
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

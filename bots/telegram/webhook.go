package telegram

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/go-telegram/bot/models"
)

// maxUpdateSize bounds a webhook body; real updates are a few kilobytes.
const maxUpdateSize = 1 << 20

// secretHeader carries the secret token given to setWebhook.
const secretHeader = "X-Telegram-Bot-Api-Secret-Token"

// WebhookHandler returns the handler for Telegram's webhook (POST /telegram/webhook). It answers
// 401 without reading the body unless the secret token matches, 400 for a malformed update, 500
// when Accept fails and 503 for a group mention before the bot knows its username (so Telegram
// delivers the update again), and 200 otherwise.
func (a *Adapter) WebhookHandler() http.Handler {
	return http.HandlerFunc(a.serveWebhook)
}

func (a *Adapter) serveWebhook(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if !a.validSecret(r.Header.Get(secretHeader)) {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	var u models.Update
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxUpdateSize)).Decode(&u); err != nil {
		status := http.StatusBadRequest
		if errors.As(err, new(*http.MaxBytesError)) {
			status = http.StatusRequestEntityTooLarge
		}
		http.Error(w, "bad update", status)
		return
	}
	if a.undecidable(&u) {
		// Telegram delivers it again; by then getMe has told us whether it mentions us
		w.Header().Set("Retry-After", "5")
		http.Error(w, "not ready", http.StatusServiceUnavailable)
		return
	}
	in, ok := a.Decode(&u)
	if !ok {
		w.WriteHeader(http.StatusOK)
		return
	}
	if err := a.accept(r.Context(), in); err != nil {
		a.log.Error("telegram: accept update", "key", in.Key, "error", err)
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// validSecret compares in constant time; an unconfigured secret matches nothing.
func (a *Adapter) validSecret(got string) bool {
	return a.secret != "" && subtle.ConstantTimeCompare([]byte(got), []byte(a.secret)) == 1
}

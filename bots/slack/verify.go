package slack

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/slack-go/slack"
)

// maxBodySize bounds a request body; Slack's payloads are a few kilobytes.
const maxBodySize = 1 << 20

// signatureWindow is how far a request's timestamp may be from now, either way, against replays.
const signatureWindow = 5 * time.Minute

// errUnsigned marks a request that failed verification.
var errUnsigned = errors.New("slack: request not signed with the signing secret")

// verifiedBody reads r's body and checks Slack's v0 signature over "v0:timestamp:body" and the
// timestamp window. It answers the request itself (405, 401, 413, 400) and returns ok false
// when the request must go no further.
func (a *Adapter) verifiedBody(w http.ResponseWriter, r *http.Request) (body []byte, ok bool) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return nil, false
	}
	if err := a.checkTimestamp(r.Header.Get("X-Slack-Request-Timestamp")); err != nil {
		a.log.Debug("slack: refused request", "path", r.URL.Path, "error", err)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return nil, false
	}
	// NewSecretsVerifier checks the signature's shape ("v0=" and 32 bytes of hex) and the window
	// again on the wall clock, all before a byte of the body is read.
	sv, err := slack.NewSecretsVerifier(r.Header, a.opts.SigningSecret)
	if err != nil {
		a.log.Debug("slack: refused request", "path", r.URL.Path, "error", err)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return nil, false
	}
	body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodySize))
	if err != nil {
		status := http.StatusBadRequest
		if errors.As(err, new(*http.MaxBytesError)) {
			status = http.StatusRequestEntityTooLarge
		}
		http.Error(w, "bad request", status)
		return nil, false
	}
	if _, err := sv.Write(body); err != nil || sv.Ensure() != nil {
		a.log.Debug("slack: refused request", "path", r.URL.Path, "error", errUnsigned)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return nil, false
	}
	return body, true
}

// signedKey is the dedupe key of a verified request the platform gave no id of its own (a slash
// command without trigger_id, a button press without action_ts): the signed timestamp and a hash
// of the signed body, so a replay of the same request is the same update and another is not.
func signedKey(teamID string, r *http.Request, body []byte) string {
	sum := sha256.Sum256(body)
	return "slack:" + teamID + ":sig:" + r.Header.Get("X-Slack-Request-Timestamp") + ":" + hex.EncodeToString(sum[:16])
}

// checkTimestamp refuses a missing, malformed, stale or future X-Slack-Request-Timestamp.
func (a *Adapter) checkTimestamp(header string) error {
	if header == "" {
		return fmt.Errorf("%w: missing timestamp", errUnsigned)
	}
	sec, err := strconv.ParseInt(header, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: malformed timestamp", errUnsigned)
	}
	if d := a.now().Sub(time.Unix(sec, 0)); d > signatureWindow || d < -signatureWindow {
		return fmt.Errorf("%w: timestamp %s away from now", errUnsigned, d.Round(time.Second))
	}
	return nil
}

// Package hookstest is a webhook receiver for tests that checks Standard Webhooks signatures
// its own way (from the specification, not with the library that signs), records what it was
// sent and can be down.
package hookstest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Receiver is an HTTP endpoint on 127.0.0.1.
type Receiver struct {
	URL    string
	secret string

	mu       sync.Mutex
	status   int // what it answers; 200 when 0
	attempts int
	got      []Message
	bad      []string
}

// Message is an accepted delivery.
type Message struct {
	ID   string
	Type string
	Data map[string]any
	At   time.Time
}

// Start runs a receiver until the test ends; SetSecret before the first delivery.
func Start(t testing.TB) *Receiver {
	r := &Receiver{}
	srv := httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(srv.Close)
	r.URL = srv.URL + "/hooks/bizconnect"
	return r
}

// SetSecret is the endpoint's whsec_ secret the signatures are checked with.
func (r *Receiver) SetSecret(s string) {
	r.mu.Lock()
	r.secret = s
	r.mu.Unlock()
}

// Answer makes the receiver answer status (503: down; 410: gone; 0: 200 again).
func (r *Receiver) Answer(status int) {
	r.mu.Lock()
	r.status = status
	r.mu.Unlock()
}

func (r *Receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	r.mu.Lock()
	defer r.mu.Unlock()
	r.attempts++
	id, ts, sig := req.Header.Get("webhook-id"), req.Header.Get("webhook-timestamp"), req.Header.Get("webhook-signature")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if !Verify(r.secret, id, ts, body, sig) || err != nil || time.Since(time.Unix(sec, 0)).Abs() > 5*time.Minute {
		r.bad = append(r.bad, id)
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	if r.status != 0 {
		w.WriteHeader(r.status)
		return
	}
	var m struct {
		Type string         `json:"type"`
		Data map[string]any `json:"data"`
	}
	_ = json.Unmarshal(body, &m)
	r.got = append(r.got, Message{ID: id, Type: m.Type, Data: m.Data, At: time.Now()})
	w.WriteHeader(http.StatusNoContent)
}

// Verify checks a Standard Webhooks signature header as the specification says: the key is
// the base64 after whsec_, the signed content "{id}.{timestamp}.{body}", the header any of
// space-separated "v1,<base64 HMAC-SHA-256>". (The receiver also wants the timestamp within
// five minutes of now.)
func Verify(secret, id, timestamp string, body []byte, header string) bool {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil || id == "" || timestamp == "" {
		return false
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id + "." + timestamp + "." + string(body)))
	want := m.Sum(nil)
	for _, s := range strings.Fields(header) {
		version, b64, ok := strings.Cut(s, ",")
		got, err := base64.StdEncoding.DecodeString(b64)
		if ok && version == "v1" && err == nil && hmac.Equal(got, want) {
			return true
		}
	}
	return false
}

// Messages is what was accepted, in order.
func (r *Receiver) Messages() []Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Message(nil), r.got...)
}

// Attempts is how many requests came, whatever the answer.
func (r *Receiver) Attempts() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.attempts
}

// BadSignatures are the ids of requests whose signature did not verify.
func (r *Receiver) BadSignatures() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.bad...)
}

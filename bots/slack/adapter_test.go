package slack

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/bots/slack/slackfake"
	"github.com/bizconnect/bizconnect/core"
)

const testSecret = "8f742231b10e8888abcd99yyyzzz85a5"

// testBundle is what a test needs: the adapter, the fake Web API and the fakes it was given.
type testBundle struct {
	a        *Adapter
	api      *slackfake.Server
	installs *fakeInstalls
	states   *fakeStates

	mu        sync.Mutex
	accepted  []core.Inbound
	acceptErr error
}

// setup returns an adapter in multi-workspace mode with OAuth, talking to a fake Web API.
func setup(t *testing.T) *testBundle {
	t.Helper()
	b := &testBundle{api: slackfake.New(t), installs: newFakeInstalls(), states: &fakeStates{used: map[string]time.Time{}}}
	b.installs.tokens["T1"] = "xoxb-team-1"
	a, err := New(Options{
		SigningSecret: testSecret, ClientID: "cid", ClientSecret: "csecret",
		RedirectURL: "https://bc.example/slack/oauth/callback", APIURL: b.api.URL(),
		Accept: b.accept, Installs: b.installs, States: b.states,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	b.a = a
	return b
}

func (b *testBundle) accept(_ context.Context, in core.Inbound) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.accepted = append(b.accepted, in)
	return b.acceptErr
}

func (b *testBundle) inbounds() []core.Inbound {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]core.Inbound(nil), b.accepted...)
}

// only returns the one accepted Inbound, failing the test unless there was exactly one.
func (b *testBundle) only(t *testing.T) core.Inbound {
	t.Helper()
	got := b.inbounds()
	if len(got) != 1 {
		t.Fatalf("accepted %d inbounds, want 1: %+v", len(got), got)
	}
	return got[0]
}

// signed builds a POST Slack would send, signed now.
func signed(path, contentType string, body []byte) *http.Request {
	r := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	r.Header.Set("Content-Type", contentType)
	slackfake.Sign(r.Header, testSecret, body, time.Now())
	return r
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

type fakeInstalls struct {
	mu       sync.Mutex
	tokens   map[string]string
	saved    []core.Installation
	disabled []string
}

func newFakeInstalls() *fakeInstalls { return &fakeInstalls{tokens: map[string]string{}} }

func (f *fakeInstalls) Save(_ context.Context, in core.Installation) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.saved = append(f.saved, in)
	f.tokens[in.TeamID] = in.BotToken
	return nil
}

func (f *fakeInstalls) Token(_ context.Context, teamID string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if tok, ok := f.tokens[teamID]; ok {
		return tok, nil
	}
	return "", errors.Join(errors.New("no such workspace"), core.ErrUnreachable)
}

func (f *fakeInstalls) Disable(_ context.Context, teamID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.disabled = append(f.disabled, teamID)
	delete(f.tokens, teamID)
	return nil
}

// fakeStates remembers used states as the PostgreSQL store does.
type fakeStates struct {
	mu   sync.Mutex
	used map[string]time.Time
}

func (f *fakeStates) Consume(_ context.Context, state string, expires time.Time) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.used[state]; ok {
		return false, nil
	}
	f.used[state] = expires
	return true, nil
}

func TestNewValidates(t *testing.T) {
	accept := func(context.Context, core.Inbound) error { return nil }
	tests := []struct {
		name string
		opts Options
		ok   bool
	}{
		{"single workspace", Options{SigningSecret: "s", BotToken: "xoxb", Accept: accept}, true},
		{"no secret", Options{BotToken: "xoxb", Accept: accept}, false},
		{"no accept", Options{SigningSecret: "s", BotToken: "xoxb"}, false},
		{"no token source", Options{SigningSecret: "s", Accept: accept}, false},
		{"oauth without states", Options{SigningSecret: "s", Accept: accept, Installs: newFakeInstalls(), ClientID: "c", ClientSecret: "x", RedirectURL: "https://x"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.opts); (err == nil) != tt.ok {
				t.Errorf("New() error = %v, want ok %v", err, tt.ok)
			}
		})
	}
}

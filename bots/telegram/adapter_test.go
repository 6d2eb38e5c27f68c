package telegram

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/bots/telegram/telegramtest"
	"github.com/bizconnect/bizconnect/core"
	"github.com/go-telegram/bot/models"
)

const testSecret = "s3cr3t-webhook-token"

// testBundle is what most tests need: a fake Bot API, an adapter talking to it and the
// updates it accepted.
type testBundle struct {
	srv *telegramtest.Server
	a   *Adapter

	mu        sync.Mutex
	accepted  []core.Inbound
	acceptErr func(in core.Inbound) error // nil accepts everything
}

// setup returns an adapter on a fake server with rate limits off (limit tests set their own).
func setup(t *testing.T) *testBundle {
	t.Helper()
	b := &testBundle{srv: telegramtest.NewServer(t, telegramtest.Options{})}
	a, err := New(Options{
		Token: b.srv.Token(), APIURL: b.srv.URL, WebhookSecret: testSecret, Accept: b.accept,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	a.limit = newLimiter(limits{groupWindow: time.Minute, groupMax: 1 << 20})
	a.backoff = 10 * time.Millisecond
	a.setUsername(telegramtest.DefaultUsername)
	b.a = a
	return b
}

func (b *testBundle) accept(_ context.Context, in core.Inbound) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.accepted = append(b.accepted, in)
	if b.acceptErr != nil {
		return b.acceptErr(in)
	}
	return nil
}

func (b *testBundle) acceptedKeys() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var keys []string
	for _, in := range b.accepted {
		keys = append(keys, in.Key)
	}
	return keys
}

func decodeJSON(t *testing.T, raw []byte) *models.Update {
	t.Helper()
	var u models.Update
	if err := json.Unmarshal(raw, &u); err != nil {
		t.Fatal(err)
	}
	return &u
}

func TestNewRejectsMalformedTokenWithoutEchoingIt(t *testing.T) {
	for _, token := range []string{"", "nocolon-secret", "abc:def", "-5:x"} {
		_, err := New(Options{Token: token, Accept: func(context.Context, core.Inbound) error { return nil }})
		if err == nil {
			t.Fatalf("New(%q) succeeded", token)
		}
		if token != "" && strings.Contains(err.Error(), token) {
			t.Errorf("error %q echoes the token", err)
		}
	}
}

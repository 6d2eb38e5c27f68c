package slack

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bizconnect/bizconnect/bots/slack/slackfake"
	"github.com/bizconnect/bizconnect/core"
)

// FuzzRequests feeds arbitrary, correctly signed bodies to the three Slack endpoints: no panic,
// no 5xx, and only valid UTF-8 with a key handed on.
func FuzzRequests(f *testing.F) {
	f.Add(0, []byte(`{"type":"event_callback","team_id":"T1","event_id":"E1","event":{"type":"message","channel_type":"im","channel":"D1","user":"U1","text":"купить молоко","ts":"1.2"}}`))
	f.Add(0, []byte(`{"type":"event_callback","team_id":"T1","event_id":"E2","event":{"type":"app_mention","channel":"C1","user":"U1","text":"<@UBOT> \xff","ts":"1.2"}}`))
	f.Add(0, []byte(`{"type":"url_verification","challenge":"x"}`))
	f.Add(1, []byte(url.Values{"team_id": {"T1"}, "user_id": {"U1"}, "channel_id": {"C1"}, "command": {"/bc"}, "text": {"цель"}, "trigger_id": {"t"}}.Encode()))
	f.Add(2, []byte(url.Values{"payload": {`{"type":"block_actions","team":{"id":"T1"},"user":{"id":"U1"},"actions":[{"block_id":"a","action_id":"b0","value":"t:done:x","action_ts":"1"}]}`}}.Encode()))
	f.Add(2, []byte(`payload=%7B%7D`))
	a, err := New(Options{SigningSecret: testSecret, BotToken: "xoxb-fuzz", APIURL: "http://127.0.0.1:1/api/",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Accept: func(_ context.Context, in core.Inbound) error {
			if in.Key == "" || !utf8.ValidString(in.Text) {
				panic("bad inbound")
			}
			return nil
		}})
	if err != nil {
		f.Fatal(err)
	}
	a.home = "T1" // as Setup's auth.test says
	handlers := []http.Handler{a.EventsHandler(), a.CommandsHandler(), a.InteractivityHandler()}
	f.Fuzz(func(t *testing.T, which int, body []byte) {
		if which < 0 {
			which = -which
		}
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		slackfake.Sign(req.Header, testSecret, body, time.Now())
		rec := httptest.NewRecorder()
		handlers[which%len(handlers)].ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("status %d for %q", rec.Code, body)
		}
	})
}

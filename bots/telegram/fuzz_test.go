package telegram

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"unicode/utf8"

	"github.com/bizconnect/bizconnect/bots/telegram/telegramtest"
	"github.com/bizconnect/bizconnect/core"
)

// FuzzWebhook feeds arbitrary bodies with the right secret to the webhook: it must never panic,
// answer only 200, 400 or 413, and hand on nothing but valid UTF-8 with a key.
func FuzzWebhook(f *testing.F) {
	f.Add(telegramtest.Message{UpdateID: 1, Text: "завтра в 10 созвон"}.Update())
	f.Add(telegramtest.Message{UpdateID: 2, ChatID: -100, Text: "/today@" + telegramtest.DefaultUsername}.Update())
	f.Add(telegramtest.Callback{UpdateID: 3, Data: "t:done:x"}.Update())
	f.Add([]byte(`{"update_id":4,"message":{"message_id":1,"date":0,"chat":{"id":1,"type":"private"},"from":{"id":1,"first_name":"\xff"},"text":"\xfe"}}`))
	f.Add([]byte(`{"update_id":5,"message":{"text":"@` + telegramtest.DefaultUsername + `","entities":[{"type":"mention","offset":0,"length":999}],"chat":{"id":-5,"type":"group"},"from":{"id":2}}}`))
	f.Add([]byte(`[]`))
	a, err := New(Options{Token: "1:fuzz", APIURL: "http://127.0.0.1:1", WebhookSecret: testSecret,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Accept: func(_ context.Context, in core.Inbound) error {
			if in.Key == "" || !utf8.ValidString(in.Text) || !utf8.ValidString(in.UserName) {
				panic("bad inbound")
			}
			return nil
		}})
	if err != nil {
		f.Fatal(err)
	}
	a.setUsername(telegramtest.DefaultUsername)
	h := a.WebhookHandler()
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/telegram/webhook", bytes.NewReader(body))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", testSecret)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 && rec.Code != 400 && rec.Code != 413 {
			t.Fatalf("status %d for %q", rec.Code, body)
		}
	})
}

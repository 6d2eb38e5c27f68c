package telegram

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bizconnect/bizconnect/bots/telegram/telegramtest"
	"github.com/bizconnect/bizconnect/core"
)

func TestWebhook(t *testing.T) {
	good := telegramtest.Message{UpdateID: 31, Text: "hello"}.Update()
	ignored := telegramtest.Message{UpdateID: 32, ChatID: -100, Text: "not for the bot"}.Update()
	tests := []struct {
		name       string
		method     string
		secret     string // header value; "-" omits it
		configured string // the adapter's secret
		body       []byte
		acceptErr  error
		wantStatus int
		wantKeys   []string
	}{
		{name: "good secret", secret: testSecret, body: good, wantStatus: 200, wantKeys: []string{"telegram:123456789:31"}},
		{name: "missing secret", secret: "-", body: good, wantStatus: 401},
		{name: "forged secret", secret: "s3cr3t-webhook-tokeX", body: good, wantStatus: 401},
		{name: "secret prefix", secret: testSecret[:5], body: good, wantStatus: 401},
		{name: "empty configured secret refuses all", configured: "-", secret: "-", body: good, wantStatus: 401},
		{name: "empty configured secret, empty header", configured: "-", secret: "", body: good, wantStatus: 401},
		{name: "bad JSON", secret: testSecret, body: []byte(`{"update_id":`), wantStatus: 400},
		{name: "too large", secret: testSecret, body: bytes.Repeat([]byte(" "), maxUpdateSize+10), wantStatus: 413},
		{name: "ignored update", secret: testSecret, body: ignored, wantStatus: 200},
		{name: "accept fails", secret: testSecret, body: good, acceptErr: errors.New("db down"), wantStatus: 500, wantKeys: []string{"telegram:123456789:31"}},
		{name: "GET", method: http.MethodGet, secret: testSecret, body: good, wantStatus: 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := setup(t)
			if tt.configured == "-" {
				b.a.secret = ""
			}
			b.acceptErr = func(core.Inbound) error { return tt.acceptErr }
			method := tt.method
			if method == "" {
				method = http.MethodPost
			}
			req := httptest.NewRequest(method, "/telegram/webhook", bytes.NewReader(tt.body))
			if tt.secret != "-" {
				req.Header.Set("X-Telegram-Bot-Api-Secret-Token", tt.secret)
			}
			rec := httptest.NewRecorder()
			b.a.WebhookHandler().ServeHTTP(rec, req)
			if rec.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			if got := b.acceptedKeys(); strings.Join(got, ",") != strings.Join(tt.wantKeys, ",") {
				t.Errorf("accepted %v, want %v", got, tt.wantKeys)
			}
		})
	}
}

func TestWebhookDeliversDecodedInbound(t *testing.T) {
	b := setup(t)
	if err := b.a.Setup(t.Context(), "http://placeholder/telegram/webhook"); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(b.a.WebhookHandler())
	defer ts.Close()
	// Point the fake's webhook at the test server, as setWebhook would with a public URL.
	if _, err := http.Post(b.srv.URL+"/bot"+b.srv.Token()+"/setWebhook?url="+ts.URL+"&secret_token="+testSecret, "", nil); err != nil {
		t.Fatal(err)
	}
	status, err := b.srv.DeliverWebhook(t.Context(), telegramtest.Message{UpdateID: 33, Text: "/help"}.Update())
	if err != nil || status != 200 {
		t.Fatalf("DeliverWebhook = %d, %v", status, err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.accepted) != 1 || b.accepted[0].Text != "/help" || b.accepted[0].ChatID != "1001" {
		t.Fatalf("accepted %+v", b.accepted)
	}
}

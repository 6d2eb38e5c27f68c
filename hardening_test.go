package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/bots/slack/slackfake"
	"github.com/bizconnect/bizconnect/bots/telegram"
	"github.com/bizconnect/bizconnect/bots/telegram/telegramtest"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/postgres"
)

// nulUpdate is a message whose text and sender's name carry U+0000 and an unpaired surrogate as
// JSON escapes, exactly as Telegram would send them; PostgreSQL refuses U+0000 in text and jsonb.
func nulUpdate(updateID int64) []byte {
	return fmt.Appendf(nil, `{"update_id": %d, "message": {"message_id": 5, "date": %d,
		"from": {"id": 1001, "is_bot": false, "first_name": "An\u0000na\ud800", "language_code": "ru"},
		"chat": {"id": 1001, "type": "private"},
		"text": "купить\u0000 молоко \ud83d"}}`, updateID, time.Now().Unix())
}

func TestTelegramNULUpdateIsAnsweredAndLaterUpdatesFlow(t *testing.T) {
	t.Parallel()
	b := setupTelegram(t)
	if status := b.post(t, nulUpdate(1), tgSecret); status != http.StatusOK {
		t.Fatalf("NUL update answered %d, want 200", status)
	}
	b.send(t, telegramtest.Message{UpdateID: 2, From: anna, Text: "завтра позвонить Ивану"})
	sent := b.fake.WaitCalls(t, "sendMessage", 2, 10*time.Second)
	if !strings.Contains(sent[0].Text(), "купить") || !strings.Contains(sent[1].Text(), "позвонить Ивану") {
		t.Fatalf("replies: %q / %q", sent[0].Text(), sent[1].Text())
	}
	if n := b.count(t, `SELECT count(*) FROM inbound_updates WHERE processed_at IS NULL OR failed_at IS NOT NULL`); n != 0 {
		t.Fatalf("%d updates unprocessed or failed", n)
	}
	if n := b.count(t, `SELECT count(*) FROM users WHERE name = 'Anna�'`); n != 1 {
		t.Fatal("the user's name was not stored cleaned")
	}
}

func TestTelegramPollingMovesPastANULUpdate(t *testing.T) {
	t.Parallel()
	fake := newTelegramFake(t)
	db, _ := startApp(t, map[string]string{"TELEGRAM_BOT_TOKEN": fake.Token(), "TELEGRAM_API_URL": fake.URL, "BC_DEFAULT_TZ": "Europe/Moscow"})
	fake.PushUpdate(nulUpdate(0))
	fake.PushUpdate(telegramtest.Message{From: anna, Text: "завтра позвонить Ивану"}.Update())
	sent := fake.WaitCalls(t, "sendMessage", 2, 10*time.Second)
	if !strings.Contains(sent[1].Text(), "позвонить Ивану") {
		t.Fatalf("second reply: %q", sent[1].Text())
	}
	eventually(t, "the offset did not move past both updates", func() bool { return len(fake.Pending()) == 0 })
	var n int
	if err := db.Super.QueryRow(context.Background(), `SELECT count(*) FROM tasks`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("tasks = %d, %v", n, err)
	}
}

func TestTelegramRedeliveryAfterProcessingChangesNothing(t *testing.T) {
	t.Parallel()
	b := setupTelegram(t)
	m := telegramtest.Message{UpdateID: 9, From: anna, Text: "купить марки"}
	b.send(t, m)
	b.fake.WaitCalls(t, "sendMessage", 1, 10*time.Second)
	eventually(t, "the update was not processed", func() bool {
		return b.count(t, `SELECT count(*) FROM inbound_updates WHERE processed_at IS NOT NULL`) == 1
	})
	for range 3 { // Telegram redelivers after its own timeout, long after we processed it
		b.send(t, m)
	}
	time.Sleep(1500 * time.Millisecond) // the intake polls every second
	if n := len(b.fake.CallsTo("sendMessage")); n != 1 {
		t.Fatalf("replies = %d, want 1", n)
	}
	if n := b.count(t, `SELECT count(*) FROM tasks`); n != 1 {
		t.Fatalf("tasks = %d, want 1", n)
	}
}

func TestTelegramSetupRetriesAndGroupMentionsWaitForIt(t *testing.T) {
	t.Parallel()
	fake := newTelegramFake(t)
	for range 3 { // Telegram unreachable for the first calls
		fake.FailNext("getMe", "", telegramtest.InternalError())
	}
	gate := make(chan struct{})
	fake.HoldNext("getMe", gate) // and slow on the fourth, until the test lets it through
	_, base := startApp(t, map[string]string{
		"TELEGRAM_BOT_TOKEN": fake.Token(), "TELEGRAM_API_URL": fake.URL, "TELEGRAM_MODE": "webhook",
		"TELEGRAM_WEBHOOK_SECRET": tgSecret, "BC_DEFAULT_TZ": "Europe/Moscow",
	})
	fake.WaitCalls(t, "getMe", 4, 10*time.Second)
	if body := readyz(t, base); !strings.Contains(body, `"pending":["telegram setup"]`) {
		t.Fatalf("readyz while getMe fails: %s", body)
	}
	mention := telegramtest.Message{UpdateID: 3, From: anna, ChatID: -100, Text: "@" + telegramtest.DefaultUsername + " что на сегодня?"}.Update()
	status, err := telegramtest.PostWebhook(context.Background(), base+"/telegram/webhook", tgSecret, mention)
	if err != nil || status != http.StatusServiceUnavailable {
		t.Fatalf("a group mention before the username is known: %d %v, want 503 so Telegram redelivers", status, err)
	}
	close(gate)
	eventually(t, "setup still pending", func() bool { return !strings.Contains(readyz(t, base), "pending") })
	status, err = telegramtest.PostWebhook(context.Background(), base+"/telegram/webhook", tgSecret, mention)
	if err != nil || status != http.StatusOK {
		t.Fatalf("redelivered mention: %d %v", status, err)
	}
	sent := fake.WaitCalls(t, "sendMessage", 1, 10*time.Second)
	// Anna never wrote to the bot privately: the group is told how she opens that chat
	if !strings.Contains(sent[0].Text(), "«Запустить»") || sent[0].ChatID() != "-100" {
		t.Fatalf("the mention was not answered: %q to %s", sent[0].Text(), sent[0].ChatID())
	}
}

func readyz(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func TestSlackKeylessCommandRunsOnce(t *testing.T) {
	t.Parallel()
	b := setupSlack(t)
	b.install(t, "T1", "U1", "code-1")
	keyless := func(text string, at time.Time) int {
		form := url.Values{"team_id": {"T1"}, "user_id": {"U1"}, "user_name": {"u1"}, "channel_id": {"DU1"},
			"channel_name": {"directmessage"}, "command": {"/bc"}, "text": {text}} // no trigger_id
		status, _ := b.do(t, "/slack/commands", "application/x-www-form-urlencoded", form.Encode(), at, slackSecret)
		return status
	}
	at := time.Now()
	for range 2 { // the same signed request twice
		if keyless("купить бумагу", at) != 200 {
			t.Fatal("command refused")
		}
	}
	if keyless("купить скрепки", at) != 200 { // another command in the same second is not dropped
		t.Fatal("command refused")
	}
	b.waitPosts(t, 2)
	eventually(t, "updates not all processed", func() bool {
		return b.count(t, `SELECT count(*) FROM inbound_updates WHERE processed_at IS NOT NULL AND failed_at IS NULL`) == 2
	})
	if n := b.count(t, `SELECT count(*) FROM inbound_updates WHERE key = '' OR attempts > 1`); n != 0 {
		t.Fatalf("%d updates with an empty key or run twice", n)
	}
	time.Sleep(1500 * time.Millisecond)
	if n := b.count(t, `SELECT count(*) FROM tasks`); n != 2 {
		t.Fatalf("tasks = %d, want 2", n)
	}
	if n := len(b.waitPosts(t, 2)); n != 2 {
		t.Fatalf("replies = %d, want 2", n)
	}
}

func TestSlackInstallVisitsStoreNothing(t *testing.T) {
	t.Parallel()
	b := setupSlack(t)
	for range 1000 {
		b.startInstall(t)
	}
	if n := b.count(t, `SELECT count(*) FROM oauth_states`); n != 0 {
		t.Fatalf("1,000 anonymous install visits left %d rows", n)
	}
	b.fake.SetGrant(slackfake.Grant{Code: "c", TeamID: "T9", TeamName: "Nine", BotToken: "xoxb-9", BotUserID: "UBOT", UserID: "U9"})
	state, cookie := b.startInstall(t)
	if status := b.callback(t, "c", state, cookie); status != 200 {
		t.Fatalf("callback %d", status)
	}
	if n := b.count(t, `SELECT count(*) FROM oauth_states`); n != 1 {
		t.Fatalf("a completed install left %d used states, want 1 (until it expires)", n)
	}
}

// FuzzTelegramUpdateToDatabase sends arbitrary text and names, NULs and unpaired surrogates
// among them, through the webhook into the real inbox: every update is stored (200), never
// refused by PostgreSQL (500).
func FuzzTelegramUpdateToDatabase(f *testing.F) {
	for _, s := range []string{"купить молоко", "a\x00b", "\x00", "\uFFFD", "x\uFFFDy", "\xed\xa0\x80", "\xff\xfe", strings.Repeat("\x00я", 3000)} {
		f.Add(s, s)
	}
	db := coretest.NewDB(f)
	queues := postgres.NewQueues(db.DB)
	a, err := telegram.New(telegram.Options{Token: telegramtest.DefaultToken, APIURL: "http://127.0.0.1:1", WebhookSecret: tgSecret,
		Accept: queues.Accept, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		f.Fatal(err)
	}
	h := a.WebhookHandler()
	var id atomic.Int64
	f.Fuzz(func(t *testing.T, text, name string) {
		body, _ := json.Marshal(map[string]any{"update_id": id.Add(1), "message": map[string]any{
			"message_id": 1, "date": 1700000000, "text": text,
			"from": map[string]any{"id": 1001, "is_bot": false, "first_name": name, "language_code": name},
			"chat": map[string]any{"id": 1001, "type": "private"}}})
		body = bytes.ReplaceAll(body, []byte(`\ufffd`), []byte(`\ud800`)) // JSON escapes Go can't produce itself
		req := httptest.NewRequest(http.MethodPost, "/telegram/webhook", bytes.NewReader(body))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", tgSecret)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d for text %q name %q", rec.Code, text, name)
		}
		// stored as an update to process, not set aside as one PostgreSQL refused
		var refused int
		if err := db.Super.QueryRow(t.Context(), `SELECT count(*) FROM inbound_updates WHERE failed_at IS NOT NULL`).Scan(&refused); err != nil || refused != 0 {
			t.Fatalf("PostgreSQL refused the update with text %q name %q (%d refused, %v)", text, name, refused, err)
		}
	})
}

package main

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/bots/telegram/telegramtest"
	"github.com/bizconnect/bizconnect/core/coretest"
)

const tgSecret = "test-secret_1"

// tgBundle is the whole product as `serve` runs it, with Telegram pointed at a fake Bot API.
type tgBundle struct {
	db   *coretest.TestDB
	fake *telegramtest.Server
	url  string // the product's HTTP server
}

func setupTelegram(t testing.TB) *tgBundle {
	t.Helper()
	b, _ := startTelegram(t, nil)
	return b
}

// setupTelegramWeb is setupTelegram with the auth API and the REST API on too; it returns the
// server's base URL as well.
func setupTelegramWeb(t testing.TB) (*tgBundle, string) {
	t.Helper()
	return startTelegram(t, authEnv)
}

func startTelegram(t testing.TB, more map[string]string) (*tgBundle, string) {
	t.Helper()
	fake := newTelegramFake(t)
	env := map[string]string{"TELEGRAM_BOT_TOKEN": fake.Token(), "TELEGRAM_API_URL": fake.URL, "TELEGRAM_MODE": "webhook",
		"TELEGRAM_WEBHOOK_SECRET": tgSecret, "BC_DEFAULT_TZ": "Europe/Moscow"}
	maps.Copy(env, more)
	db, url := startApp(t, env)
	return &tgBundle{db: db, fake: fake, url: url + "/telegram/webhook"}, url
}

// newTelegramFake is the fake Bot API, and a check at the end of the test that the product sent
// it nothing Telegram would refuse.
func newTelegramFake(t testing.TB) *telegramtest.Server {
	t.Helper()
	fake := telegramtest.NewServer(t, telegramtest.Options{})
	t.Cleanup(func() { noRefusals(t, fake) })
	return fake
}

// noRefusals fails t if the product sent the fake Bot API anything Telegram would refuse.
// Edits of a message that is gone or unchanged are refused by design and handled by sending anew.
func noRefusals(t testing.TB, fake *telegramtest.Server) {
	t.Helper()
	for _, r := range fake.Refusals() {
		if d := r.Failure.Description; strings.Contains(d, "message to edit not found") || strings.Contains(d, "message is not modified") {
			continue
		}
		t.Errorf("Telegram would refuse %s: %s (%v)", r.Call.Method, r.Failure.Description, r.Call.Params)
	}
}

// post delivers an update to the webhook as Telegram would and returns the status.
func (b *tgBundle) post(t *testing.T, update []byte, secret string) int {
	t.Helper()
	status, err := telegramtest.PostWebhook(context.Background(), b.url, secret, update)
	if err != nil {
		t.Fatal(err)
	}
	return status
}

func (b *tgBundle) send(t *testing.T, m telegramtest.Message) {
	t.Helper()
	if status := b.post(t, m.Update(), tgSecret); status != http.StatusOK {
		t.Fatalf("webhook answered %d", status)
	}
}

func (b *tgBundle) count(t *testing.T, sql string) int {
	t.Helper()
	var n int
	if err := b.db.Super.QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

var anna = telegramtest.User{ID: 1001, FirstName: "Anna", LanguageCode: "ru"}

func TestTelegramOnboardingTaskAndDoneButton(t *testing.T) {
	t.Parallel()
	b := setupTelegram(t)
	b.send(t, telegramtest.Message{UpdateID: 1, From: anna, Text: "/start"})
	sent := b.fake.WaitCalls(t, "sendMessage", 2, 10*time.Second)
	if !strings.Contains(sent[0].Text(), "Привет, Anna") || !strings.Contains(sent[1].Text(), "В каком вы городе") {
		t.Fatalf("onboarding: %q / %q", sent[0].Text(), sent[1].Text())
	}
	b.send(t, telegramtest.Message{UpdateID: 2, From: anna, Text: "Новосибирск"})
	sent = b.fake.WaitCalls(t, "sendMessage", 3, 10*time.Second)
	if !strings.Contains(sent[2].Text(), "Asia/Novosibirsk") {
		t.Fatalf("time zone reply: %q", sent[2].Text())
	}

	b.send(t, telegramtest.Message{UpdateID: 3, From: anna, Text: "завтра в 10 созвон с командой <b>срочно</b>"})
	sent = b.fake.WaitCalls(t, "sendMessage", 4, 10*time.Second)
	created := sent[3]
	if !strings.Contains(created.Text(), "созвон с командой") || created.Params["parse_mode"] != "HTML" {
		t.Fatalf("task reply: %+v", created.Params)
	}
	kb := created.Keyboard()
	if len(kb) == 0 || !strings.HasPrefix(kb[0][0], "t:done:") {
		t.Fatalf("task reply keyboard: %v", kb)
	}
	b.post(t, telegramtest.Callback{UpdateID: 10, From: anna, MessageID: 4, Data: kb[0][0]}.Update(), tgSecret)
	b.fake.WaitCalls(t, "answerCallbackQuery", 1, 10*time.Second)
	edits := b.fake.WaitCalls(t, "editMessageText", 1, 10*time.Second)
	if !strings.Contains(edits[0].Text(), "✅") {
		t.Fatalf("edit after done: %q", edits[0].Text())
	}
	if n := b.count(t, `SELECT count(*) FROM tasks WHERE status = 'done'`); n != 1 {
		t.Fatalf("done tasks = %d", n)
	}
}

func TestTelegramTodayListAndMarkupEscaped(t *testing.T) {
	t.Parallel()
	b := setupTelegram(t)
	b.send(t, telegramtest.Message{UpdateID: 1, From: anna, Text: "сегодня проверить <b>счёт</b> & акт"})
	b.send(t, telegramtest.Message{UpdateID: 2, From: anna, Text: "/today"})
	sent := b.fake.WaitCalls(t, "sendMessage", 2, 10*time.Second)
	list := sent[1]
	if !strings.Contains(list.Params["text"], "проверить &lt;b&gt;счёт&lt;/b&gt; &amp; акт") {
		t.Fatalf("title not escaped in HTML: %q", list.Params["text"])
	}
	if !strings.Contains(list.Text(), "План на сегодня") || len(list.Keyboard()) != 1 {
		t.Fatalf("today's list: %q %v", list.Text(), list.Keyboard())
	}
}

func TestTelegramForgedSecretIsRefused(t *testing.T) {
	t.Parallel()
	b := setupTelegram(t)
	for _, secret := range []string{"", "wrong", tgSecret + "x"} {
		if status := b.post(t, telegramtest.Message{UpdateID: 7, From: anna, Text: "купить молоко"}.Update(), secret); status != http.StatusUnauthorized {
			t.Fatalf("secret %q: status %d, want 401", secret, status)
		}
	}
	time.Sleep(200 * time.Millisecond)
	if n := b.count(t, `SELECT (SELECT count(*) FROM inbound_updates) + (SELECT count(*) FROM tasks) + (SELECT count(*) FROM users)`); n != 0 {
		t.Fatalf("a forged update left %d rows", n)
	}
	if calls := b.fake.CallsTo("sendMessage"); len(calls) != 0 {
		t.Fatalf("a forged update got a reply")
	}
}

func TestTelegramRedeliveryCreatesOneTaskAndOneReply(t *testing.T) {
	t.Parallel()
	b := setupTelegram(t)
	update := telegramtest.Message{UpdateID: 500, From: anna, Text: "купить молоко"}.Update()
	b.post(t, update, tgSecret)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() { defer wg.Done(); b.post(t, update, tgSecret) }()
	}
	wg.Wait()
	b.fake.WaitCalls(t, "sendMessage", 1, 10*time.Second)
	time.Sleep(1500 * time.Millisecond) // room for a duplicate to show up
	if n := len(b.fake.CallsTo("sendMessage")); n != 1 {
		t.Fatalf("replies = %d, want 1", n)
	}
	if n := b.count(t, `SELECT count(*) FROM tasks`); n != 1 {
		t.Fatalf("tasks = %d, want 1", n)
	}
}

func TestTelegramRetryAfterAndBlockedUser(t *testing.T) {
	t.Parallel()
	b := setupTelegram(t)
	chat := fmt.Sprint(anna.ID)
	b.fake.FailNext("sendMessage", chat, telegramtest.TooManyRequests(2))
	start := time.Now()
	b.send(t, telegramtest.Message{UpdateID: 1, From: anna, Text: "купить молоко"})
	sent := b.fake.WaitCalls(t, "sendMessage", 2, 15*time.Second) // the 429, then the real send
	if wait := sent[1].Time.Sub(sent[0].Time); wait < 2*time.Second {
		t.Fatalf("resent %s after a 429 with retry_after=2 (started %s ago)", wait, time.Since(start))
	}
	// the reply is recorded as sent once Telegram's answer is back, a moment after the call
	eventually(t, "the reply sent after the 429 not recorded as sent", func() bool {
		return b.count(t, `SELECT count(*) FROM outbox WHERE status = 'sent'`) == 1
	})

	b.fake.Block(chat)
	b.send(t, telegramtest.Message{UpdateID: 2, From: anna, Text: "купить хлеб"})
	eventually(t, "a 403 did not mark the user unreachable", func() bool { return b.count(t, `SELECT count(*) FROM users WHERE unreachable_at IS NOT NULL`) == 1 })
	if n := b.count(t, `SELECT count(*) FROM outbox WHERE status = 'dropped'`); n != 1 {
		t.Fatalf("dropped outbox rows = %d", n)
	}
	// writing again makes the user reachable and answered
	b.fake.Unblock(chat)
	b.send(t, telegramtest.Message{UpdateID: 3, From: anna, Text: "что на сегодня"})
	b.fake.WaitCalls(t, "sendMessage", 4, 10*time.Second)
	if n := b.count(t, `SELECT count(*) FROM users WHERE unreachable_at IS NOT NULL`); n != 0 {
		t.Fatal("user still unreachable after writing again")
	}
}

func TestTelegramLongReplyIsSplit(t *testing.T) {
	t.Parallel()
	b := setupTelegram(t)
	long := strings.Repeat("подготовить длинный отчёт ", 32)
	for i := range 8 {
		b.send(t, telegramtest.Message{UpdateID: int64(i + 1), From: anna, Text: fmt.Sprintf("сегодня %s №%d", long, i)})
	}
	b.fake.WaitCalls(t, "sendMessage", 8, 20*time.Second)
	b.send(t, telegramtest.Message{UpdateID: 100, From: anna, Text: "что на сегодня"})
	sent := b.fake.WaitCalls(t, "sendMessage", 10, 20*time.Second)
	parts := sent[8:]
	for _, p := range parts {
		if n := telegramtest.VisibleLen(p.Text()); n > 4096 {
			t.Fatalf("part of %d visible characters", n)
		}
	}
	if len(parts[len(parts)-1].Keyboard()) == 0 {
		t.Fatal("buttons should come with the last part")
	}
}

func TestTelegramGroupNeverShowsPrivateTasks(t *testing.T) {
	t.Parallel()
	b := setupTelegram(t)
	const group = -100500
	b.send(t, telegramtest.Message{UpdateID: 1, From: anna, Text: "сегодня подписать договор с банком"})
	b.fake.WaitCalls(t, "sendMessage", 1, 10*time.Second)
	// not addressed: ignored
	b.send(t, telegramtest.Message{UpdateID: 2, From: anna, ChatID: group, Text: "что на сегодня"})
	// addressed by command: the list goes to Anna privately, the group only hears where it went
	b.send(t, telegramtest.Message{UpdateID: 3, From: anna, ChatID: group, Text: "/today@" + b.fake.Bot().Username})
	b.fake.WaitCalls(t, "sendMessage", 3, 10*time.Second)
	time.Sleep(300 * time.Millisecond) // room for a stray fourth message
	sent := b.fake.CallsTo("sendMessage")
	if len(sent) != 3 {
		t.Fatalf("messages = %d, want 3", len(sent))
	}
	for _, c := range sent[1:] {
		inGroup := c.ChatID() == fmt.Sprint(group)
		if inGroup && strings.Contains(c.Text(), "договор") {
			t.Fatalf("private task shown in the group: %q", c.Text())
		}
		if !inGroup && (c.ChatID() != fmt.Sprint(anna.ID) || !strings.Contains(c.Text(), "договор")) {
			t.Fatalf("private list went to %s: %q", c.ChatID(), c.Text())
		}
	}
}

func TestTelegramPollingModeAndWebhookRegistration(t *testing.T) {
	t.Parallel()
	// polling: no public URL; updates come from getUpdates and are answered
	fake := newTelegramFake(t)
	db, _ := startApp(t, map[string]string{"TELEGRAM_BOT_TOKEN": fake.Token(), "TELEGRAM_API_URL": fake.URL, "BC_DEFAULT_TZ": "Europe/Moscow"})
	fake.PushUpdate(telegramtest.Message{From: anna, Text: "купить молоко"}.Update())
	sent := fake.WaitCalls(t, "sendMessage", 1, 10*time.Second)
	if !strings.Contains(sent[0].Text(), "купить молоко") {
		t.Fatalf("polling reply: %q", sent[0].Text())
	}
	if len(fake.CallsTo("deleteWebhook")) == 0 || len(fake.CallsTo("setMyCommands")) < 2 {
		t.Fatal("polling start should delete the webhook and register the command menu in both languages")
	}
	var n int
	if err := db.Super.QueryRow(context.Background(), `SELECT count(*) FROM tasks`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("tasks = %d, %v", n, err)
	}

	// webhook: with PUBLIC_URL the bot registers {PUBLIC_URL}/telegram/webhook with the secret
	hooked := newTelegramFake(t)
	startApp(t, map[string]string{"TELEGRAM_BOT_TOKEN": hooked.Token(), "TELEGRAM_API_URL": hooked.URL,
		"PUBLIC_URL": "https://bc.example", "TELEGRAM_WEBHOOK_SECRET": tgSecret})
	eventually(t, "setWebhook with the public URL and the secret", func() bool { // setup runs in the background
		url, secret := hooked.Webhook()
		return url == "https://bc.example/telegram/webhook" && secret == tgSecret
	})
}

package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/bots/telegram/telegramtest"
)

// TestLinkMergesATelegramUserIntoAWebAccount: /link in Telegram gives a one-time code; entered on
// the web, it merges the Telegram user into the web account — the tasks of both are the account's,
// nothing doubled, the day's reflection kept — the chat says so, and the bot then answers with the
// account's data. The code works once.
func TestLinkMergesATelegramUserIntoAWebAccount(t *testing.T) {
	t.Parallel()
	b, base := setupTelegramWeb(t)
	db, fake := b.db, b.fake
	b.send(t, telegramtest.Message{UpdateID: 1, From: anna, Text: "сегодня позвонить Ивану"})
	b.send(t, telegramtest.Message{UpdateID: 2, From: anna, Text: "стресс 3, энергия 4"})
	b.send(t, telegramtest.Message{UpdateID: 3, From: anna, Text: "/link"})
	sent := fake.WaitCalls(t, "sendMessage", 3, 10*time.Second)
	code := regexp.MustCompile(`[A-Z0-9]{4}-[A-Z0-9]{4}`).FindString(sent[2].Text())
	if code == "" || !strings.Contains(sent[2].Text(), "10 минут") {
		t.Fatalf("/link answered %q", sent[2].Text())
	}
	status, s := authCall(t, "POST", base+"/auth/v1/signup", "", map[string]any{"email": "anna@example.com", "password": "correct horse"})
	if status != 200 {
		t.Fatalf("sign-up: %d %v", status, s)
	}
	token := s["access_token"].(string)
	web := &restClient{t: t, base: base + "/api/v1", token: token, router: newRESTRouter(t, base)}
	web.do("POST", "/tasks", map[string]any{"title": "дописать КП"})
	if status, _, p := web.do("POST", "/link", map[string]any{"code": strings.ToLower(code)}); status != 200 || p["linked"] != true {
		t.Fatalf("link: %d %v", status, p)
	}
	_, _, page := web.do("GET", "/tasks", nil)
	var titles []string
	for _, it := range page["items"].([]any) {
		titles = append(titles, it.(map[string]any)["title"].(string))
	}
	if strings.Join(titles, ",") != "позвонить Ивану,дописать КП" && strings.Join(titles, ",") != "дописать КП,позвонить Ивану" {
		t.Errorf("the account's tasks after linking: %v", titles)
	}
	if got := db.Scalar(t, `SELECT count(*) FROM users`); got != "1" {
		t.Errorf("%s users after linking, want the one account", got)
	}
	if got := db.Scalar(t, `SELECT u.email || ' ' || d.stress || ' ' || d.energy FROM identities i JOIN users u ON u.id = i.user_id
		JOIN daily_progress d ON d.user_id = u.id WHERE i.provider = 'telegram' AND i.external_id = '1001'`); got != "anna@example.com 3 4" {
		t.Errorf("the Telegram identity and its reflection: %q", got)
	}
	sent = fake.WaitCalls(t, "sendMessage", 4, 10*time.Second)
	if !strings.Contains(sent[3].Text(), "Чат связан") {
		t.Errorf("the chat heard %q", sent[3].Text())
	}
	b.send(t, telegramtest.Message{UpdateID: 4, From: anna, Text: "что на сегодня?"})
	sent = fake.WaitCalls(t, "sendMessage", 5, 10*time.Second)
	if today := sent[4].Text(); !strings.Contains(today, "позвонить Ивану") || !strings.Contains(today, "дописать КП") {
		t.Errorf("today's list in Telegram after linking: %q", today)
	}
	if status, _, _ := web.do("POST", "/link", map[string]any{"code": code}); status != 404 {
		t.Errorf("the code a second time: %d, want 404", status)
	}
}

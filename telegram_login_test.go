package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/bots/telegram/telegramtest"
)

// TestTelegramLoginWidgetSignsInTheChatsUser: the Login Widget's signed answer signs in the
// same user who chats with the bot — the web sees the task written in Telegram — through the
// redirect flow and through grant_type=telegram; a tampered field, an answer two hours old and
// a replayed one are refused.
func TestTelegramLoginWidgetSignsInTheChatsUser(t *testing.T) {
	t.Parallel()
	b, base := startTelegram(t, map[string]string{"BC_JWT_SECRET": authEnv["BC_JWT_SECRET"], "AUTH_AUTOCONFIRM": "true", "PUBLIC_URL": "auto"})
	b.send(t, telegramtest.Message{UpdateID: 1, From: anna, Text: "сегодня позвонить Ивану"})
	b.fake.WaitCalls(t, "sendMessage", 1, 10*time.Second)

	if status, st := authCall(t, "GET", base+"/auth/v1/settings", "", nil); status != 200 || st["external"].(map[string]any)["telegram"] != true {
		t.Errorf("settings: %v", st)
	}
	login := b.fake.LoginWidget(anna.ID, anna.FirstName, anna.Username, time.Now())
	resp, err := noRedirects.Get(base + "/auth/v1/telegram?" + login.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	to, _ := url.Parse(resp.Header.Get("Location"))
	frag, _ := url.ParseQuery(to.Fragment)
	if resp.StatusCode != http.StatusSeeOther || frag.Get("access_token") == "" {
		t.Fatalf("widget redirect: %d %s", resp.StatusCode, to)
	}
	web := &restClient{t: t, base: base + "/api/v1", token: frag.Get("access_token"), router: newRESTRouter(t, base)}
	if _, _, page := web.do("GET", "/tasks", nil); len(page["items"].([]any)) != 1 ||
		page["items"].([]any)[0].(map[string]any)["title"] == nil {
		t.Errorf("the web user's tasks: %v", page)
	}
	// the same answer again: refused
	resp, _ = noRedirects.Get(base + "/auth/v1/telegram?" + login.Encode())
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, "error_code=bad_telegram_login") {
		t.Errorf("a replayed login: %s", loc)
	}
	// the data-onauth object, posted
	first, _ := strconv.ParseInt(login.Get("auth_date"), 10, 64)
	at := time.Unix(first-1, 0) // another login than the first (the same second and fields would be it again)
	fresh := b.fake.LoginWidget(anna.ID, anna.FirstName, anna.Username, at)
	obj := map[string]any{"id": anna.ID, "auth_date": at.Unix()} // numbers, as the widget's object has them
	for k := range fresh {
		if _, ok := obj[k]; !ok {
			obj[k] = fresh.Get(k)
		}
	}
	_, me := authCall(t, "GET", base+"/auth/v1/user", frag.Get("access_token"), nil)
	if status, s := authCall(t, "POST", base+"/auth/v1/token?grant_type=telegram", "", map[string]any{"telegram": obj}); status != 200 ||
		s["user"].(map[string]any)["id"] != me["id"] || fmt.Sprint(me["app_metadata"]) != "map[provider:telegram providers:[telegram]]" {
		t.Errorf("grant_type=telegram: %d %v", status, s)
	}
	tampered := b.fake.LoginWidget(anna.ID, anna.FirstName, anna.Username, time.Now())
	tampered.Set("id", "42")
	old := b.fake.LoginWidget(anna.ID, anna.FirstName, anna.Username, time.Now().Add(-2*time.Hour))
	for name, v := range map[string]url.Values{"tampered": tampered, "old": old} {
		resp, _ := noRedirects.Get(base + "/auth/v1/telegram?" + v.Encode())
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); !strings.Contains(loc, "error_code=bad_telegram_login") {
			t.Errorf("%s: %s", name, loc)
		}
	}
}

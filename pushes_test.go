package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/bots/telegram/telegramtest"
	"github.com/bizconnect/bizconnect/core/coretest"
)

// TestThreeServersPushOnceInRealTime runs `bizconnect serve` three times on one database, behind
// a load balancer that spreads every user's updates over the three (as webhooks would be). Users
// in three time zones set their morning plan for the coming minute and a reminder for the same
// minute, by chat. On the wall clock, with the scheduler's leader elected among three River
// clients, each gets exactly one morning plan and one reminder.
func TestThreeServersPushOnceInRealTime(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	fake := newTelegramFake(t)
	var urls []string
	for i := range 3 {
		addr := freeAddr(t)
		spawnServe(t, append(os.Environ(), "BC_TEST_SERVE=1", "PUSHES=on", "DATABASE_URL="+db.URL,
			"HTTP_ADDR="+addr, "PUBLIC_URL=http://"+addr, "METRICS_ADDR=off", "LOG_LEVEL=error",
			"TELEGRAM_BOT_TOKEN="+fake.Token(), "TELEGRAM_API_URL="+fake.URL, "TELEGRAM_MODE=webhook",
			"TELEGRAM_WEBHOOK_SECRET="+tgSecret, fmt.Sprintf("BC_INSTANCE_ID=realtime/%d", i)))
		urls = append(urls, "http://"+addr+"/telegram/webhook")
	}
	for _, u := range urls {
		waitReady(t, strings.TrimSuffix(u, "/telegram/webhook"))
	}

	// the coming minute, unless it starts too soon for six users to finish setting it
	at := time.Now().Truncate(time.Minute).Add(time.Minute)
	if time.Until(at) < 25*time.Second {
		at = at.Add(time.Minute)
	}
	users := []struct {
		user           telegramtest.User
		city, zone     string
		morning, remnd func(clock string) string
		layout         string
	}{
		{telegramtest.User{ID: 2001, FirstName: "Анна", LanguageCode: "ru"}, "Москва", "Europe/Moscow",
			func(c string) string { return "присылай утренний план в " + c },
			func(c string) string {
				return "напомни в " + c + " позвонить Ивану"
			}, "15:04"},
		{telegramtest.User{ID: 2002, FirstName: "Oleg", LanguageCode: "ru"}, "новосибирск", "Asia/Novosibirsk",
			func(c string) string { return "утренний план в " + c + " пожалуйста" },
			func(c string) string { return "напомни в " + c + " оплатить хостинг" }, "15:04"},
		{telegramtest.User{ID: 2003, FirstName: "Mary", LanguageCode: "en"}, "new york", "America/New_York",
			func(c string) string { return "send me the morning plan at " + c },
			func(c string) string { return "remind me at " + c + " to call the bank" }, "3:04pm"},
	}
	var update atomic.Int64
	var sent atomic.Int64
	say := func(u telegramtest.User, text string) {
		t.Helper()
		id := update.Add(1)
		status, err := telegramtest.PostWebhook(context.Background(), urls[id%3], tgSecret,
			telegramtest.Message{UpdateID: id, MessageID: int(id), From: u, Text: text}.Update())
		if err != nil || status != http.StatusOK {
			t.Fatalf("%q to instance %d: %d %v", text, id%3, status, err)
		}
		fake.WaitCalls(t, "sendMessage", int(sent.Add(1)), 15*time.Second) // one answer each, in order
	}
	for _, u := range users {
		loc, err := time.LoadLocation(u.zone)
		if err != nil {
			t.Fatal(err)
		}
		clock := at.In(loc).Format(u.layout)
		say(u.user, "/start")
		sent.Add(1) // the greeting comes with the city question
		fake.WaitCalls(t, "sendMessage", int(sent.Load()), 15*time.Second)
		say(u.user, u.city)
		say(u.user, map[bool]string{true: "пиши и по выходным", false: "message me on weekends too"}[u.user.LanguageCode == "ru"])
		say(u.user, u.morning(clock))
		say(u.user, u.remnd(clock))
	}
	if time.Now().After(at) {
		t.Fatalf("the users were set up after %s: the machine is too slow for this test", at.Format(time.TimeOnly))
	}
	// every push of the minute comes within seconds of it; wait a while longer for any second copy
	deadline := at.Add(20 * time.Second)
	time.Sleep(time.Until(deadline))
	for _, u := range users {
		chat := fmt.Sprint(u.user.ID)
		var plans, reminders int
		for _, c := range fake.CallsTo("sendMessage") {
			if c.ChatID() != chat {
				continue
			}
			switch {
			case strings.HasPrefix(c.Text(), "☀️"):
				plans++
			case strings.HasPrefix(c.Text(), "⏰"):
				reminders++
			default:
				continue
			}
			if late := c.Time.Sub(at); late > 5*time.Second || late < 0 { // paced at one a second per chat
				t.Errorf("%s: %.20q came at %s, due %s", u.user.FirstName, c.Text(), c.Time.Format(time.StampMilli), at.Format(time.TimeOnly))
			}
		}
		if plans != 1 || reminders != 1 {
			for _, c := range fake.CallsTo("sendMessage") {
				if c.ChatID() == chat {
					t.Logf("%s ← %q", c.Time.Format(time.StampMilli), c.Text())
				}
			}
			t.Errorf("%s got %d morning plans and %d reminders, want one each", u.user.FirstName, plans, reminders)
		}
	}
}

// spawnServe runs `serve` in a child process with env, and kills it when the test ends.
func spawnServe(t testing.TB, env []string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = env
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() }) //nolint:errcheck // may be dead already
	return cmd
}

// freeAddr is a local address no one listens on, for a server to take.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitReady waits until the server at base answers /readyz.
func waitReady(t testing.TB, base string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not come up: %v", base, err)
		}
	}
}

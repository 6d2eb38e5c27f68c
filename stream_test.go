package main

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/bots/telegram/telegramtest"
	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/auth"
	"github.com/bizconnect/bizconnect/core/postgres"
)

// sseEvent is one event of /api/v1/stream.
type sseEvent struct {
	ID   string
	Data core.ChangeEvent
}

// openStream opens the change stream with token (resuming after last when set) and returns its
// events as they come.
func openStream(t *testing.T, ctx context.Context, base, token, last string) <-chan sseEvent {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/api/v1/stream", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if last != "" {
		req.Header.Set("Last-Event-ID", last)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("stream: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	out := make(chan sseEvent, 16)
	go func() {
		defer resp.Body.Close()
		defer close(out)
		sc := bufio.NewScanner(resp.Body)
		var e sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "id: "):
				e.ID = strings.TrimPrefix(line, "id: ")
			case strings.HasPrefix(line, "data: "):
				if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &e.Data); err != nil {
					t.Errorf("event data %q: %v", line, err)
				}
			case line == "" && e.ID != "":
				out <- e
				e = sseEvent{}
			}
		}
	}()
	return out
}

func nextEvent(t *testing.T, events <-chan sseEvent, within time.Duration) sseEvent {
	t.Helper()
	select {
	case e, ok := <-events:
		if !ok {
			t.Fatal("the stream ended")
		}
		return e
	case <-time.After(within):
		t.Fatalf("no event within %s", within)
	}
	return sseEvent{}
}

// TestStreamShowsWhatTelegramChanged: a web client of a Telegram user, streaming their changes,
// sees the task the user creates by writing to the bot; another user's task never shows; a
// client that reconnects with its Last-Event-ID gets what it missed.
func TestStreamShowsWhatTelegramChanged(t *testing.T) {
	t.Parallel()
	b, base := setupTelegramWeb(t)
	db, fake := b.db, b.fake
	boris := telegramtest.User{ID: 1002, FirstName: "Boris", LanguageCode: "ru"}
	b.send(t, telegramtest.Message{UpdateID: 1, From: anna, Text: "привет"})
	b.send(t, telegramtest.Message{UpdateID: 2, From: boris, Text: "привет"})
	fake.WaitCalls(t, "sendMessage", 2, 10*time.Second)
	var id uuid.UUID
	if err := db.Super.QueryRow(context.Background(), `SELECT user_id FROM identities WHERE provider = 'telegram' AND external_id = '1001'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	accounts, err := auth.New(auth.Config{JWTSecret: []byte(authEnv["BC_JWT_SECRET"]), Autoconfirm: true}, postgres.NewAccounts(db.DB))
	if err != nil {
		t.Fatal(err)
	}
	sess, err := accounts.SessionFor(context.Background(), id, "telegram", "test")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	events := openStream(t, ctx, base, sess.AccessToken, "")
	b.send(t, telegramtest.Message{UpdateID: 3, From: boris, Text: "сегодня купить бумагу"})
	b.send(t, telegramtest.Message{UpdateID: 4, From: anna, Text: "сегодня позвонить Ивану"})
	e := nextEvent(t, events, 10*time.Second)
	if e.Data.Entity != "task" || e.Data.Op != "insert" {
		t.Fatalf("event %+v", e)
	}
	var title string
	if err := db.Super.QueryRow(context.Background(), `SELECT title FROM tasks WHERE id = $1`, e.Data.EntityID).Scan(&title); err != nil || title != "позвонить Ивану" {
		t.Fatalf("the event names task %q (%v), want Anna's", title, err)
	}
	select {
	case e := <-events:
		t.Fatalf("another event: %+v (Boris's?)", e)
	case <-time.After(time.Second):
	}
	cancel()
	b.send(t, telegramtest.Message{UpdateID: 5, From: anna, Text: "завтра отправить счёт"})
	fake.WaitCalls(t, "sendMessage", 5, 10*time.Second)
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	resumed := nextEvent(t, openStream(t, ctx, base, sess.AccessToken, e.ID), 10*time.Second)
	if resumed.Data.Entity != "task" || resumed.Data.Op != "insert" || len(resumed.ID) < len(e.ID) || len(resumed.ID) == len(e.ID) && resumed.ID <= e.ID || resumed.Data.EntityID == e.Data.EntityID {
		t.Fatalf("after Last-Event-ID %s: %+v", e.ID, resumed)
	}
}

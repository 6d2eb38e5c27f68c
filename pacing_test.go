package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/bots/slack"
	"github.com/bizconnect/bizconnect/bots/slack/slackfake"
	"github.com/bizconnect/bizconnect/bots/telegram"
	"github.com/bizconnect/bizconnect/bots/telegram/telegramtest"
	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/postgres"
)

// busy is a process that pauses between booking a send and making it (recording the message in
// flight, a GC, a loaded CI machine): up to 100 ms, at random.
func busy(context.Context) error {
	time.Sleep(time.Duration(rand.IntN(100)) * time.Millisecond)
	return nil
}

// TestThreeInstancesKeepTheBotsRate: three instances deliver a 300-message fan-out (100 chats,
// three messages each, every chat written to by all three, each instance starting elsewhere) to a fake Bot API that answers 429,
// as Telegram does, while each pauses at random between booking a send and making it, beyond 30 messages a second or one a second per chat. Booking their slots in
// PostgreSQL, together they stay within both: no 429, and no second holds more than 30 sends.
func TestThreeInstancesKeepTheBotsRate(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	api := telegramtest.NewServer(t, telegramtest.Options{EnforceRates: true, RateSlack: 20 * time.Millisecond})
	pacer := postgres.NewPacer(db.DB)
	var instances []*telegram.Adapter
	for range 3 {
		a, err := telegram.New(telegram.Options{Token: telegramtest.DefaultToken, APIURL: api.URL, Pacer: pacer,
			Accept: func(context.Context, core.Inbound) error { return nil }, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		instances = append(instances, a)
	}
	var wg sync.WaitGroup
	for i, a := range instances {
		for w := range 10 { // each instance's delivery sends on several workers
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := w; k < 100; k += 10 {
					chat := (k + 33*i) % 100 // the instances start on different chats, as their claims would
					msg := core.Outgoing{Provider: core.ProviderTelegram, ChatID: fmt.Sprint(1000 + chat),
						Reply: core.Reply{Text: core.Text{{Text: fmt.Sprintf("morning %d from %d", chat, i)}}}, Sending: busy}
					if _, err := a.Send(context.Background(), msg); err != nil {
						t.Errorf("send: %v", err)
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	if l := api.Limited(); len(l) != 0 {
		for _, c := range l {
			t.Logf("429 to %s by the %s's limit", c.Call.ChatID(), c.By)
		}
		t.Fatalf("%d sends answered 429", len(l))
	}
	calls := api.CallsTo("sendMessage")
	if len(calls) != 300 {
		t.Fatalf("%d messages, want 300", len(calls))
	}
	times := make([]time.Time, len(calls))
	for i, c := range calls {
		times[i] = c.Time
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	for i := 30; i < len(times); i++ {
		if d := times[i].Sub(times[i-30]); d < time.Second-20*time.Millisecond {
			t.Fatalf("31 sends within %v", d)
		}
	}
	took := times[len(times)-1].Sub(times[0])
	if took < 9*time.Second {
		t.Errorf("300 messages in %v: faster than 30 a second", took)
	}
	t.Logf("300 messages from three instances in %v", took.Round(10*time.Millisecond))
}

// TestThreeInstancesKeepAChatsRate: three instances write to one chat at once (replies and a
// reminder landing together), each pausing at random between booking a send and making it, to a
// fake Bot API that answers 429 to a second message in a chat within a second. The next message
// goes a second after the last one's answer, from whichever instance: no 429.
func TestThreeInstancesKeepAChatsRate(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	api := telegramtest.NewServer(t, telegramtest.Options{EnforceRates: true, RateSlack: 20 * time.Millisecond})
	pacer := postgres.NewPacer(db.DB)
	var wg sync.WaitGroup
	for i := range 3 {
		a, err := telegram.New(telegram.Options{Token: telegramtest.DefaultToken, APIURL: api.URL, Pacer: pacer,
			Accept: func(context.Context, core.Inbound) error { return nil }, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		for k := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				msg := core.Outgoing{Provider: core.ProviderTelegram, ChatID: "1000",
					Reply: core.Reply{Text: core.Text{{Text: fmt.Sprintf("reply %d from %d", k, i)}}}, Sending: busy}
				if _, err := a.Send(context.Background(), msg); err != nil {
					t.Errorf("send: %v", err)
				}
			}()
		}
	}
	wg.Wait()
	if l := api.Limited(); len(l) != 0 {
		t.Fatalf("%d sends answered 429", len(l))
	}
	if calls := api.CallsTo("sendMessage"); len(calls) != 9 {
		t.Fatalf("%d messages, want 9", len(calls))
	}
}

// TestThreeInstancesKeepSlacksChannelRate: three instances post to the same two channels at once
// (a team report, replies in a busy channel) to a fake Web API that answers 429, as Slack does,
// to a second message in a channel within a second, while each pauses at random between booking
// a send and making it. Booking their slots in PostgreSQL, together
// they keep to one a second per channel: no 429, and every message delivered.
func TestThreeInstancesKeepSlacksChannelRate(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	api := slackfake.New(t)
	api.EnforceRates(20 * time.Millisecond)
	pacer := postgres.NewPacer(db.DB)
	var wg sync.WaitGroup
	for i := range 3 {
		a, err := slack.New(slack.Options{SigningSecret: "s", BotToken: "xoxb-1", APIURL: api.URL(), Pacer: pacer,
			Accept: func(context.Context, core.Inbound) error { return nil }, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		for k := range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				msg := core.Outgoing{Provider: core.ProviderSlack, Workspace: "T1", ChatID: []string{"C1", "C2"}[k%2],
					Reply: core.Reply{Team: true, Text: core.Text{{Text: fmt.Sprintf("update %d from %d", k, i)}}}, Sending: busy}
				if _, err := a.Send(context.Background(), msg); err != nil {
					t.Errorf("send: %v", err)
				}
			}()
		}
	}
	wg.Wait()
	if l := api.Limited(); len(l) != 0 {
		t.Fatalf("%d posts answered 429", len(l))
	}
	posts := api.Calls("chat.postMessage")
	if len(posts) != 18 {
		t.Fatalf("%d posts, want 18", len(posts))
	}
	last := map[string]time.Time{}
	for _, p := range posts {
		ch := p.Form.Get("channel")
		if prev, ok := last[ch]; ok && p.At.Sub(prev) < time.Second-20*time.Millisecond {
			t.Fatalf("two posts to %s %v apart", ch, p.At.Sub(prev))
		}
		last[ch] = p.At
	}
}

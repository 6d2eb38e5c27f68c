package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/bots/telegram"
	"github.com/bizconnect/bizconnect/bots/telegram/telegramtest"
	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/postgres"
)

// TestThreeInstancesKeepTheBotsRate: three instances deliver a 300-message fan-out (100 chats,
// three messages each, every chat written to by all three, each instance starting elsewhere) to a fake Bot API that answers 429,
// as Telegram does, beyond 30 messages a second or one a second per chat. Booking their slots in
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
						Reply: core.Reply{Text: core.Text{{Text: fmt.Sprintf("morning %d from %d", chat, i)}}}}
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

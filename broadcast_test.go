package main

import (
	"context"
	"io"
	"log/slog"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/bots/telegram"
	"github.com/bizconnect/bizconnect/bots/telegram/telegramtest"
	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/admin"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/postgres"
	"github.com/bizconnect/bizconnect/core/relay"
)

// TestBroadcastIsPacedAndCancellable: a broadcast to 1,000 Telegram users (plus one suspended,
// one who blocked the bot and a terminal chat's, who get nothing) goes through the outbox at the Bot API's limit —
// no 429, never 31 sends within a second — each user in their language; cancelled halfway, no
// more is sent, and what was left is counted as dropped. Not parallel: with others sending
// beside it under -race, a send booked on time can reach the fake late, bunched with the next.
func TestBroadcastIsPacedAndCancellable(t *testing.T) {
	db := coretest.NewDB(t)
	ctx := context.Background()
	const n = 1000
	if _, err := db.Super.Exec(ctx, `WITH u AS (
			INSERT INTO users (name, timezone, locale) SELECT 'user ' || g, 'Europe/Moscow', (CASE WHEN g % 2 = 0 THEN 'ru' ELSE 'en' END)::locale
			FROM generate_series(1, $1) g RETURNING id, name)
		INSERT INTO identities (user_id, provider, workspace, external_id, private_at)
		SELECT id, 'telegram', '', split_part(name, ' ', 2), now() FROM u`, n+2); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Super.Exec(ctx, `UPDATE users SET suspended_at = now() WHERE name = 'user 1001';
		UPDATE users SET unreachable_at = now() WHERE name = 'user 1002'`); err != nil {
		t.Fatal(err)
	}
	coretest.Identity(t, db, coretest.User(t, db, coretest.UserOpts{Name: "terminal"}), "console", "", "me") // no server delivers there
	jobs, err := postgres.NewJobs(ctx, db.DB, postgres.JobsConfig{}, postgres.Work(func(context.Context, admin.BroadcastJob) error { return nil }))
	if err != nil {
		t.Fatal(err)
	}
	store := postgres.NewAdmin(db.DB, jobs)
	key, prefix, hash := admin.NewKey()
	_ = key
	k, err := store.CreateKey(ctx, admin.Key{Name: "news", Prefix: prefix, Hash: hash, Scopes: []string{"broadcast"}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := store.CreateBroadcast(ctx, k.ID, "Business Connect has weekly goals now", "В Business Connect появились цели на неделю", admin.Segment{})
	if err != nil {
		t.Fatal(err)
	}
	if b.Recipients != n {
		t.Fatalf("%d recipients, want %d (the suspended and the unreachable are not)", b.Recipients, n)
	}
	// the job's steps, as its worker runs them
	for done := false; !done; {
		if done, err = store.QueueBroadcast(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
	}
	if done, err := store.QueueBroadcast(ctx, b.ID); err != nil || !done {
		t.Fatalf("a finished broadcast's job run again: %v %v", done, err)
	}
	if q := db.Scalar(t, `SELECT count(*) FROM outbox WHERE broadcast_id = $1`, b.ID); q != strconv.Itoa(n) {
		t.Fatalf("%s messages queued, want %d, each once", q, n)
	}

	api := telegramtest.NewServer(t, telegramtest.Options{EnforceRates: true, RateSlack: 20 * time.Millisecond})
	tg, err := telegram.New(telegram.Options{Token: telegramtest.DefaultToken, APIURL: api.URL, Pacer: postgres.NewPacer(db.DB),
		Accept: func(context.Context, core.Inbound) error { return nil }, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	d := &relay.Delivery{Outbox: postgres.NewQueues(db.DB).Outbox(), Senders: map[core.Provider]core.Sender{core.ProviderTelegram: tg},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	runCtx, stop := context.WithCancel(ctx)
	stopped := make(chan struct{})
	go func() { d.Run(runCtx); close(stopped) }()
	defer func() { stop(); <-stopped }()
	api.WaitCalls(t, "sendMessage", n/2, 40*time.Second)
	if _, err := store.CancelBroadcast(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	atCancel := len(api.CallsTo("sendMessage"))
	time.Sleep(2 * time.Second)
	calls := api.CallsTo("sendMessage")
	// what a worker was handing over at that moment may still go: at most a second's worth
	if len(calls) > atCancel+30 || len(calls) >= n {
		t.Fatalf("%d sent after the cancel at %d", len(calls), atCancel)
	}
	after := len(calls)
	time.Sleep(time.Second)
	if len(api.CallsTo("sendMessage")) != after {
		t.Fatal("sends go on after the cancel")
	}
	if l := api.Limited(); len(l) != 0 {
		t.Fatalf("%d sends answered 429", len(l))
	}
	times := make([]time.Time, len(calls))
	ru, en := 0, 0
	for i, c := range calls {
		times[i] = c.Time
		switch c.Params["text"] {
		case "В Business Connect появились цели на неделю":
			ru++
		case "Business Connect has weekly goals now":
			en++
		default:
			t.Fatalf("sent %q", c.Params["text"])
		}
		if c.ChatID() == "1001" || c.ChatID() == "1002" {
			t.Fatalf("the broadcast reached %s", c.ChatID())
		}
	}
	if ru == 0 || en == 0 {
		t.Fatalf("ru %d, en %d: each in their language", ru, en)
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	for i := 30; i < len(times); i++ {
		if gap := times[i].Sub(times[i-30]); gap < time.Second-20*time.Millisecond {
			t.Fatalf("31 sends within %v", gap)
		}
	}
	got, err := store.Broadcast(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != "cancelled" || got.Sent != len(calls) || got.Sent+got.Dropped != n {
		t.Fatalf("the broadcast says %+v; %d were sent", got, len(calls))
	}
	t.Logf("%d sent in %v before the cancel, %d dropped", got.Sent, times[len(times)-1].Sub(times[0]).Round(10*time.Millisecond), got.Dropped)
}

package postgres_test

import (
	"context"
	"encoding/hex"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/hooks"
	"github.com/bizconnect/bizconnect/core/hooks/hookstest"
	"github.com/bizconnect/bizconnect/core/postgres"
	"github.com/bizconnect/bizconnect/core/vault"
)

func benchVault(b *testing.B) *vault.Vault {
	key, _ := hex.DecodeString(strings.Repeat("ef", 32))
	v, err := vault.New(key)
	if err != nil {
		b.Fatal(err)
	}
	return v
}

// BenchmarkTaskInsertEvent is a task created through the store (the chat's and the API's
// path, one transaction each) on three databases in turn, so that all three see the same load:
// the event trigger disabled, enabled with no endpoint wanting task.created, and enabled
// writing the event. It reports each one's time per insert and the trigger's overhead.
// BenchmarkRoundTrip is the yardstick.
func BenchmarkTaskInsertEvent(b *testing.B) {
	ctx := context.Background()
	modes := []string{"no-trigger", "trigger-idle", "trigger-writing"}
	type target struct {
		db    *coretest.TestDB
		store *postgres.Store
		user  uuid.UUID
		took  time.Duration
	}
	targets := make([]*target, len(modes))
	for i, mode := range modes {
		db := coretest.NewDB(b)
		switch mode {
		case "no-trigger":
			if _, err := db.Super.Exec(ctx, `ALTER TABLE tasks DISABLE TRIGGER tasks_hook`); err != nil {
				b.Fatal(err)
			}
		case "trigger-writing":
			hookstest.Register(b, db, benchVault(b), "https://hooks.example.com/x", "task.created")
		}
		targets[i] = &target{db: db, store: postgres.NewStore(db.DB), user: coretest.User(b, db, coretest.UserOpts{Name: "Anna"})}
	}
	b.ResetTimer()
	for range b.N {
		for _, t := range targets {
			start := time.Now()
			if err := t.store.InUser(ctx, t.user, func(ctx context.Context, tx core.Tx, u *core.User) error {
				return tx.CreateTask(ctx, &core.Task{UserID: u.ID, Title: "позвонить клиенту"})
			}); err != nil {
				b.Fatal(err)
			}
			t.took += time.Since(start)
		}
	}
	b.StopTimer()
	for i, t := range targets {
		b.ReportMetric(float64(t.took.Nanoseconds())/float64(b.N), modes[i]+"-ns/insert")
		want := "0"
		if modes[i] == "trigger-writing" {
			want = t.db.Scalar(b, `SELECT count(*) FROM tasks`)
		}
		if got := t.db.Scalar(b, `SELECT count(*) FROM webhook_events`); got != want {
			b.Fatalf("%s: %s events for %s tasks", modes[i], got, t.db.Scalar(b, `SELECT count(*) FROM tasks`))
		}
	}
	base := float64(targets[0].took)
	b.ReportMetric(100*(float64(targets[1].took)-base)/base, "idle-overhead-%")
	b.ReportMetric(100*(float64(targets[2].took)-base)/base, "writing-overhead-%")
}

// BenchmarkWebhookDelivery is events delivered end to end to a local receiver that checks each
// signature: written by the trigger, dispatched, and sent by River's delivery workers (50 at
// once, as in production). It reports events/s.
func BenchmarkWebhookDelivery(b *testing.B) {
	db := coretest.NewDB(b)
	ctx := context.Background()
	rcv := hookstest.Start(b)
	v := benchVault(b)
	_, secret := hookstest.Register(b, db, v, rcv.URL, "task.created")
	rcv.SetSecret(secret)
	d := &hooks.Deliverer{Vault: v, Guard: hooks.Guard{Allowed: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}}
	jobs, err := postgres.NewJobs(ctx, db.DB, postgres.JobsConfig{Work: true, Poll: 100 * time.Millisecond},
		postgres.WorkRetrying(func(ctx context.Context, j hooks.DeliveryJob, attempt int) error { return d.Deliver(ctx, j, attempt) }, d.RetryAfter))
	if err != nil {
		b.Fatal(err)
	}
	store := postgres.NewHooks(db.DB, jobs, d.Attempts())
	d.Store = store
	if err := jobs.Start(ctx); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { jobs.Stop(ctx) }) //nolint:errcheck // the benchmark is over
	anna := coretest.User(b, db, coretest.UserOpts{Name: "Anna"})
	before := len(rcv.Messages())
	b.ResetTimer()
	start := time.Now()
	if _, err := db.Super.Exec(ctx, `INSERT INTO tasks (user_id, title) SELECT $1, 'task ' || g FROM generate_series(1, $2) g`, anna, b.N); err != nil {
		b.Fatal(err)
	}
	for {
		n, err := store.Dispatch(ctx, 500)
		if err != nil {
			b.Fatal(err)
		}
		if n < 500 {
			break
		}
	}
	for deadline := time.Now().Add(5 * time.Minute); len(rcv.Messages())-before < b.N; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d delivered", len(rcv.Messages())-before, b.N)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
	if bad := rcv.BadSignatures(); len(bad) > 0 {
		b.Fatalf("%d bad signatures", len(bad))
	}
}

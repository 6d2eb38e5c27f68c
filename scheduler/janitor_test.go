package scheduler_test

import (
	"context"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/postgres"
	"github.com/bizconnect/bizconnect/scheduler"
)

func TestJanitorPurgesOnlyFinishedOldRecords(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	ctx := context.Background()
	q := postgres.NewQueues(db.DB)
	for _, key := range []string{"old-done", "old-pending", "new-done"} {
		if err := q.Accept(ctx, core.Inbound{Key: key, Provider: core.ProviderTelegram, ChatID: "1"}); err != nil {
			t.Fatal(err)
		}
	}
	exec := func(sql string) {
		t.Helper()
		if _, err := db.Super.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	exec(`UPDATE inbound_updates SET processed_at = now() WHERE key IN ('old-done', 'new-done')`)
	exec(`UPDATE inbound_updates SET received_at = now() - interval '30 days', processed_at = now() - interval '30 days' WHERE key = 'old-done'`)
	exec(`UPDATE inbound_updates SET received_at = now() - interval '30 days' WHERE key = 'old-pending'`)
	exec(`INSERT INTO outbox (provider, chat, payload, status, created_at) VALUES
		('telegram', '1', '{}', 'sent', now() - interval '30 days'),
		('telegram', '1', '{}', 'pending', now() - interval '30 days'),
		('telegram', '1', '{}', 'sent', now())`)
	exec(`INSERT INTO oauth_states VALUES ('gone', now() - interval '1 minute'), ('live', now() + interval '5 minutes')`)
	user := coretest.User(t, db, coretest.UserOpts{Name: "u"})
	exec(`INSERT INTO tasks (user_id, title) VALUES ('` + user.String() + `', 't')`) // an event now
	exec(`INSERT INTO change_events (user_id, entity, entity_id, op, at) VALUES ('` + user.String() + `', 'task', 'x', 'insert', now() - interval '30 days')`)
	exec(`INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at) VALUES
		('` + user.String() + `', 'old', 'f', now() - interval '30 days'), ('` + user.String() + `', 'new', 'f', now())`)

	// a calendar's busy days are kept for the load's history (six weeks and more), not 14 days
	exec(`INSERT INTO integration_connections (user_id, service) VALUES ('` + user.String() + `', 'google_calendar')`)
	exec(`INSERT INTO calendar_busy (connection_id, user_id, date, busy_min)
		SELECT id, user_id, current_date - d, 60 FROM integration_connections, unnest(ARRAY[1, 30, 60, 100]) d`)

	j := &scheduler.Janitor{Stores: []core.Retention{q, postgres.NewWorkspaces(db.DB, nil), postgres.NewCalendars(db.DB)}, Keep: 14 * 24 * time.Hour}
	purged, err := j.RunOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if purged != (core.Purged{Updates: 1, Deliveries: 1, States: 1, Calendar: 1}) {
		t.Fatalf("purged %+v", purged)
	}
	var left string
	if err := db.Super.QueryRow(ctx, `SELECT (SELECT string_agg(key, ',' ORDER BY key) FROM inbound_updates) || ' ' ||
		(SELECT count(*) FROM outbox) || ' ' || (SELECT string_agg(state, ',') FROM oauth_states)`).Scan(&left); err != nil {
		t.Fatal(err)
	}
	var events, keys string
	if err := db.Super.QueryRow(ctx, `SELECT (SELECT count(*) FROM change_events)::text, (SELECT string_agg(key, ',') FROM idempotency_keys)`).Scan(&events, &keys); err != nil {
		t.Fatal(err)
	}
	if events != "1" || keys != "new" {
		t.Errorf("left %s change events and keys %s, want the recent ones", events, keys)
	}
	if left != "new-done,old-pending 2 live" {
		t.Fatalf("left: %s", left)
	}
}

type countJob struct{ ran chan struct{} }

func (c *countJob) RunOnce(context.Context) error { c.ran <- struct{}{}; return nil }

func TestEveryRunsAtOnceAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	job := &countJob{ran: make(chan struct{}, 10)}
	done := make(chan struct{})
	go func() { scheduler.Every(ctx, time.Hour, "count", job.RunOnce, nil); close(done) }()
	select {
	case <-job.ran:
	case <-time.After(10 * time.Second):
		t.Fatal("the job did not run at once")
	}
	cancel()
	<-done
	if len(job.ran) != 0 {
		t.Fatalf("ran %d more times within the hour", len(job.ran))
	}
}

package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/hooks/hookstest"
	"github.com/bizconnect/bizconnect/core/vault"
)

// hookKey is the tests' BC_ENCRYPTION_KEY, which seals the endpoints' secrets.
var hookKey = strings.Repeat("ab", 32)

// registerHook stores an endpoint for events to rcv as the admin API does: a fresh secret,
// sealed; the receiver checks with it.
func registerHook(t testing.TB, db *coretest.TestDB, rcv *hookstest.Receiver, events ...string) uuid.UUID {
	t.Helper()
	key, _ := hex.DecodeString(hookKey)
	v, err := vault.New(key)
	if err != nil {
		t.Fatal(err)
	}
	id, secret := hookstest.Register(t, db, v, rcv.URL, events...)
	rcv.SetSecret(secret)
	return id
}

// TestWebhooksSurviveAnOutageAndARestart: events written while the receiver is down are tried
// on the retry schedule, the server is restarted meanwhile, and when the receiver is back every
// event arrives exactly once, signed; events of types nobody subscribed to are never written.
func TestWebhooksSurviveAnOutageAndARestart(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	rcv := hookstest.Start(t)
	registerHook(t, db, rcv, "task.created", "task.completed")
	rcv.Answer(503)
	user := coretest.User(t, db, coretest.UserOpts{})
	const n = 20
	ids := make([]uuid.UUID, n)
	for i := range n {
		db.As(t, user, func(ctx context.Context, tx core.Tx, u *core.User) error {
			task := core.Task{UserID: user, Title: fmt.Sprintf("задача %d", i), Priority: 2}
			err := tx.CreateTask(ctx, &task)
			ids[i] = task.ID
			return err
		})
	}
	db.As(t, user, func(ctx context.Context, tx core.Tx, u *core.User) error {
		return tx.CreateGoal(ctx, &core.Goal{UserID: user, Title: "цель, на которую никто не подписан"})
	})
	env := append(os.Environ(), "BC_TEST_SERVE=1", "PUSHES=off", "DATABASE_URL="+db.URL, "HTTP_ADDR=127.0.0.1:0", "METRICS_ADDR=off",
		"BC_ENCRYPTION_KEY="+hookKey, "WEBHOOK_ALLOWED_NETWORKS=127.0.0.1/32", "WEBHOOK_RETRY_SCHEDULE=300ms,300ms,500ms,1s,1s,1s,2s,2s,2s,2s",
		"BC_INSTANCE_ID=hooks-test/1", "LOG_LEVEL=error")
	first := spawnServe(t, env)
	eventually(t, "no attempts while the receiver is down", func() bool { return rcv.Attempts() >= 2*n })
	if err := first.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	if got := len(rcv.Messages()); got != 0 {
		t.Fatalf("%d accepted while down", got)
	}
	rcv.Answer(0)
	spawnServe(t, env)
	eventually(t, "not every event delivered after the restart", func() bool { return len(rcv.Messages()) >= n })
	time.Sleep(time.Second) // a doubled delivery would come now
	seen := map[string]int{}
	for _, m := range rcv.Messages() {
		seen[m.ID]++
		if m.Type != "task.created" || !strings.HasPrefix(m.Data["title"].(string), "задача ") {
			t.Errorf("message %+v", m)
		}
	}
	if len(seen) != n || len(rcv.Messages()) != n {
		t.Errorf("%d messages for %d events, want each of %d once", len(rcv.Messages()), len(seen), n)
	}
	if bad := rcv.BadSignatures(); len(bad) > 0 {
		t.Errorf("bad signatures: %v", bad)
	}
	if got := db.Scalar(t, `SELECT string_agg(DISTINCT type, ',') FROM webhook_events`); got != "task.created" {
		t.Errorf("events written: %s (none for what nobody subscribed to)", got)
	}
	if got := db.Scalar(t, `SELECT count(*) FILTER (WHERE status = 'delivered') || '/' || count(*) FROM webhook_deliveries`); got != fmt.Sprintf("%d/%d", n, n) {
		t.Errorf("deliveries %s", got)
	}
}

package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/chat"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/nlu"
	"github.com/bizconnect/bizconnect/core/postgres"
	"github.com/bizconnect/bizconnect/core/relay"
)

func tgInbound(user, key, text string) core.Inbound {
	return core.Inbound{Key: key, Provider: core.ProviderTelegram, ExternalUserID: user, UserName: user,
		ChatID: user, ChatType: core.ChatPrivate, Text: text, LangHint: "ru"}
}

// TestMessageTransactionRunsAsTheUser looks inside a real per-message transaction: it runs as
// `authenticated` with the sender's claims, and another user's task is out of reach of raw SQL
// with no Go-side user filter at all, just as it is for a button carrying its id.
func TestMessageTransactionRunsAsTheUser(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	ctx := context.Background()
	store := postgres.NewStore(db.DB)
	a := chat.NewAssistant(chat.AssistantOptions{Store: store, Understander: nlu.Understander{}})
	if err := a.Process(ctx, tgInbound("1001", "telegram:1:1", "позвонить в банк")); err != nil {
		t.Fatal(err)
	}
	var annasTask string
	if err := db.Super.QueryRow(ctx, `SELECT id::text FROM tasks`).Scan(&annasTask); err != nil {
		t.Fatal(err)
	}

	sc := core.InboundScope{Key: "telegram:1:2", Identity: core.IdentityRef{Provider: core.ProviderTelegram, ExternalID: "2002"},
		Chat: "telegram::2002", ChatID: "2002", Defaults: core.User{Timezone: "UTC", Locale: "en"}}
	_, err := store.Inbound(ctx, sc, func(ctx context.Context, tx core.Tx, s *core.Session) error {
		raw := postgres.RawTx(tx)
		var role, sub string
		if err := raw.QueryRow(ctx, `SELECT current_user, auth.uid()::text`).Scan(&role, &sub); err != nil {
			return err
		}
		if role != "authenticated" || sub != s.User.ID.String() {
			t.Errorf("message transaction runs as %s with sub %s, want authenticated with %s", role, sub, s.User.ID)
		}
		var seen int
		if err := raw.QueryRow(ctx, `SELECT count(*) FROM tasks WHERE id = $1`, annasTask).Scan(&seen); err != nil || seen != 0 {
			t.Errorf("another user's task visible: %d %v", seen, err)
		}
		tag, err := raw.Exec(ctx, `UPDATE tasks SET status = 'done', completed_at = now() WHERE id = $1`, annasTask)
		if err != nil || tag.RowsAffected() != 0 {
			t.Errorf("another user's task completed with no Go filter: %d %v", tag.RowsAffected(), err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// the same through the assistant: a forged button press
	press := tgInbound("2002", "telegram:1:3", "")
	press.Payload = "t:done:" + annasTask
	if err := a.Process(ctx, press); err != nil {
		t.Fatal(err)
	}
	var status string
	if err := db.Super.QueryRow(ctx, `SELECT status::text FROM tasks WHERE id = $1`, annasTask).Scan(&status); err != nil || status != "todo" {
		t.Fatalf("Anna's task after Boris pressed its button: %s %v", status, err)
	}
}

// TestFailingUpdateIsRetriedThenApologised breaks the assistant's transaction inside the real
// store: the update stays unprocessed with nothing of it committed, is retried, and after the
// last attempt its sender gets an apology instead of silence.
func TestFailingUpdateIsRetriedThenApologised(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	ctx := context.Background()
	for _, sql := range []string{
		`CREATE FUNCTION refuse_tasks() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$`,
		`CREATE TRIGGER refuse_tasks BEFORE INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION refuse_tasks()`,
	} {
		if _, err := db.Super.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	queues := postgres.NewQueues(db.DB)
	if err := queues.Accept(ctx, tgInbound("1001", "telegram:1:7", "купить молоко")); err != nil {
		t.Fatal(err)
	}
	a := chat.NewAssistant(chat.AssistantOptions{Store: postgres.NewStore(db.DB), Understander: nlu.Understander{}})
	w := &relay.Intake{Inbox: queues.Inbox(), Processor: a, MaxAttempts: 3, Owner: "test", FailureReplyFunc: chat.FailureReply}
	state := func() (attempts int, processed, failed bool, tasks, replies int) {
		t.Helper()
		err := db.Super.QueryRow(ctx, `SELECT attempts, processed_at IS NOT NULL, failed_at IS NOT NULL,
			(SELECT count(*) FROM tasks), (SELECT count(*) FROM outbox) FROM inbound_updates WHERE key = 'telegram:1:7'`).
			Scan(&attempts, &processed, &failed, &tasks, &replies)
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	for pass := 1; pass <= 3; pass++ {
		if n, err := w.RunOnce(ctx); n != 1 || err != nil {
			t.Fatalf("pass %d: leased %d, %v", pass, n, err)
		}
		attempts, processed, failed, tasks, replies := state()
		if attempts != pass || tasks != 0 {
			t.Fatalf("pass %d: attempts %d, tasks %d", pass, attempts, tasks)
		}
		if pass < 3 && (processed || failed || replies != 0) {
			t.Fatalf("pass %d: the failed attempt committed its claim or a reply", pass)
		}
		// the retry is scheduled with backoff; the test doesn't wait for it
		if _, err := db.Super.Exec(ctx, `UPDATE inbound_updates SET lease_until = now() - interval '1 second' WHERE processed_at IS NULL`); err != nil {
			t.Fatal(err)
		}
	}
	if _, processed, failed, _, replies := state(); !processed || !failed || replies != 1 {
		t.Fatalf("after the last attempt: processed %v failed %v replies %d", processed, failed, replies)
	}
	var payload string
	if err := db.Super.QueryRow(ctx, `SELECT payload::text FROM outbox WHERE chat = '1001'`).Scan(&payload); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(payload, "Попробуйте ещё раз") {
		t.Fatalf("apology: %s", payload)
	}
	if n, _ := w.RunOnce(ctx); n != 0 {
		t.Fatal("a given-up update was leased again")
	}
}

// TestCrashLoopingUpdateEnds: an update whose every attempt kills its worker (no outcome is ever
// recorded) is failed after MaxAttempts leases, with an apology, and never stalls the queue.
func TestCrashLoopingUpdateEnds(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	ctx := context.Background()
	queues := postgres.NewQueues(db.DB)
	for _, key := range []string{"telegram:1:1", "telegram:1:2"} {
		if err := queues.Accept(ctx, tgInbound("1001", key, "купить молоко")); err != nil {
			t.Fatal(err)
		}
	}
	inbox := queues.Inbox()
	for attempt := 1; attempt <= 3; attempt++ {
		leased, err := inbox.Lease(ctx, "crashing", 1, 3, time.Minute)
		if err != nil || len(leased) != 1 || leased[0].Inbound.Key != "telegram:1:1" || leased[0].Exhausted {
			t.Fatalf("attempt %d: %+v %v", attempt, leased, err)
		}
		// the worker dies here; its lease runs out
		if _, err := db.Super.Exec(ctx, `UPDATE inbound_updates SET lease_until = now() - interval '1 second' WHERE key = 'telegram:1:1'`); err != nil {
			t.Fatal(err)
		}
	}
	var processed []string
	w := &relay.Intake{Inbox: inbox, MaxAttempts: 3, Owner: "next", FailureReplyFunc: chat.FailureReply,
		Processor: processFunc(func(_ context.Context, in core.Inbound) error { processed = append(processed, in.Key); return nil })}
	if n, err := w.RunOnce(ctx); n != 2 || err != nil {
		t.Fatalf("after the crash loop: leased %d, %v; want the exhausted update and the next", n, err)
	}
	if len(processed) != 1 || processed[0] != "telegram:1:2" {
		t.Fatalf("processed %v: the exhausted update must not run again, the next must", processed)
	}
	var failed, replies int
	if err := db.Super.QueryRow(ctx, `SELECT (SELECT count(*) FROM inbound_updates WHERE key = 'telegram:1:1' AND failed_at IS NOT NULL AND last_error LIKE 'no outcome after 3 attempts%'),
		(SELECT count(*) FROM outbox WHERE chat = '1001' AND payload::text LIKE '%Попробуйте ещё раз%')`).Scan(&failed, &replies); err != nil || failed != 1 || replies != 1 {
		t.Fatalf("crash-looping update: failed %d, apologies %d, %v", failed, replies, err)
	}
}

type processFunc func(ctx context.Context, in core.Inbound) error

func (f processFunc) Process(ctx context.Context, in core.Inbound) error { return f(ctx, in) }

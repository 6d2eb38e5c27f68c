package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/chat"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/postgres"
)

func TestAcceptStoresUpdatesWithNULsAndBrokenText(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	ctx := context.Background()
	q := postgres.NewQueues(db.DB)
	nasty := "a\x00b\xed\xa0\x80c\xff" // NUL, an encoded surrogate, a stray byte
	in := core.Inbound{Key: "telegram:1:" + nasty, Provider: core.ProviderTelegram, ExternalUserID: "1\x00", UserName: nasty,
		ChatID: "1\x00", Text: nasty, Payload: nasty, LangHint: nasty, TimeZone: nasty, MessageRef: nasty}
	if err := q.Accept(ctx, in); err != nil {
		t.Fatalf("Accept: %v", err)
	}
	var text, name string
	if err := db.Super.QueryRow(ctx, `SELECT payload->>'text', payload->>'user_name' FROM inbound_updates`).Scan(&text, &name); err != nil {
		t.Fatal(err)
	}
	if text != "ab\uFFFDc\uFFFD" || name != text {
		t.Fatalf("stored text %q", text)
	}
	if strings.ContainsRune(text+name, 0) {
		t.Fatal("a NUL reached the database")
	}
	if err := q.Accept(ctx, core.Inbound{Provider: core.ProviderTelegram, ChatID: "1"}); err == nil {
		t.Fatal("an update without a key was accepted: it could never be marked processed")
	}
}

func TestRefusedUpdateIsRecordedAsFailedWithAnApology(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	ctx := context.Background()
	q := postgres.NewQueues(db.DB)
	q.UnreadableReplyFunc = chat.UnreadableReply
	in := core.Inbound{Key: "telegram:1:9", Provider: core.ProviderTelegram, ExternalUserID: "1001", ChatID: "1001", Text: "привет"}
	cause := &pgconn.PgError{Code: "22P05", Message: "unsupported Unicode escape sequence"}
	if err := q.Reject(ctx, in, cause); err != nil {
		t.Fatal(err)
	}
	if err := q.Reject(ctx, in, cause); err != nil { // redelivered: one failure, one apology
		t.Fatal(err)
	}
	var failed, replies int
	var reason string
	if err := db.Super.QueryRow(ctx, `SELECT count(*) FILTER (WHERE failed_at IS NOT NULL AND processed_at IS NOT NULL), max(last_error),
		(SELECT count(*) FROM outbox WHERE chat = '1001' AND payload::text LIKE '%не смог прочитать%') FROM inbound_updates`).Scan(&failed, &reason, &replies); err != nil {
		t.Fatal(err)
	}
	if failed != 1 || replies != 1 || !strings.Contains(reason, "22P05") {
		t.Fatalf("failed %d, apologies %d, reason %q", failed, replies, reason)
	}
	if leased, err := q.Inbox().Lease(ctx, "w", 10, 5, time.Minute); err != nil || len(leased) != 0 {
		t.Fatalf("a refused update was leased: %v %v", leased, err)
	}
}

// TestLeasesRenewReleaseAndInFlight walks a worker's leases through a crash: claimed rows
// renew while it lives; after a restart its own leases come back at once; the message that was
// being handed to the platform comes back marked in flight, with the parts already delivered.
func TestLeasesRenewReleaseAndInFlight(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	ctx := context.Background()
	for i := range 3 {
		if _, err := db.Super.Exec(ctx, `INSERT INTO outbox (provider, chat, payload) VALUES ('telegram', $1, '{"reply": {"text": [{"t": "hi"}]}}')`, fmt.Sprint(i+1)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Super.Exec(ctx, `INSERT INTO outbox (provider, chat, payload) VALUES ('telegram', '9', '"not a reply"')`); err != nil {
		t.Fatal(err)
	}
	out := postgres.NewQueues(db.DB).Outbox()
	claimed, err := out.Claim(ctx, "host/a", 10, 2*time.Second)
	if err != nil || len(claimed) != 3 {
		t.Fatalf("claimed %d, %v (the undecodable row is failed, not returned)", len(claimed), err)
	}
	first, second := claimed[0].Msg.ID, claimed[1].Msg.ID
	if err := out.Progress(ctx, first, 2, "msg-2"); err != nil {
		t.Fatal(err)
	}
	if err := out.Sending(ctx, first); err != nil { // part 3 is being sent when the worker dies
		t.Fatal(err)
	}
	if err := out.Sent(ctx, second, "m"); err != nil {
		t.Fatal(err)
	}
	// the leases run out; the live worker renews them before anyone else looks
	if _, err := db.Super.Exec(ctx, `UPDATE outbox SET available_at = now() - interval '1 second' WHERE leased_by = 'host/a'`); err != nil {
		t.Fatal(err)
	}
	if err := out.Renew(ctx, "host/a", time.Hour); err != nil {
		t.Fatal(err)
	}
	if again, _ := out.Claim(ctx, "host/b", 10, time.Minute); len(again) != 0 {
		t.Fatalf("another instance claimed %d rows a live worker holds", len(again))
	}
	// host/a restarts: its leases come back at once, not after an hour
	if n, err := out.Release(ctx, "host/a"); err != nil || n != 2 {
		t.Fatalf("released %d, %v; want 2", n, err)
	}
	again, err := out.Claim(ctx, "host/a", 10, time.Minute)
	if err != nil || len(again) != 2 {
		t.Fatalf("reclaimed %d, %v", len(again), err)
	}
	for _, p := range again {
		switch p.Msg.ID {
		case first:
			if !p.InFlight || p.Msg.PartsSent != 2 || p.Msg.LastID != "msg-2" || p.Attempts != 2 {
				t.Errorf("in-flight message: %+v", p)
			}
		default:
			if p.InFlight || p.Msg.PartsSent != 0 {
				t.Errorf("a message that never left is marked in flight: %+v", p)
			}
		}
	}
	var status string
	if err := db.Super.QueryRow(ctx, `SELECT status::text FROM outbox WHERE chat = '9'`).Scan(&status); err != nil || status != "failed" {
		t.Fatalf("undecodable row: %s %v", status, err)
	}
	// a retry clears the in-flight mark and the lease holder
	if err := out.RetryAt(ctx, first, time.Now(), "429"); err != nil {
		t.Fatal(err)
	}
	if n, _ := out.Release(ctx, "host/a"); n != 1 {
		t.Fatalf("after RetryAt, host/a still holds %d+ rows, want only the other one", n)
	}
	again, _ = out.Claim(ctx, "host/c", 10, time.Minute)
	for _, p := range again {
		if p.Msg.ID == first && p.InFlight {
			t.Error("a retried message is still marked in flight")
		}
	}
}

func TestInboxLeasesReleaseOnRestart(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	ctx := context.Background()
	q := postgres.NewQueues(db.DB)
	if err := q.Accept(ctx, core.Inbound{Key: "k1", Provider: core.ProviderTelegram, ChatID: "1", ExternalUserID: "1"}); err != nil {
		t.Fatal(err)
	}
	in := q.Inbox()
	if l, err := in.Lease(ctx, "host/a", 10, 5, time.Hour); err != nil || len(l) != 1 {
		t.Fatalf("lease: %v %v", l, err)
	}
	if l, _ := in.Lease(ctx, "host/b", 10, 5, time.Hour); len(l) != 0 {
		t.Fatal("a leased update was leased twice")
	}
	if _, err := db.Super.Exec(ctx, `UPDATE inbound_updates SET lease_until = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	if err := in.Renew(ctx, "host/a", time.Hour); err != nil {
		t.Fatal(err)
	}
	if l, _ := in.Lease(ctx, "host/b", 10, 5, time.Hour); len(l) != 0 {
		t.Fatal("a renewed lease was taken by another instance")
	}
	if n, err := in.Release(ctx, "host/a"); err != nil || n != 1 {
		t.Fatalf("release: %d %v", n, err)
	}
	if l, _ := in.Lease(ctx, "host/b", 10, 5, time.Hour); len(l) != 1 || l[0].Attempts != 2 {
		t.Fatalf("after release: %v", l)
	}
}

// TestLeasesKeepEachChatsOrder: a chat's updates are leased in the order they arrived and its
// replies in the order they were enqueued, even when the rows lie in the table in another order
// (an UPDATE … RETURNING has none of its own): "make Lena admin" then "hand over to Oleg" must
// not run the other way round.
func TestLeasesKeepEachChatsOrder(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	ctx := context.Background()
	q := postgres.NewQueues(db.DB)
	const n = 40
	for i := range n {
		if err := q.Accept(ctx, tgInbound("1", fmt.Sprintf("k%02d", i), "hi")); err != nil {
			t.Fatal(err)
		}
	}
	// the last accepted arrived first: arrival order is now the reverse of the rows' order
	if _, err := db.Super.Exec(ctx, `UPDATE inbound_updates SET received_at = '2026-01-01'::timestamptz - substr(key, 2)::int * interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	leased, err := q.Inbox().Lease(ctx, "host/a", n, 5, time.Minute)
	if err != nil || len(leased) != n {
		t.Fatalf("leased %d, %v", len(leased), err)
	}
	for i, l := range leased {
		if want := fmt.Sprintf("k%02d", n-1-i); l.Inbound.Key != want {
			t.Fatalf("update %d leased is %s, want %s", i, l.Inbound.Key, want)
		}
	}

	for i := range n {
		if _, err := db.Super.Exec(ctx, `INSERT INTO outbox (provider, chat, payload) VALUES ('telegram', '1', $1)`,
			fmt.Sprintf(`{"reply": {"text": [{"t": "%d"}]}}`, i)); err != nil {
			t.Fatal(err)
		}
	}
	// rewrite the early rows so that they lie after the later ones
	if _, err := db.Super.Exec(ctx, `UPDATE outbox SET attempts = 0 WHERE id IN (SELECT id FROM outbox ORDER BY id LIMIT $1)`, n/2); err != nil {
		t.Fatal(err)
	}
	claimed, err := q.Outbox().Claim(ctx, "host/a", n, time.Minute)
	if err != nil || len(claimed) != n {
		t.Fatalf("claimed %d, %v", len(claimed), err)
	}
	for i := 1; i < n; i++ {
		if claimed[i].Msg.ID < claimed[i-1].Msg.ID {
			t.Fatalf("reply %d claimed before reply %d", claimed[i-1].Msg.ID, claimed[i].Msg.ID)
		}
	}
}

// BenchmarkOutboxSentWindow measures the window in which a crash duplicates a reply: from the
// platform's answer to the commit of Outbox.Sent, one round trip. BenchmarkRoundTrip (SELECT 1)
// is the yardstick measured beside it.
func BenchmarkOutboxSentWindow(b *testing.B) {
	db := coretest.NewDB(b)
	ctx := context.Background()
	if _, err := db.Super.Exec(ctx, `INSERT INTO outbox (provider, chat, payload) SELECT 'telegram', i::text, '{}' FROM generate_series(1, $1) i`, b.N); err != nil {
		b.Fatal(err)
	}
	out := postgres.NewQueues(db.DB).Outbox()
	b.ResetTimer()
	for i := range b.N {
		if err := out.Sent(ctx, int64(i+1), "m"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRoundTrip(b *testing.B) {
	db := coretest.NewDB(b)
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		if _, err := db.Super.Exec(ctx, `SELECT 1`); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRepliesOvertakePushes: a user who writes during a 1,000-user morning fan-out is answered
// with the next claim, before the pushes still waiting.
func TestRepliesOvertakePushes(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	ctx := context.Background()
	if _, err := db.Super.Exec(ctx, `INSERT INTO outbox (provider, chat, payload, priority, available_at)
		SELECT 'telegram', i::text, '{"reply": {"text": [{"t": "morning"}]}}', 1, now() - interval '1 minute' FROM generate_series(1, 1000) i`); err != nil {
		t.Fatal(err)
	}
	out := postgres.NewQueues(db.DB).Outbox()
	if first, err := out.Claim(ctx, "host/a", 50, time.Minute); err != nil || len(first) != 50 { // the fan-out is under way
		t.Fatalf("claimed %d, %v", len(first), err)
	}
	if _, err := db.Super.Exec(ctx, `INSERT INTO outbox (provider, chat, payload) VALUES ('telegram', '5000', '{"reply": {"text": [{"t": "answer"}]}}')`); err != nil {
		t.Fatal(err)
	}
	next, err := out.Claim(ctx, "host/a", 50, time.Minute)
	if err != nil || len(next) != 50 {
		t.Fatalf("claimed %d, %v", len(next), err)
	}
	if !slices.ContainsFunc(next, func(p core.Pending) bool { return p.Msg.ChatID == "5000" }) {
		t.Fatal("the answer waits behind the pushes")
	}
}

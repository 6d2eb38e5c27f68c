package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/bots/telegram/telegramtest"
	"github.com/bizconnect/bizconnect/core/coretest"
)

// TestMain lets the test binary play `bizconnect serve` in a child process (BC_TEST_SERVE=1),
// so tests can kill -9 a real server and start it again.
func TestMain(m *testing.M) {
	if os.Getenv("BC_TEST_SERVE") == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err := run(ctx, []string{"serve"}, os.Stdin, os.Stdout, os.Stderr)
		stop()
		if err != nil {
			fmt.Fprintln(os.Stderr, "serve:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// crashRig is a database with replies waiting, a fake Bot API and a way to run `serve` on them
// as a separate process.
type crashRig struct {
	db   *coretest.TestDB
	fake *telegramtest.Server
	env  []string
}

func newCrashRig(t testing.TB) *crashRig {
	t.Helper()
	r := &crashRig{db: coretest.NewDB(t), fake: newTelegramFake(t)}
	r.env = append(os.Environ(), "BC_TEST_SERVE=1", "PUSHES=off", "DATABASE_URL="+r.db.URL, "HTTP_ADDR=127.0.0.1:0", "METRICS_ADDR=off",
		"TELEGRAM_BOT_TOKEN="+r.fake.Token(), "TELEGRAM_API_URL="+r.fake.URL, "TELEGRAM_MODE=polling",
		"BC_INSTANCE_ID=crash-test/1", "LOG_LEVEL=error")
	return r
}

// queue adds n replies, each to a chat of its own (so Telegram's per-chat limit doesn't pace them).
func (r *crashRig) queue(t testing.TB, from, n int) {
	t.Helper()
	_, err := r.db.Super.Exec(context.Background(), `INSERT INTO outbox (provider, chat, payload)
		SELECT 'telegram', (1000 + i)::text, jsonb_build_object('reply', jsonb_build_object('text', jsonb_build_array(jsonb_build_object('t', 'reply ' || i))))
		FROM generate_series($1::int, $2::int - 1) i`, from, from+n)
	if err != nil {
		t.Fatal(err)
	}
}

// start runs `serve` in a child process.
func (r *crashRig) start(t testing.TB) *exec.Cmd {
	t.Helper()
	return spawnServe(t, r.env)
}

func kill9(t testing.TB, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait() //nolint:errcheck // killed
}

// delivered counts sendMessage calls per chat.
func (r *crashRig) delivered() (calls int, chats map[string]int) {
	chats = map[string]int{}
	for _, c := range r.fake.CallsTo("sendMessage") {
		chats[c.ChatID()]++
		calls++
	}
	return calls, chats
}

// TestDeliveryResumesQuicklyAfterKill kills the server with SIGKILL in the middle of a delivery
// batch. Started again, it takes back its own leases and delivers the rest within seconds, and
// the only replies that can arrive twice are those the platform had accepted when the process
// died.
func TestDeliveryResumesQuicklyAfterKill(t *testing.T) {
	t.Parallel()
	r := newCrashRig(t)
	const total = 120 // four seconds at Telegram's 30 messages a second
	r.queue(t, 0, total)
	first := r.start(t)
	r.fake.WaitCalls(t, "sendMessage", 30, 20*time.Second)
	kill9(t, first)
	atKill, _ := r.delivered()
	restart := time.Now()
	r.start(t)
	resumed := r.fake.WaitCalls(t, "sendMessage", atKill+1, 20*time.Second)[atKill].Time.Sub(restart)
	if resumed > 3*time.Second { // well under the 10 s lease: the restart takes its leases back
		t.Fatalf("delivery resumed %s after the restart, want < 3 s", resumed)
	}
	eventually(t, "not every reply delivered after the restart", func() bool { _, chats := r.delivered(); return len(chats) == total })
	drained := time.Since(restart)
	calls, _ := r.delivered()
	if dup := calls - total; dup > 32 { // at most the messages in flight at the kill, one per chat worker
		t.Fatalf("%d duplicates after one kill", dup)
	}
	// a reply is recorded as sent a moment after Telegram's answer: the last one may lag the fake
	eventually(t, "replies delivered but not recorded as sent", func() bool {
		var pending int
		err := r.db.Super.QueryRow(context.Background(), `SELECT count(*) FROM outbox WHERE status <> 'sent'`).Scan(&pending)
		return err == nil && pending == 0
	})
	t.Logf("killed after %d of %d; resumed %s after the restart, drained in %s, %d duplicates", atKill, total, resumed.Round(time.Millisecond), drained.Round(time.Millisecond), calls-total)
}

// BenchmarkDeliveryKill kills the delivering server b.N times at random moments and reports
// the duplicates per kill and how soon each new process delivered again. Run it with
// `go test -run '^$' -bench DeliveryKill -benchtime 1000x .` (docs/benchmarks.md).
func BenchmarkDeliveryKill(b *testing.B) {
	r := newCrashRig(b)
	rng := rand.New(rand.NewPCG(7, 11))
	queued := 0
	var resume time.Duration
	b.ResetTimer()
	for range b.N {
		r.queue(b, queued, 4) // about what a process delivers before it is killed: no backlog builds up
		queued += 4
		before, _ := r.delivered()
		cmd := r.start(b)
		start := time.Now()
		r.fake.WaitCalls(b, "sendMessage", before+1, 30*time.Second)
		resume += r.fake.CallsTo("sendMessage")[before].Time.Sub(start)
		time.Sleep(time.Duration(rng.IntN(200)) * time.Millisecond)
		kill9(b, cmd)
	}
	b.StopTimer()
	r.start(b) // one last process drains the rest, at Telegram's 30 messages a second
	_, got := r.delivered()
	deadline := time.Now().Add(30*time.Second + time.Duration(queued-len(got))*time.Second/25)
	for _, chats := r.delivered(); len(chats) < queued; _, chats = r.delivered() {
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d replies delivered", len(chats), queued)
		}
		time.Sleep(50 * time.Millisecond)
	}
	calls, _ := r.delivered()
	b.ReportMetric(float64(calls-queued)/float64(b.N), "dups/kill")
	b.ReportMetric(float64(calls-queued), "dups")
	b.ReportMetric(resume.Seconds()*1000/float64(b.N), "ms-to-first-send")
}

// TestRestartMidReplySendsNoPartTwice: a reply too long for one Telegram message goes out in
// three parts; the second is refused (500), and the process is killed before its retry. The new
// process resumes at part two: part one never goes out twice.
func TestRestartMidReplySendsNoPartTwice(t *testing.T) {
	t.Parallel()
	r := newCrashRig(t)
	_, err := r.db.Super.Exec(context.Background(), `INSERT INTO outbox (provider, chat, payload)
		SELECT 'telegram', '1001', jsonb_build_object('reply', jsonb_build_object('text',
			jsonb_agg(jsonb_build_object('t', 'line ' || lpad(i::text, 3, '0') || ' of the weekly report, with some words to fill it up' || chr(10)))))
		FROM generate_series(1, 180) i`) // ≈ 10,000 characters: three messages
	if err != nil {
		t.Fatal(err)
	}
	r.fake.FailNext("sendMessage", "1001", telegramtest.Failure{})       // part 1 passes
	r.fake.FailNext("sendMessage", "1001", telegramtest.InternalError()) // part 2 is refused
	first := r.start(t)
	r.fake.WaitCalls(t, "sendMessage", 2, 20*time.Second)
	kill9(t, first) // before the retry (a second later)
	r.start(t)
	r.fake.WaitCalls(t, "sendMessage", 4, 20*time.Second)
	time.Sleep(500 * time.Millisecond)
	calls := r.fake.CallsTo("sendMessage")
	if len(calls) != 4 {
		t.Fatalf("%d sendMessage calls, want 4: part 1, part 2 refused, part 2, part 3", len(calls))
	}
	seen := map[string]int{}
	for _, c := range calls {
		seen[c.Text()]++
	}
	if seen[calls[0].Text()] != 1 || calls[1].Text() != calls[2].Text() || calls[3].Text() == calls[2].Text() {
		t.Fatal("part 1 went out twice, or the new process did not resume at part 2")
	}
	if !strings.HasPrefix(calls[0].Text(), "line 001") || !strings.Contains(calls[3].Text(), "line 180") {
		t.Fatalf("parts out of order: %.20q … %.20q", calls[0].Text(), calls[3].Text())
	}
}

package scheduler_test

import (
	"context"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/core/chat"
	"github.com/bizconnect/bizconnect/core/coretest"
)

func benchUsers(def int) int {
	if v, err := strconv.Atoi(os.Getenv("BC_BENCH_USERS")); err == nil && v > 0 {
		return v
	}
	return def
}

// seedUsers inserts n users in three zones of UTC+3 with a Telegram chat each; with tasks, each has six
// tasks on 2026-12-07 and an active goal.
func seedUsers(b *testing.B, db *coretest.TestDB, n int, tasks bool) {
	b.Helper()
	ctx := context.Background()
	sqls := []string{
		`INSERT INTO users (name, timezone) SELECT 'u' || i, CASE WHEN i % 3 = 0 THEN 'Europe/Moscow' WHEN i % 3 = 1 THEN 'Europe/Istanbul' ELSE 'Asia/Riyadh' END
			FROM generate_series(1, $1) i`,
		`INSERT INTO identities (user_id, provider, external_id, private_at) SELECT id, 'telegram', (row_number() OVER ())::text, now() FROM users`,
	}
	if tasks {
		sqls = append(sqls,
			`INSERT INTO goals (user_id, title, target_value, current_value, start_date, end_date)
				SELECT id, 'Выручка', 1000000, 250000, '2026-11-01', '2026-12-31' FROM users`,
			`INSERT INTO tasks (user_id, title, scheduled_date, estimated_time, priority)
				SELECT u.id, 'задача ' || k, '2026-12-07', 30 + k * 15, 1 + k % 4 FROM users u, generate_series(1, 6) k`)
	}
	sqls = append(sqls, `ANALYZE`)
	for i, sql := range sqls {
		var args []any
		if i == 0 {
			args = append(args, n)
		}
		if _, err := db.Super.Exec(ctx, sql, args...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlanMorning selects the users whose morning plan is due and enqueues their pushes:
// BC_BENCH_USERS users (default 100 000) in three zones of one offset (Moscow, Istanbul,
// Riyadh), all due at 08:30 local, the pass run at 08:29. The yardstick, in the same run, is one
// INSERT … SELECT of as many rows into a plain table.
func BenchmarkPlanMorning(b *testing.B) {
	n := benchUsers(100_000)
	db := coretest.NewDB(b)
	seedUsers(b, db, n, false)
	ctx := context.Background()
	clock := newClock(time.Date(2026, 12, 7, 8, 29, 0, 0, msk))
	s := instance(b, db, clock, false)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		if _, err := db.Super.Exec(ctx, `DELETE FROM scheduler_passes; DELETE FROM river.river_job`); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		p, err := s.RunPass(ctx)
		if err != nil || len(p.Jobs) != n {
			b.Fatalf("planned %d of %d: %v", len(p.Jobs), n, err)
		}
		b.ReportMetric(time.Since(start).Seconds(), "s/pass")
	}
	b.StopTimer()
	start := time.Now()
	if _, err := db.Super.Exec(ctx, `CREATE TABLE yardstick AS SELECT id, 'push' AS kind, now() AS at FROM users`); err != nil {
		b.Fatal(err)
	}
	yard := time.Since(start)
	b.ReportMetric(yard.Seconds(), "s/yardstick")
	b.Logf("%d users: a pass plans them all; yardstick (one INSERT … SELECT of %d rows): %s", n, n, yard.Round(time.Millisecond))
}

// BenchmarkPrepareMornings writes BC_BENCH_USERS (default 10 000) morning plans, each user with
// six tasks and a goal, on 10 workers as River's push queue runs them. The yardstick is the same
// number of plain single-row INSERTs on 10 connections.
func BenchmarkPrepareMornings(b *testing.B) {
	n := benchUsers(10_000)
	db := coretest.NewDB(b)
	seedUsers(b, db, n, true)
	ctx := context.Background()
	clock := newClock(time.Date(2026, 12, 7, 8, 28, 0, 0, msk))
	db.NowFunc = clock.Now
	s := instance(b, db, clock, false)
	p, err := s.RunPass(ctx)
	if err != nil || len(p.Jobs) == 0 {
		b.Fatalf("planned %d: %v", len(p.Jobs), err)
	}
	jobs := p.Jobs
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		if _, err := db.Super.Exec(ctx, `DELETE FROM outbox; DELETE FROM recommendations`); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		work := make(chan chat.PushJob)
		var wg sync.WaitGroup
		for range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range work {
					if out, err := s.Assistant.RunPushJob(ctx, j); err != nil || out != chat.PushSent {
						b.Errorf("push: %s, %v", out, err)
					}
				}
			}()
		}
		for _, j := range jobs {
			work <- j
		}
		close(work)
		wg.Wait()
		b.ReportMetric(time.Since(start).Seconds(), "s/fan-out")
	}
	b.StopTimer()
	start := time.Now()
	if _, err := db.Super.Exec(ctx, `CREATE TABLE yardstick (id int, payload jsonb)`); err != nil {
		b.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(jobs); i += 10 {
				if _, err := db.Super.Exec(ctx, `INSERT INTO yardstick VALUES ($1, '{"reply": {}}')`, i); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	yard := time.Since(start)
	b.ReportMetric(yard.Seconds(), "s/yardstick")
	b.Logf("%d morning plans prepared; yardstick (%d single-row INSERTs on 10 connections): %s", len(jobs), len(jobs), yard.Round(time.Millisecond))
}

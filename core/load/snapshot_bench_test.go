package load_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/load"
	"github.com/bizconnect/bizconnect/core/postgres"
)

// BenchmarkSnapshotAll records the Business Load of a day for BC_BENCH_USERS users (default
// 100 000) with 90 days of history each: a task done every working day and an open one every
// third day, ~8.5 million tasks for 100 000 users. The yardstick is a plain count of the rows
// the snapshot reads, in the same run. Run with -benchtime 1x: the data takes minutes to build.
func BenchmarkSnapshotAll(b *testing.B) {
	users := 100_000
	if v, err := strconv.Atoi(os.Getenv("BC_BENCH_USERS")); err == nil && v > 0 {
		users = v
	}
	db := coretest.NewDB(b)
	ctx := context.Background()
	start := time.Now()
	for i, sql := range []string{
		`INSERT INTO users (name, timezone, settings) SELECT 'u' || i, CASE WHEN i % 3 = 0 THEN 'Europe/Moscow' WHEN i % 3 = 1 THEN 'Asia/Novosibirsk' ELSE 'America/New_York' END,
			jsonb_build_object('daily_capacity_min', 300 + (i % 5) * 60) FROM generate_series(1, $1) i`,
		`INSERT INTO tasks (user_id, title, status, completed_at, scheduled_date, estimated_time, cognitive_load, complexity)
			SELECT u.id, 'work', 'done', d + interval '13 hours', d::date, 60 + (abs(hashtext(u.id::text)) % 6) * 60, 3 + (extract(doy FROM d)::int % 6),
			       CASE WHEN extract(doy FROM d)::int % 4 = 0 THEN 'hard'::task_complexity ELSE 'medium' END
			  FROM users u, generate_series('2026-08-27'::date, '2026-11-24'::date, interval '1 day') d WHERE extract(isodow FROM d) < 6`,
		`INSERT INTO tasks (user_id, title, scheduled_date, estimated_time, cognitive_load)
			SELECT u.id, 'open', d::date, 45, 5 FROM users u, generate_series('2026-08-27'::date, '2026-11-30'::date, interval '3 days') d`,
		`INSERT INTO daily_progress (user_id, date, stress, energy)
			SELECT u.id, d::date, 1 + abs(hashtext(u.id::text || d::text)) % 5, 1 + abs(hashtext(d::text || u.id::text)) % 5
			  FROM users u, generate_series('2026-11-10'::date, '2026-11-24'::date, interval '2 days') d`,
		`ANALYZE`,
	} {
		var args []any
		if i == 0 {
			args = append(args, users)
		}
		if _, err := db.Super.Exec(ctx, sql, args...); err != nil {
			b.Fatal(err)
		}
	}
	var rows int
	if err := db.Super.QueryRow(ctx, `SELECT count(*) FROM tasks`).Scan(&rows); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d users, %d tasks built in %s", users, rows, time.Since(start).Round(time.Second))
	day := core.Date{Year: 2026, Month: 11, Day: 24}
	loads := postgres.NewLoads(db.DB)
	b.ResetTimer()
	for range b.N {
		n, err := load.SnapshotAll(ctx, loads, day, 1000)
		if err != nil || n != users {
			b.Fatalf("%d users, %v", n, err)
		}
	}
	b.StopTimer()
	per := b.Elapsed() / time.Duration(b.N)
	t0 := time.Now()
	var window int
	if err := db.Super.QueryRow(ctx, `SELECT count(*) FROM tasks WHERE deleted_at IS NULL AND status <> 'cancelled'
		AND (status = 'done' AND completed_at >= '2026-10-12' AND completed_at < '2026-11-26' OR status <> 'done' AND scheduled_date BETWEEN '2026-10-13' AND '2026-11-24')`).Scan(&window); err != nil {
		b.Fatal(err)
	}
	scan := time.Since(t0)
	b.ReportMetric(float64(per.Milliseconds()), "ms/snapshot")
	b.ReportMetric(float64(scan.Milliseconds()), "ms/count(*)")
	b.Logf("snapshot of %d users: %s; count(*) of the %d task rows it reads: %s (ratio %.1f)", users, per.Round(time.Millisecond), window, scan.Round(time.Millisecond), per.Seconds()/scan.Seconds())
}

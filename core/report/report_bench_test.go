package report_test

import (
	"context"
	"testing"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/report"
)

// BenchmarkWeekly measures a weekly report as a user asks for it: Build (its queries in the
// user's RLS transaction) and the chart's PNG, on the seeded month of goals and tasks plus 40 days
// of 6 tasks a day. The target is under 200 ms (docs/benchmarks.md).
func BenchmarkWeekly(b *testing.B) {
	db := coretest.NewDB(b)
	anna := coretest.User(b, db, coretest.UserOpts{Name: "Anna"})
	seed(b, db, anna)
	if _, err := db.Super.Exec(context.Background(), `INSERT INTO tasks (user_id, title, status, completed_at, scheduled_date, estimated_time, cognitive_load)
		SELECT $1, 'work ' || i, CASE WHEN i % 5 = 0 THEN 'todo' ELSE 'done' END::task_status,
		       CASE WHEN i % 5 = 0 THEN NULL ELSE d + interval '12 hours' END, d::date, 45, 5
		  FROM generate_series('2026-10-30'::date, '2026-12-08'::date, interval '1 day') d, generate_series(1, 6) i`, anna); err != nil {
		b.Fatal(err)
	}
	b.Run("build", func(b *testing.B) {
		for b.Loop() {
			db.As(b, anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
				_, err := report.Build(ctx, tx, u, core.DateOf(wednesday))
				return err
			})
		}
	})
	var r *report.Weekly
	db.As(b, anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		var err error
		r, err = report.Build(ctx, tx, u, core.DateOf(wednesday))
		return err
	})
	b.Run("chart", func(b *testing.B) {
		for b.Loop() {
			if _, err := r.Chart(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw query", func(b *testing.B) { // the yardstick: one indexed read of the user's week
		for b.Loop() {
			var n int
			if err := db.Super.QueryRow(context.Background(), `SELECT count(*) FROM tasks WHERE user_id = $1 AND scheduled_date BETWEEN '2026-12-07' AND '2026-12-13'`, anna).Scan(&n); err != nil {
				b.Fatal(err)
			}
		}
	})
}

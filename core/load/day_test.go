package load_test

import (
	"context"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/load"
)

// TestReadingTheLoadWritesNothing: the load shown is computed from the day; only Snapshot stores
// it, so the stored figure doesn't depend on when the user last looked.
func TestReadingTheLoadWritesNothing(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	db.NowFunc = func() time.Time { return time.Date(2026, 11, 25, 7, 0, 0, 0, time.UTC) }
	anna := coretest.User(t, db, coretest.UserOpts{})
	ctx := context.Background()
	today := core.Date{Year: 2026, Month: 11, Day: 25}
	stress := 5
	db.As(t, anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		six := 360
		for _, task := range []core.Task{
			{Title: "strategy", ScheduledDate: today, EstimatedMin: &six, CognitiveLoad: 8, Priority: 1},
			{Title: "late", ScheduledDate: today.AddDays(-3)},
		} {
			if err := tx.CreateTask(ctx, &task); err != nil {
				return err
			}
		}
		return tx.SaveReflection(ctx, today, &stress, nil, "")
	})
	var score load.Score
	var day load.Day
	db.As(t, anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		var err error
		score, day, _, err = load.Today(ctx, tx, u)
		return err
	})
	if day.PlannedMin != 390 || day.UrgentTasks != 1 || day.OverdueTasks != 1 || day.Stress != 5 || score.Zone != load.Overload {
		t.Fatalf("day %+v, score %+v", day, score)
	}
	stored := func() *int {
		var v *int
		if err := db.Super.QueryRow(ctx, `SELECT business_load FROM daily_progress WHERE user_id = $1 AND date = '2026-11-25'`, anna).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := stored(); v != nil {
		t.Fatalf("reading the load stored %d", *v)
	}
	db.As(t, anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		_, _, _, err := load.Snapshot(ctx, tx, u)
		return err
	})
	if v := stored(); v == nil || *v != score.Value {
		t.Fatalf("snapshot stored %v, want %d", v, score.Value)
	}
}

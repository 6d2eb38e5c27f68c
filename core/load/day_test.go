package load_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/load"
	"github.com/bizconnect/bizconnect/core/postgres"
)

// TestReadingTheLoadWritesNothing: the load shown is computed from the day; only Record stores
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
	var recorded load.Score
	db.As(t, anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		var err error
		recorded, err = load.Record(ctx, tx, u, today)
		return err
	})
	if v := stored(); v == nil || *v != recorded.Value || recorded.Value == 0 {
		t.Fatalf("record stored %v, want %d", v, recorded.Value)
	}
}

// TestWorkHistoryFromTheDatabase: the history sums each day set-wise — done work on the day it
// was done in the user's zone, open work on its planned day, goals served, the reflection — and
// its trend is what TrendOf reads from those days.
func TestWorkHistoryFromTheDatabase(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	db.NowFunc = func() time.Time { return time.Date(2026, 11, 25, 7, 0, 0, 0, time.UTC) }
	anna := coretest.User(t, db, coretest.UserOpts{Timezone: "Asia/Novosibirsk"}) // UTC+7
	ctx := context.Background()
	today := core.Date{Year: 2026, Month: 11, Day: 25}
	stress := 4
	db.As(t, anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		g := core.Goal{Title: "клиенты"}
		if err := tx.CreateGoal(ctx, &g); err != nil {
			return err
		}
		hour, two := 60, 120
		for _, task := range []core.Task{
			{Title: "done a", ScheduledDate: today.AddDays(-2), EstimatedMin: &hour, CognitiveLoad: 5, GoalID: &g.ID},
			{Title: "done b", ScheduledDate: today.AddDays(-2), EstimatedMin: &two, CognitiveLoad: 8, Complexity: "hard"},
			{Title: "left open", ScheduledDate: today.AddDays(-1), EstimatedMin: &hour, CognitiveLoad: 5},
		} {
			if err := tx.CreateTask(ctx, &task); err != nil {
				return err
			}
		}
		return tx.SaveReflection(ctx, today.AddDays(-3), &stress, nil, "")
	})
	// done at 20:00 UTC on the 22nd: the 23rd in Novosibirsk
	if _, err := db.Super.Exec(ctx, `UPDATE tasks SET status = 'done', completed_at = '2026-11-22 20:00:00+00' WHERE title LIKE 'done%'`); err != nil {
		t.Fatal(err)
	}
	var h []core.DayWork
	var tr load.Trend
	db.As(t, anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		var err error
		if h, err = tx.WorkHistory(ctx, today.AddDays(-load.Window), today.AddDays(-1)); err != nil {
			return err
		}
		tr, err = load.TrendFor(ctx, tx, u, today)
		return err
	})
	if len(h) != 3 {
		t.Fatalf("history: %+v", h)
	}
	if d := h[0]; d.Date != today.AddDays(-3) || d.Stress == nil || *d.Stress != 4 || d.DoneMin != 0 {
		t.Errorf("the reflected day: %+v", d)
	}
	if d := h[1]; d.Date != today.AddDays(-2) || d.DoneMin != 180 || d.DoneCog != 60*5+120*8 || d.DoneHard != 120 || d.Goals != 1 || d.OpenMin != 0 {
		t.Errorf("the day of the done work: %+v", d)
	}
	if d := h[2]; d.Date != today.AddDays(-1) || d.OpenMin != 60 || d.DoneMin != 0 {
		t.Errorf("the day left open: %+v", d)
	}
	if want := load.TrendOf(h, today, 360); tr != want {
		t.Errorf("TrendFor %+v, TrendOf %+v", tr, want)
	}
}

// TestSnapshotAllRecordsEveryUser: the nightly operation records each user's figure of the day,
// a batch at a time, the same figure their own history gives; users with nothing get 0.
func TestSnapshotAllRecordsEveryUser(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	db.NowFunc = func() time.Time { return time.Date(2026, 11, 25, 7, 0, 0, 0, time.UTC) }
	ctx := context.Background()
	yesterday := core.Date{Year: 2026, Month: 11, Day: 24}
	anna := coretest.User(t, db, coretest.UserOpts{Name: "Anna"})
	boris := coretest.User(t, db, coretest.UserOpts{Name: "Boris"})
	clara := coretest.User(t, db, coretest.UserOpts{Name: "Clara"})
	for _, u := range []struct {
		id      any
		minutes int
	}{{anna, 300}, {clara, 600}} {
		if _, err := db.Super.Exec(ctx, `INSERT INTO tasks (user_id, title, status, completed_at, scheduled_date, estimated_time, cognitive_load)
			SELECT $1, 'work', 'done', d + interval '12 hours', d::date, $2, 6
			  FROM generate_series('2026-10-20'::date, '2026-11-24'::date, interval '1 day') d WHERE extract(isodow FROM d) < 6`, u.id, u.minutes); err != nil {
			t.Fatal(err)
		}
	}
	n, err := load.SnapshotAll(ctx, postgres.NewLoads(db.DB), yesterday, 2) // batches of two: a second page
	if err != nil || n != 3 {
		t.Fatalf("snapshot of %d users, %v", n, err)
	}
	for id, wantZero := range map[any]bool{anna: false, boris: true, clara: false} {
		var stored int
		if err := db.Super.QueryRow(ctx, `SELECT business_load FROM daily_progress WHERE user_id = $1 AND date = '2026-11-24'`, id).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		var own load.Score
		db.As(t, id.(uuid.UUID), func(ctx context.Context, tx core.Tx, u *core.User) error {
			h, err := tx.WorkHistory(ctx, yesterday.AddDays(-load.Window), yesterday)
			own = load.ScoreDay(h, yesterday, u.Settings.Capacity())
			return err
		})
		if stored != own.Value || (stored == 0) != wantZero {
			t.Errorf("%v: stored %d, own history gives %d", id, stored, own.Value)
		}
	}
}

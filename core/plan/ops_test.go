package plan_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/plan"
)

// now is Wednesday 25 November 2026, 15:00 in Moscow.
var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

var wed = core.Date{Year: 2026, Month: 11, Day: 25}

type bundle struct {
	db          *coretest.TestDB
	anna, boris uuid.UUID
}

func setup(t *testing.T) *bundle {
	t.Helper()
	db, anna, boris := coretest.Pair(t, now)
	return &bundle{db: db, anna: anna, boris: boris}
}

func TestCreateTaskPicksTheDay(t *testing.T) {
	t.Parallel()
	b := setup(t)
	at := func(h int) *core.ClockTime { c := core.NewClockTime(h, 0); return &c }
	b.db.As(t, b.anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		for _, c := range []struct {
			name string
			task core.Task
			want core.Date
		}{
			{"no date, no time: today", core.Task{Title: "a"}, wed},
			{"a time still ahead: today", core.Task{Title: "b", ScheduledTime: at(18)}, wed},
			{"a time already past: tomorrow", core.Task{Title: "c", ScheduledTime: at(9)}, wed.AddDays(1)},
			{"a date given: that date", core.Task{Title: "d", ScheduledDate: wed.AddDays(5), ScheduledTime: at(9)}, wed.AddDays(5)},
			{"every day at 9, said at 15: from tomorrow", core.Task{Title: "e", ScheduledDate: wed, ScheduledTime: at(9), Recurrence: "FREQ=DAILY"}, wed.AddDays(1)},
			{"every Monday: the date the rule gives", core.Task{Title: "f", ScheduledDate: wed.AddDays(5), Recurrence: "FREQ=WEEKLY;BYDAY=MO"}, wed.AddDays(5)},
		} {
			got, err := plan.CreateTask(ctx, tx, u, c.task)
			if err != nil {
				return err
			}
			if got.ScheduledDate != c.want || got.ID == uuid.Nil || got.Priority != 3 || !got.CreatedAt.Equal(now) {
				t.Errorf("%s: %+v, want %s", c.name, got, c.want)
			}
		}
		if _, err := plan.CreateTask(ctx, tx, u, core.Task{Title: "x", Priority: 9}); core.ErrorCode(err) != core.EINVALID {
			t.Errorf("priority 9: %v", err)
		}
		return nil
	})
}

func TestApplyReplanAndMoveAcrossUsers(t *testing.T) {
	t.Parallel()
	b := setup(t)
	minutes := func(m int) *int { return &m }
	var ids map[string]uuid.UUID
	b.db.As(t, b.anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		ids = map[string]uuid.UUID{}
		for _, task := range []core.Task{
			{Title: "overdue", ScheduledDate: wed.AddDays(-2), EstimatedMin: minutes(120)},
			{Title: "today a", ScheduledDate: wed, EstimatedMin: minutes(180)},
			{Title: "today b", ScheduledDate: wed, EstimatedMin: minutes(180), Priority: 4},
		} {
			if err := tx.CreateTask(ctx, &task); err != nil {
				return err
			}
			ids[task.Title] = task.ID
		}
		return nil
	})
	var moves []plan.Move
	b.db.As(t, b.anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		var err error
		moves, err = plan.ApplyReplan(ctx, tx, u)
		return err
	})
	got := map[string]core.Date{}
	for _, m := range moves {
		got[m.Task.Title] = m.To
	}
	// six hours a day: the overdue task and "today a" fit today, the low-priority one moves on
	if len(moves) != 2 || got["overdue"] != wed || got["today b"] != wed.AddDays(1) {
		t.Fatalf("moves: %v", got)
	}
	var stored string
	if err := b.db.Super.QueryRow(context.Background(), `SELECT string_agg(title || '=' || scheduled_date, ', ' ORDER BY title) FROM tasks`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != "overdue=2026-11-25, today a=2026-11-25, today b=2026-11-26" {
		t.Fatalf("stored: %s", stored)
	}
	b.db.As(t, b.boris, func(ctx context.Context, tx core.Tx, u *core.User) error {
		if moves, err := plan.ApplyReplan(ctx, tx, u); err != nil || len(moves) != 0 {
			t.Errorf("Boris's replan touched %d tasks: %v", len(moves), err)
		}
		later := wed.AddDays(9)
		if _, err := plan.MoveTask(ctx, tx, ids["today a"], &later, nil); core.ErrorCode(err) != core.ENOTFOUND {
			t.Errorf("moving another user's task: %v, want ENOTFOUND", err)
		}
		if _, err := plan.DeleteTask(ctx, tx, ids["today a"]); core.ErrorCode(err) != core.ENOTFOUND {
			t.Errorf("deleting another user's task: %v, want ENOTFOUND", err)
		}
		return nil
	})
}

func TestPlanGoalStoresMilestonesAndThePlan(t *testing.T) {
	t.Parallel()
	b := setup(t)
	target := 100.0
	b.db.As(t, b.anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		g := core.Goal{Title: "100 clients", TargetValue: &target, EndDate: wed.AddDays(35)}
		if err := tx.CreateGoal(ctx, &g); err != nil {
			return err
		}
		ms, err := plan.PlanGoal(ctx, tx, u, g)
		if err != nil || len(ms) != 4 || ms[3].Deadline != g.EndDate || *ms[3].TargetValue != 100 || ms[0].Title != "достичь 25" {
			t.Fatalf("milestones: %+v %v", ms, err)
		}
		stored, err := tx.FindMilestones(ctx, g.ID)
		if err != nil || len(stored) != 4 {
			t.Fatalf("stored milestones: %d %v", len(stored), err)
		}
		open := core.Goal{Title: "someday", ID: g.ID, UserID: u.ID}
		if ms, err := plan.PlanGoal(ctx, tx, u, open); err != nil || ms != nil {
			t.Errorf("a goal without a deadline: %v %v", ms, err)
		}
		return nil
	})
	var versions int
	if err := b.db.Super.QueryRow(context.Background(), `SELECT count(*) FROM ai_plans WHERE provider = 'offline' AND status = 'applied'`).Scan(&versions); err != nil || versions != 1 {
		t.Fatalf("plans: %d %v", versions, err)
	}
}

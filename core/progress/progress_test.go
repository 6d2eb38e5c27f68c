package progress_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/progress"
)

// now is Wednesday 25 November 2026, 10:00 in Moscow.
var now = time.Date(2026, 11, 25, 7, 0, 0, 0, time.UTC)

var today = core.Date{Year: 2026, Month: 11, Day: 25}

type bundle struct {
	db          *coretest.TestDB
	anna, boris uuid.UUID
}

func setup(t *testing.T) *bundle {
	t.Helper()
	db, anna, boris := coretest.Pair(t, now)
	return &bundle{db: db, anna: anna, boris: boris}
}

func TestCompleteRecurringTaskSchedulesTheNextAndAdvancesItsGoal(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var task core.Task
	var goal core.Goal
	b.db.As(t, b.anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		var err error
		if goal, err = progress.SaveGoal(ctx, tx, core.Goal{Title: "10 calls", TargetValue: nil}, nil); err != nil {
			return err
		}
		nine := core.NewClockTime(9, 0)
		task = core.Task{Title: "call a client", GoalID: &goal.ID, ScheduledDate: today.AddDays(-2), ScheduledTime: &nine,
			Recurrence: "FREQ=WEEKLY;BYDAY=MO"}
		return tx.CreateTask(ctx, &task)
	})
	var c progress.Completion
	b.db.As(t, b.anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		var err error
		c, err = progress.CompleteTaskByID(ctx, tx, u, task.ID)
		return err
	})
	if c.AlreadyDone || c.Task.Status != core.TaskDone || c.Task.CompletedAt == nil || !c.Task.CompletedAt.Equal(now) {
		t.Fatalf("completed task: %+v", c.Task)
	}
	if c.Next == nil || c.Next.ScheduledDate != (core.Date{Year: 2026, Month: 11, Day: 30}) || c.Next.ScheduledTime == nil || c.Next.Recurrence != task.Recurrence {
		t.Fatalf("next occurrence: %+v, want Monday 30 Nov at 09:00", c.Next)
	}
	if c.Goal == nil || c.Goal.CurrentValue != 1 || c.Goal.Tracking != core.TrackTasks {
		t.Fatalf("task-based goal after one task: %+v", c.Goal)
	}
	if got := b.db.Scalar(t, `SELECT changes->'status'->>1 FROM task_history WHERE task_id = $1`, task.ID); got != "done" {
		t.Fatalf("task history: %s", got)
	}
	if got := b.db.Scalar(t, `SELECT count(*)::text FROM goal_progress WHERE goal_id = $1 AND value = 1 AND date = '2026-11-25'`, goal.ID); got != "1" {
		t.Fatalf("goal progress rows: %s", got)
	}
	// done again: nothing changes
	b.db.As(t, b.anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		again, err := progress.CompleteTaskByID(ctx, tx, u, task.ID)
		if err == nil && (!again.AlreadyDone || again.Next != nil) {
			t.Errorf("completing twice: %+v", again)
		}
		return err
	})
	if got := b.db.Scalar(t, `SELECT count(*)::text FROM tasks WHERE recurrence IS NOT NULL`); got != "2" {
		t.Fatalf("recurring tasks after completing twice: %s, want 2", got)
	}
	// Boris can't complete Anna's task: not found, and nothing changes
	b.db.As(t, b.boris, func(ctx context.Context, tx core.Tx, u *core.User) error {
		if _, err := progress.CompleteTaskByID(ctx, tx, u, c.Next.ID); core.ErrorCode(err) != core.ENOTFOUND {
			t.Errorf("another user's task: %v, want ENOTFOUND", err)
		}
		if _, err := progress.CompleteTask(ctx, tx, u, *c.Next); core.ErrorCode(err) != core.ENOTFOUND {
			t.Errorf("another user's task, passed whole: %v, want ENOTFOUND", err)
		}
		return nil
	})
	if got := b.db.Scalar(t, `SELECT status::text FROM tasks WHERE id = $1`, c.Next.ID); got != "todo" {
		t.Fatalf("Anna's next task after Boris tried: %s", got)
	}
}

func TestLogProgressToValueAndTaskGoals(t *testing.T) {
	t.Parallel()
	b := setup(t)
	target := 1e6
	var revenue, launch core.Goal
	b.db.As(t, b.anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		var err error
		if revenue, err = progress.SaveGoal(ctx, tx, core.Goal{Title: "revenue", TargetValue: &target, Unit: "RUB", Category: "revenue"}, nil); err != nil {
			return err
		}
		launch, err = progress.SaveGoal(ctx, tx, core.Goal{Title: "launch"}, nil)
		return err
	})
	b.db.As(t, b.anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		r, err := progress.LogProgress(ctx, tx, u, revenue, 400_000, false)
		if err != nil || r.Goal.CurrentValue != 400_000 || r.Reached {
			t.Fatalf("set 400k: %+v %v", r, err)
		}
		if r, err = progress.LogProgress(ctx, tx, u, r.Goal, 600_000, true); err != nil || r.Goal.CurrentValue != 1e6 || !r.Reached || r.Goal.Status != core.GoalCompleted {
			t.Fatalf("+600k: %+v %v", r, err)
		}
		if _, err := progress.LogProgress(ctx, tx, u, launch, 3, true); err != nil {
			return err
		}
		for _, bad := range []float64{2e15, -2e15} {
			if _, err := progress.LogProgress(ctx, tx, u, launch, bad, false); core.ErrorCode(err) != core.EINVALID {
				t.Errorf("value %g: %v, want EINVALID", bad, err)
			}
		}
		return nil
	})
	if got := b.db.Scalar(t, `SELECT string_agg(value::text, ',' ORDER BY id) FROM goal_progress WHERE goal_id = $1`, revenue.ID); got != "400000,1000000" {
		t.Fatalf("revenue entries: %s", got)
	}
	if got := b.db.Scalar(t, `SELECT current_value::text || ' ' || status::text FROM goals WHERE id = $1`, launch.ID); got != "3 active" {
		t.Fatalf("task-based goal: %s", got)
	}
	b.db.As(t, b.boris, func(ctx context.Context, tx core.Tx, u *core.User) error {
		if _, err := progress.LogProgress(ctx, tx, u, launch, 100, false); core.ErrorCode(err) != core.ENOTFOUND {
			t.Errorf("progress on another user's goal: %v, want ENOTFOUND", err)
		}
		return nil
	})
	if got := b.db.Scalar(t, `SELECT current_value::text FROM goals WHERE id = $1`, launch.ID); got != "3" {
		t.Fatalf("Anna's goal after Boris logged on it: %s", got)
	}
}

func TestTeamGoalProgressByAnyMember(t *testing.T) {
	t.Parallel()
	b := setup(t)
	team := coretest.Team(t, b.db, "Growth", b.anna, b.boris)
	stranger := coretest.User(t, b.db, coretest.UserOpts{Name: "Vera"})
	target := 100.0
	var g core.Goal
	b.db.As(t, b.anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		var err error
		g, err = progress.SaveGoal(ctx, tx, core.Goal{Title: "100 clients", TargetValue: &target, TeamID: &team, Visibility: core.TeamVisible}, nil)
		return err
	})
	b.db.As(t, b.boris, func(ctx context.Context, tx core.Tx, u *core.User) error {
		found, err := tx.FindGoalByID(ctx, g.ID)
		if err != nil {
			return err
		}
		r, err := progress.LogProgress(ctx, tx, u, found, 5, true)
		if err != nil || r.Goal.CurrentValue != 5 {
			t.Fatalf("a member's +5: %+v %v", r, err)
		}
		return nil
	})
	err := b.db.TryAs(stranger, func(ctx context.Context, tx core.Tx, u *core.User) error {
		if _, err := tx.FindGoalByID(ctx, g.ID); core.ErrorCode(err) != core.ENOTFOUND {
			t.Errorf("a stranger finds the team goal: %v", err)
		}
		_, err := progress.LogProgress(ctx, tx, u, g, 50, false)
		return err
	})
	if code := core.ErrorCode(err); code != core.ENOTFOUND {
		t.Fatalf("a stranger's progress on a team goal: %v, want ENOTFOUND", err)
	}
	if got := b.db.Scalar(t, `SELECT current_value::text FROM goals WHERE id = $1`, g.ID); got != "5" {
		t.Fatalf("team goal: %s", got)
	}
}

func TestSaveGoalWithMilestones(t *testing.T) {
	t.Parallel()
	b := setup(t)
	target := 50.0
	var g core.Goal
	b.db.As(t, b.anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		var err error
		g, err = progress.SaveGoal(ctx, tx, core.Goal{Title: "50 clients", TargetValue: &target, EndDate: today.AddDays(60)},
			[]core.Milestone{{Title: "first 10", Deadline: today.AddDays(14)}, {Title: "25", Deadline: today.AddDays(30)}})
		if err != nil {
			return err
		}
		ms, err := tx.FindMilestones(ctx, g.ID)
		if err != nil || len(ms) != 2 || ms[0].Title != "first 10" || ms[0].Position != 1 || ms[1].Position != 2 || ms[1].Deadline != today.AddDays(30) {
			t.Errorf("milestones: %+v %v", ms, err)
		}
		if g.StartDate != today || g.Status != core.GoalActive || g.Tracking != core.TrackValue || g.Category != "other" {
			t.Errorf("defaults: %+v", g)
		}
		if _, err := progress.SaveGoal(ctx, tx, core.Goal{Title: " "}, nil); core.ErrorCode(err) != core.EINVALID {
			t.Errorf("a goal without a title: %v", err)
		}
		return nil
	})
	b.db.As(t, b.boris, func(ctx context.Context, tx core.Tx, u *core.User) error {
		if _, err := tx.FindGoalByID(ctx, g.ID); core.ErrorCode(err) != core.ENOTFOUND {
			t.Errorf("another user's private goal: %v, want ENOTFOUND", err)
		}
		if ms, err := tx.FindMilestones(ctx, g.ID); err != nil || len(ms) != 0 {
			t.Errorf("another user's milestones: %v %v", ms, err)
		}
		return nil
	})
	err := b.db.TryAs(b.boris, func(ctx context.Context, tx core.Tx, u *core.User) error {
		return tx.CreateMilestones(ctx, []core.Milestone{{GoalID: g.ID, Title: "forged"}})
	})
	if err == nil {
		t.Error("a milestone added to another user's goal")
	}
	if got := b.db.Scalar(t, `SELECT count(*)::text FROM milestones WHERE goal_id = $1`, g.ID); got != "2" {
		t.Fatalf("milestones after Boris tried: %s", got)
	}
}

func TestReflectAndPace(t *testing.T) {
	t.Parallel()
	b := setup(t)
	four, two, nine := 4, 2, 9
	b.db.As(t, b.anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		if err := progress.Reflect(ctx, tx, u, &four, &two, "long day"); err != nil {
			return err
		}
		if err := progress.Reflect(ctx, tx, u, &nine, nil, ""); core.ErrorCode(err) != core.EINVALID {
			t.Errorf("stress 9: %v", err)
		}
		return nil
	})
	if got := b.db.Scalar(t, `SELECT stress || ' ' || energy || ' ' || reflection_notes FROM daily_progress WHERE date = '2026-11-25'`); got != "4 2 long day" {
		t.Fatalf("reflection: %s", got)
	}
	target := 100.0
	g := core.Goal{TargetValue: &target, StartDate: today.AddDays(-50), EndDate: today.AddDays(50)}
	for v, want := range map[float64]progress.PaceKind{60: progress.PaceAhead, 45: progress.PaceClose, 10: progress.PaceBehind} {
		g.CurrentValue = v
		if p := progress.PaceOf(g, today); p.Kind != want || p.DaysLeft != 50 {
			t.Errorf("at %v: %+v, want %v", v, p, want)
		}
	}
	g.CurrentValue = 10
	if p := progress.PaceOf(g, today); p.NeedPerWeek != 13 { // 90 left over 50/7 weeks
		t.Errorf("need per week: %v", p.NeedPerWeek)
	}
	if p := progress.PaceOf(g, today.AddDays(60)); p.Kind != progress.PaceOverdue {
		t.Errorf("after the deadline: %+v", p)
	}
}

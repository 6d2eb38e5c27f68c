package load

import (
	"context"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
)

// DayOf sums what today's and overdue tasks ask of the user, with today's reflection, into the
// model's Day. Overdue tasks already done and cancelled tasks don't count.
func DayOf(tasks []core.Task, today core.Date, capacity int, r core.DailyProgress) Day {
	d := Day{CapacityMin: capacity}
	goals := map[uuid.UUID]bool{}
	for _, t := range tasks {
		overdue := t.ScheduledDate.Before(today)
		if overdue && !t.Open() || t.Status == core.TaskCancelled {
			continue
		}
		d.PlannedMin += t.Minutes()
		d.CognitiveMin += t.Minutes() * t.CognitiveLoad
		if t.Complexity == "hard" || t.Complexity == "extreme" {
			d.HardMin += t.Minutes()
		}
		if t.GoalID != nil {
			goals[*t.GoalID] = true
		}
		if t.Open() && t.Priority == 1 {
			d.UrgentTasks++
		}
		if overdue {
			d.OverdueTasks++
		}
	}
	d.Goals = len(goals)
	if r.Stress != nil {
		d.Stress = *r.Stress
	}
	if r.Energy != nil {
		d.Energy = *r.Energy
	}
	return d
}

// Today reads the user's day (today's and overdue tasks, today's reflection) and scores it. It
// writes nothing; Snapshot also records the figure.
func Today(ctx context.Context, tx core.Tx, u *core.User) (Score, Day, []core.Task, error) {
	tr, busy, err := TrendAndBusy(ctx, tx, u, core.Today(tx, u))
	if err != nil {
		return Score{}, Day{}, nil, err
	}
	return scoreToday(ctx, tx, u, tr, busy)
}

// scoreToday is Today with the trend and the calendar's busy minutes already read.
func scoreToday(ctx context.Context, tx core.Tx, u *core.User, tr Trend, busy int) (Score, Day, []core.Task, error) {
	day := core.Today(tx, u)
	tasks, err := tx.FindTasks(ctx, core.TaskFilter{From: day, To: day, Overdue: true})
	if err != nil {
		return Score{}, Day{}, nil, err
	}
	r, err := tx.Reflection(ctx, day)
	if err != nil {
		return Score{}, Day{}, nil, err
	}
	d := DayOf(tasks, day, u.Settings.Capacity(), r)
	d.Trend, d.BusyMin = tr, busy
	return Compute(d), d, tasks, nil
}

// TrendFor reads the Window days before day and returns their trend.
func TrendFor(ctx context.Context, tx core.Tx, u *core.User, day core.Date) (Trend, error) {
	tr, _, err := TrendAndBusy(ctx, tx, u, day)
	return tr, err
}

// TrendAndBusy is TrendFor and the minutes the calendar holds on day, from one read of the
// history through day (the trend ignores the day itself).
func TrendAndBusy(ctx context.Context, tx core.Tx, u *core.User, day core.Date) (Trend, int, error) {
	h, err := tx.WorkHistory(ctx, day.AddDays(-Window), day)
	if err != nil {
		return Trend{}, 0, err
	}
	return TrendOf(h, day, u.Settings.Capacity()), busyOn(h, day), nil
}

// busyOn is the calendar's minutes on day in a history.
func busyOn(h []core.DayWork, day core.Date) int {
	for _, w := range h {
		if w.Date == day {
			return w.BusyMin
		}
	}
	return 0
}

// Past scores a day from its history (ScoreDay), as the nightly snapshot scores it: one query.
func Past(ctx context.Context, tx core.Tx, u *core.User, day core.Date) (Score, error) {
	h, err := tx.WorkHistory(ctx, day.AddDays(-Window), day)
	if err != nil {
		return Score{}, err
	}
	return ScoreDay(h, day, u.Settings.Capacity()), nil
}

// Record stores Past's figure as the day's Business Load: the explicit operation behind the
// day-end job (looking at the load never stores it). The write rides on the commit.
func Record(ctx context.Context, tx core.Tx, u *core.User, day core.Date) (Score, error) {
	s, err := Past(ctx, tx, u, day)
	if err != nil {
		return s, err
	}
	return s, tx.SaveLoad(ctx, day, s.Value)
}

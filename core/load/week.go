package load

import (
	"context"

	"github.com/bizconnect/bizconnect/core"
)

// DayLoad is one day's figure in a week's view.
type DayLoad struct {
	Date      core.Date
	Score     Score
	Past      bool // from what the day held (the history)
	Projected bool // from the tasks planned for it, with the trend walked forward to it
}

// Week is the load of the seven days from monday (Range).
func Week(ctx context.Context, tx core.Tx, u *core.User, monday core.Date) ([7]DayLoad, error) {
	var out [7]DayLoad
	days, err := Range(ctx, tx, u, monday, monday.AddDays(6))
	copy(out[:], days)
	return out, err
}

// MaxRange bounds the days Range scores at once.
const MaxRange = 62

// Range is the load of the days from from to to (at most MaxRange): the days before today from
// their history (as the trend reads them), today as Today scores it, and the days ahead
// projected from the tasks already planned for them, the trend walked forward day by day (as
// TrainingPeaks projects fitness from planned workouts). A few queries, whatever the range: no
// query per day.
func Range(ctx context.Context, tx core.Tx, u *core.User, from, to core.Date) ([]DayLoad, error) {
	if to.Before(from) || from.DaysUntil(to) >= MaxRange {
		return nil, core.Errorf(core.EINVALID, "a load range is 1 to %d days", MaxRange)
	}
	today := core.Today(tx, u)
	capacity := u.Settings.Capacity()
	first := today
	if from.Before(today) {
		first = from
	}
	history, err := tx.WorkHistory(ctx, first.AddDays(-Window), today) // today's row: its busy minutes (no past score reads it)
	if err != nil {
		return nil, err
	}
	var todayScore Score
	if !to.Before(today) {
		if todayScore, _, _, err = scoreToday(ctx, tx, u, TrendOf(history, today, capacity), busyOn(history, today)); err != nil { // the history read once
			return nil, err
		}
	}
	var ahead []core.Task
	var busy map[core.Date]int // the calendar's meetings of the days ahead
	if to.After(today) {
		if ahead, err = tx.FindTasks(ctx, core.TaskFilter{OpenOnly: true, From: today.AddDays(1), To: to}); err != nil {
			return nil, err
		}
		if busy, err = tx.BusyMinutes(ctx, today.AddDays(1), to); err != nil {
			return nil, err
		}
	}
	tr := todayScore.Day.Trend.Next(DayStrain(todayScore.Day), capacity) // the trend as tomorrow starts
	next := today.AddDays(1)
	out := make([]DayLoad, from.DaysUntil(to)+1)
	for i := range out {
		day := from.AddDays(i)
		out[i].Date = day
		switch {
		case day.Before(today):
			out[i].Score, out[i].Past = ScoreDay(history, day, capacity), true
		case day == today:
			out[i].Score = todayScore
		default:
			for ; !next.After(day); next = next.AddDays(1) { // walk the trend through the days ahead
				d := DayOf(onDate(ahead, next), next, capacity, core.DailyProgress{})
				d.Trend, d.BusyMin = tr, busy[next]
				if next == day {
					out[i].Score, out[i].Projected = Compute(d), true
				}
				tr = tr.Next(DayStrain(d), capacity)
			}
		}
	}
	return out, nil
}

func onDate(tasks []core.Task, day core.Date) []core.Task {
	var out []core.Task
	for _, t := range tasks {
		if t.ScheduledDate == day {
			out = append(out, t)
		}
	}
	return out
}

// MaxHistory bounds the days History scores at once: a year and a day.
const MaxHistory = 366

// History is the load of the past days from from to to (before today, at most MaxHistory), each
// scored from its history as the nightly snapshot scores it (ScoreDay), from one read.
func History(ctx context.Context, tx core.Tx, u *core.User, from, to core.Date) ([]DayLoad, error) {
	if to.Before(from) || from.DaysUntil(to) >= MaxHistory {
		return nil, core.Errorf(core.EINVALID, "a load history is 1 to %d days", MaxHistory)
	}
	if !to.Before(core.Today(tx, u)) {
		return nil, core.Errorf(core.EINVALID, "a load history ends before today")
	}
	history, err := tx.WorkHistory(ctx, from.AddDays(-Window), to)
	if err != nil {
		return nil, err
	}
	out := make([]DayLoad, from.DaysUntil(to)+1)
	for i := range out {
		day := from.AddDays(i)
		out[i] = DayLoad{Date: day, Past: true, Score: ScoreDay(history, day, u.Settings.Capacity())}
	}
	return out, nil
}

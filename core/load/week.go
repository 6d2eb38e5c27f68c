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

// Week is the load of the seven days from monday: the days before today from their history (as
// the trend reads them), today as Today scores it, and the days ahead projected from the tasks
// already planned for them, the trend walked forward day by day (as TrainingPeaks projects
// fitness from planned workouts). A few queries, whatever the week: no query per day.
func Week(ctx context.Context, tx core.Tx, u *core.User, monday core.Date) ([7]DayLoad, error) {
	var out [7]DayLoad
	today := core.Today(tx, u)
	capacity := u.Settings.Capacity()
	from := today
	if monday.Before(today) {
		from = monday
	}
	history, err := tx.WorkHistory(ctx, from.AddDays(-Window), today.AddDays(-1))
	if err != nil {
		return out, err
	}
	todayScore, _, _, err := scoreToday(ctx, tx, u, TrendOf(history, today, capacity)) // the history read once
	if err != nil {
		return out, err
	}
	var ahead []core.Task
	if end := monday.AddDays(6); end.After(today) {
		if ahead, err = tx.FindTasks(ctx, core.TaskFilter{OpenOnly: true, From: today.AddDays(1), To: end}); err != nil {
			return out, err
		}
	}
	tr := todayScore.Day.Trend.Next(DayStrain(todayScore.Day), capacity) // the trend as tomorrow starts
	next := today.AddDays(1)
	for i := range out {
		day := monday.AddDays(i)
		out[i].Date = day
		switch {
		case day.Before(today):
			out[i].Score, out[i].Past = ScoreDay(history, day, capacity), true
		case day == today:
			out[i].Score = todayScore
		default:
			for ; !next.After(day); next = next.AddDays(1) { // walk the trend through the days ahead
				d := DayOf(onDate(ahead, next), next, capacity, core.DailyProgress{})
				d.Trend = tr
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

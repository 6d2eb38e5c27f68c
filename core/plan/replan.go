package plan

import (
	"context"

	"github.com/bizconnect/bizconnect/core"
)

// Move is a task and the day replanning moves it to.
type Move struct {
	Task core.Task
	To   core.Date
}

// Replan fits prioritized open tasks into days from today to horizon without exceeding capacity
// minutes a day. Overdue tasks come to today or later; a task keeps its day when it fits there;
// tasks with a fixed time never move (they count against their day). What fits nowhere stays.
func Replan(tasks []core.Task, today, horizon core.Date, capacity int) []Move {
	used := map[core.Date]int{}
	for _, t := range tasks {
		if t.ScheduledTime != nil && !t.ScheduledDate.Before(today) {
			used[t.ScheduledDate] += t.Minutes()
		}
	}
	var moves []Move
	for _, t := range tasks {
		if !t.Open() || (t.ScheduledTime != nil && !t.ScheduledDate.Before(today)) {
			continue
		}
		day := t.ScheduledDate
		if day.IsZero() || day.Before(today) {
			day = today
		}
		for !day.After(horizon) && used[day]+t.Minutes() > capacity && used[day] > 0 {
			day = day.AddDays(1)
		}
		if day.After(horizon) {
			continue
		}
		used[day] += t.Minutes()
		if day != t.ScheduledDate {
			moves = append(moves, Move{Task: t, To: day})
		}
	}
	return moves
}

// ReplanHorizon is how far ahead replanning may move work: two weeks.
const ReplanHorizon = 13

// ApplyReplan moves the user's open work that no longer fits (overdue tasks, days over capacity)
// onto the coming two weeks in priority order, and returns the moves it made.
func ApplyReplan(ctx context.Context, tx core.Tx, u *core.User) ([]Move, error) {
	today := core.Today(tx, u)
	horizon := today.AddDays(ReplanHorizon)
	tasks, err := tx.FindTasks(ctx, core.TaskFilter{OpenOnly: true, From: today, To: horizon, Overdue: true})
	if err != nil {
		return nil, err
	}
	goals, err := tx.FindGoals(ctx, core.GoalFilter{Status: core.GoalActive})
	if err != nil {
		return nil, err
	}
	moves := Replan(Prioritize(tasks, goals, today), today, horizon, u.Settings.Capacity())
	for _, m := range moves {
		d := m.To
		if _, err := tx.UpdateTask(ctx, m.Task.ID, core.TaskUpdate{ScheduledDate: &d}); err != nil {
			return nil, err
		}
	}
	return moves, nil
}

package plan

import (
	"testing"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/load"
)

var today = core.Date{Year: 2026, Month: 11, Day: 25} // a Wednesday

func TestPrioritize(t *testing.T) {
	goal := core.Goal{ID: uuid.New(), Status: core.GoalActive, EndDate: today.AddDays(10)}
	ptr := func(id uuid.UUID) *uuid.UUID { return &id }
	tasks := []core.Task{
		{Title: "low", Priority: 4, ScheduledDate: today, Status: core.TaskTodo, CognitiveLoad: 5},
		{Title: "done", Priority: 1, ScheduledDate: today, Status: core.TaskDone, CognitiveLoad: 5},
		{Title: "normal easy", Priority: 3, ScheduledDate: today, Status: core.TaskTodo, CognitiveLoad: 2},
		{Title: "normal hard", Priority: 3, ScheduledDate: today, Status: core.TaskTodo, CognitiveLoad: 8},
		{Title: "normal for goal", Priority: 3, ScheduledDate: today, Status: core.TaskTodo, CognitiveLoad: 1, GoalID: ptr(goal.ID)},
		{Title: "urgent", Priority: 1, ScheduledDate: today, Status: core.TaskTodo, CognitiveLoad: 5},
		{Title: "overdue", Priority: 4, ScheduledDate: today.AddDays(-2), Status: core.TaskTodo, CognitiveLoad: 5},
	}
	want := []string{"overdue", "urgent", "normal for goal", "normal hard", "normal easy", "low", "done"}
	got := Prioritize(tasks, []core.Goal{goal}, today)
	for i := range want {
		if got[i].Title != want[i] {
			t.Fatalf("order = %v, want %v", titles(got), want)
		}
	}
	if tasks[0].Title != "low" {
		t.Fatal("Prioritize modified its input")
	}
}

func titles(ts []core.Task) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Title)
	}
	return out
}

// TestRebalanceFitsCapacity: overdue work comes back to today, ahead of what fits after it; a
// task with a fixed time never moves; a task that fits its day keeps it; one longer than a day
// stays where it is rather than overfilling another day.
func TestRebalanceFitsCapacity(t *testing.T) {
	est := func(m int) *int { return &m }
	nine := core.NewClockTime(9, 0)
	tasks := []core.Task{
		{ID: uuid.New(), Title: "overdue", ScheduledDate: today.AddDays(-1), Status: core.TaskTodo, EstimatedMin: est(120), Priority: 3},
		{ID: uuid.New(), Title: "fixed", ScheduledDate: today, ScheduledTime: &nine, Status: core.TaskTodo, EstimatedMin: est(120), Priority: 3},
		{ID: uuid.New(), Title: "a", ScheduledDate: today, Status: core.TaskTodo, EstimatedMin: est(120), Priority: 3},
		{ID: uuid.New(), Title: "b", ScheduledDate: today, Status: core.TaskTodo, EstimatedMin: est(120), Priority: 4},
		{ID: uuid.New(), Title: "huge", ScheduledDate: today, Status: core.TaskTodo, EstimatedMin: est(600), Priority: 3},
	}
	r := Rebalance(tasks, nil, today, core.Settings{DailyCapacityMin: 360}, core.DailyProgress{}, load.Trend{}, nil)
	got := map[string]core.Date{}
	for _, m := range r.Moves {
		got[m.Task.Title] = m.To
	}
	if got["overdue"] != today || got["b"] != today.AddDays(1) || len(got) != 2 {
		t.Fatalf("moves = %v", got)
	}
	if _, moved := got["huge"]; moved {
		t.Fatalf("a task longer than a day moved to %s", got["huge"])
	}
}

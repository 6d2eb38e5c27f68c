package plan

import (
	"math/rand/v2"
	"testing"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/load"
)

func task(title string, day core.Date, minutes, prio, cog int) core.Task {
	return core.Task{ID: uuid.New(), Title: title, ScheduledDate: day, EstimatedMin: &minutes, Priority: prio, CognitiveLoad: cog, Status: core.TaskTodo}
}

// TestRebalanceMovesAMissedWeek: a week of missed tasks comes back onto today and the next
// working days, within capacity, and today's load leaves the overload band.
func TestRebalanceMovesAMissedWeek(t *testing.T) {
	var tasks []core.Task
	for d := 1; d <= 5; d++ {
		for i := range 2 {
			tasks = append(tasks, task("missed", today.AddDays(-d), 90, 3, 5+i))
		}
	}
	r := Rebalance(tasks, nil, today, core.Settings{}, core.DailyProgress{}, load.Trend{}, nil)
	if len(r.Moves) != len(tasks) || len(r.AtRisk) != 0 || r.Stuck {
		t.Fatalf("%d moves of %d missed tasks, %d at risk, stuck %v", len(r.Moves), len(tasks), len(r.AtRisk), r.Stuck)
	}
	if r.Before.Zone != load.Overload || r.After.Zone == load.Overload {
		t.Errorf("today's load %d → %d", r.Before.Value, r.After.Value)
	}
	perDay := map[core.Date]int{}
	for _, m := range r.Moves {
		if m.To.Before(today) || m.To.Weekday() == 0 || m.To.Weekday() == 6 {
			t.Errorf("moved to %s", m.To)
		}
		perDay[m.To] += m.Task.Minutes()
	}
	for d, min := range perDay {
		if min > core.DefaultCapacityMin {
			t.Errorf("%s gets %d min, over the capacity", d, min)
		}
	}
}

// TestRebalanceRelievesAnyOverloadedDay: over random days, a day in the overload band always gets
// a proposal out of it, or an honest "stuck" when only fixed or urgent work is left; fixed-time
// work never moves and urgent work never moves past its day.
func TestRebalanceRelievesAnyOverloadedDay(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	nine := core.NewClockTime(9, 0)
	relieved, stuck := 0, 0
	for range 500 {
		var tasks []core.Task
		for i := range 2 + rng.IntN(12) {
			day := today
			if rng.IntN(4) == 0 {
				day = today.AddDays(-1 - rng.IntN(5))
			}
			tk := task("t", day, 15+rng.IntN(180), 1+rng.IntN(4), 1+rng.IntN(10))
			if i%5 == 0 && !day.Before(today) {
				tk.ScheduledTime = &nine
			}
			tasks = append(tasks, tk)
		}
		var refl core.DailyProgress
		if rng.IntN(2) == 0 {
			stress := 1 + rng.IntN(5)
			refl.Stress = &stress
		}
		r := Rebalance(tasks, nil, today, core.Settings{}, refl, load.Trend{}, nil)
		if r.Before.Zone == load.Overload && r.After.Zone == load.Overload && !r.Stuck {
			t.Fatalf("overloaded (%d → %d) and neither relieved nor stuck", r.Before.Value, r.After.Value)
		}
		if r.Before.Zone == load.Overload && !r.Stuck {
			relieved++
		}
		if r.Stuck {
			stuck++
		}
		moved := map[uuid.UUID]core.Date{}
		for _, m := range r.Moves {
			moved[m.Task.ID] = m.To
		}
		for _, tk := range tasks {
			to, ok := moved[tk.ID]
			switch {
			case ok && tk.ScheduledTime != nil:
				t.Fatalf("a fixed-time task moved to %s", to)
			case ok && tk.Priority == 1 && to.After(today) && to.After(tk.ScheduledDate):
				t.Fatalf("an urgent task of %s moved past its day to %s", tk.ScheduledDate, to)
			}
		}
		if r.Stuck {
			for _, tk := range tasks {
				_, ok := moved[tk.ID]
				day := tk.ScheduledDate
				if !ok && !day.After(today) && tk.ScheduledTime == nil && tk.Priority != 1 && !contains(r.AtRisk, tk) {
					t.Fatalf("stuck with a movable task left on today: %+v", tk)
				}
			}
		}
	}
	if relieved < 50 || stuck < 5 {
		t.Fatalf("the random days gave %d relieved and %d stuck: the test needs both", relieved, stuck)
	}
}

func contains(ts []core.Task, t core.Task) bool {
	for _, u := range ts {
		if u.ID == t.ID {
			return true
		}
	}
	return false
}

func TestRebalanceLeavesAnEasyWeekAlone(t *testing.T) {
	tasks := []core.Task{task("a", today, 60, 3, 5), task("b", today.AddDays(1), 60, 3, 5)}
	if r := Rebalance(tasks, nil, today, core.Settings{}, core.DailyProgress{}, load.Trend{}, nil); len(r.Moves) != 0 || r.After != r.Before {
		t.Fatalf("an easy week rebalanced: %+v", r)
	}
}

func BenchmarkRebalance500OpenTasks(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	tasks := make([]core.Task, 500)
	for i := range tasks {
		tasks[i] = task("t", today.AddDays(rng.IntN(20)-6), 15+rng.IntN(120), 1+rng.IntN(4), 1+rng.IntN(10))
	}
	b.ReportAllocs()
	for b.Loop() {
		Rebalance(tasks, nil, today, core.Settings{}, core.DailyProgress{}, load.Trend{}, nil)
	}
}

// TestRebalanceKeepsWhatFitsItsDay: relieving an overfull day moves its overflow only; the next
// days' own work, which fits them, stays, and so does work the user put on a weekend.
func TestRebalanceKeepsWhatFitsItsDay(t *testing.T) {
	var tasks []core.Task
	for range 6 {
		tasks = append(tasks, task("today", today, 90, 3, 3))
	}
	for _, d := range []int{1, 2, 5, 6} { // Thu, Fri, Mon, Tue: full, not over
		for range 6 {
			tasks = append(tasks, task("later", today.AddDays(d), 60, 3, 3))
		}
	}
	tasks = append(tasks, task("saturday", today.AddDays(3), 60, 3, 3))
	r := Rebalance(tasks, nil, today, core.Settings{}, core.DailyProgress{}, load.Trend{}, nil)
	if len(r.Moves) != 2 {
		t.Fatalf("%d moves, want the 2 of today's overflow", len(r.Moves))
	}
	for _, m := range r.Moves {
		if m.Task.Title != "today" || m.To != today.AddDays(7) {
			t.Errorf("moved %q from %s to %s", m.Task.Title, m.Task.ScheduledDate, m.To)
		}
	}
}

// TestRebalanceCountsTheWeeksBehind: the trend is part of the figure relieved, before and after;
// when the weeks behind alone keep today overloaded, the proposal is stuck with today's own part
// already out of the band.
func TestRebalanceCountsTheWeeksBehind(t *testing.T) {
	var tasks []core.Task
	for i := range 4 {
		tasks = append(tasks, task("work", today, 90, 3, 5+i))
	}
	heavy := load.Trend{RatioPoints: 20, RestPoints: 10, Ratio: 2, DaysSinceRest: 12}
	calm := Rebalance(tasks, nil, today, core.Settings{}, core.DailyProgress{}, load.Trend{}, nil)
	r := Rebalance(tasks, nil, today, core.Settings{}, core.DailyProgress{}, heavy, nil)
	if r.Before.Value != min(100, calm.Before.Value+30) {
		t.Fatalf("before: %d with the trend, %d without", r.Before.Value, calm.Before.Value)
	}
	if r.Before.Zone == load.Overload && !r.Stuck && r.After.Zone == load.Overload {
		t.Fatalf("overloaded by the trend and neither relieved nor stuck: %+v", r)
	}
	if r.Stuck && float64(r.After.Value)-r.After.Trend >= 80 {
		t.Errorf("stuck with today's own part still overloaded: %d (trend %v)", r.After.Value, r.After.Trend)
	}
}

// TestRebalanceKeepsMeetingsTheirTime: a day of meetings is overloaded by work that would fit
// an empty one, and its work moves to days the calendar leaves room on, never onto a day full
// of meetings.
func TestRebalanceKeepsMeetingsTheirTime(t *testing.T) {
	day := today
	for day.Weekday() != 1 {
		day = day.AddDays(1)
	}
	tasks := []core.Task{task("proposal", day, 120, 3, 6), task("review", day, 90, 3, 5), task("emails", day, 60, 3, 3)}
	meetings := map[core.Date]int{day: 300, day.AddDays(1): 360} // Monday 5 h of meetings, Tuesday full
	if r := Rebalance(tasks, nil, day, core.Settings{}, core.DailyProgress{}, load.Trend{}, nil); len(r.Moves) != 0 {
		t.Fatalf("without meetings 4.5 h fit a 6 h day: %d moves", len(r.Moves))
	}
	r := Rebalance(tasks, nil, day, core.Settings{}, core.DailyProgress{}, load.Trend{}, meetings)
	if len(r.Moves) == 0 || r.Before.Value <= r.After.Value {
		t.Fatalf("a day of meetings: %d moves, load %d → %d", len(r.Moves), r.Before.Value, r.After.Value)
	}
	left := 270
	for _, m := range r.Moves {
		if m.To == day.AddDays(1) {
			t.Errorf("%q moved onto a day full of meetings", m.Task.Title)
		}
		left -= m.Task.Minutes()
	}
	if left > 60 {
		t.Errorf("%d min of work left on a day with 60 free", left)
	}
}

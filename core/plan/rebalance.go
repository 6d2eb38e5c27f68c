package plan

import (
	"context"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/load"
)

// Rebalancing is a proposed new schedule for the coming two weeks: what moves where, what can't
// make its deadline, and today's Business Load before and after. Nothing changes until the
// caller makes the moves (the chat does, on Apply, each task only if it is still where it was).
type Rebalancing struct {
	Moves []Move
	// AtRisk are the tasks that fit nowhere before their deadline: they stay where they are, and
	// the user decides (drop, delegate or move the deadline).
	AtRisk []core.Task
	// Stuck says today stays overloaded with everything movable moved: what is left is fixed-time
	// work or urgent work due today.
	Stuck         bool
	Before, After load.Score // today's load, computed as load.Today computes it
}

// Rebalance proposes a schedule for the open work from overdue to two weeks ahead (tasks: today's
// and the coming days', done ones included, and overdue ones) within the user's daily capacity
// less each day's meetings (minutes by day from the calendar).
// Fixed-time work never moves; urgent work (priority 1) and goal work keep their deadline (today
// for overdue urgent work, the goal's end); a task keeps its day when it fits there. Today is
// relieved until its Business Load — the same figure the load view shows — is out of the
// overload band, or nothing movable is left on it (Stuck).
func Rebalance(tasks []core.Task, goals []core.Goal, today core.Date, s core.Settings, r core.DailyProgress, tr load.Trend, meetings map[core.Date]int) Rebalancing {
	capacity := s.Capacity()
	horizon := today.AddDays(ReplanHorizon)
	ends := map[uuid.UUID]core.Date{}
	for _, g := range goals {
		if !g.EndDate.IsZero() {
			ends[g.ID] = g.EndDate
		}
	}
	var open []core.Task
	for _, t := range Prioritize(tasks, goals, today) {
		if t.Open() {
			open = append(open, t)
		}
	}
	score := func(moved map[uuid.UUID]core.Date) load.Score {
		d := load.DayOf(onDay(tasks, today, moved), today, capacity, r)
		d.Trend, d.BusyMin = tr, meetings[today]
		return load.Compute(d)
	}
	out := Rebalancing{Before: score(nil)}
	if out.Before.Zone != load.Overload && !anyOverdue(open, today) && !overCapacity(open, today, horizon, s, meetings) {
		out.After = out.Before
		return out // nothing to relieve
	}
	budget := Calendar{Capacity: capacity}.budget()
	for limit := s.FreeMinutes(meetings[today]); ; limit -= max(capacity/6, 1) { // still overloaded: take more off today
		moved, risky := rebalanceOnce(open, ends, today, horizon, s, limit, budget, meetings)
		after := score(moved)
		if after.Zone == load.Overload && limit > 0 {
			continue
		}
		out.After, out.Stuck = after, after.Zone == load.Overload
		for k, t := range open {
			if at, ok := moved[t.ID]; ok {
				out.Moves = append(out.Moves, Move{Task: t, To: at})
			}
			if risky[k] {
				out.AtRisk = append(out.AtRisk, t)
			}
		}
		return out
	}
}

// rebalanceOnce places the open work with today taking at most limit minutes: fixed-time work
// stays; then each task keeps its own day (overdue work: today), in priority order, while that
// day has room (a day off the user put work on included); the rest is placed from its day on.
// What fits nowhere stays where it was, counted there, and is at risk when it is overdue or past
// its deadline. It returns the tasks moved and, by index, those at risk.
func rebalanceOnce(open []core.Task, ends map[uuid.UUID]core.Date, today, horizon core.Date, s core.Settings, limit, budget int,
	meetings map[core.Date]int) (map[uuid.UUID]core.Date, map[int]bool) {
	capacity := s.Capacity()
	room := func(d core.Date) int {
		if d == today {
			return limit
		}
		return s.FreeMinutes(meetings[d])
	}
	usedMin, usedLoad := map[core.Date]int{}, map[core.Date]int{}
	items := make([]Item, 0, len(open))
	for k, t := range open {
		it := Item{Key: k, Minutes: t.Minutes(), Load: t.CognitiveLoad, Priority: t.Priority, Earliest: t.ScheduledDate}
		if it.Earliest.IsZero() || it.Earliest.Before(today) {
			it.Earliest = today // overdue work is today's
		}
		switch {
		case t.ScheduledTime != nil && !t.ScheduledDate.Before(today):
			it.Fixed, it.Day = true, t.ScheduledDate
			usedMin[it.Day] += it.minutes()
			usedLoad[it.Day] += it.load()
		case t.Priority == 1:
			it.Deadline = it.Earliest
		case t.GoalID != nil:
			it.Deadline = ends[*t.GoalID]
		}
		items = append(items, it)
	}
	for k := range items { // in priority order, each keeps its own day (overdue work: today) while it has room
		it := &items[k]
		if d := it.Earliest; !it.Fixed && !d.After(horizon) && usedMin[d]+it.minutes() <= room(d) && (usedLoad[d]+it.load() <= budget || usedMin[d] == 0) {
			usedMin[d] += it.minutes()
			usedLoad[d] += it.load()
			it.Fixed, it.Day = true, d
		}
	}
	cal := Calendar{Start: today, End: horizon, Capacity: capacity, WorkingDays: s.WorkingDays, Limits: map[core.Date]int{}}
	for d, m := range meetings {
		cal.Limits[d] = s.FreeMinutes(m)
	}
	cal.Limits[today] = max(limit, 0)
	sched := Place(items, cal)
	risky := map[int]bool{}
	flag := func() {
		for _, k := range append(append([]int{}, sched.Late...), sched.Unplaced...) {
			risky[k] = true
		}
	}
	if flag(); len(risky) > 0 { // what can't move stays on its day and takes its room there: place the rest again
		for k := range risky {
			if d := open[k].ScheduledDate; !d.Before(today) && !d.IsZero() {
				items[k].Fixed, items[k].Day = true, d
			}
		}
		sched = Place(items, cal)
		flag()
	}
	moved := map[uuid.UUID]core.Date{}
	atRisk := map[int]bool{}
	for k, t := range open {
		at, ok := sched.At[k]
		switch {
		case risky[k]:
			if d := t.ScheduledDate; d.Before(today) || !items[k].Deadline.IsZero() && d.After(items[k].Deadline) {
				atRisk[k] = true // overdue, or past its deadline, with no room before it
			}
		case ok && at != t.ScheduledDate:
			moved[t.ID] = at
		}
	}
	return moved, atRisk
}

// onDay are the tasks that count toward day's load, as load.Today reads them, once the moves are
// made: those scheduled on it (done or not) and the overdue ones.
func onDay(tasks []core.Task, day core.Date, moved map[uuid.UUID]core.Date) []core.Task {
	var out []core.Task
	for _, t := range tasks {
		if at, ok := moved[t.ID]; ok {
			t.ScheduledDate = at
		}
		if t.ScheduledDate == day || t.ScheduledDate.Before(day) && !t.ScheduledDate.IsZero() {
			out = append(out, t)
		}
	}
	return out
}

func anyOverdue(open []core.Task, today core.Date) bool {
	for _, t := range open {
		if !t.ScheduledDate.IsZero() && t.ScheduledDate.Before(today) {
			return true
		}
	}
	return false
}

// overCapacity reports whether a day up to horizon holds more open work than the capacity its
// meetings leave.
func overCapacity(open []core.Task, today, horizon core.Date, s core.Settings, meetings map[core.Date]int) bool {
	used := map[core.Date]int{}
	for _, t := range open {
		if !t.ScheduledDate.Before(today) && !t.ScheduledDate.After(horizon) {
			used[t.ScheduledDate] += t.Minutes()
			if used[t.ScheduledDate] > s.FreeMinutes(meetings[t.ScheduledDate]) {
				return true
			}
		}
	}
	return false
}

// ProposeRebalance reads the user's open work and today's reflection and proposes a schedule
// (Rebalance). It writes nothing.
func ProposeRebalance(ctx context.Context, tx core.Tx, u *core.User) (Rebalancing, error) {
	today := core.Today(tx, u)
	tasks, err := tx.FindTasks(ctx, core.TaskFilter{From: today, To: today.AddDays(ReplanHorizon), Overdue: true})
	if err != nil {
		return Rebalancing{}, err
	}
	goals, err := tx.FindGoals(ctx, core.GoalFilter{Status: core.GoalActive})
	if err != nil {
		return Rebalancing{}, err
	}
	r, err := tx.Reflection(ctx, today)
	if err != nil {
		return Rebalancing{}, err
	}
	tr, err := load.TrendFor(ctx, tx, u, today)
	if err != nil {
		return Rebalancing{}, err
	}
	meetings, err := tx.BusyMinutes(ctx, today, today.AddDays(ReplanHorizon))
	if err != nil {
		return Rebalancing{}, err
	}
	return Rebalance(tasks, goals, today, u.Settings, r, tr, meetings), nil
}

// Move is a task and the day replanning moves it to.
type Move struct {
	Task core.Task
	To   core.Date
}

// ReplanHorizon is how far ahead replanning may move work: two weeks.
const ReplanHorizon = 13

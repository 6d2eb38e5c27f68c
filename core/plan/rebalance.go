package plan

import (
	"context"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/load"
)

// Rebalancing is a proposed new schedule for the coming two weeks: what moves where, what can't
// make its deadline, and today's Business Load before and after. Nothing changes until it is
// applied (ApplyMoves).
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
// and the coming days', done ones included, and overdue ones) within the user's daily capacity.
// Fixed-time work never moves; urgent work (priority 1) and goal work keep their deadline (today
// for overdue urgent work, the goal's end); a task keeps its day when it fits there. Today is
// relieved until its Business Load — the same figure the load view shows — is out of the
// overload band, or nothing movable is left on it (Stuck).
func Rebalance(tasks []core.Task, goals []core.Goal, today core.Date, s core.Settings, r core.DailyProgress) Rebalancing {
	capacity := s.Capacity()
	horizon := today.AddDays(ReplanHorizon)
	ends := map[uuid.UUID]core.Date{}
	for _, g := range goals {
		if !g.EndDate.IsZero() {
			ends[g.ID] = g.EndDate
		}
	}
	var items []Item
	var open []core.Task
	for _, t := range Prioritize(tasks, goals, today) {
		if !t.Open() {
			continue
		}
		k := len(open)
		open = append(open, t)
		day := t.ScheduledDate
		if day.IsZero() || day.Before(today) {
			day = today
		}
		it := Item{Key: k, Minutes: t.Minutes(), Load: t.CognitiveLoad, Priority: t.Priority, Earliest: day}
		switch {
		case t.ScheduledTime != nil && !t.ScheduledDate.Before(today):
			it.Fixed, it.Day = true, t.ScheduledDate
		case t.Priority == 1:
			it.Deadline = day
		case t.GoalID != nil && !ends[*t.GoalID].IsZero():
			it.Deadline = ends[*t.GoalID]
		}
		items = append(items, it)
	}
	out := Rebalancing{Before: load.Compute(load.DayOf(onDay(tasks, today, nil), today, capacity, r))}
	if out.Before.Zone != load.Overload && !anyOverdue(open, today) && !overCapacity(open, today, horizon, capacity) {
		out.After = out.Before
		return out // nothing to relieve
	}
	limit := capacity
	for {
		cal := Calendar{Start: today, End: horizon, Capacity: capacity, WorkingDays: s.WorkingDays, Limits: map[core.Date]int{today: limit}}
		sched := Place(items, cal)
		moved := map[uuid.UUID]core.Date{}
		risky := map[int]bool{}
		for _, k := range append(append([]int{}, sched.Late...), sched.Unplaced...) {
			risky[k] = true
		}
		for k, t := range open {
			if at, ok := sched.At[k]; ok && !risky[k] && at != t.ScheduledDate {
				moved[t.ID] = at
			}
		}
		after := load.Compute(load.DayOf(onDay(tasks, today, moved), today, capacity, r))
		if after.Zone != load.Overload || limit <= 0 {
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
		limit -= max(capacity/6, 1) // still overloaded: take more off today
	}
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

// overCapacity reports whether a day up to horizon holds more open work than capacity.
func overCapacity(open []core.Task, today, horizon core.Date, capacity int) bool {
	used := map[core.Date]int{}
	for _, t := range open {
		if !t.ScheduledDate.Before(today) && !t.ScheduledDate.After(horizon) {
			used[t.ScheduledDate] += t.Minutes()
			if used[t.ScheduledDate] > capacity {
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
	return Rebalance(tasks, goals, today, u.Settings, r), nil
}

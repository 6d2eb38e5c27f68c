// Package plan puts work on the calendar: it orders tasks, schedules new ones, moves them,
// spreads work that no longer fits over the coming days within the user's capacity, and breaks
// goals into milestones. Each operation takes the user's transaction and returns what it did.
package plan

import (
	"slices"

	"github.com/bizconnect/bizconnect/core"
)

// Prioritize orders tasks the way lists show them and replanning keeps them:
//  1. deadline: earlier scheduled days first (overdue work leads);
//  2. priority: 1 (urgent) before 4 (low);
//  3. goal importance: tasks serving an active goal before others, nearer goal deadlines first;
//  4. cognitive load: demanding work first, while attention is fresh;
//  5. then the fixed time of day, then creation order.
//
// Done tasks sink below open ones of the same day. The input is not modified.
func Prioritize(tasks []core.Task, goals []core.Goal, today core.Date) []core.Task {
	deadline := make(map[[16]byte]core.Date, len(goals))
	for _, g := range goals {
		if g.Status == core.GoalActive {
			d := g.EndDate
			if d.IsZero() {
				d = today.AddDays(3650)
			}
			deadline[g.ID] = d
		}
	}
	goalRank := func(t *core.Task) core.Date {
		if t.GoalID != nil {
			if d, ok := deadline[*t.GoalID]; ok {
				return d
			}
		}
		return today.AddDays(100000)
	}
	out := slices.Clone(tasks)
	slices.SortStableFunc(out, func(a, b core.Task) int {
		ad, bd := a.ScheduledDate, b.ScheduledDate
		if ad.IsZero() {
			ad = today
		}
		if bd.IsZero() {
			bd = today
		}
		if c := ad.Compare(bd); c != 0 {
			return c
		}
		if a.Open() != b.Open() {
			if a.Open() {
				return -1
			}
			return 1
		}
		if a.Priority != b.Priority {
			return a.Priority - b.Priority
		}
		if c := goalRank(&a).Compare(goalRank(&b)); c != 0 {
			return c
		}
		if a.CognitiveLoad != b.CognitiveLoad {
			return b.CognitiveLoad - a.CognitiveLoad
		}
		return compareClock(a.ScheduledTime, b.ScheduledTime)
	})
	return out
}

func compareClock(a, b *core.ClockTime) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return int(*a) - int(*b)
}

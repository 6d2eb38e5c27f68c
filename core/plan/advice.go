package plan

import (
	"cmp"
	"slices"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/load"
	"github.com/bizconnect/bizconnect/core/progress"
)

// The kinds of advice.
const (
	AdviceFocus      = "focus"        // the task to start with
	AdviceReschedule = "reschedule"   // move work off an overloaded day (applies a rebalancing)
	AdviceRest       = "rest"         // a break, after stress or an overloaded day (applies: a rest block)
	AdviceGoalAtRisk = "goal_at_risk" // a goal behind the pace its deadline needs (applies: a plan for it)
	AdviceQuickWin   = "quick_win"    // a task of a quarter hour at most, to get moving (applies: it goes first)
	AdviceDelegate   = "delegate"     // low-priority work that keeps slipping: hand it off or drop it
)

// Advice is one suggestion with what it rests on.
type Advice struct {
	Kind   string
	Score  float64 // how much it matters now, after the user's feedback on its kind
	Task   *core.Task
	Goal   *core.Goal
	Pace   progress.Pace
	Moves  []Move // for AdviceReschedule
	Before int    // today's Business Load, and after the moves
	After  int
}

// AdviceInput is what the advice is drawn from: the open work from overdue to two weeks ahead
// (with today's done tasks), the active goals, today's reflection, and the user's 👍 minus 👎 by
// kind (core.AdviceStore.AdviceScores).
type AdviceInput struct {
	Today      core.Date
	Tasks      []core.Task
	Goals      []core.Goal
	Settings   core.Settings
	Reflection core.DailyProgress
	Feedback   map[string]int
	Trend      load.Trend        // the weeks behind today (load.TrendFor)
	Meetings   map[core.Date]int // the calendar's busy minutes by day
}

// adviceMuted is the net rating at which a kind stops appearing: three 👎 more than 👍.
const adviceMuted = -3

// Advise draws the advice that fits the user's situation now, most important first: rules, each
// with a base weight, and the user's feedback on each kind scaling it (a kind disliked three
// times net no longer appears). Deterministic.
func Advise(in AdviceInput) []Advice {
	var out []Advice
	add := func(a Advice, base float64) {
		net := in.Feedback[a.Kind]
		if net <= adviceMuted {
			return
		}
		a.Score = base * (1 + 0.1*float64(max(min(net, 5), -2)))
		out = append(out, a)
	}
	r := Rebalance(in.Tasks, in.Goals, in.Today, in.Settings, in.Reflection, in.Trend, in.Meetings)
	if len(r.Moves) > 0 && (r.Before.Zone == load.Overload || r.Before.Zone == load.High) {
		base := 60.0
		switch {
		case r.Stuck:
			base = 45 // moving what can move won't relieve the day: a break first
		case r.Before.Zone == load.Overload:
			base = 90
		}
		add(Advice{Kind: AdviceReschedule, Moves: r.Moves, Before: r.Before.Value, After: r.After.Value}, base)
	}
	stressed := in.Reflection.Stress != nil && *in.Reflection.Stress >= 4 || in.Reflection.Energy != nil && *in.Reflection.Energy <= 2
	if stressed || r.Before.Zone == load.Overload {
		base := 50.0
		if stressed {
			base = 80
		}
		add(Advice{Kind: AdviceRest, Before: r.Before.Value}, base)
	}
	for i := range in.Goals {
		g := in.Goals[i]
		if p := progress.PaceOf(g, in.Today); p.Kind == progress.PaceBehind {
			add(Advice{Kind: AdviceGoalAtRisk, Goal: &g, Pace: p}, 70)
			break
		}
	}
	var today []core.Task
	for _, t := range Prioritize(in.Tasks, in.Goals, in.Today) {
		if t.Open() && !t.ScheduledDate.IsZero() && !t.ScheduledDate.After(in.Today) {
			today = append(today, t)
		}
	}
	var focus, slipping *core.Task
	for i := range today {
		t := &today[i]
		switch {
		case slipping == nil && t.Priority == 4 && t.ScheduledDate.DaysUntil(in.Today) >= 3:
			slipping = t // low-priority work that keeps slipping is no focus: hand it off or drop it
		case focus == nil:
			focus = t
		}
	}
	if focus != nil {
		add(Advice{Kind: AdviceFocus, Task: focus}, 55)
	}
	for i := range today {
		if t := &today[i]; t != focus && t != slipping && t.EstimatedMin != nil && *t.EstimatedMin <= 15 {
			add(Advice{Kind: AdviceQuickWin, Task: t}, 40)
			break
		}
	}
	if slipping != nil {
		add(Advice{Kind: AdviceDelegate, Task: slipping}, 35)
	}
	slices.SortStableFunc(out, func(a, b Advice) int { return cmp.Compare(b.Score, a.Score) })
	return out
}

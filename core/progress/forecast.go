package progress

import (
	"math"

	"github.com/bizconnect/bizconnect/core"
)

// Forecast statuses: where a goal is heading against its deadline.
const (
	Achieved   = "achieved"    // the target is reached
	OnTrack    = "on_track"    // the forecast at the deadline meets the target
	AtRisk     = "at_risk"     // it falls short by less than RiskMargin
	OffTrack   = "off_track"   // it falls short by more, or nothing moves
	NoDeadline = "no_deadline" // a target without a date: only the completion date is forecast
	Unknown    = "unknown"     // too little history, or nothing to count toward
)

// Forecast parameters (docs/business-load.md, "Goal forecasts").
const (
	// ForecastWindow is how many days of history the velocity is fitted on: recent pace, not
	// the pace of a quarter ago.
	ForecastWindow = 28
	// RiskMargin is how far short of the target the forecast may fall and still be "at risk"
	// rather than "off track": 15% is about what a good fortnight recovers.
	RiskMargin = 0.15
	// HalfLife is how many days back a point weighs half as much in the fit.
	HalfLife = 10.0
)

// GoalForecast is a goal's pace and where it leads.
type GoalForecast struct {
	Target     float64   // what the goal counts to
	Current    float64   // where it is now
	Pace       float64   // units per day, fitted on the recent history
	NeededPace float64   // units per day that reach the target by the deadline from today (0 without one)
	AtDeadline float64   // the value the pace gives on the deadline
	Completion core.Date // the day the pace reaches the target (zero: never at this pace)
	DaysLeft   int       // days to the deadline, today included (0 without one)
	Status     string
}

// Forecast fits a straight line by weighted least squares (recent days weigh more, HalfLife) to the goal's end-of-day values of the last
// ForecastWindow days (the goal's start counts as a point at zero while the history is short)
// and follows it to the deadline and to the target. A task-based goal counts its tasks: target
// is how many it has, done how many are done, and series how many were done by each day.
func Forecast(g core.Goal, series []core.GoalDay, target float64, today core.Date) GoalForecast {
	f := GoalForecast{Target: target, Current: g.CurrentValue, Status: Unknown}
	if target <= 0 {
		return f
	}
	if g.Status == core.GoalCompleted || f.Current >= target {
		f.Status, f.Current = Achieved, max(f.Current, target)
		return f
	}
	if !g.EndDate.IsZero() {
		f.DaysLeft = max(0, today.DaysUntil(g.EndDate)+1)
		if f.DaysLeft > 0 {
			f.NeededPace = (target - f.Current) / float64(f.DaysLeft)
		}
	}
	pts := fitPoints(g, series, today)
	if len(pts) < 2 {
		if f.DaysLeft == 0 && !g.EndDate.IsZero() {
			f.Status = OffTrack // the deadline has passed short of the target
		}
		return f
	}
	f.Pace = slope(pts)
	if f.Pace > 0 {
		days := int(math.Ceil((target - f.Current) / f.Pace))
		f.Completion = today.AddDays(days)
	}
	if g.EndDate.IsZero() {
		f.Status = NoDeadline
		return f
	}
	f.AtDeadline = f.Current + max(f.Pace, 0)*float64(max(0, today.DaysUntil(g.EndDate)))
	switch {
	case f.AtDeadline >= target:
		f.Status = OnTrack
	case f.Pace > 0 && f.AtDeadline >= target*(1-RiskMargin):
		f.Status = AtRisk
	default:
		f.Status = OffTrack
	}
	return f
}

// fitPoints are the values to fit, in days from today (x ≤ 0): the history of the window, the
// value now, and the goal's start at zero while the window holds under a week of entries.
func fitPoints(g core.Goal, series []core.GoalDay, today core.Date) [][2]float64 {
	from := today.AddDays(-ForecastWindow + 1)
	var pts [][2]float64
	for _, p := range series {
		if !p.Date.Before(from) && p.Date.Before(today) {
			pts = append(pts, [2]float64{float64(today.DaysUntil(p.Date)), p.Value})
		}
	}
	if len(pts) < 7 && g.StartDate.Before(today) && (len(series) == 0 || g.StartDate.Before(series[0].Date)) {
		start := max(today.DaysUntil(g.StartDate), -3*ForecastWindow) // a long-idle goal's start still weighs
		pts = append([][2]float64{{float64(start), 0}}, pts...)
	}
	return append(pts, [2]float64{0, g.CurrentValue})
}

// slope is the weighted least-squares slope of y on x (x in days, ≤ 0), each point weighing
// half as much every HalfLife days back: a stall of the last fortnight shows in the pace.
func slope(pts [][2]float64) float64 {
	var sw, sx, sy float64
	w := make([]float64, len(pts))
	for i, p := range pts {
		w[i] = math.Exp2(p[0] / HalfLife)
		sw += w[i]
		sx += w[i] * p[0]
		sy += w[i] * p[1]
	}
	mx, my := sx/sw, sy/sw
	var num, den float64
	for i, p := range pts {
		num += w[i] * (p[0] - mx) * (p[1] - my)
		den += w[i] * (p[0] - mx) * (p[0] - mx)
	}
	if den == 0 {
		return 0
	}
	return num / den
}

package load

import (
	"math"

	"github.com/bizconnect/bizconnect/core"
)

// Strain is one day's training-load-like work in weighted minutes: a minute of average work
// (cognitive load 5, medium complexity) weighs 1. The weights are linear, so the database sums
// them per day (core.DayWork) and a day's strain is exact:
//
//	w = 0.6 × minutes + 0.08 × minutes × cognitive load + 0.15 × minutes of hard work
//
// Work done counts whole; work planned for a past day and left open a third (it weighed on the
// day without being done); the calendar's busy time (meetings) whole, at cognitive load 5. Each goal served beyond two adds 10% (context switching, at most
// 30%), and the day's stress and energy scale it (± up to 12% and 10%).
func Strain(w core.DayWork) float64 {
	weigh := func(min, cog, hard int) float64 { return 0.6*float64(min) + 0.08*float64(cog) + 0.15*float64(hard) }
	s := weigh(w.DoneMin, w.DoneCog, w.DoneHard) + weigh(w.OpenMin, w.OpenCog, w.OpenHard)/3 + weigh(w.BusyMin, MeetingLoad*w.BusyMin, 0)
	s *= 1 + 0.1*math.Min(3, math.Max(0, float64(w.Goals-2)))
	if w.Stress != nil {
		s *= 1 + 0.06*float64(*w.Stress-3)
	}
	if w.Energy != nil {
		s *= 1 - 0.05*float64(*w.Energy-3)
	}
	return s
}

// Trend is the load of the weeks behind a day, as sports science reads training: the acute load
// (a 7-day exponentially weighted average of daily strain) against the chronic load (a 28-day
// one over the days before that week: the "uncoupled" ratio, which a week's spike can't dilute),
// their ratio, and the days since the last rest day. It adds points to the day's figure when the
// ratio leaves the sustainable band (about 0.8–1.3; 1.5 and above is where injuries — here,
// burnout — follow) or rest is overdue; after four weeks of history the day's reference work
// adapts to what the person sustains.
type Trend struct {
	Days          int     // days of history behind the day (0 for a new user), up to Window
	Acute         float64 // weighted minutes a day, 7-day EWMA
	Chronic       float64 // weighted minutes a day, 28-day EWMA (at least half the capacity)
	Ratio         float64 // acute:chronic; 0 with less than a week of history
	DaysSinceRest int     // working days in a row before the day (a rest day has under a quarter of the capacity)
	RatioPoints   int     // added for a ratio above 1.3: 10 at 1.5, up to 20
	RestPoints    int     // added after 7 days without rest (5) and 12 (10)
	ReferenceMin  int     // the day's reference work in minutes: the capacity, adapted after 28 days
	// Recent is the strain of the last 14 days before the day, oldest first (for a sparkline).
	Recent [14]float64
	week   [7]float64 // the strain of the acute week, oldest first: Next moves its first day into the chronic load
}

// Window is how many days of history the trend reads: the 28-day chronic average warmed up.
const Window = 42

// Sustainable bounds of the acute:chronic ratio.
const (
	RatioLow    = 0.8
	RatioHigh   = 1.3
	RatioDanger = 1.5
)

const (
	alphaAcute   = 2.0 / (7 + 1)
	alphaChronic = 2.0 / (28 + 1)
)

// TrendOf reads the days before today (history: any order, days without work may be missing)
// for a person whose daily capacity is capacity minutes.
func TrendOf(history []core.DayWork, today core.Date, capacity int) Trend {
	if capacity <= 0 {
		capacity = 360
	}
	strain := make([]float64, Window) // strain[i] is today − Window + i
	first := Window
	for _, w := range history {
		i := Window - w.Date.DaysUntil(today)
		if i < 0 || i >= Window {
			continue
		}
		strain[i] += Strain(w)
		first = min(first, i)
	}
	tr := Trend{ReferenceMin: capacity}
	if first == Window {
		tr.Chronic = float64(capacity) / 2
		return tr
	}
	tr.Days = Window - first
	tr.Acute, tr.Chronic = strain[first], strain[first]
	for i, s := range strain[first+1:] {
		tr.Acute += alphaAcute * (s - tr.Acute)
		if first+1+i < Window-7 { // the chronic load stops where the acute week starts
			tr.Chronic += alphaChronic * (s - tr.Chronic)
		}
	}
	tr.Chronic = math.Max(tr.Chronic, float64(capacity)/2)
	copy(tr.week[:], strain[Window-7:])
	copy(tr.Recent[:], strain[Window-14:])
	rest := float64(capacity) / 4
	for i := Window - 1; i >= first && strain[i] >= rest; i-- {
		tr.DaysSinceRest++
	}
	if tr.Days >= 7 {
		tr.Ratio = tr.Acute / tr.Chronic
		tr.RatioPoints = ratioPoints(tr.Ratio)
	}
	switch {
	case tr.DaysSinceRest >= 12:
		tr.RestPoints = 10
	case tr.DaysSinceRest >= 7:
		tr.RestPoints = 5
	}
	if tr.Days >= 28 {
		// what the person sustains on a working day, halfway between it and the stated capacity,
		// and only upward (at most a quarter more): the figure warns of overload, so adapting
		// never makes a day read heavier than the stated capacity says
		var sum float64
		n := 0
		for _, s := range strain[Window-28:] {
			if s >= rest {
				sum += s
				n++
			}
		}
		if n >= 10 {
			typical := sum / float64(n)
			tr.ReferenceMin = int(math.Round(math.Max(float64(capacity), math.Min(1.25*float64(capacity), (float64(capacity)+typical)/2))))
		}
	}
	return tr
}

func ratioPoints(r float64) int {
	switch {
	case r >= RatioDanger:
		return int(math.Round(math.Min(20, 10+20*(r-RatioDanger))))
	case r > RatioHigh:
		return int(math.Round(10 * (r - RatioHigh) / (RatioDanger - RatioHigh)))
	}
	return 0
}

// Points is what the trend adds to a day's figure.
func (t Trend) Points() int { return t.RatioPoints + t.RestPoints }

// Next is the trend a day later, after a day of strain s: how the projection walks forward.
func (t Trend) Next(s float64, capacity int) Trend {
	if capacity <= 0 {
		capacity = 360
	}
	n := t
	if n.Days == 0 {
		n.Acute, n.Chronic = s, float64(capacity)/2
	} else {
		n.Acute += alphaAcute * (s - n.Acute)
		n.Chronic += alphaChronic * (t.week[0] - n.Chronic) // the day leaving the acute week
	}
	n.Chronic = math.Max(n.Chronic, float64(capacity)/2)
	copy(n.week[:], t.week[1:])
	n.week[6] = s
	copy(n.Recent[:], t.Recent[1:])
	n.Recent[13] = s
	n.Days = min(n.Days+1, Window)
	n.DaysSinceRest = 0
	if s >= float64(capacity)/4 {
		n.DaysSinceRest = t.DaysSinceRest + 1
	}
	n.RatioPoints, n.Ratio = 0, 0
	if n.Days >= 7 {
		n.Ratio = n.Acute / n.Chronic
		n.RatioPoints = ratioPoints(n.Ratio)
	}
	n.RestPoints = 0
	switch {
	case n.DaysSinceRest >= 12:
		n.RestPoints = 10
	case n.DaysSinceRest >= 7:
		n.RestPoints = 5
	}
	return n
}

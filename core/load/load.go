// Package load is the Business Load model: a daily strain figure from 0 to 100, like a training
// load for the body, computed from what a day asks of a person and how they feel. It is pure
// arithmetic on numbers, so every adapter and job computes it the same way. docs/business-load.md
// explains the model.
package load

import (
	"cmp"
	"math"
	"slices"

	"github.com/bizconnect/bizconnect/core"
)

// Day is what the model needs to know about one day.
type Day struct {
	CapacityMin  int // focused minutes the person can give a day
	PlannedMin   int // estimated minutes of the day's tasks (done or not) and overdue ones
	BusyMin      int // minutes the calendar holds (meetings): work too, and not time for tasks
	CognitiveMin int // Σ minutes × cognitive load (1..10) over the same tasks
	HardMin      int // minutes of hard or extreme tasks among them
	Goals        int // goals the day's tasks serve
	UrgentTasks  int // open tasks of priority 1
	OverdueTasks int // open tasks from earlier days
	Stress       int // 1..5 from the reflection, 0 when unknown
	Energy       int // 1..5 from the reflection, 0 when unknown
	// Trend is the weeks behind the day (TrendOf); the zero Trend is a person with no history.
	Trend Trend
}

// Zone is a band of the load scale.
type Zone string

// The zones of the scale.
const (
	Light    Zone = "light"    // 0–29: room for more
	Optimal  Zone = "optimal"  // 30–59: productive and sustainable
	High     Zone = "high"     // 60–79: fine for a day, not for a week
	Overload Zone = "overload" // 80–100: burnout risk, cut or move work
)

// Score is the load of a day and how it is made up.
type Score struct {
	Value     int
	Zone      Zone
	Volume    float64 // points from planned time vs capacity
	Intensity float64 // points from cognitive load
	Pressure  float64 // points from urgent and overdue tasks
	Wellbeing float64 // points from stress and energy (negative when rested)
	Trend     float64 // points from the weeks behind: the acute:chronic ratio and rest overdue
	Day       Day     // what was scored
}

// MeetingLoad is the cognitive load (1..10) a minute of busy calendar time counts at: a
// meeting is moderate work.
const MeetingLoad = 5

// Compute scores a day. Volume dominates: a day planned at exactly its reference work (the
// capacity, or what the person sustains after four weeks: Trend.ReferenceMin) scores 50 from
// volume alone; 140% reaches the 70-point cap. Demanding work adds up to 20, urgency and overdue
// work up to 10, the person's own stress and energy move the figure by up to ±14, and the weeks
// behind add up to 30 (Trend.Points).
func Compute(d Day) Score {
	capacity := float64(d.CapacityMin)
	if capacity <= 0 {
		capacity = 360
	}
	if d.Trend.ReferenceMin > 0 {
		capacity = float64(d.Trend.ReferenceMin)
	}
	s := Score{Day: d, Trend: float64(d.Trend.Points())}
	s.Volume = math.Min(70, 50*float64(d.PlannedMin+d.BusyMin)/capacity)
	s.Intensity = math.Min(20, 20*float64(d.CognitiveMin+MeetingLoad*d.BusyMin)/(capacity*10)*1.6)
	s.Pressure = math.Min(10, 3*float64(d.UrgentTasks)+2*float64(d.OverdueTasks))
	if d.Stress > 0 {
		s.Wellbeing += float64(d.Stress-3) * 4
	}
	if d.Energy > 0 {
		s.Wellbeing -= float64(d.Energy-3) * 3
	}
	s.Value = int(math.Round(math.Max(0, math.Min(100, s.Volume+s.Intensity+s.Pressure+s.Wellbeing+s.Trend))))
	s.Zone = ZoneOf(s.Value)
	return s
}

// ZoneOf returns the zone of a load value.
func ZoneOf(v int) Zone {
	switch {
	case v >= 80:
		return Overload
	case v >= 60:
		return High
	case v >= 30:
		return Optimal
	}
	return Light
}

// DayStrain is the day's work as Strain weighs a past day's: what the trend of the days after it
// (the projection) takes in.
func DayStrain(d Day) float64 {
	w := core.DayWork{DoneMin: d.PlannedMin, DoneCog: d.CognitiveMin, DoneHard: d.HardMin, Goals: d.Goals, BusyMin: d.BusyMin}
	if d.Stress > 0 {
		w.Stress = &d.Stress
	}
	if d.Energy > 0 {
		w.Energy = &d.Energy
	}
	return Strain(w)
}

// Contributor is one part of a day's figure, in points, for its explanation.
type Contributor struct {
	Kind   string  `json:"kind"` // volume, intensity, urgent, overdue, stress, energy, ratio, rest
	Points int     `json:"points"`
	Count  int     `json:"count,omitempty"` // minutes (volume, intensity), tasks (urgent, overdue), the 1–5 level (stress, energy), days (rest)
	Ratio  float64 `json:"ratio,omitempty"` // the acute:chronic ratio (ratio)
}

// Contributors are the parts of the figure that weigh, largest first (energy may be negative:
// a rested person).
func (s Score) Contributors() []Contributor {
	d := s.Day
	var out []Contributor
	add := func(c Contributor) {
		if c.Points != 0 {
			out = append(out, c)
		}
	}
	add(Contributor{Kind: "volume", Points: int(math.Round(s.Volume)), Count: d.PlannedMin})
	add(Contributor{Kind: "intensity", Points: int(math.Round(s.Intensity)), Count: d.HardMin})
	if raw := 3*float64(d.UrgentTasks) + 2*float64(d.OverdueTasks); raw > 0 {
		add(Contributor{Kind: "urgent", Points: int(math.Round(s.Pressure * 3 * float64(d.UrgentTasks) / raw)), Count: d.UrgentTasks})
		add(Contributor{Kind: "overdue", Points: int(math.Round(s.Pressure * 2 * float64(d.OverdueTasks) / raw)), Count: d.OverdueTasks})
	}
	if d.Stress > 0 {
		add(Contributor{Kind: "stress", Points: 4 * (d.Stress - 3), Count: d.Stress})
	}
	if d.Energy > 0 {
		add(Contributor{Kind: "energy", Points: -3 * (d.Energy - 3), Count: d.Energy})
	}
	add(Contributor{Kind: "ratio", Points: d.Trend.RatioPoints, Ratio: d.Trend.Ratio})
	add(Contributor{Kind: "rest", Points: d.Trend.RestPoints, Count: d.Trend.DaysSinceRest})
	slices.SortStableFunc(out, func(a, b Contributor) int { return cmp.Compare(b.Points, a.Points) })
	return out
}

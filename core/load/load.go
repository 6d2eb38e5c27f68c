// Package load is the Business Load model: a daily strain figure from 0 to 100, like a training
// load for the body, computed from what a day asks of a person and how they feel. It is pure
// arithmetic on numbers, so every adapter and job computes it the same way. docs/business-load.md
// explains the model.
package load

import "math"

// Day is what the model needs to know about one day.
type Day struct {
	CapacityMin  int // focused minutes the person can give a day
	PlannedMin   int // estimated minutes of the day's tasks (done or not) and overdue ones
	CognitiveMin int // Σ minutes × cognitive load (1..10) over the same tasks
	UrgentTasks  int // open tasks of priority 1
	OverdueTasks int // open tasks from earlier days
	Stress       int // 1..5 from the reflection, 0 when unknown
	Energy       int // 1..5 from the reflection, 0 when unknown
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
}

// Compute scores a day. Volume dominates: a day planned at exactly its capacity scores 50 from
// volume alone; 140% reaches the 70-point cap. Demanding work adds up to 20, urgency and overdue
// work up to 10, and the person's own stress and energy move the figure by up to ±14.
func Compute(d Day) Score {
	capacity := float64(d.CapacityMin)
	if capacity <= 0 {
		capacity = 360
	}
	var s Score
	s.Volume = math.Min(70, 50*float64(d.PlannedMin)/capacity)
	s.Intensity = math.Min(20, 20*float64(d.CognitiveMin)/(capacity*10)*1.6)
	s.Pressure = math.Min(10, 3*float64(d.UrgentTasks)+2*float64(d.OverdueTasks))
	if d.Stress > 0 {
		s.Wellbeing += float64(d.Stress-3) * 4
	}
	if d.Energy > 0 {
		s.Wellbeing -= float64(d.Energy-3) * 3
	}
	s.Value = int(math.Round(math.Max(0, math.Min(100, s.Volume+s.Intensity+s.Pressure+s.Wellbeing))))
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

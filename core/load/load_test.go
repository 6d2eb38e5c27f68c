package load

import (
	"testing"

	"github.com/bizconnect/bizconnect/core"
)

func TestCompute(t *testing.T) {
	for _, c := range []struct {
		name string
		day  Day
		want int
		zone Zone
	}{
		{"empty day", Day{CapacityMin: 360}, 0, Light},
		{"half a day of easy work", Day{CapacityMin: 360, PlannedMin: 180, CognitiveMin: 180 * 3}, 30, Optimal},
		{"full day, average work", Day{CapacityMin: 360, PlannedMin: 360, CognitiveMin: 360 * 5}, 66, High},
		{"overbooked and stressed", Day{CapacityMin: 360, PlannedMin: 600, CognitiveMin: 600 * 7, UrgentTasks: 3, OverdueTasks: 2, Stress: 5, Energy: 1}, 100, Overload},
		{"rested person, moderate day", Day{CapacityMin: 480, PlannedMin: 240, CognitiveMin: 240 * 4, Stress: 1, Energy: 5}, 17, Light},
		{"no capacity set uses six hours", Day{PlannedMin: 360}, 50, Optimal},
	} {
		got := Compute(c.day)
		if got.Value != c.want || got.Zone != c.zone {
			t.Errorf("%s: %d %s, want %d %s (%+v)", c.name, got.Value, got.Zone, c.want, c.zone, got)
		}
	}
}

func TestComputeIsMonotonicInPlannedTime(t *testing.T) {
	prev := -1
	for m := 0; m <= 900; m += 30 {
		v := Compute(Day{CapacityMin: 360, PlannedMin: m, CognitiveMin: m * 5}).Value
		if v < prev {
			t.Fatalf("load fell from %d to %d at %d min", prev, v, m)
		}
		prev = v
	}
}

func TestZonesAtTheirBoundaries(t *testing.T) {
	for v, want := range map[int]Zone{0: Light, 29: Light, 30: Optimal, 59: Optimal, 60: High, 79: High, 80: Overload, 100: Overload} {
		if got := ZoneOf(v); got != want {
			t.Errorf("ZoneOf(%d) = %s, want %s", v, got, want)
		}
	}
}

// TestMeetingsCountInTheLoad: four hours of meetings make a day with two hours of tasks as heavy
// as six hours of tasks would (volume), weigh in the day's strain, and a day of meetings alone is
// not light.
func TestMeetingsCountInTheLoad(t *testing.T) {
	tasks := Compute(Day{CapacityMin: 360, PlannedMin: 120, CognitiveMin: 600})
	booked := Compute(Day{CapacityMin: 360, PlannedMin: 120, CognitiveMin: 600, BusyMin: 240})
	full := Compute(Day{CapacityMin: 360, PlannedMin: 360, CognitiveMin: 1800})
	if booked.Value <= tasks.Value || booked.Volume != full.Volume {
		t.Fatalf("2 h of tasks %d, with 4 h of meetings %d (volume %.1f), 6 h of tasks %d (volume %.1f)",
			tasks.Value, booked.Value, booked.Volume, full.Value, full.Volume)
	}
	if m := Compute(Day{CapacityMin: 360, BusyMin: 360}); m.Zone == Light {
		t.Errorf("a day of meetings is %d, light", m.Value)
	}
	if s, b := Strain(core.DayWork{DoneMin: 120}), Strain(core.DayWork{DoneMin: 120, BusyMin: 240}); b <= s {
		t.Errorf("strain %.0f with meetings, %.0f without", b, s)
	}
}

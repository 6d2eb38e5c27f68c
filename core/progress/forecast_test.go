package progress_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/progress"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func ptr(v float64) *float64 { return &v }

// linear is a goal's history growing by perDay from the day after start until yesterday.
func linear(start, today core.Date, perDay float64) []core.GoalDay {
	var s []core.GoalDay
	for d, v := start.AddDays(1), perDay; d.Before(today); d, v = d.AddDays(1), v+perDay {
		s = append(s, core.GoalDay{Date: d, Value: v})
	}
	return s
}

// TestForecastGolden checks the forecasts of synthetic histories against
// testdata/forecast.golden (go test -run Golden -update rewrites it after a deliberate change).
func TestForecastGolden(t *testing.T) {
	today := core.Date{Year: 2026, Month: 12, Day: 2}
	start := today.AddDays(-30)
	goal := func(current float64, end core.Date) core.Goal {
		return core.Goal{Title: "g", Tracking: core.TrackValue, TargetValue: ptr(100), CurrentValue: current,
			StartDate: start, EndDate: end, Status: core.GoalActive}
	}
	steps := func() []core.GoalDay { // 10 a week, in jumps on Fridays
		var s []core.GoalDay
		for d, v := start, 0.0; d.Before(today); d = d.AddDays(1) {
			if d.Weekday() == 5 {
				v += 10
				s = append(s, core.GoalDay{Date: d, Value: v})
			}
		}
		return s
	}()
	stalled := append(linear(start, today.AddDays(-14), 2), core.GoalDay{Date: today.AddDays(-14), Value: 30})
	cases := []struct {
		name   string
		goal   core.Goal
		series []core.GoalDay
		target float64
	}{
		{"steady 2/day, 40 days left: on track", goal(58, today.AddDays(40)), linear(start, today, 2), 100},
		{"steady 2/day, 15 days left: at risk", goal(58, today.AddDays(17)), linear(start, today, 2), 100},
		{"steady 2/day, 7 days left: off track", goal(58, today.AddDays(7)), linear(start, today, 2), 100},
		{"weekly jumps of 10", goal(40, today.AddDays(60)), steps, 100},
		{"stalled for two weeks", goal(30, today.AddDays(30)), stalled, 100},
		{"no deadline", goal(58, core.Date{}), linear(start, today, 2), 100},
		{"reached", func() core.Goal { g := goal(100, today.AddDays(5)); g.Status = core.GoalCompleted; return g }(), linear(start, today, 3.4), 100},
		{"deadline passed", goal(60, today.AddDays(-1)), linear(start, today, 2), 100},
		{"new goal, no history", func() core.Goal { g := goal(0, today.AddDays(30)); g.StartDate = today; return g }(), nil, 100},
		{"started today with a value", func() core.Goal { g := goal(10, today.AddDays(30)); g.StartDate = today; return g }(), nil, 100},
		{"two entries since start", goal(20, today.AddDays(30)), []core.GoalDay{{Date: start.AddDays(10), Value: 10}, {Date: start.AddDays(20), Value: 20}}, 100},
		{"task goal: 3 of 12 done", func() core.Goal {
			g := goal(3, today.AddDays(20))
			g.Tracking, g.TargetValue = core.TrackTasks, nil
			return g
		}(), []core.GoalDay{{Date: start.AddDays(9), Value: 1}, {Date: start.AddDays(19), Value: 2}, {Date: start.AddDays(28), Value: 3}}, 12},
		{"task goal without tasks", func() core.Goal { g := goal(0, today.AddDays(20)); g.TargetValue = nil; return g }(), nil, 0},
	}
	type row struct {
		Case string
		progress.GoalForecast
	}
	var got []row
	for _, c := range cases {
		f := progress.Forecast(c.goal, c.series, c.target, today)
		f.Pace, f.NeededPace, f.AtDeadline = round2(f.Pace), round2(f.NeededPace), round2(f.AtDeadline)
		got = append(got, row{c.name, f})
	}
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "forecast.golden")
	if *update {
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != string(b)+"\n" {
		t.Errorf("forecasts differ from %s (run with -update after a deliberate change):\n%s", path, b)
	}
	// the golden file is what a person checked; these say why its key lines are right
	status := map[string]string{}
	for _, r := range got {
		status[r.Case] = r.Status
	}
	for name, want := range map[string]string{
		"steady 2/day, 40 days left: on track": progress.OnTrack, "steady 2/day, 15 days left: at risk": progress.AtRisk,
		"steady 2/day, 7 days left: off track": progress.OffTrack, "stalled for two weeks": progress.OffTrack,
		"no deadline": progress.NoDeadline, "reached": progress.Achieved, "deadline passed": progress.OffTrack,
		"new goal, no history": progress.Unknown, "task goal without tasks": progress.Unknown,
	} {
		if status[name] != want {
			t.Errorf("%s: status %s, want %s", name, status[name], want)
		}
	}
}

func round2(v float64) float64 { return float64(int(v*100+0.5*sign(v))) / 100 }

func sign(v float64) float64 {
	if v < 0 {
		return -1
	}
	return 1
}

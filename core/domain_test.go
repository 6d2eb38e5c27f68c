package core

import (
	"testing"
)

var today = Date{2026, 11, 25} // a Wednesday

func TestNextOccurrence(t *testing.T) {
	for _, c := range []struct {
		rule string
		from Date
		want Date
	}{
		{"FREQ=DAILY", today, today.AddDays(1)},
		{"FREQ=WEEKLY;BYDAY=MO", Date{2026, 11, 30}, Date{2026, 12, 7}},
		{"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", Date{2026, 11, 27}, Date{2026, 11, 30}},
		{"FREQ=WEEKLY", today, today.AddDays(7)},
		{"FREQ=MONTHLY;BYMONTHDAY=31", Date{2027, 1, 31}, Date{2027, 2, 28}},
		{"FREQ=MONTHLY;BYMONTHDAY=1", Date{2026, 12, 1}, Date{2027, 1, 1}},
		{"FREQ=DAILY", today.AddDays(-10), today}, // a late completion skips to today
	} {
		got, ok := NextOccurrence(c.rule, c.from, today)
		if !ok || got != c.want {
			t.Errorf("%s from %s = %s %v, want %s", c.rule, c.from, got, ok, c.want)
		}
	}
	if _, ok := NextOccurrence("", today, today); ok {
		t.Error("no rule has a next occurrence")
	}
	if _, ok := NextOccurrence("FREQ=SECONDLY", today, today); ok {
		t.Error("unknown rule has a next occurrence")
	}
}

func TestTextPieces(t *testing.T) {
	text := Text{{Text: "one two three four\nfive", Style: Bold}, {Text: "six"}}
	got := text.Pieces(10, func(rune) int { return 1 })
	want := Text{{"one two ", Bold}, {"three ", Bold}, {"four\n", Bold}, {"five", Bold}, {"six", Plain}}
	if len(got) != len(want) {
		t.Fatalf("pieces = %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("pieces = %q, want %q", got, want)
		}
	}
	if got.String() != text.String() {
		t.Fatal("pieces lost text")
	}
}

func TestValidateRefusesWhatTheSchemaWould(t *testing.T) {
	good := Task{Title: "call Ivan"}
	good.ApplyDefaults()
	if err := good.Validate(); err != nil {
		t.Fatalf("a plain task: %v", err)
	}
	big, zero := MaxEstimateMin+1, 0
	for name, mutate := range map[string]func(*Task){
		"no title":        func(t *Task) { t.Title = "  " },
		"priority 5":      func(t *Task) { t.Priority = 5 },
		"estimate 0":      func(t *Task) { t.EstimatedMin = &zero },
		"estimate a year": func(t *Task) { t.EstimatedMin = &big },
		"complexity":      func(t *Task) { t.Complexity = "mind-bending" },
		"cognitive 11":    func(t *Task) { t.CognitiveLoad = 11 },
		"recurrence":      func(t *Task) { t.Recurrence = "FREQ=SECONDLY" },
		"time 24:00":      func(t *Task) { c := ClockTime(24 * 60); t.ScheduledTime = &c },
	} {
		task := good
		mutate(&task)
		if ErrorCode(task.Validate()) != EINVALID {
			t.Errorf("task with %s: accepted", name)
		}
	}
	est := big
	defaulted := Task{Title: "x", EstimatedMin: &est}
	defaulted.ApplyDefaults()
	if defaulted.EstimatedMin != nil || defaulted.Priority != 3 || defaulted.Complexity != "medium" || defaulted.CognitiveLoad != 5 {
		t.Errorf("defaults: %+v", defaulted)
	}

	target := 100.0
	g := Goal{Title: "clients", TargetValue: &target}
	g.ApplyDefaults(today)
	if err := g.Validate(); err != nil || g.Tracking != TrackValue || g.StartDate != today || g.Category != "other" {
		t.Fatalf("a plain goal: %v %+v", err, g)
	}
	tasks := Goal{Title: "launch"}
	tasks.ApplyDefaults(today)
	if tasks.Tracking != TrackTasks {
		t.Errorf("a goal without a target is tracked by tasks: %s", tasks.Tracking)
	}
	neg := -1.0
	for name, mutate := range map[string]func(*Goal){
		"no title":        func(g *Goal) { g.Title = "" },
		"negative target": func(g *Goal) { g.TargetValue = &neg },
		"deadline before": func(g *Goal) { g.EndDate = today.AddDays(-1) },
		"team, no team":   func(g *Goal) { g.Visibility = TeamVisible },
		"category":        func(g *Goal) { g.Category = "astrology" },
	} {
		goal := g
		mutate(&goal)
		if ErrorCode(goal.Validate()) != EINVALID {
			t.Errorf("goal with %s: accepted", name)
		}
	}
	if ErrorCode(ValidateReflection(ptr(6), nil, "")) != EINVALID || ValidateReflection(ptr(3), ptr(5), "ok") != nil {
		t.Error("reflection bounds")
	}
}

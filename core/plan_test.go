package core

import (
	"testing"

	"github.com/google/uuid"
)

var today = Date{2026, 11, 25} // a Wednesday

func TestPrioritize(t *testing.T) {
	goal := Goal{ID: uuid.New(), Status: GoalActive, EndDate: today.AddDays(10)}
	ptr := func(id uuid.UUID) *uuid.UUID { return &id }
	tasks := []Task{
		{Title: "low", Priority: 4, ScheduledDate: today, Status: TaskTodo, CognitiveLoad: 5},
		{Title: "done", Priority: 1, ScheduledDate: today, Status: TaskDone, CognitiveLoad: 5},
		{Title: "normal easy", Priority: 3, ScheduledDate: today, Status: TaskTodo, CognitiveLoad: 2},
		{Title: "normal hard", Priority: 3, ScheduledDate: today, Status: TaskTodo, CognitiveLoad: 8},
		{Title: "normal for goal", Priority: 3, ScheduledDate: today, Status: TaskTodo, CognitiveLoad: 1, GoalID: ptr(goal.ID)},
		{Title: "urgent", Priority: 1, ScheduledDate: today, Status: TaskTodo, CognitiveLoad: 5},
		{Title: "overdue", Priority: 4, ScheduledDate: today.AddDays(-2), Status: TaskTodo, CognitiveLoad: 5},
	}
	want := []string{"overdue", "urgent", "normal for goal", "normal hard", "normal easy", "low", "done"}
	got := Prioritize(tasks, []Goal{goal}, today)
	for i := range want {
		if got[i].Title != want[i] {
			t.Fatalf("order = %v, want %v", titles(got), want)
		}
	}
	if tasks[0].Title != "low" {
		t.Fatal("Prioritize modified its input")
	}
}

func titles(ts []Task) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Title)
	}
	return out
}

func TestReplanFitsCapacity(t *testing.T) {
	est := func(m int) *int { return &m }
	nine := NewClockTime(9, 0)
	tasks := []Task{
		{Title: "overdue", ScheduledDate: today.AddDays(-1), Status: TaskTodo, EstimatedMin: est(120)},
		{Title: "fixed", ScheduledDate: today, ScheduledTime: &nine, Status: TaskTodo, EstimatedMin: est(120)},
		{Title: "a", ScheduledDate: today, Status: TaskTodo, EstimatedMin: est(120)},
		{Title: "b", ScheduledDate: today, Status: TaskTodo, EstimatedMin: est(120)},
		{Title: "huge", ScheduledDate: today, Status: TaskTodo, EstimatedMin: est(600)},
	}
	moves := Replan(tasks, today, today.AddDays(13), 360)
	got := map[string]Date{}
	for _, m := range moves {
		got[m.Task.Title] = m.To
	}
	if got["overdue"] != today || got["b"] != today.AddDays(1) || got["huge"] != today.AddDays(2) {
		t.Fatalf("moves = %v", got)
	}
	if _, moved := got["fixed"]; moved {
		t.Fatal("a task with a fixed time moved")
	}
	if _, moved := got["a"]; moved {
		t.Fatal("a task that fits its day moved")
	}
}

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

func TestFormatting(t *testing.T) {
	for in, want := range map[float64]string{0.45: "▓▓▓▓░░░░ 45%", 0: "░░░░░░░░ 0%", 1.3: "▓▓▓▓▓▓▓▓ 100%"} {
		if got := ProgressBar(in); got != want {
			t.Errorf("ProgressBar(%v) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[float64]string{1500000: "1 500 000", 12.5: "12.5", -3000: "-3 000", 999: "999"} {
		if got := FormatNumber(in); got != want {
			t.Errorf("FormatNumber(%v) = %q, want %q", in, got, want)
		}
	}
	if got := formatAmount(10000, "USD"); got != "$10 000" {
		t.Errorf("formatAmount = %q", got)
	}
	if got := dayWord("ru", today.AddDays(2), today); got != "пятница, 27 ноября" {
		t.Errorf("dayWord = %q", got)
	}
	for m, want := range map[int]string{90: "1,5 ч", 75: "1 ч 15 мин", 45: "45 мин", 120: "2 ч"} {
		if got := duration("ru", m); got != want {
			t.Errorf("duration(%d) = %q, want %q", m, got, want)
		}
	}
}

func TestEstimateEffort(t *testing.T) {
	for _, c := range []struct {
		title   string
		minutes int
		load    int
	}{
		{"подготовить стратегию на год", 60, 8},
		{"call Ivan", 30, 4},
		{"купить бумагу", 30, 2},
		{"something", 300, 7},
	} {
		if _, got := EstimateEffort(c.title, c.minutes); got != c.load {
			t.Errorf("EstimateEffort(%q, %d) = %d, want %d", c.title, c.minutes, got, c.load)
		}
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

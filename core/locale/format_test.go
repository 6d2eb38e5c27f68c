package locale

import (
	"testing"

	"github.com/bizconnect/bizconnect/core"
)

var today = core.Date{Year: 2026, Month: 11, Day: 25} // a Wednesday

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
	if got := Amount(10000, "USD"); got != "$10 000" {
		t.Errorf("formatAmount = %q", got)
	}
	if got := DayWord("ru", today.AddDays(2), today); got != "пятница, 27 ноября" {
		t.Errorf("dayWord = %q", got)
	}
	for m, want := range map[int]string{90: "1,5 ч", 75: "1 ч 15 мин", 45: "45 мин", 120: "2 ч"} {
		if got := Duration("ru", m); got != want {
			t.Errorf("Duration(%d) = %q, want %q", m, got, want)
		}
	}
}

func TestPlural(t *testing.T) {
	for _, c := range []struct {
		lang string
		n    int
		noun string
		want string
	}{
		{"en", 1, "task", "1 task"}, {"en", 0, "task", "0 tasks"}, {"en", 12, "week", "12 weeks"},
		{"ru", 1, "task", "1 задача"}, {"ru", 21, "task", "21 задача"}, {"ru", 11, "task", "11 задач"},
		{"ru", 3, "task", "3 задачи"}, {"ru", 22, "task", "22 задачи"}, {"ru", 12, "task", "12 задач"},
		{"ru", 14, "task", "14 задач"}, {"ru", 5, "task", "5 задач"}, {"ru", 0, "task", "0 задач"},
		{"ru", 1, "week", "1 неделю"}, {"ru", 3, "week", "3 недели"}, {"ru", 111, "day", "111 дней"},
		{"ru", 101, "day", "101 день"},
	} {
		if got := Plural(c.lang, c.n, c.noun); got != c.want {
			t.Errorf("Plural(%s, %d, %s) = %q, want %q", c.lang, c.n, c.noun, got, c.want)
		}
	}
}

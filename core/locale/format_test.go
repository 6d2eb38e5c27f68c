package locale

import (
	"testing"

	"github.com/bizconnect/bizconnect/core"
)

var today = core.Date{Year: 2026, Month: 11, Day: 25} // a Wednesday

// TestAmountsAndPlurals checks money with its currency in each language's style, and counted
// units in the form their number needs, in the unit's own language.
func TestAmountsAndPlurals(t *testing.T) {
	for _, c := range []struct {
		lang string
		v    float64
		unit string
		want string
	}{
		{"en", 10000, "USD", "$10,000"}, {"ru", 10000, "USD", "10 000 $"}, {"en", 1500000, "RUB", "1,500,000 ₽"},
		{"ru", 450000, "RUB", "450 000 ₽"}, {"en", 99.5, "EUR", "€99.5"}, {"ru", 99.5, "EUR", "99,5 €"}, {"ru", 45, "%", "45%"},
		{"en", 1, "clients", "1 client"}, {"en", 5, "clients", "5 clients"}, {"en", 1, "client", "1 client"},
		{"ru", 1, "клиентов", "1 клиент"}, {"ru", 2, "клиентов", "2 клиента"}, {"ru", 5, "клиентов", "5 клиентов"},
		{"ru", 11, "клиентов", "11 клиентов"}, {"ru", 21, "клиентов", "21 клиент"}, {"ru", 22, "клиент", "22 клиента"},
		{"ru", 2.5, "клиентов", "2,5 клиента"}, {"en", 2, "сделок", "2 сделки"}, {"ru", 3, "deals", "3 deals"},
		{"ru", 7, "штук", "7 штук"}, {"en", 1, "Clients", "1 client"},
	} {
		if got := Amount(c.lang, c.v, c.unit); got != c.want {
			t.Errorf("Amount(%s, %v, %q) = %q, want %q", c.lang, c.v, c.unit, got, c.want)
		}
	}
	for _, c := range []struct {
		lang, noun string
		n          int
		want       string
	}{
		{"en", "overdue_task", 1, "1 overdue task"}, {"en", "overdue_task", 3, "3 overdue tasks"},
		{"ru", "overdue_task", 1, "1 просроченная задача"}, {"ru", "overdue_task", 3, "3 просроченные задачи"},
		{"ru", "overdue_task", 12, "12 просроченных задач"}, {"ru", "overload_day", 2, "2 дня перегрузки"},
	} {
		if got := Plural(c.lang, c.n, c.noun); got != c.want {
			t.Errorf("Plural(%s, %d, %s) = %q, want %q", c.lang, c.n, c.noun, got, c.want)
		}
	}
	if got, want := DateRange("ru", core.Date{Year: 2026, Month: 12, Day: 7}, core.Date{Year: 2026, Month: 12, Day: 13}, today), "7–13 декабря"; got != want {
		t.Errorf("DateRange = %q, want %q", got, want)
	}
	if got, want := DateRange("en", core.Date{Year: 2026, Month: 11, Day: 30}, core.Date{Year: 2026, Month: 12, Day: 6}, today), "30 Nov – 6 Dec"; got != want {
		t.Errorf("DateRange = %q, want %q", got, want)
	}
}

func TestFormatting(t *testing.T) {
	for in, want := range map[float64]string{0.45: "▓▓▓▓░░░░ 45%", 0: "░░░░░░░░ 0%", 1.3: "▓▓▓▓▓▓▓▓ 100%"} {
		if got := ProgressBar(in); got != want {
			t.Errorf("ProgressBar(%v) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[float64]string{1500000: "1 500 000", 12.5: "12,5", -3000: "-3 000", 999: "999", 0.999: "1"} {
		if got := Number("ru", in); got != want {
			t.Errorf("Number(ru, %v) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[float64]string{1500000: "1,500,000", 12.5: "12.5", -3000: "-3,000", 999: "999", 1234.05: "1,234.05"} {
		if got := Number("en", in); got != want {
			t.Errorf("Number(en, %v) = %q, want %q", in, got, want)
		}
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

func TestZoneName(t *testing.T) {
	for zone, want := range map[string]string{"Etc/GMT-3": "UTC+3", "Etc/GMT+5": "UTC-5", "Europe/Moscow": "Europe/Moscow", "Etc/GMT": "Etc/GMT", "UTC": "UTC"} {
		if got := ZoneName(zone); got != want {
			t.Errorf("ZoneName(%q) = %q, want %q", zone, got, want)
		}
	}
}

func TestRecurrenceIntervals(t *testing.T) {
	for rule, want := range map[string][2]string{
		"FREQ=WEEKLY;INTERVAL=2;BYDAY=TH": {"every 2 weeks on Thursday", "раз в 2 недели, четверг"},
		"FREQ=WEEKLY;INTERVAL=3":          {"every 3 weeks", "раз в 3 недели"},
		"FREQ=DAILY;INTERVAL=3":           {"every 3 days", "каждые 3 дня"},
		"FREQ=DAILY;INTERVAL=5":           {"every 5 days", "каждые 5 дней"},
		"FREQ=WEEKLY;BYDAY=TH":            {"every Thursday", "каждый четверг"},
	} {
		if en, ru := Recurrence("en", rule), Recurrence("ru", rule); en != want[0] || ru != want[1] {
			t.Errorf("%s: %q / %q, want %q", rule, en, ru, want)
		}
	}
}

func TestDayHeader(t *testing.T) {
	today := core.Date{Year: 2026, Month: 12, Day: 3} // a Thursday
	for _, c := range []struct {
		lang string
		d    core.Date
		want string
	}{
		{"ru", today.AddDays(6), "среду, 9 декабря"}, {"ru", today.AddDays(1), "завтра"}, {"ru", today.AddDays(8), "пятницу, 11 декабря"},
		{"en", today.AddDays(5), "Tuesday, 8 Dec"}, {"en", today, "today"},
	} {
		if got := DayHeader(c.lang, c.d, today); got != c.want {
			t.Errorf("DayHeader(%s, %s) = %q, want %q", c.lang, c.d, got, c.want)
		}
	}
}

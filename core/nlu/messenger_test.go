package nlu

import (
	"testing"
	"time"
)

// TestThousandsSeparators: a comma before three digits groups thousands, whatever follows the
// group ("1,200$", "1,250.50", "1,200, then"); before one or two digits it is a decimal comma.
func TestThousandsSeparators(t *testing.T) {
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	for text, want := range map[string]float64{
		"mrr +1,200$":          1200,
		"revenue +$1,250.50":   1250.5,
		"revenue 1,200,000":    1200000,
		"sold 1,200, then 300": 1200,
		"revenue +1,200":       1200,
		"выручка +1,5 млн":     1500000,
		"выручка 1,5":          1.5,
		"расходы 12,345.":      12345,
	} {
		r := Parse(text, Options{Now: now})
		if r.Value == nil || *r.Value != want {
			t.Errorf("%q: value %v, want %v", text, r.Value, want)
		}
	}
}

// TestSlangDays: messenger spellings of tomorrow and today are days, and leave the title.
func TestSlangDays(t *testing.T) {
	now := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	for text, want := range map[string][2]string{
		"2moro 9am gym": {"2026-12-04", "gym"},
		"тмрв в 9 отправить счет": {"2026-12-04", "отправить счет"},
		"завтро позвонить Ивану":  {"2026-12-04", "позвонить Ивану"},
		"2day call mom at 5pm":    {"2026-12-03", "call mom"},
		"2MORO send the deck":     {"2026-12-04", "send the deck"},
	} {
		r := Parse(text, Options{Now: now})
		if r.Due == nil || r.Due.String() != want[0] || r.Title == nil || *r.Title != want[1] {
			t.Errorf("%q: due %v, title %v; want %v", text, r.Due, r.Title, want)
		}
	}
	if got := slangDays.Replace("watch 2morrowland, not 2moro"); got != "watch 2morrowland, not tomorrow" {
		t.Errorf("replaced %q", got)
	}
}

// TestCorrections: "нет, на среду" and the like correct the day or time of the task in view (a
// reschedule without a title); a message saying more than a day or time is not one.
func TestCorrections(t *testing.T) {
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC) // a Thursday
	for text, want := range map[string]string{
		"нет, на среду":             "2026-12-09",
		"а лучше на четверг в 10":   "2026-12-10 10:00",
		"лучше завтра":              "2026-12-04",
		"no, thursday":              "2026-12-10",
		"actually make it thursday": "2026-12-10",
		"wait, tuesday instead":     "2026-12-08",
		"nope, monday 9am":          "2026-12-07 09:00",
		"make it 4pm":               " 16:00",
	} {
		r := Parse(text, Options{Now: now})
		got := ""
		if r.Due != nil {
			got = r.Due.String()
		}
		if r.Time != nil {
			got += " " + r.Time.String()
		}
		if r.Intent != IntentRescheduleTask || r.Title != nil || got != want {
			t.Errorf("%q: %s %v %q, want a reschedule to %q", text, r.Intent, r.Title, got, want)
		}
	}
	for _, text := range []string{"нет", "нетворкинг в пятницу", "no meetings tomorrow", "нет времени на спорт завтра", "make it 2 hours", "november plan"} {
		if r := Parse(text, Options{Now: now}); r.Intent == IntentRescheduleTask && r.Title == nil {
			t.Errorf("%q read as a correction", text)
		}
	}
}

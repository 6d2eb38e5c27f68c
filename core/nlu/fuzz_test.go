package nlu

import (
	"math/rand"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func checkResult(t *testing.T, text string, r Result) {
	t.Helper()
	for name, s := range map[string]*string{"title": r.Title, "unit": r.Unit, "recurrence": r.Recurrence,
		"category": r.Category, "notes": r.Notes} {
		if s != nil && !utf8.ValidString(*s) {
			t.Fatalf("%q: %s is not valid UTF-8: %q", text, name, *s)
		}
	}
	if !utf8.ValidString(r.SettingValue) || !utf8.ValidString(r.Lang) {
		t.Fatalf("%q: invalid UTF-8 in setting value or lang", text)
	}
	if r.Due != nil {
		if _, ok := validDate(r.Due.Year, r.Due.Month, r.Due.Day); !ok {
			t.Fatalf("%q: invalid due %+v", text, *r.Due)
		}
	}
	if r.Time != nil && (*r.Time < 0 || *r.Time > 1439) {
		t.Fatalf("%q: invalid time %d", text, *r.Time)
	}
	if r.EndTime != nil && (*r.EndTime < 0 || *r.EndTime > 1439) {
		t.Fatalf("%q: invalid end time %d", text, *r.EndTime)
	}
	if r.Priority != nil && (*r.Priority < 1 || *r.Priority > 4) {
		t.Fatalf("%q: priority %d", text, *r.Priority)
	}
	if r.DurationMin != nil && *r.DurationMin <= 0 {
		t.Fatalf("%q: duration %d", text, *r.DurationMin)
	}
	if r.Confidence < 0 || r.Confidence > 1 {
		t.Fatalf("%q: confidence %v", text, r.Confidence)
	}
	if r.Lang != "ru" && r.Lang != "en" {
		t.Fatalf("%q: lang %q", text, r.Lang)
	}
	if len(r.Alternatives) > 3 || len(r.Alternatives) > 0 && (r.Alternatives[0].Intent != r.Intent || r.Alternatives[0].Confidence != r.Confidence) {
		t.Fatalf("%q: alternatives %+v for %s %.3f", text, r.Alternatives, r.Intent, r.Confidence)
	}
	for i := 1; i < len(r.Alternatives); i++ {
		if r.Alternatives[i].Confidence > r.Alternatives[i-1].Confidence {
			t.Fatalf("%q: alternatives out of order: %+v", text, r.Alternatives)
		}
	}
}

// modelIntents are the intents ParseAs is fuzzed with.
var modelIntents = []Intent{IntentCreateTask, IntentCreateGoal, IntentCompleteTask, IntentRescheduleTask, IntentLogProgress,
	IntentDelete, IntentEdit, IntentListTasks, IntentSettings, IntentReflect, IntentPlanGoal, IntentUndo, IntentUnknown}

func FuzzParse(f *testing.F) {
	for _, c := range loadCorpus(f) {
		f.Add(c.Text)
	}
	for _, s := range []string{"", " ", "\xff\xfe", "/", "/@", "/new@", "+", "+$", "$", "1.", "1..2", "99999999999999999999 млн",
		"29.02", "31.04", "в 24", "at 0am", "каждые 0 дней", "every 99999 days", "через 99999 лет", "Q0", "Q5", "p0", "p9",
		"стресс 99", "energy -1", "тихие часы с 25 до 99", "1 000 000 000 000 000", "-", "—", "\u0301", "й\u0306", "a'-'b"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("MSK", 3*3600))
	f.Fuzz(func(t *testing.T, text string) {
		checkResult(t, text, Parse(text, Options{Now: now}))
		for _, in := range modelIntents {
			if r := ParseAs(text, in, Options{Now: now}); r.Intent != in {
				t.Fatalf("ParseAs(%q, %s) = %s", text, in, r.Intent)
			}
		}
		_ = NamesMove(text)
		_ = MatchScore(text, "позвонить Ивану")
		_, _ = CityTimezone(text)
	})
}

func TestParseLongInputs(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	alphabet := []rune("abcdefghijklmnopqrstuvwxyzабвгдеёжзийклмнопрстуфхцчшщыэюя0123456789 .,:;!?+-/$%@€₽😀\n\t")
	var random strings.Builder
	for random.Len() < 10<<10 {
		random.WriteRune(alphabet[rng.Intn(len(alphabet))])
	}
	dates := []string{"завтра в 10", "20 марта", "20.03.2027", "next Monday", "через 3 дня", "к концу квартала",
		"в 3 часа дня", "каждый понедельник", "Q3", "2027-03-20", "on March 20th", "срочно", "1,5 часа", "+50к"}
	var many strings.Builder
	for k := 0; many.Len() < 10<<10; k++ {
		many.WriteString(dates[k%len(dates)])
		many.WriteString(" созвон ")
	}
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	tests := []struct{ name, text string }{
		{"random", random.String()},
		{"many dates", many.String()},
		{"one long word", strings.Repeat("я", 5<<10)},
		{"digits", strings.Repeat("1", 10<<10)},
		{"punctuation", strings.Repeat("!.", 5<<10)},
		{"invalid utf8", strings.Repeat("\xff", 10<<10)},
		{"big", strings.Repeat("завтра ", 20<<10)},
	}
	for _, tt := range tests {
		start := time.Now()
		r := Parse(tt.text, Options{Now: now})
		if d := time.Since(start); d > 200*time.Millisecond {
			t.Errorf("%s: took %v", tt.name, d)
		}
		checkResult(t, tt.name, r)
		for _, in := range modelIntents {
			start := time.Now()
			checkResult(t, tt.name, ParseAs(tt.text, in, Options{Now: now}))
			if d := time.Since(start); d > 200*time.Millisecond {
				t.Errorf("%s: took %v to read as %s", tt.name, d, in)
			}
		}
	}
}

func TestParseNeverEscapes(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	r := Parse("<b>купить</b> молоко & хлеб завтра", Options{Now: now})
	if r.Title == nil || *r.Title != "<b>купить</b> молоко & хлеб" {
		t.Errorf("title = %v", r.Title)
	}
}

func TestParseZeroNow(t *testing.T) {
	r := Parse("завтра созвон", Options{})
	checkResult(t, "zero now", r)
}

package nlu

import (
	"testing"
)

// TestTitleEdges pins what a cold review found in titles and slots: a title keeps the
// punctuation of its own name and drops a name's enclosing quotes, never ends on a preposition,
// is never the new name or figure of an edit; a bare hour after a day is a time only at the very
// end after a day; an estimate said first is not a time said in words.
func TestTitleEdges(t *testing.T) {
	now := TrainNow
	for _, c := range []struct {
		text, title string // "" for no check, "-" for no title
		not         string // a title it must not be
		time        string // "-" for none
		dur         int    // -1 for none
	}{
		{text: "выучить C++ до лета", title: "выучить C++"},
		{text: "отправить счёт для ООО «Вектор» к пятнице", title: "отправить счёт для ООО «Вектор»"},
		{text: "задача: «обновить прайс» до пт", title: "обновить прайс"},
		{text: "сделать закупку на неделю", not: "сделать закупку на"},
		{text: "rename the goal to 50 b2b clients", not: "b2b"},
		{text: "set the target of goal 3 to 500", not: "3"},
		{text: "созвон часов 5 вечера", time: "17:00", dur: -1},
		{text: "минут сорок пять поговорить с Олегом", dur: -1},
		{text: "разобрать лиды минут 45", title: "разобрать лиды", dur: 45},
		{text: "минут на 40 ответить на заявки", title: "ответить на заявки", dur: 40},
		{text: "отчёт к пт 2", time: "-"},
		{text: "book flights next week 3", time: "-"},
		{text: "поднять цены с пн 10%", time: "-"},
		{text: "сделать макеты завтра 2+", time: "-"},
		{text: "встреча с дендрологом вт 3", title: "встреча с дендрологом", time: "15:00"},
		{text: "arborist meeting tue 3", title: "arborist meeting", time: "15:00"},
	} {
		r := Parse(c.text, Options{Now: now})
		got := "-"
		if r.Title != nil {
			got = *r.Title
		}
		if c.title != "" && got != c.title || c.not != "" && got == c.not {
			t.Errorf("%q: title %q, want %q (not %q)", c.text, got, c.title, c.not)
		}
		tm := "-"
		if r.Time != nil {
			tm = r.Time.String()
		}
		if c.time != "" && tm != c.time {
			t.Errorf("%q: time %s, want %s", c.text, tm, c.time)
		}
		d := -1
		if r.DurationMin != nil {
			d = *r.DurationMin
		}
		if c.dur != 0 && d != c.dur {
			t.Errorf("%q: estimate %d, want %d", c.text, d, c.dur)
		}
	}
}

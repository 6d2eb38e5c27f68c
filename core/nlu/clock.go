package nlu

import (
	"strings"

	"github.com/bizconnect/bizconnect/core"
)

// timePreps introduce a time of day; after them a bare hour ("в 11", "at 3") is a time.
var timePreps = set("в", "во", "at", "к", "by", "с", "со", "from", "до", "till", "until", "около", "around", "после", "after")

// rangeWords join the start and end of a time range ("с 22 до 8", "9-11", "from 9 to 5").
var rangeWords = set("до", "по", "to", "till", "until")

// notAfterHour are words after a number that show it is not an hour ("в 3 раза", "в 2 квартале").
var notAfterHour = set("раз", "раза", "процентов", "процента", "percent", "к", "k", "тыс", "млн", "m",
	"человек", "people", "times", "клиентов", "клиента")

// dayParts are soft times: a part of the day without an exact time.
var dayParts = map[string]core.ClockTime{
	"утром": core.NewClockTime(9, 0), "morning": core.NewClockTime(9, 0),
	"днем": core.NewClockTime(14, 0), "afternoon": core.NewClockTime(14, 0),
	"вечером": core.NewClockTime(19, 0), "evening": core.NewClockTime(19, 0), "tonight": core.NewClockTime(20, 0),
}

// matchTime recognises a time of day or a time range starting at token i.
func matchTime(p *parser, i int) hit {
	t := p.toks[i]
	switch {
	case t.kind == tkNum:
		return p.timeRange(i, 0, p.clockAt(i, false))
	case t.kind == tkPunct && t.s == "@":
		return p.timeRange(i, 1, p.clockAt(i+1, true))
	case t.kind != tkWord:
		return hit{}
	}
	if h := p.namedTime(i); h.n > 0 {
		return h
	}
	if h := p.spokenTime(i); h.n > 0 {
		return h
	}
	if _, ok := spelled[t.s]; ok { // "семь вечера", "three pm"
		return p.timeRange(i, 0, p.clockAt(i, false))
	}
	if timePreps[t.s] {
		if h := p.namedTime(i + 1); h.n > 0 && !h.soft {
			h.n++
			return h
		}
		if h := p.spokenTime(i + 1); h.n > 0 {
			h.n++
			return h
		}
		h := p.timeRange(i, 1, p.clockAt(i+1, true))
		if (t.s == "с" || t.s == "со" || t.s == "from") && h.bare && !h.hasEnd {
			return hit{} // "созвон с 2 подрядчиками", "quotes from 4 shops": a count, not a time
		}
		return h
	}
	return hit{}
}

// timeRange extends a clock hit that starts after skip tokens with an optional "- 18:00" end.
func (p *parser) timeRange(i, skip int, h hit) hit {
	if h.n == 0 {
		return hit{}
	}
	h.n += skip
	j := i + h.n
	if p.punct(j, "-") || p.punct(j, "–") || p.punct(j, "—") || rangeWords[p.w(j)] {
		if e := p.clockAt(j+1, true); e.n > 0 {
			h.hasEnd, h.end = true, e.clock
			h.n += 1 + e.n
		}
	}
	return h
}

// namedTime handles noon, midnight, "в час дня" and parts of the day.
func (p *parser) namedTime(i int) hit {
	w := p.w(i)
	switch w {
	case "noon", "midday", "полдень":
		return hit{n: 1, kind: skTime, hasClock: true, clock: core.NewClockTime(12, 0)}
	case "midnight", "полночь":
		return hit{n: 1, kind: skTime, hasClock: true, clock: 0}
	case "час":
		if !timePreps[p.w(i-1)] {
			return hit{}
		}
		switch p.w(i + 1) {
		case "ночи":
			return hit{n: 2, kind: skTime, hasClock: true, clock: core.NewClockTime(1, 0)}
		case "дня":
			return hit{n: 2, kind: skTime, hasClock: true, clock: core.NewClockTime(13, 0)}
		}
		return hit{n: 1, kind: skTime, hasClock: true, clock: core.NewClockTime(13, 0)}
	}
	if c, ok := dayParts[w]; ok && !(w == "днем" && (p.w(i-1) == "с" || p.w(i+1) == "рождения")) { // "с днём рождения"
		h := hit{n: 1, kind: skTime, hasClock: true, clock: c, soft: true}
		if w == "tonight" {
			h.hasDate, h.date = true, p.today
		}
		return h
	}
	return hit{}
}

// clockAt reads a clock time at token j: "15:30", "3pm", "3:30 pm", "8 утра", "3 часа дня";
// with afterPrep a bare hour ("11") is accepted as well.
func (p *parser) clockAt(j int, afterPrep bool) hit {
	h, word := p.numberAt(j)
	if h < 0 || h > 24 || p.digits(j) > 2 || word && h > 12 {
		return hit{}
	}
	if p.punct(j+1, ",") && p.adj(j+1) && p.digits(j+2) == 3 && p.adj(j+2) {
		return hit{} // "at 9,400": a figure, not nine o'clock
	}
	k, m, hasMin := j+1, 0, false
	if p.punct(k, ":") && p.adj(k) && p.digits(k+1) == 2 && p.adj(k+1) && p.num(k+1) < 60 {
		m, hasMin, k = p.num(k+1), true, k+2
	} else if mm, ok := p.spokenMinutes(k, word); ok && (afterPrep || word || h >= 7) {
		m, hasMin, k = mm, true, k+1 // "16 30", "three thirty"
	}
	hourWord := false
	if hourUnit[p.w(k)] && p.w(k) != "h" && !hasMin {
		hourWord = true
		k++
	}
	mer, n := p.meridiem(k)
	k += n
	if mer == "" && !hasMin && !afterPrep {
		return hit{}
	}
	if mer == "" && !hasMin && !hourWord && (!p.bareHourOK(k) || p.dateFromNumber(j).n > 0) {
		return hit{}
	}
	hh, ok := applyMeridiem(h, mer)
	if !ok || hh > 23 {
		return hit{}
	}
	zeroPadded := p.digits(j) == 2 && strings.HasPrefix(p.toks[j].s, "0") // "02:14" is a 24-hour clock: two at night
	return hit{n: k - j, kind: skTime, hasClock: true, clock: core.NewClockTime(hh, m), bare: mer == "" && (!hasMin || h >= 1 && h <= 6 && !zeroPadded)}
}

// bareHourOK reports whether a bare hour may end before token k.
func (p *parser) bareHourOK(k int) bool {
	if k >= len(p.toks) {
		return true
	}
	t := p.toks[k]
	switch t.kind {
	case tkNum:
		return false
	case tkPunct:
		return t.s != "." && t.s != "%" && t.s != "/" && t.s != ":" || (t.s == "." && !p.adj(k+1))
	}
	if notAfterHour[t.s] || dayUnit[t.s] || weekUnit[t.s] || monthUnit[t.s] || yearUnit[t.s] ||
		quarterUnit[t.s] || minuteUnit[t.s] || ordSuffix[t.s] || t.s == "числа" || t.s == "число" {
		return false
	}
	_, isMonth := monthWords[t.s]
	return !isMonth
}

// meridiem reads "am", "pm", "a.m.", "утра", "дня", "вечера", "ночи" at k.
func (p *parser) meridiem(k int) (string, int) {
	switch w := p.w(k); w {
	case "am", "pm", "утра", "дня", "вечера", "ночи":
		return w, 1
	case "a", "p":
		if p.punct(k+1, ".") && p.adj(k+1) && p.w(k+2) == "m" && p.adj(k+2) {
			n := 3
			if p.punct(k+3, ".") && p.adj(k+3) {
				n = 4
			}
			return w + "m", n
		}
	}
	return "", 0
}

// applyMeridiem converts an hour written with a part of day to 0..23.
func applyMeridiem(h int, mer string) (int, bool) {
	switch mer {
	case "am", "утра":
		if h < 1 || h > 12 {
			return h, mer == "утра" && h == 0
		}
		if h == 12 {
			return 0, true
		}
		return h, true
	case "pm":
		if h < 1 || h > 12 {
			return h, false
		}
		if h == 12 {
			return 12, true
		}
		return h + 12, true
	case "дня":
		if h >= 1 && h <= 6 {
			return h + 12, true
		}
		return h, h <= 12
	case "вечера":
		if h >= 1 && h < 12 {
			return h + 12, true
		}
		return h, h <= 23
	case "ночи":
		if h == 12 {
			return 0, true
		}
		return h, h <= 5 || h == 12
	}
	return h, h <= 23
}

package nlu

import (
	"strconv"
	"strings"
	"time"

	"github.com/bizconnect/bizconnect/core"
)

type freq uint8

const (
	freqDaily freq = iota + 1
	freqWeekly
	freqMonthly
	freqYearly
)

// recurrence is a parsed repeat rule; BYDAY or BYMONTHDAY default to today's when empty.
type recurrence struct {
	freq     freq
	interval int
	days     []time.Weekday
	monthDay int
}

var everyWords = set("каждый", "каждую", "каждое", "каждые", "каждого", "каждой", "every", "each", "evry", "evey")

var adverbRules = map[string]freq{
	"ежедневно": freqDaily, "ежедневный": freqDaily, "ежедневная": freqDaily, "daily": freqDaily, "everyday": freqDaily,
	"еженедельно": freqWeekly, "еженедельный": freqWeekly, "weekly": freqWeekly,
	"ежемесячно": freqMonthly, "ежемесячный": freqMonthly, "monthly": freqMonthly,
	"ежегодно": freqYearly, "ежегодный": freqYearly, "yearly": freqYearly, "annually": freqYearly,
}

var weekdaysMF = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
var weekendDays = []time.Weekday{time.Saturday, time.Sunday}

// matchRecurrence recognises "каждый понедельник", "по будням", "every 2 weeks", "daily",
// "раз в неделю", "on the 1st of every month".
func matchRecurrence(p *parser, i int) hit {
	w := p.w(i)
	if w == "" {
		return p.monthDayRule(i)
	}
	if f, ok := adverbRules[w]; ok {
		return recHit(1, &recurrence{freq: f})
	}
	switch {
	case everyWords[w]:
		return p.everyRule(i)
	case w == "по" || w == "on":
		return p.pluralDays(i+1, 1)
	case w == "раз" || w == "once":
		return p.onceA(i)
	case w == "biweekly":
		return recHit(1, &recurrence{freq: freqWeekly, interval: 2})
	case w == "weekdays" || w == "wkdays" || w == "wkdys" || w == "weekdys":
		return recHit(1, &recurrence{freq: freqWeekly, days: weekdaysMF})
	case w == "weekends":
		return recHit(1, &recurrence{freq: freqWeekly, days: weekendDays})
	}
	if _, ok := weekdayPlural[w]; ok {
		return p.pluralDays(i, 0)
	}
	return hit{}
}

func recHit(n int, r *recurrence) hit { return hit{n: n, kind: skRecur, rec: r} }

// everyRule handles what follows "каждый"/"every".
func (p *parser) everyRule(i int) hit {
	j := i + 1
	interval := 1
	if n := p.num(j); n > 1 && n < 100 && !p.isMonthDayAt(j) {
		interval, j = n, j+1
	} else if n, ok := numberWords[p.w(j)]; ok && n > 1 {
		interval, j = n, j+1
	} else if p.w(j) == "other" || p.w(j) == "second" {
		interval, j = 2, j+1
	}
	w := p.w(j)
	r := &recurrence{interval: interval}
	n := j - i + 1
	switch {
	case dayUnit[w]:
		r.freq = freqDaily
	case weekUnit[w]:
		r.freq = freqWeekly
	case monthUnit[w]:
		r.freq = freqMonthly
		if d, k := p.monthDaySuffix(j + 1); k > 0 {
			r.monthDay, n = d, n+k
		}
	case yearUnit[w]:
		r.freq = freqYearly
	case w == "утро" || w == "morning" || w == "вечер" || w == "evening":
		r.freq = freqDaily
	case w == "будний" || w == "рабочий" || w == "weekday" || w == "workday" || w == "будние" || w == "рабочие":
		r.freq, r.days = freqWeekly, weekdaysMF
		if dayUnit[p.w(j+1)] {
			n++
		}
	case w == "выходные" || w == "weekend":
		r.freq, r.days = freqWeekly, weekendDays
	case isWeekday(w):
		return p.dayList(i, j, interval)
	default:
		if d, k := p.monthDayOrdinal(j); k > 0 {
			r.freq, r.monthDay, n = freqMonthly, d, j-i+k
			break
		}
		return hit{}
	}
	return recHit(n, r)
}

// dayList reads "понедельник и среду", "mon, wed and fri" starting at j.
func (p *parser) dayList(i, j, interval int) hit {
	r := &recurrence{freq: freqWeekly, interval: interval}
	end := j
	for k := j; k < len(p.toks); k++ {
		w := p.w(k)
		wd, ok := weekdayWords[w]
		if !ok {
			wd, ok = weekdayPlural[w]
		}
		if ok {
			r.days = append(r.days, wd)
			end = k + 1
			continue
		}
		if w == "и" || w == "and" || p.punct(k, ",") || p.punct(k, "&") || everyWords[w] {
			continue
		}
		break
	}
	return recHit(end-i, r)
}

// pluralDays handles "по понедельникам (и средам)", "on mondays", "по будням", "по выходным",
// "по утрам"; skip is the number of tokens before j that belong to the phrase.
func (p *parser) pluralDays(j, skip int) hit {
	w := p.w(j)
	switch w {
	case "будням", "будним", "рабочим", "weekdays":
		n := 1
		if dayUnit[p.w(j+1)] || p.w(j+1) == "дням" {
			n++
		}
		return recHit(skip+n, &recurrence{freq: freqWeekly, days: weekdaysMF})
	case "выходным", "weekends":
		return recHit(skip+1, &recurrence{freq: freqWeekly, days: weekendDays})
	case "утрам", "вечерам":
		return recHit(skip+1, &recurrence{freq: freqDaily})
	}
	if _, ok := weekdayPlural[w]; !ok {
		return hit{}
	}
	h := p.dayList(j, j, 1)
	h.n += skip
	return h
}

// onceA handles "раз в неделю", "once a month", "раз в две недели".
func (p *parser) onceA(i int) hit {
	j := i + 1
	if w := p.w(j); w != "в" && w != "a" && w != "per" {
		return hit{}
	}
	j++
	interval := 1
	if n, ok := numberWords[p.w(j)]; ok && n > 1 {
		interval, j = n, j+1
	}
	r := &recurrence{interval: interval}
	switch w := p.w(j); {
	case dayUnit[w]:
		r.freq = freqDaily
	case weekUnit[w]:
		r.freq = freqWeekly
	case monthUnit[w]:
		r.freq = freqMonthly
	case yearUnit[w]:
		r.freq = freqYearly
	default:
		return hit{}
	}
	return recHit(j-i+1, r)
}

// monthDayOrdinal reads "1-е число", "15-го числа", "1st", "the 1st of the month" at j.
func (p *parser) monthDayOrdinal(j int) (int, int) {
	k := j
	if p.w(k) == "the" {
		k++
	}
	d := p.num(k)
	if d < 1 || d > 31 {
		return 0, 0
	}
	e := p.skipOrdinal(k + 1)
	switch w := p.w(e); {
	case w == "число" || w == "числа":
		return d, e - j + 1
	case e > k+1 && (p.w(e) == "of" || p.w(e) == "day"):
		e++
		for p.w(e) == "the" || p.w(e) == "every" || p.w(e) == "each" || monthUnit[p.w(e)] || p.w(e) == "of" {
			e++
		}
		return d, e - j
	case e > k+1:
		return d, e - j
	}
	return 0, 0
}

// isMonthDayAt reports whether j starts a day-of-month ("1-е число") rather than an interval.
func (p *parser) isMonthDayAt(j int) bool {
	e := p.skipOrdinal(j + 1)
	return e > j+1 || p.w(e) == "число" || p.w(e) == "числа"
}

// monthDaySuffix reads "on the 15th" or "15-го числа" after "every month"/"каждый месяц".
func (p *parser) monthDaySuffix(j int) (int, int) {
	k := j
	if w := p.w(k); w == "on" || w == "в" {
		k++
	}
	d, n := p.monthDayOrdinal(k)
	if n == 0 {
		return 0, 0
	}
	return d, k - j + n
}

// monthDayRule handles "1-го числа каждого месяца", "1st of every month" starting at a number.
func (p *parser) monthDayRule(i int) hit {
	if p.num(i) < 1 {
		return hit{}
	}
	d, n := p.monthDayOrdinal(i)
	if n == 0 {
		return hit{}
	}
	j := i + n
	if p.w(j-1) == "month" || p.w(j-1) == "months" {
		return recHit(n, &recurrence{freq: freqMonthly, monthDay: d})
	}
	if everyWords[p.w(j)] && monthUnit[p.w(j+1)] {
		return recHit(n+2, &recurrence{freq: freqMonthly, monthDay: d})
	}
	return hit{}
}

var byDay = [...]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// rrule renders r as an RFC 5545 RRULE value, filling BYDAY/BYMONTHDAY from today.
func (r *recurrence) rrule(today core.Date) string {
	var b strings.Builder
	b.WriteString("FREQ=")
	b.WriteString([...]string{"", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"}[r.freq])
	if r.interval > 1 {
		b.WriteString(";INTERVAL=" + strconv.Itoa(r.interval))
	}
	switch r.freq {
	case freqWeekly:
		b.WriteString(";BYDAY=")
		for k, d := range r.weekdays(today) {
			if k > 0 {
				b.WriteByte(',')
			}
			b.WriteString(byDay[d])
		}
	case freqMonthly:
		b.WriteString(";BYMONTHDAY=" + strconv.Itoa(r.dayOfMonth(today)))
	}
	return b.String()
}

func (r *recurrence) weekdays(today core.Date) []time.Weekday {
	if len(r.days) == 0 {
		return []time.Weekday{today.Weekday()}
	}
	return r.days
}

func (r *recurrence) dayOfMonth(today core.Date) int {
	if r.monthDay == 0 {
		return today.Day
	}
	return r.monthDay
}

// first is the first occurrence on or after today.
func (p *parser) firstOccurrence(r *recurrence) core.Date {
	switch r.freq {
	case freqWeekly:
		best := p.today.AddDays(7)
		for _, wd := range r.weekdays(p.today) {
			if d := p.nextWeekday(wd, true); d.Before(best) {
				best = d
			}
		}
		return best
	case freqMonthly:
		return p.nextMonthDay(r.dayOfMonth(p.today))
	}
	return p.today
}

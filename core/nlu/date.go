package nlu

import (
	"time"

	"github.com/bizconnect/bizconnect/core"
)

// matchDate recognises a calendar date starting at token i.
func matchDate(p *parser, i int) hit {
	var h hit
	switch p.toks[i].kind {
	case tkNum:
		h = p.dateFromNumber(i)
	case tkWord:
		h = p.dateFromWord(i)
	}
	if h.n > 0 && h.kind == skNone {
		h.kind = skDate
	}
	return h
}

func dateHit(n int, d core.Date, sort dateSort) hit {
	return hit{n: n, hasDate: true, date: d, sort: sort}
}

func (p *parser) dateFromWord(i int) hit {
	w := p.toks[i].s
	switch w {
	case "сегодня", "today", "сегодняшний", "сегодняшние":
		return dateHit(1, p.today, dsPlain)
	case "завтра", "tomorrow", "tmrw", "tmr", "завтрашний", "завтрашние":
		return dateHit(1, p.today.AddDays(1), dsPlain)
	case "послезавтра":
		return dateHit(1, p.today.AddDays(2), dsPlain)
	case "вчера", "yesterday":
		return dateHit(1, p.today.AddDays(-1), dsPlain)
	case "day":
		if p.w(i+1) == "after" && p.w(i+2) == "tomorrow" {
			return dateHit(3, p.today.AddDays(2), dsPlain)
		}
	case "через", "in", "within":
		return p.relative(i)
	case "eod":
		return dateHit(1, p.today, dsPlain)
	case "eow":
		return dateHit(1, p.endOfWeek(0), dsPeriodEnd)
	case "eom":
		return dateHit(1, endOfMonth(p.today), dsPeriodEnd)
	case "eoq":
		return dateHit(1, p.quarterEnd(quarterOf(p.today), p.today.Year), dsPeriodEnd)
	case "eoy":
		return dateHit(1, core.Date{Year: p.today.Year, Month: 12, Day: 31}, dsPeriodEnd)
	case "q", "кв":
		if i > p.firstContent() && !byWords[p.w(i-1)] && !endWords[p.w(i-1)] && p.w(i-1) != "of" && p.w(i-1) != "in" && p.w(i-1) != "в" && p.w(i-1) != "во" {
			return hit{} // "q4 report" names the report; "by q4", "к концу q2" are deadlines
		}
		return p.quarterToken(i)
	case "неделе", "неделю", "недели":
		if pw := p.w(i - 1); pw == "на" || pw == "за" {
			return dateHit(1, p.mondayOf(0), dsThisWeek)
		}
	case "week":
		// "for the week", "tasks for week": the week asked about; "plan the week" is a title.
		if pw := p.w(i - 1); pw == "for" || (pw == "the" && weekLead[p.w(i-2)]) {
			return dateHit(1, p.mondayOf(0), dsThisWeek)
		}
	case "выходных", "выходные", "weekend":
		return dateHit(1, p.nextWeekday(time.Saturday, true), dsPlain)
	}
	if endWords[w] {
		return p.periodEnd(i)
	}
	if h := p.midMonth(i); h.n > 0 {
		return h
	}
	if h := p.monthDeadline(i); h.n > 0 {
		return h
	}
	if nextWords[w] || thisWords[w] {
		return p.modified(i)
	}
	if wd, ok := weekdayWords[w]; ok {
		return p.bareWeekday(i, wd)
	}
	if _, ok := monthWords[w]; ok {
		return p.monthFirst(i)
	}
	return hit{}
}

var weekLead = set("for", "of", "during", "on", "through", "across")

func isWeekday(w string) bool {
	_, ok := weekdayWords[w]
	return ok
}

func (p *parser) bareWeekday(i int, wd time.Weekday) hit {
	if weekdayNeedsContext[p.toks[i].s] {
		switch p.w(i - 1) {
		case "on", "by", "until", "till", "next", "this", "to", "до", "в", "во", "на":
		default:
			// "sat at 12", "mon 2h", "review invoices mon": a time, an estimate or the end follows
			next := i + 1
			for p.punct(next, "?") || p.punct(next, "!") || p.punct(next, ".") {
				next++
			}
			if next < len(p.toks) && !timePreps[p.w(next)] && p.num(next) < 0 && p.spokenTime(next).n == 0 {
				return hit{}
			}
		}
	}
	return dateHit(1, p.nextWeekday(wd, false), dsPlain)
}

// modified handles "next/this/следующий/этот" followed by a weekday, week, month, quarter or year.
func (p *parser) modified(i int) hit {
	next := nextWords[p.toks[i].s]
	j := i + 1
	if p.punct(j, ".") && p.toks[i].s == "след" {
		j++
	}
	w := p.w(j)
	n := j - i + 1
	switch {
	case w == "":
		return hit{}
	case isWeekday(w):
		wd := weekdayWords[w]
		if next {
			return dateHit(n, p.mondayOf(1).AddDays(weekIndex(wd)), dsPlain)
		}
		d := p.mondayOf(0).AddDays(weekIndex(wd))
		if d.Before(p.today) {
			d = p.nextWeekday(wd, false)
		}
		return dateHit(n, d, dsPlain)
	case weekUnit[w]:
		if next {
			return dateHit(n, p.mondayOf(1), dsNextWeek)
		}
		return dateHit(n, p.mondayOf(0), dsThisWeek)
	case monthUnit[w]:
		if next {
			m := core.DateOf(time.Date(p.today.Year, p.today.Month+1, 1, 0, 0, 0, 0, time.UTC))
			return dateHit(n, m, dsPlain)
		}
		return dateHit(n, endOfMonth(p.today), dsPeriodEnd)
	case quarterUnit[w]:
		q, y := quarterOf(p.today), p.today.Year
		if next {
			if q++; q > 4 {
				q, y = 1, y+1
			}
		}
		return dateHit(n, p.quarterEnd(q, y), dsPeriodEnd)
	case yearUnit[w]:
		if next {
			return dateHit(n, core.Date{Year: p.today.Year + 1, Month: 1, Day: 1}, dsPlain)
		}
		return dateHit(n, core.Date{Year: p.today.Year, Month: 12, Day: 31}, dsPeriodEnd)
	case w == "weekend" || w == "выходные" || w == "выходных":
		d := p.nextWeekday(time.Saturday, true)
		if next {
			d = p.mondayOf(1).AddDays(5)
		}
		return dateHit(n, d, dsPlain)
	}
	return hit{}
}

// periodEnd handles "end of the week/month/quarter/Q3/year", "к концу 3 квартала".
func (p *parser) periodEnd(i int) hit {
	j := i + 1
	next := false
	for ; j < len(p.toks); j++ {
		w := p.w(j)
		if w == "of" || w == "the" || (thisWords[w] && w != "coming") {
			continue
		}
		if nextWords[w] {
			next = true
			continue
		}
		break
	}
	w := p.w(j)
	if m, ok := monthWords[w]; ok && p.num(j+1) < 0 { // "до конца апреля", "by end of March"
		return dateHit(j-i+1, p.nextMonthEnd(m), dsPeriodEnd)
	}
	switch {
	case dayUnit[w] && w != "дней" && w != "days": // "до конца дня", "end of day"
		return dateHit(j-i+1, p.today, dsPlain)
	case weekUnit[w]:
		if next {
			return dateHit(j-i+1, p.mondayOf(1).AddDays(4), dsPeriodEnd)
		}
		return dateHit(j-i+1, p.endOfWeek(0), dsPeriodEnd)
	case monthUnit[w]:
		d := endOfMonth(p.today)
		if next {
			d = endOfMonth(d.AddDays(1))
		}
		return dateHit(j-i+1, d, dsPeriodEnd)
	case quarterUnit[w]:
		q, y := quarterOf(p.today), p.today.Year
		if next {
			if q++; q > 4 {
				q, y = 1, y+1
			}
		}
		return dateHit(j-i+1, p.quarterEnd(q, y), dsPeriodEnd)
	case yearUnit[w]:
		y := p.today.Year
		if next {
			y++
		}
		return dateHit(j-i+1, core.Date{Year: y, Month: 12, Day: 31}, dsPeriodEnd)
	case w == "q" || w == "кв":
		h := p.quarterToken(j)
		if h.n > 0 {
			h.n += j - i
		}
		return h
	}
	if y := p.num(j); y >= 2000 && y <= 2100 && p.digits(j) == 4 { // "к концу 2027"
		return dateHit(j-i+1, core.Date{Year: y, Month: 12, Day: 31}, dsPeriodEnd)
	}
	if p.num(j) > 0 {
		h := p.dateFromNumber(j)
		if h.n > 0 && h.sort == dsPeriodEnd {
			h.n += j - i
			return h
		}
	}
	return hit{}
}

// quarterToken handles "Q3", "Q3 2027", "кв 2".
func (p *parser) quarterToken(i int) hit {
	j := i + 1
	if p.punct(j, ".") {
		j++
	}
	q := p.num(j)
	if q < 1 || q > 4 || p.digits(j) != 1 {
		return hit{}
	}
	if y, n := p.yearAt(j + 1); n > 0 {
		return dateHit(j-i+1+n, quarterEndIn(q, y), dsPeriodEnd)
	}
	return dateHit(j-i+1, p.quarterEnd(q, 0), dsPeriodEnd)
}

// relative handles "через 3 дня", "in 2 weeks", "через месяц", "in an hour", "через 30 минут".
func (p *parser) relative(i int) hit {
	j := i + 1
	count, counted := 1, false
	if n := p.num(j); n >= 0 && p.digits(j) <= 4 {
		count, counted = n, true
		j++
	} else if n, ok := numberWords[p.w(j)]; ok {
		count, counted = n, true
		j++
		if p.w(j) == "of" {
			j++
		}
	}
	in := p.toks[i].s != "через"
	if in && !counted {
		return hit{}
	}
	w := p.w(j)
	if w == "полчаса" || (w == "half" && (p.w(j+1) == "an" || p.w(j+1) == "a") && p.w(j+2) == "hour") {
		n := j - i + 1
		if w == "half" {
			n += 2
		}
		return p.clockAfter(n, 30*time.Minute)
	}
	n := j - i + 1
	t := p.today.In(time.UTC)
	switch {
	case dayUnit[w]:
		return dateHit(n, core.DateOf(t.AddDate(0, 0, count)), dsPlain)
	case weekUnit[w]:
		return dateHit(n, core.DateOf(t.AddDate(0, 0, 7*count)), dsPlain)
	case monthUnit[w]:
		return dateHit(n, core.DateOf(t.AddDate(0, count, 0)), dsPlain)
	case yearUnit[w]:
		return dateHit(n, core.DateOf(t.AddDate(count, 0, 0)), dsPlain)
	case hourUnit[w] && w != "h":
		return p.clockAfter(n, time.Duration(count)*time.Hour)
	case minuteUnit[w] && w != "m":
		return p.clockAfter(n, time.Duration(count)*time.Minute)
	}
	return hit{}
}

// clockAfter is the wall-clock date and time d after now, in the user's zone (DST-safe).
func (p *parser) clockAfter(n int, d time.Duration) hit {
	t := p.now.Add(d)
	return hit{n: n, kind: skTime, hasDate: true, date: core.DateOf(t), hasClock: true,
		clock: core.NewClockTime(t.Hour(), t.Minute())}
}

// dateFromNumber handles numeric dates, "20 марта", "20-го марта 2027", "15 числа", "3 квартал".
func (p *parser) dateFromNumber(i int) hit {
	if h := p.numericDate(i); h.n > 0 {
		return h
	}
	n := p.num(i)
	if n < 1 || n > 31 {
		return hit{}
	}
	j := p.skipOrdinal(i + 1)
	if p.w(j) == "of" {
		j++
	}
	w := p.w(j)
	if m, ok := monthWords[w]; ok {
		return p.dayMonth(n, m, j-i+1, j+1)
	}
	switch {
	case w == "числа" || w == "число":
		return dateHit(j-i+1, p.nextMonthDay(n), dsPlain)
	case quarterUnit[w] && n >= 1 && n <= 4:
		if y, k := p.yearAt(j + 1); k > 0 {
			return dateHit(j-i+1+k, quarterEndIn(n, y), dsPeriodEnd)
		}
		return dateHit(j-i+1, p.quarterEnd(n, 0), dsPeriodEnd)
	}
	return p.dayOrdinal(i, n, p.skipOrdinal(i+1))
}

// skipOrdinal skips "-го", "го", "th", "-й" right after a number.
func (p *parser) skipOrdinal(j int) int {
	if p.punct(j, "-") && p.adj(j) && ordSuffix[p.w(j+1)] && p.adj(j+1) {
		return j + 2
	}
	if ordSuffix[p.w(j)] && p.adj(j) {
		return j + 1
	}
	return j
}

// dayMonth builds a date from a day and month consumed in n tokens, with an optional year at j.
func (p *parser) dayMonth(day int, m time.Month, n, j int) hit {
	if y, k := p.yearAt(j); k > 0 {
		if d, ok := validDate(y, m, day); ok {
			return dateHit(n+k, d, dsPlain)
		}
		return hit{}
	}
	if d, ok := p.nextDayMonth(m, day); ok {
		return dateHit(n, d, dsPlain)
	}
	return hit{}
}

// monthFirst handles "March 20", "Mar 20th, 2027".
func (p *parser) monthFirst(i int) hit {
	m := monthWords[p.toks[i].s]
	j := i + 1
	if p.w(j) == "the" {
		j++
	}
	day := p.num(j)
	if day < 1 || day > 31 || p.digits(j) > 2 {
		return hit{}
	}
	j = p.skipOrdinal(j + 1)
	if p.punct(j, ",") && p.digits(j+1) == 4 {
		j++
	}
	return p.dayMonth(day, m, j-i, j)
}

// yearAt reads an optional year ("2027", "2027 г.", "2027 года") at j and the tokens it takes.
func (p *parser) yearAt(j int) (int, int) {
	y := p.num(j)
	if p.digits(j) != 4 || y < 1900 || y > 2200 {
		return 0, 0
	}
	k := 1
	switch p.w(j + 1) {
	case "г", "года", "год", "году", "гг":
		k++
		if p.punct(j+2, ".") {
			k++
		}
	}
	return y, k
}

// numericDate handles "20.03", "20.03.2027", "20/03", "2027-03-20".
func (p *parser) numericDate(i int) hit {
	if p.digits(i) == 4 && p.punct(i+1, "-") && p.adj(i+1) && p.digits(i+2) == 2 && p.adj(i+2) &&
		p.punct(i+3, "-") && p.adj(i+3) && p.digits(i+4) == 2 && p.adj(i+4) {
		if d, ok := validDate(p.num(i), time.Month(p.num(i+2)), p.num(i+4)); ok {
			return dateHit(5, d, dsPlain)
		}
		return hit{}
	}
	sep := ""
	switch {
	case p.punct(i+1, "."):
		sep = "."
	case p.punct(i+1, "/"):
		sep = "/"
	default:
		return hit{}
	}
	if !p.adj(i+1) || !p.adj(i+2) || p.digits(i) > 2 || p.digits(i+2) > 2 || (sep == "." && p.digits(i+2) != 2) {
		return hit{}
	}
	day, month := p.num(i), p.num(i+2)
	if sep == "/" && month > 12 && day <= 12 {
		day, month = month, day
	}
	if p.punct(i+3, sep) && p.adj(i+3) && p.adj(i+4) && (p.digits(i+4) == 4 || p.digits(i+4) == 2) {
		y := p.num(i + 4)
		if y < 100 {
			y += 2000
		}
		if d, ok := validDate(y, time.Month(month), day); ok {
			return dateHit(5, d, dsPlain)
		}
		return hit{}
	}
	if p.punct(i+3, ".") && p.adj(i+3) && p.num(i+4) >= 0 && p.adj(i+4) {
		return hit{} // a version number or an IP, not a date
	}
	if d, ok := p.nextDayMonth(time.Month(month), day); ok {
		return dateHit(3, d, dsPlain)
	}
	return hit{}
}

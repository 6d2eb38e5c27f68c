package nlu

import (
	"time"

	"github.com/bizconnect/bizconnect/core"
)

// validDate returns the date y-m-d when it exists.
func validDate(y int, m time.Month, d int) (core.Date, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return core.Date{}, false
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return core.Date{}, false
	}
	return core.DateOf(t), true
}

// nextDayMonth is the next date with this day and month on or after today (29 February
// waits for the next leap year).
func (p *parser) nextDayMonth(m time.Month, day int) (core.Date, bool) {
	for y := p.today.Year; y <= p.today.Year+8; y++ {
		d, ok := validDate(y, m, day)
		if ok && !d.Before(p.today) {
			return d, true
		}
		if !ok && (m == 2 && day == 29) {
			continue
		}
		if !ok {
			return core.Date{}, false
		}
	}
	return core.Date{}, false
}

// nextMonthDay is the next date with this day of the month on or after today.
func (p *parser) nextMonthDay(day int) core.Date {
	t := time.Date(p.today.Year, p.today.Month, 1, 0, 0, 0, 0, time.UTC)
	for k := 0; k < 24; k++ {
		m := t.AddDate(0, k, 0)
		if d, ok := validDate(m.Year(), m.Month(), day); ok && !d.Before(p.today) {
			return d
		}
	}
	return p.today
}

// weekIndex is the position of wd in a Monday-first week (Monday 0 … Sunday 6).
func weekIndex(wd time.Weekday) int { return (int(wd) + 6) % 7 }

// mondayOf returns the Monday of this week (weeks=0), next week (1), and so on.
func (p *parser) mondayOf(weeks int) core.Date {
	return p.today.AddDays(-weekIndex(p.today.Weekday()) + 7*weeks)
}

// nextWeekday is the nearest wd after today, or on or after today when orToday.
func (p *parser) nextWeekday(wd time.Weekday, orToday bool) core.Date {
	delta := (int(wd) - int(p.today.Weekday()) + 7) % 7
	if delta == 0 && !orToday {
		delta = 7
	}
	return p.today.AddDays(delta)
}

// endOfWeek is the Friday of this week, or the next Friday when this one has passed.
func (p *parser) endOfWeek(weeks int) core.Date {
	d := p.mondayOf(weeks).AddDays(4)
	if d.Before(p.today) {
		d = d.AddDays(7)
	}
	return d
}

// endOfMonth is the last day of d's month.
func endOfMonth(d core.Date) core.Date {
	return core.DateOf(time.Date(d.Year, d.Month+1, 0, 0, 0, 0, 0, time.UTC))
}

func quarterOf(d core.Date) int { return (int(d.Month)-1)/3 + 1 }

// quarterEndIn is the last day of quarter q of year y.
func quarterEndIn(q, y int) core.Date {
	return endOfMonth(core.Date{Year: y, Month: time.Month(q * 3), Day: 1})
}

// quarterEnd is the end of quarter q in year y, or when y is 0 its next end on or after today.
func (p *parser) quarterEnd(q, y int) core.Date {
	if y != 0 {
		return quarterEndIn(q, y)
	}
	d := quarterEndIn(q, p.today.Year)
	if d.Before(p.today) {
		d = quarterEndIn(q, p.today.Year+1)
	}
	return d
}

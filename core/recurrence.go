package core

import (
	"strconv"
	"strings"
	"time"
)

var byDay = map[string]time.Weekday{"MO": time.Monday, "TU": time.Tuesday, "WE": time.Wednesday, "TH": time.Thursday, "FR": time.Friday, "SA": time.Saturday, "SU": time.Sunday}

// Recurrence is the subset of RFC 5545 recurrence rules the assistant creates: FREQ, INTERVAL,
// BYDAY and BYMONTHDAY.
type Recurrence struct {
	Freq     string // DAILY, WEEKLY, MONTHLY or YEARLY
	Interval int
	Days     []time.Weekday
	MonthDay int
}

// ParseRecurrence reads a rule ("FREQ=WEEKLY;BYDAY=MO", with or without "RRULE:"); false for an
// empty or unknown one.
func ParseRecurrence(s string) (Recurrence, bool) {
	r := Recurrence{Interval: 1}
	for _, part := range strings.Split(strings.TrimPrefix(s, "RRULE:"), ";") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "FREQ":
			r.Freq = v
		case "INTERVAL":
			if n, err := strconv.Atoi(v); err == nil && n > 0 && n < 1000 {
				r.Interval = n
			}
		case "BYDAY":
			for _, d := range strings.Split(v, ",") {
				if w, ok := byDay[d]; ok {
					r.Days = append(r.Days, w)
				}
			}
		case "BYMONTHDAY":
			if n, err := strconv.Atoi(v); err == nil && n >= 1 && n <= 31 {
				r.MonthDay = n
			}
		}
	}
	return r, r.Freq == "DAILY" || r.Freq == "WEEKLY" || r.Freq == "MONTHLY" || r.Freq == "YEARLY"
}

// NextOccurrence returns the first occurrence of rule after from that is not before today; false
// for no or an unknown rule.
func NextOccurrence(rule string, from, today Date) (Date, bool) {
	r, ok := ParseRecurrence(rule)
	if !ok || from.IsZero() {
		return Date{}, false
	}
	d := from
	for i := 0; i < 1000; i++ {
		d = r.step(d)
		if d.After(from) && !d.Before(today) {
			return d, true
		}
	}
	return Date{}, false
}

func (r Recurrence) step(d Date) Date {
	switch r.Freq {
	case "DAILY":
		return d.AddDays(r.Interval)
	case "WEEKLY":
		if len(r.Days) == 0 {
			return d.AddDays(7 * r.Interval)
		}
		for i := 1; i <= 7; i++ {
			n := d.AddDays(i)
			for _, w := range r.Days {
				if n.Weekday() == w {
					return n
				}
			}
		}
		return d.AddDays(7)
	case "MONTHLY":
		day := r.MonthDay
		if day == 0 {
			day = d.Day
		}
		first := time.Date(d.Year, d.Month+time.Month(r.Interval), 1, 0, 0, 0, 0, time.UTC)
		last := first.AddDate(0, 1, -1).Day()
		return Date{first.Year(), first.Month(), min(day, last)}
	default: // YEARLY
		return DateOf(time.Date(d.Year+r.Interval, d.Month, d.Day, 0, 0, 0, 0, time.UTC))
	}
}

package core

import (
	"strconv"
	"strings"
	"time"
)

var byDay = map[string]time.Weekday{"MO": time.Monday, "TU": time.Tuesday, "WE": time.Wednesday, "TH": time.Thursday, "FR": time.Friday, "SA": time.Saturday, "SU": time.Sunday}

// rrule is the subset of RFC 5545 recurrence rules the assistant creates.
type rrule struct {
	freq     string
	interval int
	days     []time.Weekday
	monthDay int
}

func parseRRule(s string) (rrule, bool) {
	r := rrule{interval: 1}
	for _, part := range strings.Split(strings.TrimPrefix(s, "RRULE:"), ";") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "FREQ":
			r.freq = v
		case "INTERVAL":
			if n, err := strconv.Atoi(v); err == nil && n > 0 && n < 1000 {
				r.interval = n
			}
		case "BYDAY":
			for _, d := range strings.Split(v, ",") {
				if w, ok := byDay[d]; ok {
					r.days = append(r.days, w)
				}
			}
		case "BYMONTHDAY":
			if n, err := strconv.Atoi(v); err == nil && n >= 1 && n <= 31 {
				r.monthDay = n
			}
		}
	}
	return r, r.freq == "DAILY" || r.freq == "WEEKLY" || r.freq == "MONTHLY" || r.freq == "YEARLY"
}

// NextOccurrence returns the first occurrence of rule after from that is not before today; false
// for no or an unknown rule.
func NextOccurrence(rule string, from, today Date) (Date, bool) {
	r, ok := parseRRule(rule)
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

func (r rrule) step(d Date) Date {
	switch r.freq {
	case "DAILY":
		return d.AddDays(r.interval)
	case "WEEKLY":
		if len(r.days) == 0 {
			return d.AddDays(7 * r.interval)
		}
		for i := 1; i <= 7; i++ {
			n := d.AddDays(i)
			for _, w := range r.days {
				if n.Weekday() == w {
					return n
				}
			}
		}
		return d.AddDays(7)
	case "MONTHLY":
		day := r.monthDay
		if day == 0 {
			day = d.Day
		}
		first := time.Date(d.Year, d.Month+time.Month(r.interval), 1, 0, 0, 0, 0, time.UTC)
		last := first.AddDate(0, 1, -1).Day()
		return Date{first.Year(), first.Month(), min(day, last)}
	default: // YEARLY
		return DateOf(time.Date(d.Year+r.interval, d.Month, d.Day, 0, 0, 0, 0, time.UTC))
	}
}

// describeRecurrence says a rule in words: "every day", "по будням", "every Monday", "monthly on the 1st".
func describeRecurrence(lang, rule string) string {
	r, ok := parseRRule(rule)
	if !ok {
		return rule
	}
	switch {
	case r.freq == "DAILY":
		return tr(lang, "rec_daily")
	case r.freq == "WEEKLY" && len(r.days) == 5 && r.days[0] == time.Monday && r.days[4] == time.Friday:
		return tr(lang, "rec_weekdays")
	case r.freq == "WEEKLY" && len(r.days) > 0:
		names := make([]string, 0, len(r.days))
		for _, w := range r.days {
			names = append(names, tr(lang, "rec_on_"+strings.ToLower(w.String()[:2])))
		}
		return tr(lang, "rec_weekly_on", strings.Join(names, ", "))
	case r.freq == "WEEKLY":
		return tr(lang, "rec_weekly")
	case r.freq == "MONTHLY" && r.monthDay > 0:
		return tr(lang, "rec_monthly_on", r.monthDay)
	case r.freq == "MONTHLY":
		return tr(lang, "rec_monthly")
	}
	return tr(lang, "rec_yearly")
}

package core

import (
	"fmt"
	"time"
)

// Date is a calendar day without a time or a zone: a task's scheduled day, a goal's deadline.
// The zero Date means "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar day of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses a date in the ISO form YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("parse date %q: %w", s, err)
	}
	return DateOf(t), nil
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// In returns midnight of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// At is the instant the clocks of loc show c on d. A time a spring-forward skips (02:30 on the
// night clocks jump from 02:00 to 03:00) is the moment the clocks jump, 03:00; a time a
// fall-back repeats is its first occurrence.
func (d Date) At(c ClockTime, loc *time.Location) time.Time {
	t := time.Date(d.Year, d.Month, d.Day, c.Hour(), c.Minute(), 0, 0, loc)
	if t.Hour() != c.Hour() || t.Minute() != c.Minute() { // in the gap: Go moved it across the jump
		start, end := t.ZoneBounds()
		if NewClockTime(t.Hour(), t.Minute()) < c {
			return end // moved back before the jump (01:30 for 02:30): the jump ends that zone
		}
		return start // moved past it (03:30): the jump started this one
	}
	if earlier := t.Add(-time.Hour); earlier.Hour() == c.Hour() && earlier.Minute() == c.Minute() && DateOf(earlier) == d {
		return earlier // a repeated hour: the first time the clocks show it
	}
	return t
}

// AddDays returns d shifted by n days (n may be negative).
func (d Date) AddDays(n int) Date {
	return DateOf(d.In(time.UTC).AddDate(0, 0, n))
}

// Monday returns the Monday of d's week (weeks start on Monday).
func (d Date) Monday() Date {
	return d.AddDays(-((int(d.Weekday()) + 6) % 7))
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.In(time.UTC).Weekday() }

// Before reports whether d is earlier than other.
func (d Date) Before(other Date) bool { return d.Compare(other) < 0 }

// After reports whether d is later than other.
func (d Date) After(other Date) bool { return d.Compare(other) > 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after other.
func (d Date) Compare(other Date) int {
	return d.In(time.UTC).Compare(other.In(time.UTC))
}

// DaysUntil returns the number of days from d to other (negative when other is earlier).
func (d Date) DaysUntil(other Date) int {
	return int(other.In(time.UTC).Sub(d.In(time.UTC)).Hours() / 24)
}

// String formats d as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalText implements encoding.TextMarshaler, so a Date is "YYYY-MM-DD" in JSON.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// ClockTime is a time of day in minutes after midnight, 0..1439.
type ClockTime int

// NewClockTime returns the time of day h:m.
func NewClockTime(h, m int) ClockTime { return ClockTime(h*60 + m) }

// Hour returns the hour of t.
func (t ClockTime) Hour() int { return int(t) / 60 }

// Minute returns the minute of t.
func (t ClockTime) Minute() int { return int(t) % 60 }

// String formats t as HH:MM.
func (t ClockTime) String() string { return fmt.Sprintf("%02d:%02d", t.Hour(), t.Minute()) }

// MarshalText implements encoding.TextMarshaler ("HH:MM").
func (t ClockTime) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler for "HH:MM".
func (t *ClockTime) UnmarshalText(b []byte) error {
	var h, m int
	if _, err := fmt.Sscanf(string(b), "%d:%d", &h, &m); err != nil || h < 0 || h > 23 || m < 0 || m > 59 {
		return fmt.Errorf("parse time of day %q: want HH:MM", b)
	}
	*t = NewClockTime(h, m)
	return nil
}

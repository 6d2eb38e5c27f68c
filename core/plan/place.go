package plan

import (
	"cmp"
	"slices"

	"github.com/bizconnect/bizconnect/core"
)

// Item is a piece of work to place on a day.
type Item struct {
	Key      int       // the caller's: which task this is
	Minutes  int       // how long it takes (at least 1 counts)
	Load     int       // cognitive load 1..10 (0 counts as 5)
	Priority int       // 1 highest … 4 lowest (0 counts as 3)
	Deadline core.Date // zero: none
	Earliest core.Date // zero: from the calendar's start
	Fixed    bool      // a day of its own (a meeting at 15:00): it never moves, and counts against that day
	Day      core.Date // the day of a fixed item
}

// Calendar is the days work may go on and how much each takes.
type Calendar struct {
	Start, End  core.Date // inclusive
	Capacity    int       // minutes of work a working day
	Budget      int       // cognitive budget a day, in load × minutes (0: 6 × Capacity)
	WorkingDays []int     // 1 = Monday … 7 = Sunday; empty: Monday to Friday
	// Limits are days that take less than Capacity (a day to relieve).
	Limits map[core.Date]int
}

// capacity is how many minutes of work day d takes.
func (c Calendar) capacity(d core.Date) int {
	if l, ok := c.Limits[d]; ok {
		return min(l, c.Capacity)
	}
	return c.Capacity
}

// Day is what a calendar day holds once work is placed.
type Day struct {
	Date    core.Date
	Minutes int
	Load    int // Σ load × minutes
	Work    bool
}

// Schedule is where Place put each item.
type Schedule struct {
	Days []Day             // Start … End
	At   map[int]core.Date // key → the day it goes on (fixed items included)
	// Late are the keys placed after their deadline: there was no room before it.
	Late []int
	// Unplaced are the keys that fit on no day of the calendar (or are longer than a day).
	Unplaced []int
}

// Over reports whether a day holds more than the calendar allows (only fixed work can do that).
func (c Calendar) Over(d Day) bool { return d.Minutes > c.capacity(d.Date) || d.Load > c.budget() }

func (c Calendar) budget() int {
	if c.Budget > 0 {
		return c.Budget
	}
	return 6 * c.Capacity
}

// Works reports whether d is a working day of the calendar.
func (c Calendar) Works(d core.Date) bool { return c.works(d) }

func (c Calendar) works(d core.Date) bool { return core.WorkingDay(c.WorkingDays, d) }

func (it Item) minutes() int { return max(it.Minutes, 1) }

func (it Item) load() int {
	if it.Load <= 0 {
		return 5 * it.minutes()
	}
	return min(it.Load, 10) * it.minutes()
}

func (it Item) priority() int {
	if it.Priority < 1 || it.Priority > 4 {
		return 3
	}
	return it.Priority
}

// Place puts items on the calendar's working days, earliest deadline first (then the more
// urgent priority, then the longer task), each on the first day from its earliest that has room
// for its minutes and its cognitive load, before its deadline when there is room, after it
// (late) when not. Fixed items stay on their day and count against it. No day goes over the
// calendar's capacity because of a placed item, nor over its cognitive budget but for one
// demanding item alone on a day. Deterministic.
func Place(items []Item, cal Calendar) Schedule {
	n := max(cal.Start.DaysUntil(cal.End)+1, 0)
	s := Schedule{Days: make([]Day, n), At: make(map[int]core.Date, len(items))}
	for i := range s.Days {
		d := cal.Start.AddDays(i)
		s.Days[i] = Day{Date: d, Work: cal.works(d)}
	}
	var free []Item
	for _, it := range items {
		if !it.Fixed {
			free = append(free, it)
			continue
		}
		s.At[it.Key] = it.Day
		if i := cal.Start.DaysUntil(it.Day); i >= 0 && i < n {
			s.Days[i].Minutes += it.minutes()
			s.Days[i].Load += it.load()
		}
	}
	far := cal.End.AddDays(1)
	deadline := func(it Item) core.Date {
		if it.Deadline.IsZero() {
			return far
		}
		return it.Deadline
	}
	slices.SortStableFunc(free, func(a, b Item) int {
		return cmp.Or(deadline(a).Compare(deadline(b)), cmp.Compare(a.priority(), b.priority()),
			cmp.Compare(b.minutes(), a.minutes()), cmp.Compare(a.Key, b.Key))
	})
	for _, it := range free {
		if it.minutes() > cal.Capacity {
			s.Unplaced = append(s.Unplaced, it.Key)
			continue
		}
		from := 0
		if !it.Earliest.IsZero() {
			from = max(cal.Start.DaysUntil(it.Earliest), 0)
		}
		day := -1
		for i := from; i < n; i++ {
			d := &s.Days[i]
			// a demanding task heavier than the cognitive budget goes on a day of its own
			if d.Work && d.Minutes+it.minutes() <= cal.capacity(d.Date) && (d.Load+it.load() <= cal.budget() || d.Minutes == 0) {
				day = i
				break
			}
		}
		if day < 0 {
			s.Unplaced = append(s.Unplaced, it.Key)
			continue
		}
		s.Days[day].Minutes += it.minutes()
		s.Days[day].Load += it.load()
		s.At[it.Key] = s.Days[day].Date
		if !it.Deadline.IsZero() && s.Days[day].Date.After(it.Deadline) {
			s.Late = append(s.Late, it.Key)
		}
	}
	slices.Sort(s.Late)
	slices.Sort(s.Unplaced)
	return s
}

// Busiest returns the day with the most minutes (the first of equals), and false when no day
// has any.
func (s Schedule) Busiest() (Day, bool) {
	var best Day
	for _, d := range s.Days {
		if d.Minutes > best.Minutes {
			best = d
		}
	}
	return best, best.Minutes > 0
}

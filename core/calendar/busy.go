// Package calendar connects a user's Google Calendar: OAuth with PKCE and offline access, the
// grant sealed with core/vault, a sync that reads free/busy time into each day's busy minutes
// (which lower the day's capacity for tasks and add to its Business Load) and, when the user
// turns it on, writes their scheduled tasks into the calendar as time blocks.
package calendar

import (
	"cmp"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
)

// Period is a stretch of time, [Start, End).
type Period struct{ Start, End time.Time }

// The part of a day whose busy time counts: meetings at night are not the day's work.
var (
	DayStart = core.NewClockTime(7, 0)
	DayEnd   = core.NewClockTime(22, 0)
	// BlockStart and BlockEnd are where tasks without a time are blocked: the working day.
	BlockStart = core.NewClockTime(9, 0)
	BlockEnd   = core.NewClockTime(18, 0)
)

// Busy is a day's busy time in the calendar.
type Busy struct {
	Minutes int
	Events  int // busy stretches that touch the day
}

// merge sorts periods and joins the ones that overlap or touch.
func merge(ps []Period) []Period {
	ps = slices.Clone(ps)
	slices.SortFunc(ps, func(a, b Period) int { return a.Start.Compare(b.Start) })
	var out []Period
	for _, p := range ps {
		if !p.End.After(p.Start) {
			continue
		}
		if n := len(out); n > 0 && !p.Start.After(out[n-1].End) {
			if p.End.After(out[n-1].End) {
				out[n-1].End = p.End
			}
			continue
		}
		out = append(out, p)
	}
	return out
}

// clip is the part of p within [from, to), and whether there is one.
func clip(p Period, from, to time.Time) (Period, bool) {
	if p.Start.Before(from) {
		p.Start = from
	}
	if p.End.After(to) {
		p.End = to
	}
	return p, p.End.After(p.Start)
}

// Days sums busy periods into each local day from..to (inclusive), counting the time between
// DayStart and DayEnd; days without any are missing.
func Days(busy []Period, loc *time.Location, from, to core.Date) map[core.Date]Busy {
	busy = merge(busy)
	out := map[core.Date]Busy{}
	for d := from; !d.After(to); d = d.AddDays(1) {
		start, end := d.At(DayStart, loc), d.At(DayEnd, loc)
		var b Busy
		for _, p := range busy {
			if c, ok := clip(p, start, end); ok {
				b.Minutes += int(c.End.Sub(c.Start).Round(time.Minute) / time.Minute)
				b.Events++
			}
		}
		if b.Events > 0 {
			out[d] = b
		}
	}
	return out
}

// Block is a task's time in the calendar.
type Block struct {
	Task       uuid.UUID
	Summary    string
	Start, End time.Time
	EventID    string // the event written for it; "" before it is
}

// Same reports whether two blocks say the same in the calendar.
func (b Block) Same(o Block) bool {
	return b.Summary == o.Summary && b.Start.Equal(o.Start) && b.End.Equal(o.End)
}

// MaxBlocks bounds the blocks one sync writes (Google's write quota per user): the rest wait for
// the next syncs, their blocks written before staying as they are.
const MaxBlocks = 100

// Place gives each open task of the days from..to a time in the calendar: a task with a time
// at that time, for its estimate; the others, most important first, in the first free stretch of
// its day between BlockStart and BlockEnd (and not before now) that holds it, around the busy
// time and the blocks placed already. A task that fits nowhere gets no block.
func Place(tasks []core.Task, busy []Period, loc *time.Location, from, to core.Date, now time.Time) []Block {
	var out []Block
	taken := merge(busy)
	var loose []core.Task
	for _, t := range tasks {
		if !t.Open() || t.ScheduledDate.IsZero() || t.ScheduledDate.Before(from) || t.ScheduledDate.After(to) {
			continue
		}
		if t.ScheduledTime == nil {
			loose = append(loose, t)
			continue
		}
		start := t.ScheduledDate.At(*t.ScheduledTime, loc)
		b := Block{Task: t.ID, Summary: t.Title, Start: start, End: start.Add(time.Duration(t.Minutes()) * time.Minute)}
		out = append(out, b)
		taken = append(taken, Period{b.Start, b.End})
	}
	slices.SortStableFunc(loose, func(a, b core.Task) int {
		return cmp.Or(a.ScheduledDate.Compare(b.ScheduledDate), cmp.Compare(a.Priority, b.Priority))
	})
	for _, t := range loose {
		taken = merge(taken)
		length := time.Duration(t.Minutes()) * time.Minute
		at, end := t.ScheduledDate.At(BlockStart, loc), t.ScheduledDate.At(BlockEnd, loc)
		if soon := now.Add(15 * time.Minute).Truncate(15 * time.Minute); at.Before(soon) {
			at = soon // not in the past: from the next quarter hour
		}
		for _, p := range taken {
			if !p.End.After(at) {
				continue
			}
			if !p.Start.Before(at.Add(length)) {
				break
			}
			at = p.End
		}
		if at.Add(length).After(end) {
			continue
		}
		b := Block{Task: t.ID, Summary: t.Title, Start: at, End: at.Add(length)}
		out = append(out, b)
		taken = append(taken, Period{b.Start, b.End})
	}
	slices.SortFunc(out, func(a, b Block) int { return a.Start.Compare(b.Start) })
	return out
}

package plan

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/bizconnect/bizconnect/core"
)

var wed = core.Date{Year: 2026, Month: 11, Day: 25}

// randomCase builds a calendar and items that fit by construction: a witness placement with at
// most half of each working day's capacity and budget, items no longer than half a day, every
// deadline on or after the item's witness day. Fixed items are part of the witness.
func randomCase(r *rand.Rand) ([]Item, Calendar) {
	cal := Calendar{Start: wed, End: wed.AddDays(7 + r.IntN(60)), Capacity: 60 * (2 + r.IntN(7))}
	if r.IntN(3) == 0 {
		cal.WorkingDays = []int{1, 2, 3, 4, 5, 6}
	}
	var items []Item
	for d := cal.Start; !d.After(cal.End); d = d.AddDays(1) {
		if !cal.works(d) {
			continue
		}
		room, budget := cal.Capacity/2, cal.budget()/2
		for k := r.IntN(4); k > 0; k-- {
			it := Item{Key: len(items), Minutes: 5 + r.IntN(cal.Capacity/2), Load: 1 + r.IntN(10), Priority: 1 + r.IntN(4)}
			if it.minutes() > room || it.load() > budget {
				break
			}
			room, budget = room-it.minutes(), budget-it.load()
			if r.IntN(6) == 0 {
				it.Fixed, it.Day = true, d
			} else {
				it.Deadline = d.AddDays(r.IntN(10))
				if r.IntN(4) == 0 {
					it.Deadline = core.Date{}
				}
				if r.IntN(5) == 0 {
					it.Earliest = cal.Start.AddDays(r.IntN(cal.Start.DaysUntil(d) + 1))
				}
			}
			items = append(items, it)
		}
	}
	r.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
	return items, cal
}

// checkSchedule holds Place's promises for any input: placed items on working days of the
// calendar, not before their earliest day, fixed ones where they were; no day over capacity or
// budget through placed work; every item placed, late or unplaced.
func checkSchedule(t *testing.T, items []Item, cal Calendar, s Schedule) {
	t.Helper()
	placed := map[core.Date]Day{}
	count := map[core.Date]int{}
	for _, it := range items {
		at, ok := s.At[it.Key]
		unplaced := slices.Contains(s.Unplaced, it.Key)
		switch {
		case it.Fixed:
			if at != it.Day || unplaced {
				t.Fatalf("fixed item %d moved to %s (was %s)", it.Key, at, it.Day)
			}
			continue
		case ok == unplaced:
			t.Fatalf("item %d is both or neither placed and unplaced", it.Key)
		case !ok:
			continue
		case at.Before(cal.Start) || at.After(cal.End) || !cal.works(at):
			t.Fatalf("item %d on %s, off the calendar's working days", it.Key, at)
		case !it.Earliest.IsZero() && at.Before(it.Earliest):
			t.Fatalf("item %d on %s, before its earliest %s", it.Key, at, it.Earliest)
		}
		if late := !it.Deadline.IsZero() && at.After(it.Deadline); late != slices.Contains(s.Late, it.Key) {
			t.Fatalf("item %d on %s, deadline %s: late is %v", it.Key, at, it.Deadline, !late)
		}
		d := placed[at]
		d.Minutes, d.Load = d.Minutes+it.minutes(), d.Load+it.load()
		placed[at] = d
		count[at]++
	}
	for _, d := range s.Days {
		alone := count[d.Date] == 1 && placed[d.Date].Minutes == d.Minutes && d.Minutes <= cal.capacity(d.Date) // one heavy task, a day of its own
		if p := placed[d.Date]; p.Minutes > 0 && cal.Over(d) && !alone {
			t.Fatalf("%s holds %d min (load %d) against a capacity of %d (budget %d), %d min of it placed",
				d.Date, d.Minutes, d.Load, cal.Capacity, cal.budget(), p.Minutes)
		}
	}
}

func TestPlaceProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for range 2000 {
		items, cal := randomCase(r)
		s := Place(items, cal)
		checkSchedule(t, items, cal, s)
		if len(s.Late) > 0 || len(s.Unplaced) > 0 {
			t.Fatalf("a case that fits by construction: late %v, unplaced %v (capacity %d, %d items)", s.Late, s.Unplaced, cal.Capacity, len(items))
		}
	}
}

// TestPlaceFlagsWhatCannotFit: more work due by a day than the days up to it can hold leaves
// something late or unplaced, and the promises still hold.
func TestPlaceFlagsWhatCannotFit(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for range 1000 {
		items, cal := randomCase(r)
		due := cal.Start.AddDays(r.IntN(5))
		room := 0
		for d := cal.Start; !d.After(due); d = d.AddDays(1) {
			if cal.works(d) {
				room += cal.Capacity
			}
		}
		for extra := 0; extra <= room; {
			it := Item{Key: len(items), Minutes: 30 + r.IntN(90), Deadline: due, Load: 1}
			extra += it.Minutes
			items = append(items, it)
		}
		s := Place(items, cal)
		checkSchedule(t, items, cal, s)
		if len(s.Late)+len(s.Unplaced) == 0 {
			t.Fatalf("more than %d min due by %s, and nothing is late or unplaced", room, due)
		}
	}
}

func TestPlaceOrder(t *testing.T) {
	cal := Calendar{Start: wed, End: wed.AddDays(6), Capacity: 120}
	items := []Item{
		{Key: 0, Minutes: 120, Priority: 4, Deadline: wed.AddDays(6)},
		{Key: 1, Minutes: 120, Priority: 1, Deadline: wed.AddDays(6)},
		{Key: 2, Minutes: 120, Priority: 3, Deadline: wed},
		{Key: 3, Minutes: 60, Fixed: true, Day: wed.AddDays(1)},
		{Key: 4, Minutes: 90},
		{Key: 5, Minutes: 600}, // longer than a day: never placed, never silently dropped
	}
	s := Place(items, cal)
	want := map[int]core.Date{2: wed, 1: wed.AddDays(2), 0: wed.AddDays(5), 3: wed.AddDays(1), 4: wed.AddDays(6)}
	for k, d := range want {
		if s.At[k] != d {
			t.Errorf("item %d on %s, want %s (all: %v)", k, s.At[k], d, s.At)
		}
	}
	if !slices.Equal(s.Unplaced, []int{5}) || len(s.Late) != 0 {
		t.Errorf("unplaced %v, late %v", s.Unplaced, s.Late)
	}
	if b, ok := s.Busiest(); !ok || b.Date != wed || b.Minutes != 120 {
		t.Errorf("busiest %+v", b)
	}
}

func BenchmarkPlace100TasksSixMonths(b *testing.B) {
	cal := Calendar{Start: wed, End: wed.AddDays(182), Capacity: 360}
	r := rand.New(rand.NewPCG(1, 2))
	items := make([]Item, 100)
	for i := range items {
		items[i] = Item{Key: i, Minutes: 15 + r.IntN(240), Load: 1 + r.IntN(10), Priority: 1 + r.IntN(4), Deadline: wed.AddDays(r.IntN(183))}
	}
	b.ReportAllocs()
	for b.Loop() {
		Place(items, cal)
	}
}

func BenchmarkPlace500OpenTasks(b *testing.B) {
	cal := Calendar{Start: wed, End: wed.AddDays(90), Capacity: 480}
	r := rand.New(rand.NewPCG(3, 4))
	items := make([]Item, 500)
	for i := range items {
		items[i] = Item{Key: i, Minutes: 15 + r.IntN(120), Load: 1 + r.IntN(10), Priority: 1 + r.IntN(4), Deadline: wed.AddDays(r.IntN(60) - 10)}
		if i%10 == 0 {
			items[i].Fixed, items[i].Day = true, wed.AddDays(r.IntN(30))
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		Place(items, cal)
	}
}

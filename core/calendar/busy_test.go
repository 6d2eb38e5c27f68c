package calendar

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
)

var (
	msk, _ = time.LoadLocation("Europe/Moscow")
	day    = core.Date{Year: 2026, Month: 12, Day: 7} // a Monday
)

func at(d core.Date, h, m int) time.Time { return d.At(core.NewClockTime(h, m), msk) }

// TestDays: overlapping meetings count once, a night's and the evening's ends are cut at the
// day's bounds, a stretch over midnight counts on both days, a day with nothing is missing.
func TestDays(t *testing.T) {
	next := day.AddDays(1)
	got := Days([]Period{
		{at(day, 10, 0), at(day, 12, 0)},
		{at(day, 11, 30), at(day, 13, 0)}, // overlaps: 10:00–13:00 is 3 h
		{at(day, 5, 0), at(day, 8, 0)},    // from 07:00: 1 h
		{at(day, 21, 0), at(next, 9, 0)},  // 21:00–22:00 and 07:00–09:00 the next day
	}, msk, day, day.AddDays(2))
	if got[day] != (Busy{Minutes: 5 * 60, Events: 3}) || got[next] != (Busy{Minutes: 120, Events: 1}) {
		t.Fatalf("days = %+v", got)
	}
	if _, ok := got[day.AddDays(2)]; ok || len(got) != 2 {
		t.Fatalf("a day without meetings: %+v", got)
	}
	allDay := Days([]Period{{day.In(msk), day.AddDays(1).In(msk)}}, msk, day, day)
	if allDay[day].Minutes != 15*60 {
		t.Fatalf("an all-day busy event counts %d min, want the day's 900", allDay[day].Minutes)
	}
}

func task(title string, d core.Date, minutes, priority int, clock *core.ClockTime) core.Task {
	return core.Task{ID: uuid.New(), Title: title, Status: core.TaskTodo, ScheduledDate: d, EstimatedMin: &minutes, Priority: priority, ScheduledTime: clock}
}

// TestPlace: a task with a time keeps it; the others go, most important first, into the first
// free stretches of the working day around meetings and each other; what fits nowhere gets no
// block, and done tasks and days outside the range none either.
func TestPlace(t *testing.T) {
	three := core.NewClockTime(15, 0)
	busy := []Period{{at(day, 9, 30), at(day, 12, 0)}, {at(day, 13, 0), at(day, 17, 0)}}
	done := task("sent", day, 30, 2, nil)
	done.Status = core.TaskDone
	tasks := []core.Task{
		task("report", day, 60, 3, nil),            // 12:00–13:00 is the only hour free
		task("call", day, 30, 1, nil),              // most urgent: 09:00–09:30
		task("demo", day, 60, 2, &three),           // at its time, over a meeting
		task("big", day, 240, 2, nil),              // fits nowhere
		task("later", day.AddDays(30), 30, 2, nil), // outside the range
		done,
	}
	blocks := Place(tasks, busy, msk, day, day.AddDays(13), day.In(msk))
	var got []string
	for _, b := range blocks {
		got = append(got, b.Start.In(msk).Format("15:04")+"-"+b.End.In(msk).Format("15:04")+" "+b.Summary)
	}
	want := []string{"09:00-09:30 call", "12:00-13:00 report", "15:00-16:00 demo"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Fatalf("blocks %v, want %v", got, want)
	}
	// later in the day the loose ones start from now (12:10: 12:15), the report after the meetings
	later := Place(tasks, busy, msk, day, day.AddDays(13), at(day, 12, 10))
	got = got[:0]
	for _, b := range later {
		got = append(got, b.Start.In(msk).Format("15:04")+"-"+b.End.In(msk).Format("15:04")+" "+b.Summary)
	}
	if want := "12:15-12:45 call; 15:00-16:00 demo; 17:00-18:00 report"; strings.Join(got, "; ") != want {
		t.Fatalf("blocks at 12:10 %v, want %s", got, want)
	}
}

package scheduler_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/chat"
	"github.com/bizconnect/bizconnect/scheduler"
)

func hm(h, m int) *core.ClockTime { c := core.NewClockTime(h, m); return &c }

func day(s string) core.Date {
	d, err := core.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func user(tz string, s core.Settings) core.User {
	return core.User{ID: uuid.New(), Timezone: tz, Locale: "ru", Settings: s}
}

var everyDay = []int{1, 2, 3, 4, 5, 6, 7}

// walk runs the planner minute by minute from from to to, as the periodic pass does, and
// returns every push it planned.
func walk(users []core.User, from, to time.Time) []chat.PushJob {
	var out []chat.PushJob
	for now := from; now.Before(to); now = now.Add(time.Minute) {
		p := scheduler.PlanPushes(users, now.Add(-time.Minute), now, now, scheduler.Config{})
		out = append(out, p.Jobs...)
	}
	return out
}

// TestDaylightSavingDays: a push whose local time the spring-forward skips comes once, when the
// clocks jump; one in the hour a fall-back repeats comes once, the first time. Berlin and New
// York change on different days and at different hours.
func TestDaylightSavingDays(t *testing.T) {
	cases := []struct {
		tz, date string
		at       core.ClockTime
		wantUTC  string
	}{
		{"Europe/Berlin", "2026-03-29", core.NewClockTime(2, 30), "2026-03-29T01:00:00Z"},    // 02:30 doesn't exist: 03:00 CEST
		{"Europe/Berlin", "2026-10-25", core.NewClockTime(2, 30), "2026-10-25T00:30:00Z"},    // 02:30 twice: the CEST one
		{"Europe/Berlin", "2026-03-29", core.NewClockTime(8, 30), "2026-03-29T06:30:00Z"},    // the rest of the day in CEST
		{"America/New_York", "2026-03-08", core.NewClockTime(2, 30), "2026-03-08T07:00:00Z"}, // 03:00 EDT
		{"America/New_York", "2026-11-01", core.NewClockTime(1, 30), "2026-11-01T05:30:00Z"}, // 01:30 EDT, not EST
		{"America/New_York", "2026-11-01", core.NewClockTime(8, 30), "2026-11-01T13:30:00Z"}, // EST
	}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.tz, " ", c.date, " ", c.at), func(t *testing.T) {
			u := user(c.tz, core.Settings{MorningPlan: &c.at, WorkingDays: everyDay})
			d := day(c.date)
			jobs := walk([]core.User{u}, d.AddDays(-1).In(time.UTC), d.AddDays(2).In(time.UTC))
			var mornings []chat.PushJob
			for _, j := range jobs {
				if j.What == chat.PushMorning && j.Date == d {
					mornings = append(mornings, j)
				}
			}
			if len(mornings) != 1 {
				t.Fatalf("%d morning plans on %s, want exactly one: %+v", len(mornings), c.date, mornings)
			}
			if got := mornings[0].Due.UTC().Format(time.RFC3339); got != c.wantUTC {
				t.Errorf("due %s, want %s", got, c.wantUTC)
			}
		})
	}
}

// TestFiveZonesEachAtTheirMorning: over two days, every user gets one morning plan and one
// check-in a working day, at their own 08:30 and 19:00.
func TestFiveZonesEachAtTheirMorning(t *testing.T) {
	zones := []string{"Asia/Tokyo", "Europe/Moscow", "Europe/London", "America/New_York", "Pacific/Honolulu"}
	var users []core.User
	for _, z := range zones {
		users = append(users, user(z, core.Settings{}))
	}
	jobs := walk(users, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)) // Tue–Thu UTC
	count := map[string]int{}
	for _, j := range jobs {
		u := users[indexOf(users, j.User)]
		local := j.Due.In(u.Location())
		want := "08:30"
		if j.What == chat.PushEvening {
			want = "19:00"
		}
		if got := local.Format("15:04"); got != want || core.DateOf(local) != j.Date {
			t.Errorf("%s %s at %s local on %s", u.Timezone, j.What, got, j.Date)
		}
		count[fmt.Sprint(u.Timezone, j.What, j.Date)]++
	}
	for k, n := range count {
		if n != 1 {
			t.Errorf("%s: %d pushes, want 1", k, n)
		}
	}
	// three UTC days hold two or three local dates of each kind in each zone, never fewer
	for _, z := range zones {
		n := 0
		for k := range count {
			if len(k) > len(z) && k[:len(z)] == z {
				n++
			}
		}
		if n < 4 {
			t.Errorf("%s: %d pushes over three days", z, n)
		}
	}
}

func indexOf(us []core.User, id uuid.UUID) int {
	for i, u := range us {
		if u.ID == id {
			return i
		}
	}
	return -1
}

// TestWhenPushesAreDue: working days, the weekly report's day, quiet hours, pause.
func TestWhenPushesAreDue(t *testing.T) {
	mon, sat, fri := day("2026-12-07"), day("2026-12-12"), day("2026-12-11")
	cases := []struct {
		name string
		s    core.Settings
		kind chat.PushKind
		d    core.Date
		want string // local HH:MM, "" for none
	}{
		{"a Monday morning", core.Settings{}, chat.PushMorning, mon, "08:30"},
		{"no morning plan on Saturday", core.Settings{}, chat.PushMorning, sat, ""},
		{"Saturday when the user works then", core.Settings{WorkingDays: []int{2, 3, 4, 5, 6}}, chat.PushMorning, sat, "08:30"},
		{"not on Monday then", core.Settings{WorkingDays: []int{2, 3, 4, 5, 6}}, chat.PushEvening, mon, ""},
		{"the chosen morning", core.Settings{MorningPlan: hm(7, 45)}, chat.PushMorning, mon, "07:45"},
		{"the chosen check-in", core.Settings{EveningCheckin: hm(20, 0)}, chat.PushEvening, mon, "20:00"},
		{"the report on Friday", core.Settings{}, chat.PushWeekly, fri, "17:00"},
		{"no report on Monday", core.Settings{}, chat.PushWeekly, mon, ""},
		{"the report on Sunday", core.Settings{WeeklyReportDay: 7, WeeklyReportTime: hm(18, 0)}, chat.PushWeekly, day("2026-12-13"), "18:00"},
		{"a morning in the night's quiet hours waits for their end", core.Settings{MorningPlan: hm(7, 0), QuietFrom: hm(22, 0), QuietTo: hm(8, 0)}, chat.PushMorning, mon, "08:00"},
		{"a check-in in the night's quiet hours is not sent", core.Settings{EveningCheckin: hm(23, 0), QuietFrom: hm(22, 0), QuietTo: hm(8, 0)}, chat.PushEvening, mon, ""},
		{"quiet hours at lunch", core.Settings{MorningPlan: hm(13, 30), QuietFrom: hm(13, 0), QuietTo: hm(14, 0)}, chat.PushMorning, mon, "14:00"},
		{"outside quiet hours", core.Settings{QuietFrom: hm(22, 0), QuietTo: hm(8, 0)}, chat.PushEvening, mon, "19:00"},
		{"paused through Monday", core.Settings{PausedUntil: &mon}, chat.PushMorning, mon, ""},
		{"back after the pause", core.Settings{PausedUntil: &mon}, chat.PushMorning, mon.AddDays(1), "08:30"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u := user("Europe/Moscow", c.s)
			at, ok := scheduler.DueAt(&u, c.kind, c.d)
			got := ""
			if ok {
				got = at.In(u.Location()).Format("15:04")
				if core.DateOf(at.In(u.Location())) != c.d {
					t.Errorf("due on %s, not %s", core.DateOf(at.In(u.Location())), c.d)
				}
			}
			if got != c.want {
				t.Errorf("due %q, want %q", got, c.want)
			}
		})
	}
}

// TestCatchUpOrSkipAfterDowntime: a pass after downtime sends what is less than the grace
// window late (until the window closes) and skips, counting them, older ones.
func TestCatchUpOrSkipAfterDowntime(t *testing.T) {
	msk, _ := time.LoadLocation("Europe/Moscow")
	u := user("Europe/Moscow", core.Settings{MorningPlan: hm(8, 30)})
	down := time.Date(2026, 12, 7, 7, 0, 0, 0, msk) // the last pass before the outage, a Monday

	p := scheduler.PlanPushes([]core.User{u}, down, time.Date(2026, 12, 7, 9, 30, 0, 0, msk), time.Date(2026, 12, 7, 9, 30, 0, 0, msk), scheduler.Config{})
	if len(p.Jobs) != 1 || len(p.Skipped) != 0 {
		t.Fatalf("an hour late: %+v", p)
	}
	if j := p.Jobs[0]; !j.Until.Equal(j.Due.Add(2 * time.Hour)) {
		t.Errorf("until %v, want two hours after %v", j.Until, j.Due)
	}

	back := time.Date(2026, 12, 7, 11, 0, 0, 0, msk) // two and a half hours late
	p = scheduler.PlanPushes([]core.User{u}, down, back, back, scheduler.Config{})
	if len(p.Jobs) != 0 || p.Skipped[chat.PushMorning] != 1 {
		t.Fatalf("two and a half hours late: %+v", p)
	}
	p = scheduler.PlanPushes([]core.User{u}, down, back, back, scheduler.Config{Grace: 3 * time.Hour})
	if len(p.Jobs) != 1 {
		t.Errorf("with a three-hour grace window: %+v", p)
	}
	// a week's outage looks back two days at most
	p = scheduler.PlanPushes([]core.User{u}, down.AddDate(0, 0, -7), back, back, scheduler.Config{})
	if p.Skipped[chat.PushMorning] > 3 {
		t.Errorf("skipped %v over a week, want at most the last two days", p.Skipped)
	}
}

package scheduler

import (
	"cmp"
	"time"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/chat"
)

// Config says how pushes are planned. Zero fields take their defaults.
type Config struct {
	// Grace is how late a push missed during downtime may still be sent (default 2 h); older
	// ones are skipped and counted.
	Grace time.Duration
	// ReminderGrace is Grace for reminders (default 30 min).
	ReminderGrace time.Duration
	// Ahead is how far ahead a push is prepared, so that its message goes out on the minute
	// (default 2 min).
	Ahead time.Duration
	// MaxCatchUp bounds how far back a pass after a long downtime looks (default 2 days): older
	// pushes are neither sent nor counted.
	MaxCatchUp time.Duration
}

func (c Config) grace() time.Duration         { return cmp.Or(c.Grace, 2*time.Hour) }
func (c Config) reminderGrace() time.Duration { return cmp.Or(c.ReminderGrace, 30*time.Minute) }
func (c Config) ahead() time.Duration         { return cmp.Or(c.Ahead, 2*time.Minute) }
func (c Config) maxCatchUp() time.Duration    { return cmp.Or(c.MaxCatchUp, 48*time.Hour) }

// Plan is one pass of the planner over the window (Since, Until].
type Plan struct {
	Jobs    []chat.PushJob
	Teams   []chat.TeamReportJob  // the teams' weekly reports, for their report channels
	Skipped map[chat.PushKind]int // due in the window but older than the grace window
}

// PlanTeamReports adds to p the teams' weekly reports due after since and up to until, at their
// reporters' weekly report day and time. A team's channel keeps to neither its reporter's pause
// nor their quiet hours: those are one person's.
func (p *Plan) PlanTeamReports(teams []core.TeamReporter, since, until, now time.Time, cfg Config) {
	if floor := now.Add(-cfg.maxCatchUp()); since.Before(floor) {
		since = floor
	}
	for i := range teams {
		r := &teams[i]
		loc := r.Reporter.Location()
		day, clock := r.Reporter.Settings.WeeklyReport()
		last := core.DateOf(until.In(loc))
		for d := core.DateOf(since.In(loc)); !d.After(last); d = d.AddDays(1) {
			if d.Weekday() != day {
				continue
			}
			at := d.At(clock, loc)
			if !at.After(since) || at.After(until) {
				continue
			}
			if now.Sub(at) > cfg.grace() {
				p.Skipped[chat.PushTeamWeekly]++
				continue
			}
			p.Teams = append(p.Teams, chat.TeamReportJob{Team: r.Team, Week: d.Monday(), Reporter: r.Reporter.ID, Due: at, Until: at.Add(cfg.grace())})
		}
	}
}

// PlanPushes returns the pushes of users due after since and up to until (now plus the time
// to prepare them): each user's morning plan and evening check-in on their working days, and
// their weekly report, at their local times, never on a paused day, moved out of quiet hours.
func PlanPushes(users []core.User, since, until, now time.Time, cfg Config) Plan {
	p := Plan{Skipped: map[chat.PushKind]int{}}
	if floor := now.Add(-cfg.maxCatchUp()); since.Before(floor) {
		since = floor
	}
	for i := range users {
		u := &users[i]
		loc := u.Location()
		last := core.DateOf(until.In(loc))
		for d := core.DateOf(since.In(loc)); !d.After(last); d = d.AddDays(1) {
			for _, kind := range []chat.PushKind{chat.PushMorning, chat.PushEvening, chat.PushWeekly} {
				at, ok := DueAt(u, kind, d)
				if !ok || !at.After(since) || at.After(until) {
					continue
				}
				if now.Sub(at) > cfg.grace() {
					p.Skipped[kind]++
					continue
				}
				p.Jobs = append(p.Jobs, chat.PushJob{User: u.ID, What: kind, Date: d, Due: at, Until: at.Add(cfg.grace())})
			}
		}
	}
	return p
}

// DueAt is when push kind is due for u on their local day d, and false when it isn't on that
// day: a day off for the morning plan and the check-in, any but the report's day for the
// weekly report, a paused day for all. A time in quiet hours moves to their end when that is
// the same day, and is dropped otherwise.
func DueAt(u *core.User, kind chat.PushKind, d core.Date) (time.Time, bool) {
	s := u.Settings
	if s.Paused(d) {
		return time.Time{}, false
	}
	var at core.ClockTime
	switch kind {
	case chat.PushMorning, chat.PushEvening:
		if !s.WorkingDay(d) {
			return time.Time{}, false
		}
		at = s.Morning()
		if kind == chat.PushEvening {
			at = s.Evening()
		}
	case chat.PushWeekly:
		var day time.Weekday
		if day, at = s.WeeklyReport(); d.Weekday() != day {
			return time.Time{}, false
		}
	default:
		return time.Time{}, false
	}
	if at, ok := outOfQuiet(s, at); ok {
		return d.At(at, u.Location()), true
	}
	return time.Time{}, false
}

// outOfQuiet moves a time inside the user's quiet hours to their end, when they end later the
// same day; false when they end only after midnight (an evening push at 23:00 in quiet hours
// from 22:00 to 08:00 is not sent the next morning).
func outOfQuiet(s core.Settings, at core.ClockTime) (core.ClockTime, bool) {
	if !s.Quiet(at) {
		return at, true
	}
	if *s.QuietFrom < *s.QuietTo || at < *s.QuietTo { // 13:00–14:00, or the morning part of 22:00–08:00
		return *s.QuietTo, true
	}
	return at, false // the evening part
}

package core

import (
	"time"

	"github.com/google/uuid"
)

// ReminderJob reminds a user of a task at its time (or the lead time before it they chose). It
// is scheduled in the transaction that gives the task its time, keyed by the task and the
// instant, so a task moved gets a new reminder and the old one, finding the task elsewhere,
// says nothing; a task done or deleted is not reminded of.
type ReminderJob struct {
	User uuid.UUID `json:"user" river:"unique"`
	Task uuid.UUID `json:"task" river:"unique"`
	At   time.Time `json:"at" river:"unique"` // when the reminder is due
	Due  time.Time `json:"due"`               // the task's time
}

// Kind implements Job.
func (ReminderJob) Kind() string { return "push_reminder" }

// RunAt implements Scheduled.
func (j ReminderJob) RunAt() time.Time { return j.At }

// MaxReminderLeadMin bounds how long before a task its reminder may come.
const MaxReminderLeadMin = 24 * 60

// ReminderOf is the reminder an open task with a date and a time has, as of now: lead minutes
// before its time, or at its time when the lead time has passed already. ok is false when it has
// none (no time, done, already past).
func ReminderOf(t Task, u *User, now time.Time) (j ReminderJob, ok bool) {
	if !t.Open() || t.ScheduledDate.IsZero() || t.ScheduledTime == nil {
		return j, false
	}
	due := t.ScheduledDate.At(*t.ScheduledTime, u.Location())
	if !due.After(now) {
		return j, false
	}
	at := due.Add(-time.Duration(min(max(u.Settings.ReminderLeadMin, 0), MaxReminderLeadMin)) * time.Minute)
	if at.Before(now) {
		at = due // too close for the lead time: at the time itself
	}
	return ReminderJob{User: u.ID, Task: t.ID, At: at.UTC(), Due: due.UTC()}, true
}

package chat

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/load"
)

// DayEndJob records a user's Business Load for a day they were active, once the day is over in
// their zone: the figure a view shows is never stored by looking, and the nightly snapshot of
// everyone (bizconnect load snapshot) writes the same value for the same day.
type DayEndJob struct {
	User uuid.UUID `json:"user" river:"unique"`
	Day  core.Date `json:"day" river:"unique"`
	At   time.Time `json:"at"`
}

// Kind implements core.Job.
func (DayEndJob) Kind() string { return "load_day_end" }

// RunAt implements core.Scheduled.
func (j DayEndJob) RunAt() time.Time { return j.At }

// dayEndGrace is how long after the user's midnight the day's figure is recorded: late work
// logged just after midnight still counts toward the day it was done.
const dayEndGrace = 5 * time.Minute

// firstOfDay runs on the user's first message of a day (in this chat): it awards what the days
// behind earned, announced with this reply, and schedules the day's load record for its end.
func (t *turn) firstOfDay(ctx context.Context) error {
	if t.dialog.Seen == t.today || t.later {
		return nil
	}
	t.dialog.Seen = t.today
	if err := t.checkAchievements(ctx); err != nil {
		return err
	}
	next := t.today.AddDays(1).In(t.now.Location()).Add(dayEndGrace)
	if _, err := t.tx.Later(ctx, DayEndJob{User: t.user.ID, Day: t.today, At: next}); err != nil && !errors.Is(err, core.ErrNoJobs) {
		return err
	}
	return nil
}

// RunDayEndJob records the day's load, scored from its history as the nightly snapshot scores it.
func (a *Assistant) RunDayEndJob(ctx context.Context, j DayEndJob) error {
	return a.store.InUser(ctx, j.User, func(ctx context.Context, tx core.Tx, u *core.User) error {
		_, err := load.Record(ctx, tx, u, j.Day)
		return err
	})
}

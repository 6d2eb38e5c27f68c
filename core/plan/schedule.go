package plan

import (
	"context"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
)

// CreateTask schedules and stores a new task. Without a date it goes on today, or tomorrow when
// its time of day has passed ("at 9" said at 15:00 means tomorrow); a recurring task set for
// today at a time that has passed starts at its next occurrence.
func CreateTask(ctx context.Context, tx core.Tx, u *core.User, t core.Task) (core.Task, error) {
	now := tx.Now().In(u.Location())
	today := core.DateOf(now)
	passed := t.ScheduledTime != nil && int(*t.ScheduledTime) < now.Hour()*60+now.Minute()
	if t.ScheduledDate.IsZero() {
		t.ScheduledDate = today
		if passed {
			t.ScheduledDate = today.AddDays(1)
		}
	}
	if t.Recurrence != "" && t.ScheduledDate == today && passed {
		if next, ok := core.NextOccurrence(t.Recurrence, today, today); ok {
			t.ScheduledDate = next
		}
	}
	if err := tx.CreateTask(ctx, &t); err != nil {
		return t, err
	}
	return t, nil
}

// MoveTask reschedules task id to due and, when at is not nil, to that time of day.
func MoveTask(ctx context.Context, tx core.Tx, id uuid.UUID, due *core.Date, at *core.ClockTime) (core.Task, error) {
	upd := core.TaskUpdate{ScheduledDate: due}
	if at != nil {
		upd.ScheduledTime = &at
	}
	return tx.UpdateTask(ctx, id, upd)
}

// DeleteTask removes task id (the undo of a task just added); it is kept, marked deleted.
func DeleteTask(ctx context.Context, tx core.Tx, id uuid.UUID) (core.Task, error) {
	yes := true
	return tx.UpdateTask(ctx, id, core.TaskUpdate{Deleted: &yes})
}

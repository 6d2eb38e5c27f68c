package load

import (
	"context"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
)

// ScoreDay scores a past day from its history (the days up to and including it): what the day
// held, done and left open, with its reflection and the trend as it stood that morning. Urgency
// and the overdue backlog of that day are not kept, so they add nothing.
func ScoreDay(history []core.DayWork, day core.Date, capacity int) Score {
	d := Day{CapacityMin: capacity, Trend: TrendOf(history, day, capacity)}
	for _, w := range history {
		if w.Date != day {
			continue
		}
		d.PlannedMin, d.CognitiveMin, d.HardMin, d.Goals = w.DoneMin+w.OpenMin, w.DoneCog+w.OpenCog, w.DoneHard+w.OpenHard, w.Goals
		d.BusyMin = w.BusyMin
		if w.Stress != nil {
			d.Stress = *w.Stress
		}
		if w.Energy != nil {
			d.Energy = *w.Energy
		}
	}
	return Compute(d)
}

// SnapshotAll records every user's Business Load of day (the day just ended, for the nightly
// operation), batch users at a time: one statement reads a batch's 42 days of history, one
// writes its figures. It returns how many users it recorded.
func SnapshotAll(ctx context.Context, s core.LoadSnapshots, day core.Date, batch int) (int, error) {
	if batch <= 0 {
		batch = 1000
	}
	n := 0
	for after := uuid.Nil; ; {
		users, err := s.UsersAfter(ctx, after, batch)
		if err != nil || len(users) == 0 {
			return n, err
		}
		ids := make([]uuid.UUID, len(users))
		for i, u := range users {
			ids[i] = u.ID
		}
		histories, err := s.WorkHistories(ctx, ids, day.AddDays(-Window), day)
		if err != nil {
			return n, err
		}
		loads := make(map[uuid.UUID]int, len(users))
		for _, u := range users {
			loads[u.ID] = ScoreDay(histories[u.ID], day, u.Settings.Capacity()).Value
		}
		if err := s.SaveLoads(ctx, day, loads); err != nil {
			return n, err
		}
		n += len(users)
		after = users[len(users)-1].ID
	}
}

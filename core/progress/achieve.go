package progress

import (
	"context"

	"github.com/bizconnect/bizconnect/core"
)

// Achievement thresholds (docs/business-load.md, "Achievements").
const (
	// DeepWorkMin is the hard or extreme work done in a week that makes a deep-work week.
	DeepWorkMin = 8 * 60
	// ConsistentWeeks weeks in a row with at least ConsistentDays days of work done make
	// the consistency badge.
	ConsistentWeeks = 4
	ConsistentDays  = 3
)

// streaks are the badges for planned days done in a row.
var streaks = []struct {
	days int
	kind string
}{{3, core.AchStreak3}, {7, core.AchStreak7}, {30, core.AchStreak30}}

// FromHistory are the achievements the days before today earned: streaks of planned days done
// in a row (a day with nothing planned — a weekend, a vacation, a pause — pauses a streak and
// never breaks it; only a planned day left undone does), deep-work weeks and consistency. Each
// comes with the key that makes it earned once.
func FromHistory(history []core.DayWork, today core.Date) []core.Achievement {
	var out []core.Achievement
	run := 0
	week := map[core.Date]struct{ hard, days int }{}
	for _, d := range history {
		if !d.Date.Before(today) {
			break
		}
		next := streakStep(run, d)
		for _, s := range streaks {
			if next > run && next == s.days {
				out = append(out, core.Achievement{Kind: s.kind})
			}
		}
		run = next
		w := week[d.Date.Monday()]
		w.hard += d.DoneHard
		if d.DoneMin > 0 {
			w.days++
		}
		week[d.Date.Monday()] = w
	}
	steady := 0
	for m := today.Monday().AddDays(-7 * 6); m.Before(today.Monday()); m = m.AddDays(7) { // full weeks only
		w := week[m]
		if w.hard >= DeepWorkMin {
			out = append(out, core.Achievement{Kind: core.AchDeepWork, Key: m.String()})
		}
		if w.days >= ConsistentDays {
			steady++
			if steady == ConsistentWeeks {
				out = append(out, core.Achievement{Kind: core.AchConsistency, Key: m.String()})
				steady = 0
			}
		} else {
			steady = 0
		}
	}
	return out
}

// Streak is how many planned days in a row, up to yesterday, the user did all of (the run the
// streak badges count; a day with nothing planned pauses it).
func Streak(history []core.DayWork, today core.Date) int {
	run := 0
	for _, d := range history {
		if !d.Date.Before(today) {
			break
		}
		run = streakStep(run, d)
	}
	return run
}

// streakStep is the run after day d: one more when all its planned work was done, none when some
// was left, as it was when nothing was planned.
func streakStep(run int, d core.DayWork) int {
	switch {
	case d.DoneMin+d.OpenMin == 0:
		return run
	case d.OpenMin == 0:
		return run + 1
	}
	return 0
}

// AwardAll records achievements; those already earned change nothing (tx.Earned lists the new).
func AwardAll(ctx context.Context, tx core.Tx, as []core.Achievement) error {
	for _, a := range as {
		if _, err := tx.Award(ctx, a); err != nil {
			return err
		}
	}
	return nil
}

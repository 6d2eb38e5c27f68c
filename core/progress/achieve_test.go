package progress_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/progress"
)

func kinds(as []core.Achievement) map[string]string {
	m := map[string]string{}
	for _, a := range as {
		m[a.Kind] = a.Key
	}
	return m
}

// TestStreakSurvivesAPause: planned days done in a row make a streak; days with nothing planned
// (a weekend, a vacation) pause it; only a planned day left undone breaks it.
func TestStreakSurvivesAPause(t *testing.T) {
	today := core.Date{Year: 2026, Month: 12, Day: 20}
	day := func(back, done, open int) core.DayWork {
		return core.DayWork{Date: today.AddDays(-back), DoneMin: done, OpenMin: open}
	}
	// two days done, a ten-day vacation with nothing planned, then five more days done: seven
	paused := []core.DayWork{day(17, 60, 0), day(16, 30, 0), day(5, 60, 0), day(4, 60, 0), day(3, 60, 0), day(2, 60, 0), day(1, 60, 0)}
	if got := kinds(progress.FromHistory(paused, today)); got[core.AchStreak7] != "" || !has(got, core.AchStreak3) || !has(got, core.AchStreak7) {
		t.Errorf("a streak across a vacation: %v", got)
	}
	// a planned day left undone in the middle breaks it: 3 and 3, never 7
	broken := []core.DayWork{day(7, 60, 0), day(6, 60, 0), day(5, 60, 0), day(4, 30, 30), day(3, 60, 0), day(2, 60, 0), day(1, 60, 0)}
	if got := kinds(progress.FromHistory(broken, today)); has(got, core.AchStreak7) || !has(got, core.AchStreak3) {
		t.Errorf("a broken streak: %v", got)
	}
	// today doesn't count until it's over
	if got := kinds(progress.FromHistory([]core.DayWork{day(2, 60, 0), day(1, 60, 0), day(0, 60, 0)}, today)); has(got, core.AchStreak3) {
		t.Errorf("today counted: %v", got)
	}
}

func has(m map[string]string, k string) bool { _, ok := m[k]; return ok }

// TestDeepWorkAndConsistency: a week with 8 h of hard work done is a deep-work week (keyed by
// its Monday); four weeks in a row with three working days each earn consistency.
func TestDeepWorkAndConsistency(t *testing.T) {
	today := core.Date{Year: 2026, Month: 12, Day: 30} // a Wednesday
	var h []core.DayWork
	for d := today.Monday().AddDays(-28); d.Before(today.Monday()); d = d.AddDays(1) {
		if wd := d.Weekday(); wd >= 1 && wd <= 3 {
			w := core.DayWork{Date: d, DoneMin: 200}
			if d.Monday() == today.Monday().AddDays(-7) {
				w.DoneHard = 180
			}
			h = append(h, w)
		}
	}
	got := progress.FromHistory(h, today)
	var deep, steady int
	for _, a := range got {
		switch a.Kind {
		case core.AchDeepWork:
			deep++
			if a.Key != today.Monday().AddDays(-7).String() {
				t.Errorf("deep-work week keyed %s", a.Key)
			}
		case core.AchConsistency:
			steady++
		}
	}
	if deep != 1 || steady != 1 {
		t.Errorf("deep-work weeks %d, consistency %d: %+v", deep, steady, got)
	}
}

// TestAchievementsAreAwardedOnce: the database keeps one per kind and key; the second award is
// no news, and another user's award is theirs.
func TestAchievementsAreAwardedOnce(t *testing.T) {
	t.Parallel()
	db, anna, boris := coretest.Pair(t, time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	for i, want := range []bool{true, false} {
		db.As(t, anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
			fresh, err := tx.Award(ctx, core.Achievement{Kind: core.AchStreak3})
			if fresh != want || len(tx.Earned()) != map[bool]int{true: 1, false: 0}[want] {
				t.Errorf("award %d: fresh %v, earned %v", i, fresh, tx.Earned())
			}
			return err
		})
	}
	db.As(t, boris, func(ctx context.Context, tx core.Tx, u *core.User) error {
		if fresh, err := tx.Award(ctx, core.Achievement{Kind: core.AchStreak3}); !fresh || err != nil {
			t.Errorf("boris's own award: %v %v", fresh, err)
		}
		all, err := tx.Achievements(ctx, time.Time{})
		if len(all) != 1 {
			t.Errorf("boris sees %d achievements", len(all))
		}
		return err
	})
	if err := db.TryAs(anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		_, err := tx.Award(ctx, core.Achievement{Kind: "made_up"})
		return err
	}); err == nil {
		t.Error("an unknown kind was stored")
	}
	if n := db.Scalar(t, `SELECT count(*) FROM achievements`); n != "2" {
		t.Errorf("achievements stored: %s", n)
	}
}

// TestProgressEarnsOnlyWhatWasLogged: a team member's total, refused, earns no badge; their
// increment passing a milestone earns it once, and a manager reaching the goal earns that.
func TestProgressEarnsOnlyWhatWasLogged(t *testing.T) {
	t.Parallel()
	db, anna, boris := coretest.Pair(t, time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	team := coretest.Team(t, db, "Acme", anna, boris)
	target, half := 10.0, 5.0
	var goal core.Goal
	db.As(t, anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		var err error
		goal, err = progress.SaveGoal(ctx, tx, core.Goal{Title: "10 клиентов", TargetValue: &target, TeamID: &team, Visibility: core.TeamVisible},
			[]core.Milestone{{Title: "половина", TargetValue: &half}})
		return err
	})
	earned := func(who uuid.UUID, fn func(ctx context.Context, tx core.Tx, u *core.User, g core.Goal) error) (kinds []string, err error) {
		err = db.TryAs(who, func(ctx context.Context, tx core.Tx, u *core.User) error {
			g, err := tx.FindGoalByID(ctx, goal.ID)
			if err != nil {
				return err
			}
			err = fn(ctx, tx, u, g)
			for _, a := range tx.Earned() {
				kinds = append(kinds, a.Kind)
			}
			return err
		})
		return kinds, err
	}
	total := func(v float64, inc bool) func(ctx context.Context, tx core.Tx, u *core.User, g core.Goal) error {
		return func(ctx context.Context, tx core.Tx, u *core.User, g core.Goal) error {
			_, err := progress.LogProgress(ctx, tx, u, g, v, inc)
			return err
		}
	}
	if kinds, err := earned(boris, total(10, false)); err == nil || len(kinds) != 0 {
		t.Fatalf("a member's refused total: %v, earned %v", err, kinds)
	}
	if kinds, err := earned(boris, total(6, true)); err != nil || len(kinds) != 1 || kinds[0] != core.AchMilestone {
		t.Fatalf("an increment past the milestone: %v, earned %v", err, kinds)
	}
	if kinds, err := earned(boris, total(1, true)); err != nil || len(kinds) != 0 {
		t.Fatalf("another increment: %v, earned %v", err, kinds)
	}
	if kinds, err := earned(anna, total(10, false)); err != nil || len(kinds) != 1 || kinds[0] != core.AchGoalAchieved {
		t.Fatalf("the manager's total reaching the goal: %v, earned %v", err, kinds)
	}
	if n := db.Scalar(t, `SELECT count(*) FROM milestones WHERE status = 'completed'`); n != "1" {
		t.Errorf("milestones completed: %s", n)
	}
}

// TestStreak: the run the streak badges count — days with all their planned work done, up to
// yesterday; a day with nothing planned pauses it, a day left undone ends it, today is not in it.
func TestStreak(t *testing.T) {
	today, err := core.ParseDate("2026-03-16")
	if err != nil {
		t.Fatal(err)
	}
	day := func(n, done, open int) core.DayWork {
		return core.DayWork{Date: today.AddDays(n), DoneMin: done, OpenMin: open}
	}
	for _, c := range []struct {
		name    string
		history []core.DayWork
		want    int
	}{
		{"none", nil, 0},
		{"three done", []core.DayWork{day(-3, 30, 0), day(-2, 60, 0), day(-1, 30, 0)}, 3},
		{"a rest day pauses", []core.DayWork{day(-4, 30, 0), day(-3, 30, 0), day(-1, 30, 0)}, 3},
		{"a day left undone ends it", []core.DayWork{day(-3, 30, 0), day(-2, 30, 30), day(-1, 30, 0)}, 1},
		{"today is not counted", []core.DayWork{day(-1, 30, 0), day(0, 30, 0)}, 1},
	} {
		if got := progress.Streak(c.history, today); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}

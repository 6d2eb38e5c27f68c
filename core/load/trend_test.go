package load

import (
	"testing"

	"github.com/bizconnect/bizconnect/core"
)

var today = core.Date{Year: 2026, Month: 12, Day: 2} // a Wednesday

// history is days of work before today: minutes(i) of average work (cognitive load 5) on the day
// i days back, 1..Window; 0 is a day off.
func history(minutes func(back int, weekday int) int) []core.DayWork {
	var out []core.DayWork
	for back := Window; back >= 1; back-- {
		d := today.AddDays(-back)
		if m := minutes(back, int(d.Weekday())); m > 0 {
			out = append(out, core.DayWork{Date: d, DoneMin: m, DoneCog: 5 * m})
		}
	}
	return out
}

func workdays(m int) func(int, int) int {
	return func(_ int, wd int) int {
		if wd == 0 || wd == 6 {
			return 0
		}
		return m
	}
}

func day(minutes int, tr Trend) Day {
	return Day{CapacityMin: 360, PlannedMin: minutes, CognitiveMin: 5 * minutes, Trend: tr}
}

// TestCalmMonthIsOptimal: weeks of five-hour working days with weekends off are sustainable:
// the ratio stays in its band, nothing is added, and a usual day scores optimal.
func TestCalmMonthIsOptimal(t *testing.T) {
	tr := TrendOf(history(workdays(300)), today, 360)
	if tr.Ratio < RatioLow || tr.Ratio > RatioHigh || tr.Points() != 0 {
		t.Fatalf("calm month: %+v", tr)
	}
	if s := Compute(day(300, tr)); s.Zone != Optimal {
		t.Errorf("a usual day after a calm month: %d %s", s.Value, s.Zone)
	}
}

// TestSuddenDoublingIsHigh: a week at twice the usual work (eight hours a working day instead of
// four) after a calm month pushes the ratio past 1.5, and the same day that was optimal before
// reads high, the ratio named among its contributors.
func TestSuddenDoublingIsHigh(t *testing.T) {
	tr := TrendOf(history(func(back, wd int) int {
		if back <= 7 {
			return workdays(480)(back, wd)
		}
		return workdays(240)(back, wd)
	}), today, 360)
	if tr.Ratio < RatioDanger || tr.RatioPoints < 10 {
		t.Fatalf("after a doubling: %+v", tr)
	}
	calm := TrendOf(history(workdays(240)), today, 360)
	before, after := Compute(day(300, calm)), Compute(day(300, tr))
	if after.Value-before.Value < 10 || (after.Zone != High && after.Zone != Overload) {
		t.Errorf("the same day reads %d %s after the doubling, %d %s before", after.Value, after.Zone, before.Value, before.Zone)
	}
	if c := after.Contributors(); !hasKind(c, "ratio") {
		t.Errorf("contributors: %+v", c)
	}
}

// TestRestWeekRecovers: a rest week after three heavy weeks brings the ratio under the band and
// clears the points; a usual day reads optimal again.
func TestRestWeekRecovers(t *testing.T) {
	tr := TrendOf(history(func(back, wd int) int {
		if back <= 7 {
			return 0
		}
		return 420
	}), today, 360)
	if tr.Ratio >= RatioLow || tr.Points() != 0 || tr.DaysSinceRest != 0 {
		t.Fatalf("after a rest week: %+v", tr)
	}
	if s := Compute(day(300, tr)); s.Zone != Optimal {
		t.Errorf("a usual day after the rest week: %d %s", s.Value, s.Zone)
	}
}

// TestStressRaisesTheFigureAndIsNamed: the same day with stress 5 of 5 reads higher, and stress
// is among its contributors with its points.
func TestStressRaisesTheFigureAndIsNamed(t *testing.T) {
	calm := day(300, Trend{})
	stressed := calm
	stressed.Stress = 5
	a, b := Compute(calm), Compute(stressed)
	if b.Value <= a.Value {
		t.Fatalf("stress 5: %d, calm: %d", b.Value, a.Value)
	}
	for _, c := range b.Contributors() {
		if c.Kind == "stress" && c.Points == 8 && c.Count == 5 {
			return
		}
	}
	t.Errorf("stress not named: %+v", b.Contributors())
}

// TestNoRestForTwoWeeksAddsPoints: fourteen working days in a row add rest points, named.
func TestNoRestForTwoWeeksAddsPoints(t *testing.T) {
	tr := TrendOf(history(func(back, wd int) int {
		if back <= 14 {
			return 300
		}
		return workdays(300)(back, wd)
	}), today, 360)
	if tr.DaysSinceRest < 14 || tr.RestPoints != 10 {
		t.Fatalf("two weeks without rest: %+v", tr)
	}
}

// TestReferenceAdaptsAfterFourWeeks: someone who sustains seven hours on working days with a
// stated capacity of six gets a reference between the two; with less history, the capacity.
func TestReferenceAdaptsAfterFourWeeks(t *testing.T) {
	tr := TrendOf(history(workdays(420)), today, 360)
	if tr.ReferenceMin <= 360 || tr.ReferenceMin > 450 {
		t.Fatalf("reference after six weeks at 7 h: %d", tr.ReferenceMin)
	}
	young := TrendOf(history(func(back, wd int) int {
		if back <= 20 {
			return workdays(420)(back, wd)
		}
		return 0
	}), today, 360)
	if young.ReferenceMin != 360 || young.Days != 20 {
		t.Fatalf("reference with 20 days of history: %+v", young)
	}
	if a, b := Compute(day(420, Trend{})), Compute(day(420, tr)); b.Value >= a.Value {
		t.Errorf("a 7-hour day reads %d adapted, %d not", b.Value, a.Value)
	}
}

// TestNewUserHasNoTrend: with no history nothing is added and the capacity is the reference.
func TestNewUserHasNoTrend(t *testing.T) {
	tr := TrendOf(nil, today, 360)
	if tr.Points() != 0 || tr.Ratio != 0 || tr.ReferenceMin != 360 || tr.Days != 0 {
		t.Fatalf("new user: %+v", tr)
	}
	if a, b := Compute(day(300, Trend{})), Compute(day(300, tr)); a.Value != b.Value {
		t.Errorf("no history changes the figure: %d vs %d", a.Value, b.Value)
	}
}

// TestNextWalksTheTrendForward: walking a calm trend forward with doubled days reaches the
// danger band within a week, as TrendOf would read the same days.
func TestNextWalksTheTrendForward(t *testing.T) {
	tr := TrendOf(history(workdays(240)), today, 360)
	for i := range 7 {
		m := 480
		if wd := today.AddDays(i).Weekday(); wd == 0 || wd == 6 {
			m = 0
		}
		tr = tr.Next(Strain(core.DayWork{DoneMin: m, DoneCog: 5 * m}), 360)
	}
	if tr.Ratio < RatioDanger {
		t.Errorf("a week of doubled days ahead: %+v", tr)
	}
}

func hasKind(cs []Contributor, kind string) bool {
	for _, c := range cs {
		if c.Kind == kind {
			return true
		}
	}
	return false
}

// TestStrainIsLinearInWhatTheDatabaseSums: a day's strain from summed parts equals the sum of
// its tasks' strains (without the multipliers), so the set-wise SQL is exact.
func TestStrainIsLinearInWhatTheDatabaseSums(t *testing.T) {
	a := core.DayWork{DoneMin: 60, DoneCog: 60 * 8, DoneHard: 60}
	b := core.DayWork{DoneMin: 90, DoneCog: 90 * 2}
	sum := core.DayWork{DoneMin: 150, DoneCog: 60*8 + 90*2, DoneHard: 60}
	if got, want := Strain(sum), Strain(a)+Strain(b); got != want {
		t.Errorf("strain of the sum %v, sum of strains %v", got, want)
	}
	if s := Strain(core.DayWork{DoneMin: 60, DoneCog: 300}); s != 60 {
		t.Errorf("an hour of average work weighs %v, want 60", s)
	}
}

// Package report builds the weekly report: a calendar week (Monday to Sunday in the user's zone)
// in Plans / Progress / Problems form, compared with the week before, with each goal's forecast,
// the load trend, the week's achievements and one recommendation, and a chart of the last four
// weeks. Build reads it in a few set-wise queries; Text, HTML and Chart draw it.
package report

import (
	"context"
	"math"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/load"
	"github.com/bizconnect/bizconnect/core/progress"
)

// Weeks is how many weeks the chart looks back, the report's week included.
const Weeks = 4

// MaxGoals bounds the goals a report lists (the chart draws the first three).
const MaxGoals = 6

// Weekly is one week's report.
type Weekly struct {
	Lang           string
	Monday, Sunday core.Date
	Today          core.Date
	Team           string // the team's name for a team's report
	Week, Prev     core.WeekStats
	// Days are the load of the Weeks weeks ending on Sunday; days after today are projected.
	Days []load.DayLoad
	// the load of the week's days up to today
	AvgLoad, PeakLoad, OverloadDays int
	PeakDay                         core.Date
	Goals                           []GoalLine
	Achievements                    []core.Achievement
	Members                         []core.MemberWeek // a team's report: who completed what on the team's goals
	Overdue                         int               // open tasks scheduled before today (this week's report)
	NextTasks, NextMinutes          int               // what the following week holds already
	Tip                             string            // the catalogue key of the week's recommendation
	loc                             *time.Location
}

// GoalLine is a goal in the report.
type GoalLine struct {
	Goal     core.Goal
	Forecast progress.GoalForecast
	Moved    float64 // how much it moved during the week
	Reached  bool    // reached during the week (it stays in the report as achieved)
	// Share is the goal's progress (0..1) at the end of each of Days.
	Share []float64
}

// Build reads the user's report of the week from monday.
func Build(ctx context.Context, tx core.Tx, u *core.User, monday core.Date) (*Weekly, error) {
	monday = monday.Monday()
	r := &Weekly{Lang: u.Locale, Monday: monday, Sunday: monday.AddDays(6), Today: core.Today(tx, u), loc: u.Location()}
	if r.Today.Before(monday) {
		return nil, core.Errorf(core.EINVALID, "the week has not begun")
	}
	var err error
	if r.Week, err = tx.WeekStats(ctx, monday); err != nil {
		return nil, err
	}
	if r.Prev, err = tx.WeekStats(ctx, monday.AddDays(-7)); err != nil {
		return nil, err
	}
	first := monday.AddDays(-7 * (Weeks - 1))
	if r.Days, err = load.Range(ctx, tx, u, first, r.Sunday); err != nil {
		return nil, err
	}
	r.summariseLoad()
	since := monday.In(u.Location())
	goals, err := tx.FindGoals(ctx, core.GoalFilter{ReachedSince: &since, Limit: 50})
	if err != nil {
		return nil, err
	}
	if err := r.readGoals(ctx, tx, goals, first); err != nil {
		return nil, err
	}
	if r.Achievements, err = tx.Achievements(ctx, since); err != nil {
		return nil, err
	}
	r.Achievements = slices.DeleteFunc(r.Achievements, func(a core.Achievement) bool {
		return !a.AchievedAt.Before(r.Sunday.AddDays(1).In(u.Location()))
	})
	next, err := tx.FindTasks(ctx, core.TaskFilter{OpenOnly: true, From: monday.AddDays(7), To: monday.AddDays(13), Limit: 500})
	if err != nil {
		return nil, err
	}
	for _, t := range next {
		r.NextTasks++
		r.NextMinutes += t.Minutes()
	}
	r.Tip = r.recommend()
	return r, nil
}

// summariseLoad sums the load of the week's days up to today: average, peak, days in overload;
// and takes the backlog from today's figure (a past week's report has none of today's).
func (r *Weekly) summariseLoad() {
	sum, n := 0, 0
	for _, d := range r.Days {
		if d.Date == r.Today {
			r.Overdue = d.Score.Day.OverdueTasks
		}
		if d.Date.Before(r.Monday) || d.Date.After(r.Sunday) || d.Date.After(r.Today) {
			continue
		}
		v := d.Score.Value
		sum += v
		n++
		if v > r.PeakLoad {
			r.PeakLoad, r.PeakDay = v, d.Date
		}
		if d.Score.Zone == load.Overload {
			r.OverloadDays++
		}
	}
	if n > 0 {
		r.AvgLoad = int(math.Round(float64(sum) / float64(n)))
	}
}

// readGoals forecasts the goals, reached ones first, then active by deadline, and draws their
// progress over Days.
func (r *Weekly) readGoals(ctx context.Context, tx core.Tx, goals []core.Goal, first core.Date) error {
	goals = slices.DeleteFunc(goals, func(g core.Goal) bool { // a past week's report has only the goals it had
		return r.Sunday.Before(g.StartDate) || r.Sunday.Before(core.DateOf(g.CreatedAt.In(r.loc)))
	})
	slices.SortStableFunc(goals, func(a, b core.Goal) int {
		ra, rb := a.Status == core.GoalCompleted, b.Status == core.GoalCompleted
		if ra != rb {
			if ra {
				return -1
			}
			return 1
		}
		return compareDeadlines(a.EndDate, b.EndDate)
	})
	goals = goals[:min(len(goals), MaxGoals)]
	lines, hist, err := forecasts(ctx, tx, goals, r.Today, first.AddDays(-progress.ForecastWindow))
	if err != nil {
		return err
	}
	end := r.Today // the week's last day so far
	if r.Sunday.Before(end) {
		end = r.Sunday
	}
	for i, line := range lines {
		h := hist[line.Goal.ID].Days
		line.Moved = valueOn(h, end, line.Goal) - valueOn(h, r.Monday.AddDays(-1), line.Goal)
		if line.Forecast.Target > 0 {
			for _, d := range r.Days {
				line.Share = append(line.Share, min(1, max(0, valueOn(h, d.Date, line.Goal)/line.Forecast.Target)))
			}
		}
		lines[i] = line
	}
	r.Goals = lines
	return nil
}

// Forecasts reads the goals' histories in one query and forecasts each (GoalText says them).
func Forecasts(ctx context.Context, tx core.Tx, goals []core.Goal, today core.Date) ([]GoalLine, error) {
	lines, _, err := forecasts(ctx, tx, goals, today, today.AddDays(-progress.ForecastWindow))
	return lines, err
}

func forecasts(ctx context.Context, tx core.Tx, goals []core.Goal, today, from core.Date) ([]GoalLine, map[uuid.UUID]core.GoalHistory, error) {
	ids := make([]uuid.UUID, len(goals))
	for i, g := range goals {
		ids[i] = g.ID
	}
	hist, err := tx.GoalHistories(ctx, ids, from)
	if err != nil {
		return nil, nil, err
	}
	lines := make([]GoalLine, len(goals))
	for i, g := range goals {
		h := hist[g.ID]
		target := float64(h.Tasks) // a goal counted by tasks counts to how many it has
		if g.TargetValue != nil {
			target = *g.TargetValue
		} else {
			g.CurrentValue = float64(h.Done)
		}
		lines[i] = GoalLine{Goal: g, Forecast: progress.Forecast(g, h.Days, target, today), Reached: g.Status == core.GoalCompleted}
	}
	return lines, hist, nil
}

// BuildTeam reads the report of a team's week: its goals, and what each member completed on
// them (team content only: no one's load, stress or private tasks).
func BuildTeam(ctx context.Context, tx core.Tx, u *core.User, teamID uuid.UUID, monday core.Date) (*Weekly, error) {
	monday = monday.Monday()
	r := &Weekly{Lang: u.Locale, Monday: monday, Sunday: monday.AddDays(6), Today: core.Today(tx, u), loc: u.Location()}
	if r.Today.Before(monday) {
		return nil, core.Errorf(core.EINVALID, "the week has not begun")
	}
	name, week, prev, err := tx.TeamWeek(ctx, teamID, monday)
	if err != nil {
		return nil, err
	}
	r.Team, r.Members = name, week
	for _, m := range week {
		r.Week.TasksCompleted += m.Tasks
		r.Week.CompletedMinutes += m.Minutes
	}
	for _, m := range prev {
		r.Prev.TasksCompleted += m.Tasks
	}
	first := monday.AddDays(-7 * (Weeks - 1))
	for i := range Weeks * 7 { // the chart's days, without anyone's load
		r.Days = append(r.Days, load.DayLoad{Date: first.AddDays(i), Past: first.AddDays(i).Before(r.Today)})
	}
	since := monday.In(u.Location())
	goals, err := tx.FindGoals(ctx, core.GoalFilter{TeamID: &teamID, ReachedSince: &since, Limit: 50})
	if err != nil {
		return nil, err
	}
	if err := r.readGoals(ctx, tx, goals, first); err != nil {
		return nil, err
	}
	r.Tip = r.recommend()
	return r, nil
}

// valueOn is the goal's value at the end of day: its last entry by then (days lead with the
// last one before the window); a goal with no entries at all stands at its value since its start.
func valueOn(days []core.GoalDay, day core.Date, g core.Goal) float64 {
	v := 0.0
	for _, d := range days {
		if d.Date.After(day) {
			return v
		}
		v = d.Value
	}
	if len(days) == 0 && !day.Before(g.StartDate) {
		return g.CurrentValue // no entries kept: its value is what it was set to
	}
	return v
}

func compareDeadlines(a, b core.Date) int {
	switch {
	case a.IsZero() && b.IsZero():
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	}
	return a.Compare(b)
}

// recommend picks the one recommendation the week calls for: rest after overload, the backlog
// when it piles up, a goal falling behind, momentum when all is well.
func (r *Weekly) recommend() string {
	behind := false
	for _, g := range r.Goals {
		if g.Forecast.Status == progress.OffTrack || g.Forecast.Status == progress.AtRisk {
			behind = true
		}
	}
	switch {
	case r.OverloadDays >= 2 || r.Week.AvgStress != nil && *r.Week.AvgStress >= 4:
		return "rtip_rest"
	case r.Overdue >= 5:
		return "rtip_backlog"
	case behind:
		return "rtip_behind"
	case r.Week.TasksPlanned == 0:
		return "rtip_plan"
	case r.AvgLoad < 30:
		return "rtip_room"
	}
	return "rtip_keep"
}

// Recovered is the "recovered" achievement when days (in order) hold a day back in the optimal
// zone after one in overload, keyed by that day.
func Recovered(days []load.DayLoad) []core.Achievement {
	over := false
	for _, d := range days {
		switch d.Score.Zone {
		case load.Overload:
			over = true
		case load.Optimal, load.Light:
			if over && d.Past {
				return []core.Achievement{{Kind: core.AchRecovered, Key: d.Date.String()}}
			}
		}
	}
	return nil
}

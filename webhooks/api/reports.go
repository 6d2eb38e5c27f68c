package api

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/report"
)

// WeeklyReport implements StrictServerInterface: report.Build, the report the chat sends.
func (s *Server) WeeklyReport(ctx context.Context, req WeeklyReportRequestObject) (WeeklyReportResponseObject, error) {
	r, err := s.weekly(ctx, req.Params.Week)
	if err != nil {
		return nil, err
	}
	return WeeklyReport200JSONResponse(weeklyOf(r)), nil
}

// WeeklyReportChart implements StrictServerInterface: the report's chart (report.Weekly.Chart).
func (s *Server) WeeklyReportChart(ctx context.Context, req WeeklyReportChartRequestObject) (WeeklyReportChartResponseObject, error) {
	r, err := s.weekly(ctx, req.Params.Week)
	if err != nil {
		return nil, err
	}
	png, err := r.Chart() // drawn after the transaction: it holds no connection
	if err != nil {
		return nil, err
	}
	return WeeklyReportChart200ImagepngResponse{Body: bytes.NewReader(png), ContentLength: int64(len(png))}, nil
}

// weekly builds the user's report of week (this week when nil), in the user's language.
func (s *Server) weekly(ctx context.Context, week *string) (*report.Weekly, error) {
	var r *report.Weekly
	err := s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		monday := core.Today(tx, u).Monday()
		if week != nil {
			var err error
			if monday, err = mondayOf(*week); err != nil {
				return err
			}
		}
		var err error
		if r, err = report.Build(ctx, tx, u, monday); err != nil {
			return err
		}
		r.Lang = u.Locale
		return nil
	})
	return r, err
}

// mondayOf is the Monday of an ISO week "2026-W49": week 1 is the one with the year's first
// Thursday (the one with January 4th).
func mondayOf(week string) (core.Date, error) {
	var year, n int
	if _, err := fmt.Sscanf(week, "%4d-W%2d", &year, &n); err != nil || len(week) != 8 || n < 1 || n > 53 {
		return core.Date{}, core.Errorf(core.EINVALID, "a week is YYYY-Www, as 2026-W05")
	}
	monday := core.DateOf(time.Date(year, time.January, 4, 0, 0, 0, 0, time.UTC)).Monday().AddDays(7 * (n - 1))
	if y, w := monday.In(time.UTC).ISOWeek(); y != year || w != n {
		return core.Date{}, core.Errorf(core.EINVALID, "%d has no week %d", year, n)
	}
	return monday, nil
}

func weeklyOf(r *report.Weekly) WeeklyReport {
	y, w := r.Monday.In(time.UTC).ISOWeek()
	out := WeeklyReport{Week: fmt.Sprintf("%04d-W%02d", y, w), Monday: apiDay(r.Monday), Sunday: apiDay(r.Sunday),
		TasksPlanned: r.Week.TasksPlanned, TasksCompleted: r.Week.TasksCompleted, PlannedMinutes: r.Week.PlannedMinutes,
		CompletedMinutes: r.Week.CompletedMinutes, PrevTasksCompleted: &r.Prev.TasksCompleted, AvgLoad: r.AvgLoad,
		PeakLoad: r.PeakLoad, OverloadDays: r.OverloadDays, Achievements: achievementsOf(r.Achievements, r.Lang)}
	out.Goals = make([]WeeklyGoal, len(r.Goals))
	for i, g := range r.Goals {
		out.Goals[i] = WeeklyGoal{GoalId: g.Goal.ID, Title: g.Goal.Title, Progress: g.Goal.Progress(), Moved: g.Moved,
			Reached: g.Reached, Forecast: WeeklyGoalForecast(g.Forecast.Status)}
	}
	out.Text = r.Text().String()
	return out
}

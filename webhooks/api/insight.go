package api

import (
	"context"
	"time"

	"github.com/google/uuid"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/load"
	"github.com/bizconnect/bizconnect/core/progress"
	"github.com/bizconnect/bizconnect/core/report"
)

// LoadToday implements StrictServerInterface: load.Today, as the chat shows the day's load.
func (s *Server) LoadToday(ctx context.Context, _ LoadTodayRequestObject) (LoadTodayResponseObject, error) {
	var out LoadDay
	err := s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		score, _, _, err := load.Today(ctx, tx, u)
		out = loadOf(load.DayLoad{Date: core.Today(tx, u), Score: score})
		return err
	})
	if err != nil {
		return nil, err
	}
	return LoadToday200JSONResponse(out), nil
}

// LoadHistory implements StrictServerInterface: load.History, by default the 30 days to yesterday.
func (s *Server) LoadHistory(ctx context.Context, req LoadHistoryRequestObject) (LoadHistoryResponseObject, error) {
	var out LoadDays
	err := s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		from, to, err := daysOf(req.Params.From, req.Params.To, core.Today(tx, u).AddDays(-1))
		if err != nil {
			return err
		}
		days, err := load.History(ctx, tx, u, from, to)
		out.Items = loadsOf(days)
		return err
	})
	if err != nil {
		return nil, err
	}
	return LoadHistory200JSONResponse(out), nil
}

// LoadProjection implements StrictServerInterface: load.Range over the days after today.
func (s *Server) LoadProjection(ctx context.Context, req LoadProjectionRequestObject) (LoadProjectionResponseObject, error) {
	n := 7
	if req.Params.Days != nil {
		n = *req.Params.Days
	}
	if n < 1 || n > 31 {
		return nil, core.Errorf(core.EINVALID, "days is 1 to 31")
	}
	var out LoadDays
	err := s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		today := core.Today(tx, u)
		days, err := load.Range(ctx, tx, u, today.AddDays(1), today.AddDays(n))
		out.Items = loadsOf(days)
		return err
	})
	if err != nil {
		return nil, err
	}
	return LoadProjection200JSONResponse(out), nil
}

// daysOf is the range of days from from to to, to by default last and from 29 days before to;
// at most maxDays.
func daysOf(from, to *openapi_types.Date, last core.Date) (core.Date, core.Date, error) {
	end := last
	if to != nil {
		end = dateOf(*to)
	}
	start := end.AddDays(-29)
	if from != nil {
		start = dateOf(*from)
	}
	if end.Before(start) || start.DaysUntil(end) >= maxDays {
		return start, end, core.Errorf(core.EINVALID, "from is on or before to, at most %d days apart", maxDays-1)
	}
	return start, end, nil
}

func loadsOf(days []load.DayLoad) []LoadDay {
	out := make([]LoadDay, len(days))
	for i, d := range days {
		out[i] = loadOf(d)
	}
	return out
}

func loadOf(d load.DayLoad) LoadDay {
	sc, day := d.Score, d.Score.Day
	return LoadDay{Date: apiDay(d.Date), Value: sc.Value, Zone: LoadDayZone(sc.Zone), Past: d.Past, Projected: d.Projected,
		Volume: sc.Volume, Intensity: sc.Intensity, Pressure: sc.Pressure, Wellbeing: sc.Wellbeing, Trend: sc.Trend,
		PlannedMin: &day.PlannedMin, CapacityMin: &day.CapacityMin, UrgentTasks: &day.UrgentTasks, OverdueTasks: &day.OverdueTasks}
}

// ListAchievements implements StrictServerInterface.
func (s *Server) ListAchievements(ctx context.Context, _ ListAchievementsRequestObject) (ListAchievementsResponseObject, error) {
	var out AchievementList
	err := s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		all, err := tx.Achievements(ctx, time.Time{})
		out.Items = achievementsOf(all, u.Locale)
		return err
	})
	if err != nil {
		return nil, err
	}
	return ListAchievements200JSONResponse(out), nil
}

func achievementsOf(as []core.Achievement, lang string) []Achievement {
	out := make([]Achievement, len(as))
	for i, a := range as {
		name := report.AchievementName(lang, a)
		out[i] = Achievement{Kind: AchievementKind(a.Kind), AchievedAt: a.AchievedAt, Name: &name}
		if a.Key != "" {
			out[i].Key = &a.Key
		}
		if a.Title != "" {
			out[i].Title = &a.Title
		}
	}
	return out
}

// ListRecommendations implements StrictServerInterface.
func (s *Server) ListRecommendations(ctx context.Context, req ListRecommendationsRequestObject) (ListRecommendationsResponseObject, error) {
	page, limit, err := pageOf(req.Params.Cursor, req.Params.Limit)
	if err != nil {
		return nil, err
	}
	var out RecommendationPage
	err = s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		rs, err := tx.FindRecommendations(ctx, core.RecommendationFilter{Page: page, Limit: limit + 1})
		if err != nil {
			return err
		}
		out.Items, out.NextCursor = paged(rs, limit, recommendationOf, func(r core.Recommendation) (time.Time, uuid.UUID) { return r.CreatedAt, r.ID })
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ListRecommendations200JSONResponse(out), nil
}

// RateRecommendation implements StrictServerInterface: the rating the chat's 👍 and 👎 record,
// which the advice that follows weighs.
func (s *Server) RateRecommendation(ctx context.Context, req RateRecommendationRequestObject) (RateRecommendationResponseObject, error) {
	if req.Body == nil {
		return nil, core.Errorf(core.EINVALID, "a rating is needed")
	}
	rating := string(req.Body.Rating)
	if rating != core.FeedbackHelpful && rating != core.FeedbackNotHelpful {
		return nil, core.Errorf(core.EINVALID, "a rating is helpful or not_helpful")
	}
	var out Recommendation
	op := "POST /recommendations/" + req.Id.String() + "/feedback"
	err := s.idempotent(ctx, req.Params.IdempotencyKey, op, req.Body, &out, func(ctx context.Context, tx core.Tx, u *core.User) error {
		if err := tx.RateRecommendation(ctx, req.Id, rating); err != nil {
			return err
		}
		r, err := tx.FindRecommendation(ctx, req.Id)
		out = recommendationOf(r)
		return err
	})
	if err != nil {
		return nil, err
	}
	return RateRecommendation200JSONResponse(out), nil
}

func recommendationOf(r core.Recommendation) Recommendation {
	out := Recommendation{Id: r.ID, Kind: r.Kind, Content: r.Content, TaskId: r.TaskID, GoalId: r.GoalID, Applied: r.Applied, CreatedAt: r.CreatedAt}
	if r.Feedback != "" {
		f := RecommendationFeedback(r.Feedback)
		out.Feedback = &f
	}
	return out
}

// streakDays is how far back the dashboard's streak is read.
const streakDays = 90

// GetDashboard implements StrictServerInterface: today's tasks and load as load.Today reads
// them, the active goals, and the streak the streak badges count (progress.Streak).
func (s *Server) GetDashboard(ctx context.Context, _ GetDashboardRequestObject) (GetDashboardResponseObject, error) {
	var out Dashboard
	err := s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		today := core.Today(tx, u)
		score, day, tasks, err := load.Today(ctx, tx, u)
		if err != nil {
			return err
		}
		goals, err := tx.FindGoals(ctx, core.GoalFilter{Status: core.GoalActive, Limit: 1000})
		if err != nil {
			return err
		}
		history, err := tx.WorkHistory(ctx, today.AddDays(-streakDays), today.AddDays(-1))
		if err != nil {
			return err
		}
		out = Dashboard{Date: apiDay(today), OverdueTasks: day.OverdueTasks, ActiveGoals: len(goals),
			Load: loadOf(load.DayLoad{Date: today, Score: score}), Streak: progress.Streak(history, today)}
		for _, t := range tasks {
			if t.ScheduledDate == today && t.Status != core.TaskCancelled {
				out.TasksToday++
				if t.Status == core.TaskDone {
					out.DoneToday++
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return GetDashboard200JSONResponse(out), nil
}

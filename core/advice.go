package core

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Recommendation is a piece of advice the assistant gave (recommendations): its kind, the words
// it was given in, and what it was about.
type Recommendation struct {
	ID      uuid.UUID
	Kind    string // focus, reschedule, rest, goal_at_risk, quick_win, delegate
	Content string
	TaskID  *uuid.UUID
	GoalID  *uuid.UUID
	Applied bool
	// Feedback is the user's latest rating (FeedbackHelpful, FeedbackNotHelpful), "" when none.
	Feedback  string
	CreatedAt time.Time
}

// RecommendationFilter pages through the user's recommendations, newest first.
type RecommendationFilter struct {
	Limit int
	Page  *Cursor // as TaskFilter.Page
}

// Feedback ratings, as the schema's feedback.
const (
	FeedbackHelpful    = "helpful"
	FeedbackNotHelpful = "not_helpful"
)

// AdviceStore keeps the advice given and what the user thought of it.
type AdviceStore interface {
	SaveRecommendation(ctx context.Context, r *Recommendation) error
	// FindRecommendation returns one of the user's recommendations, or an ENOTFOUND error.
	FindRecommendation(ctx context.Context, id uuid.UUID) (Recommendation, error)
	// FindRecommendations returns the user's recommendations, newest first.
	FindRecommendations(ctx context.Context, f RecommendationFilter) ([]Recommendation, error)
	// RateRecommendation records the user's rating of a recommendation.
	RateRecommendation(ctx context.Context, id uuid.UUID, rating string) error
	// MarkRecommendationApplied marks it applied; false when it was already.
	MarkRecommendationApplied(ctx context.Context, id uuid.UUID) (bool, error)
	// AdviceScores returns, by kind, the user's 👍 minus 👎 over their recent ratings, each
	// recommendation counted once, by its latest rating.
	AdviceScores(ctx context.Context) (map[string]int, error)
}

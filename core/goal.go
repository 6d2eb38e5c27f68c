package core

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Goal is something a user wants to reach: a target value by a date, or a set of tasks.
type Goal struct {
	ID           uuid.UUID
	UserID       uuid.UUID
	TeamID       *uuid.UUID
	Title        string
	Description  string
	Category     string
	Tracking     string   // "value" or "tasks"
	TargetValue  *float64 // nil for task-based goals
	CurrentValue float64
	Unit         string
	StartDate    Date
	EndDate      Date // zero: no deadline
	Status       string
	Visibility   string
	CreatedAt    time.Time
	CompletedAt  *time.Time // when it was reached
}

// Progress returns how far the goal is, 0..1 (0 when it has no target).
func (g *Goal) Progress() float64 {
	if g.TargetValue == nil || *g.TargetValue <= 0 {
		return 0
	}
	return min(max(g.CurrentValue / *g.TargetValue, 0), 1)
}

// Goal statuses, tracking modes and visibilities.
const (
	GoalActive    = "active"
	GoalCompleted = "completed"
	TrackValue    = "value"
	TrackTasks    = "tasks"
	Private       = "private"
	TeamVisible   = "team"
	Public        = "public"
)

// Team roles, as the schema's team_role.
const (
	TeamOwner  = "owner"
	TeamAdmin  = "admin"
	TeamMember = "member"
)

// ManagedBy reports whether a user with role in the goal's team may change the goal beyond
// adding to it (set its total, plan it, edit it): its owner, and a team goal's owners and admins.
func (g *Goal) ManagedBy(userID uuid.UUID, role string) bool {
	return g.UserID == userID || (g.Visibility == TeamVisible && (role == TeamOwner || role == TeamAdmin))
}

// Categories are the kinds of goals, as the schema's goal_category.
var Categories = []string{"revenue", "clients", "product", "marketing", "sales", "team", "finance", "health", "learning", "personal", "other"}

// ApplyDefaults fills in what a new goal leaves out: category other, tracked by value when it has a
// target (by tasks otherwise), private, starting today.
func (g *Goal) ApplyDefaults(today Date) {
	if !slices.Contains(Categories, g.Category) {
		g.Category = "other"
	}
	if g.Tracking == "" {
		g.Tracking = TrackValue
		if g.TargetValue == nil {
			g.Tracking = TrackTasks
		}
	}
	if g.Visibility == "" {
		g.Visibility = Private
	}
	if g.StartDate.IsZero() {
		g.StartDate = today
	}
	if g.Status == "" {
		g.Status = GoalActive
	}
}

// Validate checks a goal before it is stored.
func (g *Goal) Validate() error {
	switch {
	case strings.TrimSpace(g.Title) == "":
		return Errorf(EINVALID, "a goal needs a title")
	case len(g.Title) > MaxTitleLen:
		return Errorf(EINVALID, "a goal's title is longer than %d bytes", MaxTitleLen)
	case len(g.Description) > MaxDescriptionLen:
		return Errorf(EINVALID, "a goal's description is longer than %d bytes", MaxDescriptionLen)
	case !slices.Contains(Categories, g.Category):
		return Errorf(EINVALID, "unknown goal category %q", g.Category)
	case g.Tracking != TrackValue && g.Tracking != TrackTasks:
		return Errorf(EINVALID, "a goal is tracked by value or by tasks")
	case g.TargetValue != nil && (*g.TargetValue <= 0 || math.IsInf(*g.TargetValue, 0) || math.IsNaN(*g.TargetValue) || *g.TargetValue > 1e15):
		return Errorf(EINVALID, "a goal's target must be a positive number")
	case math.IsNaN(g.CurrentValue) || math.Abs(g.CurrentValue) > 1e15:
		return Errorf(EINVALID, "a goal's value is out of range")
	case !g.EndDate.IsZero() && g.EndDate.Before(g.StartDate):
		return Errorf(EINVALID, "a goal's deadline is before its start")
	case g.Visibility != Private && g.Visibility != TeamVisible && g.Visibility != Public:
		return Errorf(EINVALID, "unknown visibility %q", g.Visibility)
	case g.Visibility == TeamVisible && g.TeamID == nil:
		return Errorf(EINVALID, "a team goal needs its team")
	case len(g.Unit) > MaxUnitLen:
		return Errorf(EINVALID, "a goal's unit is longer than %d bytes", MaxUnitLen)
	}
	return nil
}

// MaxUnitLen bounds a goal's unit, in bytes.
const MaxUnitLen = 50

// Reached reports whether value meets an active goal's target.
func (g *Goal) Reached(value float64) bool {
	return g.TargetValue != nil && value >= *g.TargetValue && g.Status == GoalActive
}

// GoalFilter selects goals; zero fields don't filter.
type GoalFilter struct {
	// TeamID selects the team's goals (visible to its members) instead of the user's own.
	TeamID *uuid.UUID
	Status string
	// ReachedSince adds, to the active goals, those reached since then (Status is ignored).
	ReachedSince *time.Time
	Limit        int
	Page         *Cursor // as TaskFilter.Page
}

// GoalUpdate changes the non-nil fields of a goal.
type GoalUpdate struct {
	Title        *string
	CurrentValue *float64
	TargetValue  *float64
	EndDate      *Date
	Status       *string
	Deleted      *bool // true deletes the goal (it is kept, marked deleted); false restores it
}

// Milestone is a checkpoint on the way to a goal.
type Milestone struct {
	ID          uuid.UUID
	GoalID      uuid.UUID
	Title       string
	TargetValue *float64
	Deadline    Date
	Position    int
	Status      string
	CreatedAt   time.Time
	CompletedAt *time.Time // when it was reached
}

// Milestone statuses, as the schema's milestone_status.
const (
	MilestonePending   = "pending"
	MilestoneCompleted = "completed"
)

// Reached reports whether the milestone was reached.
func (m *Milestone) Reached() bool { return m.Status == MilestoneCompleted }

// MilestoneFilter selects milestones of the goals the user may see; zero fields don't filter.
type MilestoneFilter struct {
	GoalID *uuid.UUID
	Limit  int
	Page   *Cursor // as TaskFilter.Page
}

// MilestoneUpdate changes the non-nil fields of a milestone.
type MilestoneUpdate struct {
	Title       *string
	TargetValue *float64
	Deadline    *Date
	Position    *int
	Status      *string
}

// Validate checks a milestone before it is stored.
func (m *Milestone) Validate() error {
	switch {
	case strings.TrimSpace(m.Title) == "":
		return Errorf(EINVALID, "a milestone needs a title")
	case len(m.Title) > MaxTitleLen:
		return Errorf(EINVALID, "a milestone's title is longer than %d bytes", MaxTitleLen)
	case m.GoalID == uuid.Nil:
		return Errorf(EINVALID, "a milestone belongs to a goal")
	case m.TargetValue != nil && (math.IsNaN(*m.TargetValue) || math.IsInf(*m.TargetValue, 0) || math.Abs(*m.TargetValue) > 1e15):
		return Errorf(EINVALID, "a milestone's target is out of range")
	case m.Position < 0:
		return Errorf(EINVALID, "a milestone's position is not negative")
	}
	return nil
}

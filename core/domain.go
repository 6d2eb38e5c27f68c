package core

import (
	"time"

	"github.com/google/uuid"
)

// User is a person using the assistant, on any number of platforms.
type User struct {
	ID        uuid.UUID
	Name      string
	Timezone  string // IANA name
	Locale    string // "ru" or "en"
	Settings  Settings
	CreatedAt time.Time
}

// Location returns the user's time zone, UTC when it can't be loaded.
func (u *User) Location() *time.Location {
	if loc, err := time.LoadLocation(u.Timezone); err == nil {
		return loc
	}
	return time.UTC
}

// Settings are a user's preferences, stored as users.settings.
type Settings struct {
	MorningPlan      *ClockTime `json:"morning_plan_time,omitempty"`
	EveningCheckin   *ClockTime `json:"evening_checkin_time,omitempty"`
	WeeklyReportDay  int        `json:"weekly_report_day,omitempty"` // 1 = Monday … 7 = Sunday
	WeeklyReportTime *ClockTime `json:"weekly_report_time,omitempty"`
	QuietFrom        *ClockTime `json:"quiet_from,omitempty"`
	QuietTo          *ClockTime `json:"quiet_to,omitempty"`
	WorkingDays      []int      `json:"working_days,omitempty"` // 1 = Monday … 7 = Sunday
	DailyCapacityMin int        `json:"daily_capacity_min,omitempty"`
	PausedUntil      *Date      `json:"paused_until,omitempty"`
	// LangLocked is set when the user chose a language explicitly; until then the assistant
	// follows the language they write in.
	LangLocked bool `json:"lang_locked,omitempty"`
	// Onboarding is the step of the first-run questions the user is on ("" when done).
	Onboarding string `json:"onboarding,omitempty"`
}

// Default schedule values, used where a user has not chosen.
const (
	DefaultCapacityMin = 360 // six focused hours a day
	DefaultTaskMin     = 30  // a task without an estimate
	MaxEstimateMin     = 7 * 24 * 60
)

// Capacity returns the user's daily capacity in minutes.
func (s Settings) Capacity() int {
	if s.DailyCapacityMin > 0 {
		return s.DailyCapacityMin
	}
	return DefaultCapacityMin
}

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

// GoalFilter selects goals; zero fields don't filter.
type GoalFilter struct {
	ID *uuid.UUID
	// TeamID selects the team's goals (visible to its members) instead of the user's own.
	TeamID *uuid.UUID
	Status string
	Limit  int
}

// GoalUpdate changes the non-nil fields of a goal.
type GoalUpdate struct {
	Title        *string
	CurrentValue *float64
	TargetValue  *float64
	EndDate      *Date
	Status       *string
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
}

// Task is a piece of work, possibly serving a goal.
type Task struct {
	ID            uuid.UUID
	UserID        uuid.UUID
	GoalID        *uuid.UUID
	MilestoneID   *uuid.UUID
	Title         string
	Description   string
	Priority      int  // 1 highest … 4 lowest
	EstimatedMin  *int // minutes
	Complexity    string
	CognitiveLoad int // 1..10
	Status        string
	ScheduledDate Date       // zero: unscheduled
	ScheduledTime *ClockTime // nil: any time that day
	Recurrence    string     // RFC 5545 RRULE without "RRULE:"
	CompletedAt   *time.Time
	CreatedAt     time.Time
}

// Minutes returns the task's estimate, or the default when it has none.
func (t *Task) Minutes() int {
	if t.EstimatedMin != nil && *t.EstimatedMin > 0 {
		return *t.EstimatedMin
	}
	return DefaultTaskMin
}

// Open reports whether the task still has to be done.
func (t *Task) Open() bool { return t.Status == TaskTodo || t.Status == TaskInProgress }

// Task statuses.
const (
	TaskTodo       = "todo"
	TaskInProgress = "in_progress"
	TaskDone       = "done"
	TaskCancelled  = "cancelled"
)

// TaskFilter selects a user's tasks; zero fields don't filter. Deleted tasks are never returned.
type TaskFilter struct {
	ID       *uuid.UUID
	OpenOnly bool
	From, To Date // scheduled_date within [From, To]
	// Overdue adds open tasks scheduled before From.
	Overdue bool
	GoalID  *uuid.UUID
	Limit   int
}

// TaskUpdate changes the non-nil fields of a task.
type TaskUpdate struct {
	Title         *string
	Status        *string
	Priority      *int
	EstimatedMin  *int
	ScheduledDate *Date
	ScheduledTime **ClockTime
	Deleted       *bool
}

// DailyProgress is a user's day: load, counts and reflection.
type DailyProgress struct {
	Date           Date
	BusinessLoad   *int
	TasksCompleted int
	TasksPlanned   int
	Stress         *int
	Energy         *int
	Notes          string
}

// WeekStats sums a user's week from weekly_report_data.
type WeekStats struct {
	WeekStart        Date
	TasksPlanned     int
	TasksCompleted   int
	PlannedMinutes   int
	CompletedMinutes int
	AvgLoad          *float64
	AvgStress        *float64
	AvgEnergy        *float64
	GoalsAdvanced    int
}

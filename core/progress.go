package core

import (
	"time"

	"github.com/google/uuid"
)

// ProgressEntry is one value logged on a goal.
type ProgressEntry struct {
	ID     int64
	GoalID uuid.UUID
	UserID uuid.UUID // who logged it
	Date   Date
	Value  float64  // the goal's total after it
	Delta  *float64 // what it added; nil when it set the total
	Undone bool
	// CreatedAt is when it was logged.
	CreatedAt time.Time
}

// GoalDay is a goal's value at the end of a day.
type GoalDay struct {
	Date  Date
	Value float64
}

// GoalHistory is what a goal's analytics read: its values at the end of each day that moved it,
// and, for a goal counted by tasks, how many tasks it has and how many are done.
type GoalHistory struct {
	Days        []GoalDay
	Tasks, Done int
}

// Achievement is a badge a user earned, once per kind and key (a goal's id, a week's Monday).
type Achievement struct {
	Kind       string
	Key        string
	Title      string // what it was earned for: a goal's title
	AchievedAt time.Time
}

// Achievement kinds, as the schema's achievements_kind.
const (
	AchFirstGoal    = "first_goal"
	AchFirstPlan    = "first_plan"
	AchMilestone    = "milestone"
	AchGoalAchieved = "goal_achieved"
	AchStreak3      = "streak_3"
	AchStreak7      = "streak_7"
	AchStreak30     = "streak_30"
	AchDeepWork     = "deep_work_week"
	AchRecovered    = "recovered"
	AchConsistency  = "consistency"
)

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

// DayWork is what a past day held, summed set-wise in the database for the load's trend: the
// minutes of the tasks done that day (by when they were done) and of those planned for it and
// still open, each also weighted by cognitive load and counted when hard; how many goals the
// day's tasks served; and the day's reflection.
type DayWork struct {
	Date                       Date
	DoneMin, DoneCog, DoneHard int // Σ minutes, Σ minutes × cognitive load, Σ minutes of hard or extreme tasks
	OpenMin, OpenCog, OpenHard int
	Goals                      int
	Stress, Energy             *int
	BusyMin                    int // minutes the calendar held (meetings), when one is connected
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

// ValidateReflection checks a day's stress and energy (1..5) and notes.
func ValidateReflection(stress, energy *int, notes string) error {
	for _, v := range []*int{stress, energy} {
		if v != nil && (*v < 1 || *v > 5) {
			return Errorf(EINVALID, "stress and energy are 1 to 5")
		}
	}
	if len(notes) > 4000 {
		return Errorf(EINVALID, "notes are longer than 4000 characters")
	}
	return nil
}

// MemberWeek is what one member of a team completed on the team's goals in a week.
type MemberWeek struct {
	Name           string
	Tasks, Minutes int
}

package core

import (
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

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

// MaxTitleLen bounds a task's or a goal's title, in bytes: as long as a whole message may be.
const MaxTitleLen = 4000

// MaxDescriptionLen bounds a task's or a goal's description, in bytes.
const MaxDescriptionLen = 10000

// Complexities are the schema's task_complexity, from least to most demanding.
var Complexities = []string{"trivial", "easy", "medium", "hard", "extreme"}

// ApplyDefaults fills in what a new task leaves out: normal priority, medium complexity and
// cognitive load, to do; an estimate no single task can have is dropped.
func (t *Task) ApplyDefaults() {
	if t.Priority == 0 {
		t.Priority = 3
	}
	if t.Complexity == "" {
		t.Complexity = "medium"
	}
	if t.CognitiveLoad == 0 {
		t.CognitiveLoad = 5
	}
	if t.Status == "" {
		t.Status = TaskTodo
	}
	if m := t.EstimatedMin; m != nil && (*m < 1 || *m > MaxEstimateMin) {
		t.EstimatedMin = nil // "на 300 часов" is no estimate for one task
	}
}

// Validate checks a task before it is stored.
func (t *Task) Validate() error {
	switch {
	case strings.TrimSpace(t.Title) == "":
		return Errorf(EINVALID, "a task needs a title")
	case len(t.Title) > MaxTitleLen:
		return Errorf(EINVALID, "a task's title is longer than %d bytes", MaxTitleLen)
	case len(t.Description) > MaxDescriptionLen:
		return Errorf(EINVALID, "a task's description is longer than %d bytes", MaxDescriptionLen)
	case t.Priority < 1 || t.Priority > 4:
		return Errorf(EINVALID, "priority is 1 (urgent) to 4 (low)")
	case t.EstimatedMin != nil && (*t.EstimatedMin < 1 || *t.EstimatedMin > MaxEstimateMin):
		return Errorf(EINVALID, "an estimate is 1 minute to a week")
	case !slices.Contains(Complexities, t.Complexity):
		return Errorf(EINVALID, "unknown complexity %q", t.Complexity)
	case t.CognitiveLoad < 1 || t.CognitiveLoad > 10:
		return Errorf(EINVALID, "cognitive load is 1 to 10")
	case t.ScheduledTime != nil && (*t.ScheduledTime < 0 || *t.ScheduledTime >= 24*60):
		return Errorf(EINVALID, "a time of day is 00:00 to 23:59")
	}
	if t.Recurrence != "" {
		if _, ok := ParseRecurrence(t.Recurrence); !ok || !strings.HasPrefix(t.Recurrence, "FREQ=") {
			return Errorf(EINVALID, "unknown recurrence %q", t.Recurrence)
		}
	}
	return nil
}

// TaskFilter selects a user's tasks; zero fields don't filter. Deleted tasks are never returned.
type TaskFilter struct {
	OpenOnly bool
	From, To Date // scheduled_date within [From, To]
	// Overdue adds open tasks scheduled before From.
	Overdue bool
	GoalID  *uuid.UUID
	Limit   int
	// Page lists the tasks newest first, after its position when it has one (keyset
	// pagination: a page is one indexed range, however deep).
	Page *Cursor
}

// Cursor is a position in a list ordered newest first: the creation time and id of the last
// item of the page before (zero: the first page).
type Cursor struct {
	CreatedAt time.Time
	ID        uuid.UUID
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
	ClearEstimate bool // drop the estimate (an undo of its first one)
}

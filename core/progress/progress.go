// Package progress records what gets done: completing tasks (and scheduling the next time of a
// recurring one), goal values logged by their owner or by any member of a team, goals counted by
// their tasks, saving goals with their milestones, and the day's reflection. Each operation takes
// the user's transaction, applies the rule once for every entry point (chat, scheduler, REST),
// and returns what it did.
package progress

import (
	"context"
	"math"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
)

// Completion is what completing a task did.
type Completion struct {
	Task        core.Task
	AlreadyDone bool       // it was done before: nothing changed
	Next        *core.Task // the next occurrence of a recurring task, scheduled
	Goal        *core.Goal // the task-based goal it counted toward, as it is now
}

// CompleteTaskByID completes the user's task id; ENOTFOUND when it isn't theirs or is gone.
func CompleteTaskByID(ctx context.Context, tx core.Tx, u *core.User, id uuid.UUID) (Completion, error) {
	t, err := tx.FindTaskByID(ctx, id)
	if err != nil {
		return Completion{}, err
	}
	return CompleteTask(ctx, tx, u, t)
}

// CompleteTask marks t done, schedules the next occurrence of a recurring task (on or after
// today), and counts it toward its goal when the goal is tracked by tasks.
func CompleteTask(ctx context.Context, tx core.Tx, u *core.User, t core.Task) (Completion, error) {
	if t.Status == core.TaskDone {
		return Completion{Task: t, AlreadyDone: true}, nil
	}
	done := core.TaskDone
	t, err := tx.UpdateTask(ctx, t.ID, core.TaskUpdate{Status: &done})
	if err != nil {
		return Completion{}, err
	}
	c := Completion{Task: t}
	today := core.Today(tx, u)
	if next, ok := core.NextOccurrence(t.Recurrence, t.ScheduledDate, today); ok {
		again := core.Task{Title: t.Title, Description: t.Description, GoalID: t.GoalID, MilestoneID: t.MilestoneID,
			Priority: t.Priority, EstimatedMin: t.EstimatedMin, Complexity: t.Complexity, CognitiveLoad: t.CognitiveLoad,
			ScheduledDate: next, ScheduledTime: t.ScheduledTime, Recurrence: t.Recurrence}
		if err := tx.CreateTask(ctx, &again); err != nil {
			return Completion{}, err
		}
		c.Next = &again
	}
	if t.GoalID != nil {
		g, err := countTowardGoal(ctx, tx, u, *t.GoalID, today)
		if err != nil {
			return Completion{}, err
		}
		c.Goal = g
	}
	return c, nil
}

// countTowardGoal advances a task-based goal of the user or their team by one finished task; nil
// when the goal is tracked by value, is gone, or is someone else's.
func countTowardGoal(ctx context.Context, tx core.Tx, u *core.User, goalID uuid.UUID, today core.Date) (*core.Goal, error) {
	g, err := tx.FindGoalByID(ctx, goalID)
	if core.ErrorCode(err) == core.ENOTFOUND || (err == nil && (g.Tracking != core.TrackTasks ||
		(g.UserID != u.ID && g.Visibility != core.TeamVisible))) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r, err := LogProgress(ctx, tx, u, g, 1, true)
	if err != nil {
		return nil, err
	}
	return &r.Goal, nil
}

// Logged is what logging progress did.
type Logged struct {
	Goal    core.Goal
	Reached bool  // this value reached the goal's target: it is completed now
	Entry   int64 // the team progress entry, which its author or an admin can undo (0 for own goals)
}

// MaxValue bounds a logged value: no business figure is larger, and the database's numeric
// columns stay exact.
const MaxValue = 1e15

// ErrTeamTotal refuses a member's total on a team goal: members add to it, its managers set it.
var ErrTeamTotal = core.Errorf(core.EFORBIDDEN, "only the team's owners and admins set a team goal's total")

// LogProgress sets goal g to value, or adds value to it when increment (a negative value takes
// back), today, and records the entry. A goal that reaches its target is completed. On a team
// goal any member adds, credited to them; only the goal's owner and the team's owners and admins
// set the total (ErrTeamTotal). Other goals are their owner's alone.
func LogProgress(ctx context.Context, tx core.Tx, u *core.User, g core.Goal, value float64, increment bool) (Logged, error) {
	if math.IsNaN(value) || math.IsInf(value, 0) || math.Abs(value) > MaxValue {
		return Logged{}, core.Errorf(core.EINVALID, "a progress value must be a number below %g", MaxValue)
	}
	day := core.Today(tx, u)
	v := value
	if increment {
		v = g.CurrentValue + value
	}
	if math.Abs(v) > MaxValue {
		return Logged{}, core.Errorf(core.EINVALID, "a goal's value must stay below %g", MaxValue)
	}
	reached := g.Reached(v)
	var logged Logged
	var err error
	if g.Visibility == core.TeamVisible && g.TeamID != nil {
		logged, err = logTeam(ctx, tx, u, day, g, value, increment, reached)
	} else {
		logged, err = logOwn(ctx, tx, day, g, v, value, increment, reached)
	}
	if err != nil {
		return Logged{}, err
	}
	// only what was logged earns anything: a refused total awards nothing
	return logged, awardProgress(ctx, tx, g, logged.Goal.CurrentValue, reached)
}

func logOwn(ctx context.Context, tx core.Tx, day core.Date, g core.Goal, v, value float64, increment, reached bool) (Logged, error) {
	upd := core.GoalUpdate{CurrentValue: &v}
	if reached {
		st := core.GoalCompleted
		upd.Status = &st
	}
	g, err := tx.UpdateGoal(ctx, g.ID, upd)
	if err != nil {
		return Logged{}, err
	}
	var delta *float64
	if increment {
		delta = &value
	}
	if err := tx.AddGoalProgress(ctx, g.ID, day, v, delta, ""); err != nil {
		return Logged{}, err
	}
	return Logged{Goal: g, Reached: reached}, nil
}

func logTeam(ctx context.Context, tx core.Tx, u *core.User, day core.Date, g core.Goal, value float64, increment, reached bool) (Logged, error) {
	role, err := tx.TeamRole(ctx, *g.TeamID)
	if err != nil {
		return Logged{}, err
	}
	if role == "" {
		return Logged{}, core.Errorf(core.ENOTFOUND, "goal not found")
	}
	var entry int64
	if increment {
		entry, err = tx.AddTeamProgress(ctx, g.ID, day, value)
	} else if !g.ManagedBy(u.ID, role) {
		return Logged{}, ErrTeamTotal
	} else {
		entry, err = tx.SetTeamProgress(ctx, g.ID, day, value)
	}
	if err != nil {
		return Logged{}, err
	}
	g, err = tx.FindGoalByID(ctx, g.ID)
	return Logged{Goal: g, Reached: reached, Entry: entry}, err
}

// ErrUndoForbidden refuses to take back someone else's entry: its author or the team's managers may.
var ErrUndoForbidden = core.Errorf(core.EFORBIDDEN, "only its author or the team's owners and admins undo an entry")

// UndoProgress takes back a team goal's increment entry, as its author or the goal's managers
// may, and returns the goal as it is now. An entry already undone is not found.
func UndoProgress(ctx context.Context, tx core.Tx, u *core.User, entry int64) (core.Goal, error) {
	e, err := tx.FindProgress(ctx, entry)
	if err != nil {
		return core.Goal{}, err
	}
	g, err := tx.FindGoalByID(ctx, e.GoalID)
	if err != nil {
		return core.Goal{}, err
	}
	if e.Undone || e.Delta == nil || g.Visibility != core.TeamVisible || g.TeamID == nil {
		return core.Goal{}, core.Errorf(core.ENOTFOUND, "no entry to undo")
	}
	role, err := tx.TeamRole(ctx, *g.TeamID)
	if err != nil {
		return core.Goal{}, err
	}
	if e.UserID != u.ID && !g.ManagedBy(u.ID, role) {
		return core.Goal{}, ErrUndoForbidden
	}
	if _, err := tx.UndoTeamProgress(ctx, entry); err != nil {
		return core.Goal{}, err
	}
	return tx.FindGoalByID(ctx, e.GoalID)
}

// awardProgress awards what moving goal g (as it was) to value earned: each milestone it passed
// (the database has completed them already), and the goal itself when reached.
func awardProgress(ctx context.Context, tx core.Tx, g core.Goal, value float64, reached bool) error {
	if value <= g.CurrentValue || g.Status != core.GoalActive {
		return nil
	}
	ms, err := tx.FindMilestones(ctx, g.ID)
	if err != nil {
		return err
	}
	var as []core.Achievement
	for _, m := range ms {
		if m.TargetValue != nil && *m.TargetValue > g.CurrentValue && *m.TargetValue <= value {
			as = append(as, core.Achievement{Kind: core.AchMilestone, Key: m.ID.String(), Title: m.Title})
		}
	}
	if reached {
		as = append(as, core.Achievement{Kind: core.AchGoalAchieved, Key: g.ID.String(), Title: g.Title})
	}
	return AwardAll(ctx, tx, as)
}

// SaveGoal stores a new goal of the user and its milestones (in order), and returns the goal.
// The first goal a user sets is an achievement.
func SaveGoal(ctx context.Context, tx core.Tx, g core.Goal, milestones []core.Milestone) (core.Goal, error) {
	if err := tx.CreateGoal(ctx, &g); err != nil {
		return g, err
	}
	if _, err := tx.Award(ctx, core.Achievement{Kind: core.AchFirstGoal}); err != nil {
		return g, err
	}
	if len(milestones) == 0 {
		return g, nil
	}
	for i := range milestones {
		milestones[i].GoalID = g.ID
		if milestones[i].Position == 0 {
			milestones[i].Position = i + 1
		}
	}
	return g, tx.CreateMilestones(ctx, milestones)
}

// Reflect records the user's stress and energy (1..5) and notes for today; notes add up over the
// day.
func Reflect(ctx context.Context, tx core.Tx, u *core.User, stress, energy *int, notes string) error {
	if err := core.ValidateReflection(stress, energy, notes); err != nil {
		return err
	}
	return tx.SaveReflection(ctx, core.Today(tx, u), stress, energy, notes)
}

// Pace compares a goal's progress with the straight line from its start to its deadline.
type Pace struct {
	Kind        PaceKind
	DaysLeft    int
	NeedPerWeek float64 // what it takes each week from now to reach the target, when behind
}

// PaceKind says where a goal stands against its deadline.
type PaceKind int

// The paces.
const (
	PaceNone    PaceKind = iota // no target or no deadline
	PaceAhead                   // at or above the line
	PaceClose                   // within 80% of the line
	PaceBehind                  // further behind
	PaceOverdue                 // the deadline has passed
)

// PaceOf tells how goal g stands on day today.
func PaceOf(g core.Goal, today core.Date) Pace {
	if g.TargetValue == nil || g.EndDate.IsZero() {
		return Pace{}
	}
	total := g.StartDate.DaysUntil(g.EndDate)
	left := today.DaysUntil(g.EndDate)
	if total <= 0 || left < 0 {
		return Pace{Kind: PaceOverdue}
	}
	expected := float64(total-left) / float64(total)
	switch p := g.Progress(); {
	case p >= expected:
		return Pace{Kind: PaceAhead, DaysLeft: left}
	case p >= expected*0.8:
		return Pace{Kind: PaceClose, DaysLeft: left}
	}
	need := (*g.TargetValue - g.CurrentValue) / math.Max(float64(left)/7, 1)
	return Pace{Kind: PaceBehind, DaysLeft: left, NeedPerWeek: math.Ceil(need)}
}

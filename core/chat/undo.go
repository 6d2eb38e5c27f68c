package chat

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/locale"
	"github.com/bizconnect/bizconnect/core/plan"
	"github.com/bizconnect/bizconnect/core/progress"
)

// ChangeKind names a change "undo" can take back.
type ChangeKind string

// The changes remembered for undo.
const (
	ChangeTaskCreated ChangeKind = "task_created"
	ChangeTaskDone    ChangeKind = "task_done"
	ChangeTaskMoved   ChangeKind = "task_moved"
	ChangeTaskDeleted ChangeKind = "task_deleted"
	ChangeTaskEdited  ChangeKind = "task_edited"
	ChangeGoalCreated ChangeKind = "goal_created"
	ChangeGoalDeleted ChangeKind = "goal_deleted"
	ChangeGoalEdited  ChangeKind = "goal_edited"
	ChangeProgress    ChangeKind = "progress"
	ChangeReplanned   ChangeKind = "replanned"
)

// Change is the last change of a conversation, with what is needed to take it back: the state
// before it of what it changed.
type Change struct {
	Kind  ChangeKind `json:"kind"`
	Seq   int64      `json:"seq"`             // the change's number in the dialog, on its undo button
	ID    uuid.UUID  `json:"id"`              // the task or goal
	Title string     `json:"title,omitempty"` // its title before
	// Next is the next occurrence a completed recurring task scheduled; Goal the goal it counted toward.
	Next *uuid.UUID `json:"next,omitempty"`
	Goal *uuid.UUID `json:"goal,omitempty"`
	// Due and Time are a moved task's schedule before.
	Due  *core.Date      `json:"due,omitempty"`
	Time *core.ClockTime `json:"time,omitempty"`
	// Priority and Estimate are an edited task's before.
	Priority *int `json:"priority,omitempty"`
	Estimate *int `json:"estimate,omitempty"`
	// Value, Target and Status are a goal's before, After its value after; Entry is a team goal's
	// progress entry.
	Value  *float64 `json:"value,omitempty"`
	After  *float64 `json:"after,omitempty"`
	Target *float64 `json:"target,omitempty"`
	Status string   `json:"status,omitempty"`
	Entry  int64    `json:"entry,omitempty"`
	// Moves are the tasks a rebalancing moved.
	Moves []TaskMove `json:"moves,omitempty"`
	// Planned means a created goal has had a plan proposed: a plan request that names no goal is
	// no longer about it.
	Planned bool `json:"planned,omitempty"`
}

// remember keeps c as the change "undo" takes back.
func (t *turn) remember(c Change) {
	t.open = nil // the open tasks may have changed
	t.dialog.Changes++
	c.Seq = t.dialog.Changes
	t.dialog.Last = &c
}

// undoButton takes back the change just remembered, and only it.
func (t *turn) undoButton() core.Button {
	a := core.Action{Kind: core.ActionUndoLast}
	if l := t.dialog.Last; l != nil {
		a.ID, a.Entry = l.ID, l.Seq
	}
	return button(t.tr("btn_undo"), a)
}

// undoLast takes back the last change remembered, once.
func (t *turn) undoLast(ctx context.Context) error {
	c := t.dialog.Last
	if c == nil {
		t.refuse("undo_nothing")
		return nil
	}
	t.dialog.Last = nil
	if c.Kind == ChangeProgress && c.Entry > 0 {
		return t.undoProgress(ctx, c.Entry) // a team's entry: the team sees it taken back
	}
	title, err := t.revert(ctx, *c)
	if errors.Is(err, errChangedSince) {
		t.refuse("undo_changed")
		return nil
	}
	if core.ErrorCode(err) == core.ENOTFOUND {
		t.refuse("undo_gone")
		return nil
	}
	if err != nil {
		return err
	}
	t.changed = true
	t.sayText(core.Text{{Text: "↩️ " + t.tr("undone_"+string(c.Kind)) + " "}, {Text: title, Style: core.Bold}})
	return nil
}

// revert restores what c changed and returns the title of what it restored.
func (t *turn) revert(ctx context.Context, c Change) (string, error) {
	no, yes := false, true
	switch c.Kind {
	case ChangeTaskCreated:
		task, err := plan.DeleteTask(ctx, t.tx, c.ID)
		return task.Title, err
	case ChangeTaskDeleted:
		task, err := t.tx.UpdateTask(ctx, c.ID, core.TaskUpdate{Deleted: &no})
		return task.Title, err
	case ChangeTaskDone:
		todo := core.TaskTodo
		task, err := t.tx.UpdateTask(ctx, c.ID, core.TaskUpdate{Status: &todo})
		if err != nil {
			return "", err
		}
		if c.Next != nil {
			if _, err := plan.DeleteTask(ctx, t.tx, *c.Next); err != nil && core.ErrorCode(err) != core.ENOTFOUND {
				return "", err
			}
		}
		if c.Goal != nil {
			if err := t.uncount(ctx, *c.Goal); err != nil {
				return "", err
			}
		}
		return task.Title, nil
	case ChangeTaskMoved:
		task, err := t.tx.UpdateTask(ctx, c.ID, core.TaskUpdate{ScheduledDate: c.Due, ScheduledTime: &c.Time})
		return task.Title, err
	case ChangeReplanned:
		n := 0
		for _, m := range c.Moves { // what was moved again since stays where the user put it
			task, err := t.tx.FindTaskByID(ctx, m.ID)
			if core.ErrorCode(err) == core.ENOTFOUND || err == nil && (task.ScheduledDate != m.To || !task.Open()) {
				continue
			}
			if err != nil {
				return "", err
			}
			from := m.From
			if _, err := t.tx.UpdateTask(ctx, m.ID, core.TaskUpdate{ScheduledDate: &from}); err != nil {
				return "", err
			}
			n++
		}
		if n == 0 {
			return "", errChangedSince // every task was moved again since: nothing of it is left to undo
		}
		return locale.Plural(t.lang, n, "task"), nil
	case ChangeTaskEdited:
		task, err := t.tx.UpdateTask(ctx, c.ID, core.TaskUpdate{Title: &c.Title, Priority: c.Priority, EstimatedMin: c.Estimate,
			ClearEstimate: c.Estimate == nil})
		return task.Title, err
	case ChangeGoalCreated:
		g, err := t.tx.UpdateGoal(ctx, c.ID, core.GoalUpdate{Deleted: &yes})
		return g.Title, err
	case ChangeGoalDeleted:
		g, err := t.tx.UpdateGoal(ctx, c.ID, core.GoalUpdate{Deleted: &no})
		return g.Title, err
	case ChangeGoalEdited:
		g, err := t.tx.UpdateGoal(ctx, c.ID, core.GoalUpdate{Title: &c.Title, TargetValue: c.Target})
		return g.Title, err
	case ChangeProgress:
		g, err := t.tx.FindGoalByID(ctx, c.ID)
		if err != nil {
			return "", err
		}
		if c.After != nil && g.CurrentValue != *c.After {
			return g.Title, errChangedSince // logged again since, elsewhere: not overwritten
		}
		upd := core.GoalUpdate{CurrentValue: c.Value}
		if c.Status != "" {
			upd.Status = &c.Status
		}
		g, err = t.tx.UpdateGoal(ctx, c.ID, upd)
		if err == nil && c.Value != nil {
			err = t.tx.AddGoalProgress(ctx, g.ID, t.today, *c.Value, nil, "undo")
		}
		return g.Title, err
	}
	return "", core.Errorf(core.ENOTFOUND, "nothing to undo")
}

// errChangedSince refuses to undo a value that changed after the change being undone.
var errChangedSince = errors.New("changed since")

// uncount takes back the one task a completion counted toward a task-based goal.
func (t *turn) uncount(ctx context.Context, id uuid.UUID) error {
	g, err := t.tx.FindGoalByID(ctx, id)
	if core.ErrorCode(err) == core.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	r, err := progress.LogProgress(ctx, t.tx, t.user, g, -1, true)
	if err != nil {
		return err
	}
	// a goal this task completed is open again once it is below its target
	if g.Status == core.GoalCompleted && !r.Goal.Reached(r.Goal.CurrentValue) && g.UserID == t.user.ID {
		active := core.GoalActive
		_, err = t.tx.UpdateGoal(ctx, g.ID, core.GoalUpdate{Status: &active})
	}
	return err
}

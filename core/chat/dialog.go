package chat

import (
	"bytes"
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
)

// Awaiting names the question the assistant asked and waits an answer to.
type Awaiting string

// The questions.
const (
	AwaitNothing        Awaiting = ""
	AwaitGoalEdit       Awaiting = "goal_edit"       // the goal, written again
	AwaitReschedule     Awaiting = "reschedule"      // which task to move to Dialog.Due
	AwaitRescheduleDate Awaiting = "reschedule_date" // to when Dialog.Task moves
	AwaitOnboardZone    Awaiting = "onboard_tz"      // the user's city or zone
	AwaitOnboardMorning Awaiting = "onboard_morning" // the time of the morning plan
	AwaitPlanAdjust     Awaiting = "plan_adjust"     // what to change in plan proposal Dialog.Plan
	AwaitPlanShown      Awaiting = "plan_shown"      // plan proposal Dialog.Plan was just shown: "поменьше задач" changes it
)

// Dialog is what the assistant remembers of a conversation between two messages. It lives in
// the database, so any instance can take the next message.
type Dialog struct {
	Awaiting Awaiting `json:"awaiting,omitempty"`
	// Seen is the last day the user wrote here (firstOfDay).
	Seen core.Date `json:"seen,omitempty"`
	// Draft is a goal waiting for confirmation.
	Draft *GoalDraft `json:"draft,omitempty"`
	// Task is the task a question is about (reschedule: "to when?").
	Task *uuid.UUID `json:"task,omitempty"`
	// Due is the new date of a reschedule waiting for its task to be chosen.
	Due *core.Date `json:"due,omitempty"`
	// Value and Increment are a progress report waiting for its goal to be chosen.
	Value     *float64 `json:"value,omitempty"`
	Increment bool     `json:"increment,omitempty"`
	// Buttons are the choices offered last, so typing "2" or a button's words presses it.
	Buttons []core.Button `json:"buttons,omitempty"`
	// Unseen are the ✅ of a long list's other pages, so typing "12" presses its 12th task.
	Unseen []core.Button `json:"unseen,omitempty"`
	// Pending is a message the assistant was unsure of, until the user picks what it meant.
	Pending string `json:"pending,omitempty"`
	// Confirm is the payload a plain "yes" presses: the delete just asked about.
	Confirm string `json:"confirm,omitempty"`
	// Last is the last change made, which "undo" takes back.
	Last *Change `json:"last,omitempty"`
	// Edit is a change to a task waiting for the task to be picked among several.
	Edit *PendingEdit `json:"edit,omitempty"`
	// Replan is the rebalancing last proposed, until it is applied.
	Replan *PendingReplan `json:"replan,omitempty"`
	// Proposals numbers the rebalancings proposed, for their Apply buttons.
	Proposals int64 `json:"proposals,omitempty"`
	// Plan is the plan proposal an adjustment is awaited for.
	Plan *uuid.UUID `json:"plan,omitempty"`
	// Changes counts the changes remembered, to number them.
	Changes int64 `json:"changes,omitempty"`
	// Updated is when the dialog last changed, on the store's clock; stale questions are dropped.
	Updated time.Time `json:"updated"`
}

// GoalDraft is a goal as understood, before the user saves it.
type GoalDraft struct {
	Title    string    `json:"title"`
	Category string    `json:"category,omitempty"`
	Target   *float64  `json:"target,omitempty"`
	Unit     string    `json:"unit,omitempty"`
	Due      core.Date `json:"due,omitzero"`
	Team     bool      `json:"team,omitempty"` // a team goal, created in a team channel
}

// PendingEdit is what an edit changes: a new title, priority or estimate.
type PendingEdit struct {
	Seq      int64   `json:"seq"` // on the pick's buttons: an older question's buttons don't carry this edit
	NewTitle *string `json:"new_title,omitempty"`
	Priority *int    `json:"priority,omitempty"`
	Estimate *int    `json:"estimate,omitempty"`
}

// PendingReplan is a rebalancing proposed: the moves, by task.
type PendingReplan struct {
	Seq   int64      `json:"seq"` // on its Apply button: an older proposal's button doesn't apply this one
	Moves []TaskMove `json:"moves"`
	// Before and After are today's Business Load without and with it, for its explanation.
	Before int `json:"before,omitempty"`
	After  int `json:"after,omitempty"`
}

// TaskMove is a task moved from one day to another.
type TaskMove struct {
	ID   uuid.UUID `json:"id"`
	From core.Date `json:"from"`
	To   core.Date `json:"to"`
}

// dialogTTL is how long a question waits for its answer.
const dialogTTL = 24 * time.Hour

// loadDialog decodes the saved state; an unreadable one starts afresh. It returns the state as
// loaded, to tell later whether the turn changed it.
func loadDialog(raw json.RawMessage) (Dialog, []byte) {
	var d Dialog
	if len(raw) > 0 && json.Unmarshal(raw, &d) != nil {
		d = Dialog{}
	}
	before, _ := json.Marshal(d)
	return d, before
}

// saveDialog stores the dialog when the turn changed it, stamped with the transaction's clock.
func (t *turn) saveDialog(ctx context.Context, chat string) error {
	after, err := json.Marshal(t.dialog)
	if err != nil || bytes.Equal(after, t.loadedDialog) {
		return err
	}
	t.dialog.Updated = t.tx.Now()
	state, err := json.Marshal(t.dialog)
	if err != nil {
		return err
	}
	return t.tx.SaveDialog(ctx, chat, state)
}

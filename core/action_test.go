package core

import (
	"strings"
	"testing"

	"github.com/google/uuid"
)

func TestActionsRoundTripAndFitTelegram(t *testing.T) {
	id := uuid.MustParse("ffffffff-ffff-ffff-ffff-ffffffffffff")
	late := NewClockTime(23, 59)
	for kind, args := range actionArgs {
		a := Action{Kind: kind}
		if strings.Contains(args, "id") {
			a.ID = id
		}
		if strings.Contains(args, "list") {
			a.List = &ListRef{Week: true, Day: Date{9999, 12, 31}, From: MaxListFrom - 1}
		}
		if strings.Contains(args, "time") {
			a.Time = &late
		}
		if strings.Contains(args, "entry") {
			a.Entry = 1<<63 - 1
		}
		if strings.Contains(args, "intent") {
			a.Intent = "reschedule_task_long" // 20 characters, the longest an intent may be
		}
		s := a.Encode()
		if len(s) > MaxActionLen {
			t.Errorf("%s: %q is %d bytes, Telegram takes %d", kind, s, len(s), MaxActionLen)
		}
		got, ok := ParseAction(s)
		if !ok || got.Kind != kind || got.ID != a.ID || (a.List == nil) != (got.List == nil) || (a.Time == nil) != (got.Time == nil) ||
			(a.List != nil && *got.List != *a.List) || (a.Time != nil && *got.Time != *a.Time) || got.Entry != a.Entry || got.Intent != a.Intent {
			t.Errorf("%s: %q parsed back as %+v, %v", kind, s, got, ok)
		}
	}
}

func TestActionWireFormatIsStable(t *testing.T) {
	// buttons already sent keep working after an upgrade
	id := uuid.MustParse("6f1c2b1e-6a8b-4a57-9d8e-0a1b2c3d4e5f")
	for _, c := range []struct {
		a    Action
		wire string
	}{
		{Action{Kind: ActionTaskDone, ID: id}, "t:done:6f1c2b1e-6a8b-4a57-9d8e-0a1b2c3d4e5f"},
		{Action{Kind: ActionTaskDone, ID: id, List: &ListRef{Day: Date{2026, 11, 25}}}, "t:done:6f1c2b1e-6a8b-4a57-9d8e-0a1b2c3d4e5f:D20261125"},
		{Action{Kind: ActionTaskDone, ID: id, List: &ListRef{Week: true, Day: Date{2026, 11, 23}}}, "t:done:6f1c2b1e-6a8b-4a57-9d8e-0a1b2c3d4e5f:W20261123"},
		{Action{Kind: ActionTaskDone, ID: id, List: &ListRef{Day: Date{2026, 11, 25}, From: 10}}, "t:done:6f1c2b1e-6a8b-4a57-9d8e-0a1b2c3d4e5f:D20261125.10"},
		{Action{Kind: ActionListMore, List: &ListRef{Week: true, Day: Date{2026, 11, 23}, From: 20}}, "l:more:W20261123.20"},
		{Action{Kind: ActionTaskUndo, ID: id}, "t:undo:6f1c2b1e-6a8b-4a57-9d8e-0a1b2c3d4e5f"},
		{Action{Kind: ActionGoalSave}, "g:save"},
		{Action{Kind: ActionListWeek}, "l:week"},
		{Action{Kind: ActionOnboardMorning, Time: ptr(NewClockTime(8, 0))}, "o:morning:0800"},
		{Action{Kind: ActionHome}, "x:home"},
		{Action{Kind: ActionNewGoal}, "x:newgoal"},
		{Action{Kind: ActionProgressUndo, Entry: 42}, "p:undo:42"},
		{Action{Kind: ActionTaskDelete, ID: id}, "t:del:6f1c2b1e-6a8b-4a57-9d8e-0a1b2c3d4e5f"},
		{Action{Kind: ActionGoalDelete, ID: id}, "g:del:6f1c2b1e-6a8b-4a57-9d8e-0a1b2c3d4e5f"},
		{Action{Kind: ActionUndoLast, ID: id, Entry: 3}, "u:undo:6f1c2b1e-6a8b-4a57-9d8e-0a1b2c3d4e5f:3"},
		{Action{Kind: ActionInterpret, Entry: 7, Intent: IntentRescheduleTask}, "u:as:7:reschedule_task"},
		{Action{Kind: ActionCancel}, "x:cancel"},
		{Action{Kind: ActionTaskEdit, ID: id, Entry: 2}, "t:edit:6f1c2b1e-6a8b-4a57-9d8e-0a1b2c3d4e5f:2"},
	} {
		if got := c.a.Encode(); got != c.wire {
			t.Errorf("Encode(%+v) = %q, want %q", c.a, got, c.wire)
		}
	}
}

func TestParseActionRefusesWhatIsNotOurs(t *testing.T) {
	for _, s := range []string{"", "t", "t:", "t:done", "t:done:not-a-uuid", "t:done:6f1c2b1e-6a8b-4a57-9d8e-0a1b2c3d4e5f:X20261125",
		"t:done:6f1c2b1e-6a8b-4a57-9d8e-0a1b2c3d4e5f:D20261340", "t:done:6f1c2b1e-6a8b-4a57-9d8e-0a1b2c3d4e5f:D20261125:extra",
		"o:morning:2500", "o:morning:8am", "g:save:x", "z:zap", "l:today:6f1c2b1e-6a8b-4a57-9d8e-0a1b2c3d4e5f",
		"t:done:{6f1c2b1e-6a8b-4a57-9d8e-0a1b2c3d4e5f}", strings.Repeat("x", 65), "p:undo", "p:undo:0", "p:undo:-3", "p:undo:007", "p:undo:1x",
		"l:more:D20261125.0", "l:more:D20261125.010", "l:more:D20261125.1000", "l:more:D20261125.-1", "l:more:D20261125.", "l:more:D20261125.1.2",
		"u:as", "u:as:", "u:as:1:Create", "u:as:1:create-task", "u:as:1:" + strings.Repeat("a", 21), "u:as:1:a:b", "u:undo:x", "u:undo:6f1c2b1e-6a8b-4a57-9d8e-0a1b2c3d4e5f",
		"u:undo", "u:as:create_task", "u:as:0:create_task"} {
		if a, ok := ParseAction(s); ok {
			t.Errorf("ParseAction(%q) = %+v, want a refusal", s, a)
		}
	}
}

func FuzzParseAction(f *testing.F) {
	for _, s := range []string{"t:done:6f1c2b1e-6a8b-4a57-9d8e-0a1b2c3d4e5f:D20261125", "o:morning:0800", "g:save", "x:home", "::::", "t:done:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, ok := ParseAction(s)
		if !ok {
			return
		}
		again, ok := ParseAction(a.Encode())
		if !ok || again.Kind != a.Kind || again.ID != a.ID || len(a.Encode()) > MaxActionLen {
			t.Fatalf("%q → %+v → %q does not read back", s, a, a.Encode())
		}
	})
}

func ptr[T any](v T) *T { return &v }

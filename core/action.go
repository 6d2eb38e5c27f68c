package core

import (
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// ActionKind names what a button does.
type ActionKind string

// The buttons the assistant offers. The wire form ("t:done:<id>") is stable: buttons already
// sent stay pressable after an upgrade.
const (
	ActionTaskDone       ActionKind = "t:done"   // complete task ID; List re-renders that list in place
	ActionTaskUndo       ActionKind = "t:undo"   // delete the task ID just created
	ActionGoalSave       ActionKind = "g:save"   // save the goal draft
	ActionGoalEdit       ActionKind = "g:edit"   // rewrite the goal draft
	ActionGoalCancel     ActionKind = "g:cancel" // drop the goal draft
	ActionProgressGoal   ActionKind = "p:goal"   // log the pending progress on goal ID
	ActionProgressUndo   ActionKind = "p:undo"   // take back team progress entry Entry
	ActionRescheduleTask ActionKind = "r:task"   // move task ID to the pending date
	ActionListToday      ActionKind = "l:today"
	ActionListTomorrow   ActionKind = "l:tomorrow"
	ActionListWeek       ActionKind = "l:week"
	ActionListMore       ActionKind = "l:more"    // the list List again, its next page of ✅
	ActionOnboardMorning ActionKind = "o:morning" // morning plan at Time
	ActionOnboardSkip    ActionKind = "o:skip"
	ActionHelp           ActionKind = "h:help"
	ActionReplan         ActionKind = "x:replan"
	ActionHome           ActionKind = "x:home"    // the personal dashboard (Slack's App Home)
	ActionLoad           ActionKind = "x:load"    // today's Business Load
	ActionNewGoal        ActionKind = "x:newgoal" // Slack opens its "new goal" modal
	ActionTaskDelete     ActionKind = "t:del"     // delete task ID (the confirmed "убери задачу …")
	ActionGoalDelete     ActionKind = "g:del"     // delete goal ID (confirmed)
	ActionUndoLast       ActionKind = "u:undo"    // take back the last change, when it still is change number Entry, on ID
	ActionInterpret      ActionKind = "u:as"      // the message in doubt (Entry: a hash of it) meant Intent
	ActionCancel         ActionKind = "x:cancel"  // drop the question asked
	ActionFocus          ActionKind = "x:focus"   // what matters most now
	ActionTaskEdit       ActionKind = "t:edit"    // make pending edit number Entry to task ID
	ActionPlanGoal       ActionKind = "a:plan"    // propose a plan for goal ID
	ActionPlanAccept     ActionKind = "a:ok"      // put plan proposal ID in force
	ActionReplanApply    ActionKind = "x:apply"   // make rebalancing proposal number Entry
	ActionAdviceUp       ActionKind = "r:up"      // recommendation ID helped
	ActionAdviceDown     ActionKind = "r:down"    // recommendation ID did not
	ActionAdviceApply    ActionKind = "r:do"      // do what recommendation ID suggests
	ActionPlanAdjust     ActionKind = "a:adj"     // change plan proposal ID as the next message says
	ActionPlanRegenerate ActionKind = "a:re"      // make plan proposal ID again (the LLM)
	ActionAdviceLLM      ActionKind = "r:ai"      // one more piece of advice, the LLM's
	ActionReplanExplain  ActionKind = "x:why"     // the LLM explains rebalancing proposal number Entry
	ActionTaskSnooze     ActionKind = "t:snooze"  // remind of task ID again in an hour
	ActionCheckinStress  ActionKind = "c:stress"  // the day's stress was Entry (1..5)
	ActionCheckinEnergy  ActionKind = "c:energy"  // the day's energy was Entry (1..5)
	ActionCarryOver      ActionKind = "c:carry"   // the day's unfinished tasks: Entry 1 tomorrow, 2 next week, 3 dropped
)

// actionArgs says what each kind carries after its name.
var actionArgs = map[ActionKind]string{
	ActionTaskDone: "id list", ActionTaskUndo: "id", ActionProgressGoal: "id", ActionRescheduleTask: "id", ActionProgressUndo: "entry",
	ActionOnboardMorning: "time", ActionGoalSave: "", ActionGoalEdit: "", ActionGoalCancel: "",
	ActionListToday: "", ActionListTomorrow: "", ActionListWeek: "", ActionListMore: "list", ActionOnboardSkip: "", ActionHelp: "",
	ActionReplan: "", ActionHome: "", ActionLoad: "", ActionNewGoal: "",
	ActionTaskDelete: "id", ActionGoalDelete: "id", ActionUndoLast: "id entry", ActionInterpret: "entry intent", ActionCancel: "", ActionFocus: "", ActionTaskEdit: "id entry",
	ActionPlanGoal: "id", ActionPlanAccept: "id", ActionPlanAdjust: "id", ActionPlanRegenerate: "id", ActionReplanApply: "entry",
	ActionAdviceUp: "id", ActionAdviceDown: "id", ActionAdviceApply: "id", ActionAdviceLLM: "", ActionReplanExplain: "entry",
	ActionTaskSnooze: "id", ActionCheckinStress: "entry", ActionCheckinEnergy: "entry", ActionCarryOver: "entry",
}

// MaxActionLen is the longest an encoded action may be: Telegram's callback_data is 1–64 bytes.
const MaxActionLen = 64

// Action is what a button does when pressed: Encode makes its payload, ParseAction reads it back.
type Action struct {
	Kind  ActionKind
	ID    uuid.UUID  // the task or goal
	Entry int64      // a goal progress entry
	List  *ListRef   // for ActionTaskDone pressed in a list: the list to show again
	Time  *ClockTime // for ActionOnboardMorning
	// Intent is what ActionInterpret says the message meant.
	Intent Intent
}

// ListRef names a list a button sits in: a day's, or a week's (Day is its Monday), and the page
// of its ✅ buttons shown (From is the first one's index, below MaxListFrom).
type ListRef struct {
	Week bool
	Day  Date
	From int
}

// MaxListFrom bounds ListRef.From: a list longer than that shows its first pages only.
const MaxListFrom = 1000

// Encode returns the button payload, at most MaxActionLen bytes.
func (a Action) Encode() string {
	var b strings.Builder
	b.WriteString(string(a.Kind))
	args := actionArgs[a.Kind]
	if strings.Contains(args, "id") {
		b.WriteString(":" + a.ID.String())
	}
	if strings.Contains(args, "entry") {
		b.WriteString(":" + strconv.FormatInt(a.Entry, 10))
	}
	if strings.Contains(args, "list") && a.List != nil && !a.List.Day.IsZero() {
		kind := "D"
		if a.List.Week {
			kind = "W"
		}
		b.WriteString(":" + kind + strings.ReplaceAll(a.List.Day.String(), "-", ""))
		if a.List.From > 0 && a.List.From < MaxListFrom {
			b.WriteString("." + strconv.Itoa(a.List.From))
		}
	}
	if strings.Contains(args, "time") && a.Time != nil {
		b.WriteString(":" + strings.ReplaceAll(a.Time.String(), ":", ""))
	}
	if strings.Contains(args, "intent") {
		b.WriteString(":" + string(a.Intent))
	}
	return b.String()
}

// ParseAction reads a button payload; false for anything that isn't one of ours (an old or a
// forged button), whose parts are all checked.
func ParseAction(s string) (Action, bool) {
	if len(s) > MaxActionLen {
		return Action{}, false
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 {
		return Action{}, false
	}
	a := Action{Kind: ActionKind(parts[0] + ":" + parts[1])}
	args, ok := actionArgs[a.Kind]
	if !ok {
		return Action{}, false
	}
	rest := parts[2:]
	if strings.Contains(args, "id") {
		if len(rest) == 0 {
			return Action{}, false
		}
		id, err := uuid.Parse(rest[0])
		if err != nil || len(rest[0]) != 36 {
			return Action{}, false
		}
		a.ID, rest = id, rest[1:]
	}
	if strings.Contains(args, "entry") {
		if len(rest) == 0 {
			return Action{}, false
		}
		n, err := strconv.ParseInt(rest[0], 10, 64)
		if err != nil || n <= 0 || rest[0] != strconv.FormatInt(n, 10) {
			return Action{}, false
		}
		a.Entry, rest = n, rest[1:]
	}
	if strings.Contains(args, "list") && len(rest) > 0 {
		l, ok := parseListRef(rest[0])
		if !ok {
			return Action{}, false
		}
		a.List, rest = &l, rest[1:]
	}
	if strings.Contains(args, "time") && len(rest) > 0 {
		c, ok := parseHHMM(rest[0])
		if !ok {
			return Action{}, false
		}
		a.Time, rest = &c, rest[1:]
	}
	if strings.Contains(args, "intent") {
		if len(rest) == 0 || !intentName(rest[0]) {
			return Action{}, false
		}
		a.Intent, rest = Intent(rest[0]), rest[1:]
	}
	if len(rest) > 0 {
		return Action{}, false
	}
	return a, true
}

// parseListRef reads "D20261125" (a day) or "W20261123" (a week starting that Monday), then
// ".10" when the buttons shown start at the 11th.
func parseListRef(s string) (ListRef, bool) {
	s, page, paged := strings.Cut(s, ".")
	if len(s) != 9 || (s[0] != 'D' && s[0] != 'W') {
		return ListRef{}, false
	}
	d, err := ParseDate(s[1:5] + "-" + s[5:7] + "-" + s[7:9])
	if err != nil {
		return ListRef{}, false
	}
	l := ListRef{Week: s[0] == 'W', Day: d}
	if paged {
		n, err := strconv.Atoi(page)
		if err != nil || n <= 0 || n >= MaxListFrom || strconv.Itoa(n) != page {
			return ListRef{}, false
		}
		l.From = n
	}
	return l, true
}

// parseHHMM reads "0830".
func parseHHMM(s string) (ClockTime, bool) {
	if len(s) != 4 {
		return 0, false
	}
	h, m := int(s[0]-'0')*10+int(s[1]-'0'), int(s[2]-'0')*10+int(s[3]-'0')
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	if h > 23 || m > 59 {
		return 0, false
	}
	return NewClockTime(h, m), true
}

// intentName reports whether s can be an intent's name: 1 to 20 of a–z and "_".
func intentName(s string) bool {
	if len(s) == 0 || len(s) > 20 {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && c != '_' {
			return false
		}
	}
	return true
}

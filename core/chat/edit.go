package chat

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/locale"
	"github.com/bizconnect/bizconnect/core/plan"
)

// deleteByText asks to confirm deleting the task or goal a message names; among several tasks
// that fit, the one picked is deleted.
func (t *turn) deleteByText(ctx context.Context, u core.Understanding) error {
	query := deref(u.Title)
	if u.Subject == "goal" && query == "" { // "удали цель": which one?
		goals, err := t.activeGoals(ctx, false)
		if err != nil {
			return err
		}
		var buttons []core.Button
		for _, g := range goals {
			if g.UserID == t.user.ID && g.Visibility != core.TeamVisible && len(buttons) < 8 {
				buttons = append(buttons, button("🗑 "+locale.Shorten(g.Title, 40), core.Action{Kind: core.ActionGoalDelete, ID: g.ID}))
			}
		}
		if len(buttons) == 0 {
			t.say(t.tr("progress_no_goals"))
			return nil
		}
		t.say(t.tr("delete_which_goal"), buttons...)
		return nil
	}
	if u.Subject != "task" {
		g, _, err := t.matchGoal(ctx, query)
		if err != nil {
			return err
		}
		if g != nil && (u.Subject == "goal" || query != "") && (u.Subject == "goal" || t.a.nlu.MatchScore(query, g.Title) >= matchThreshold) {
			switch {
			case g.UserID == t.user.ID && g.Visibility != core.TeamVisible:
				return t.confirmDelete(t.tr("delete_goal_confirm"), g.Title, core.Action{Kind: core.ActionGoalDelete, ID: g.ID})
			case u.Subject == "goal":
				t.say(t.tr("goal_not_yours_to_delete"))
				return nil
			} // a team's goal can't be meant: the user's task of that name can
		}
		if u.Subject == "goal" {
			t.say(t.tr("delete_not_found", query))
			return nil
		}
	}
	matches, err := t.matchTasks(ctx, query)
	if err != nil {
		return err
	}
	if u.Due != nil { // "удали созвон в пятницу": Friday's, of several
		if on := slices.DeleteFunc(slices.Clone(matches), func(task core.Task) bool { return task.ScheduledDate != *u.Due }); len(on) > 0 {
			matches = on
		}
	}
	switch {
	case len(matches) == 1:
		return t.confirmDelete(t.tr("delete_task_confirm"), matches[0].Title, core.Action{Kind: core.ActionTaskDelete, ID: matches[0].ID})
	case len(matches) > 1:
		t.chooseTask(t.tr("delete_which"), matches, core.ActionTaskDelete)
		return nil
	}
	if query == "" {
		if task, ok, err := t.taskInView(ctx); err != nil || ok { // "удали её", "delete it": the task just said
			if err != nil {
				return err
			}
			return t.confirmDelete(t.tr("delete_task_confirm"), task.Title, core.Action{Kind: core.ActionTaskDelete, ID: task.ID})
		}
		t.say(t.tr("delete_what"))
		return nil
	}
	t.say(t.tr("delete_not_found", query))
	return nil
}

// taskInView is the open task the last change was about (created, moved, edited), if any: what
// "её", "it" and a correction mean.
func (t *turn) taskInView(ctx context.Context) (core.Task, bool, error) {
	l := t.dialog.Last
	if l == nil || l.Kind != ChangeTaskCreated && l.Kind != ChangeTaskMoved && l.Kind != ChangeTaskEdited {
		return core.Task{}, false, nil
	}
	task, err := t.tx.FindTaskByID(ctx, l.ID)
	if core.ErrorCode(err) == core.ENOTFOUND {
		return core.Task{}, false, nil
	}
	return task, err == nil && task.Open(), err
}

// undoWords name no task: "отмени это", "undo the last one", "ой нет, верни как было".
var undoWords = map[string]bool{"это": true, "последнее": true, "последнюю": true, "последний": true, "всё": true, "все": true,
	"that": true, "this": true, "it": true, "last": true, "one": true, "the": true, "перенос": true, "действие": true,
	"изменение": true, "undo": true, "отмени": true, "отмена": true, "отменить": true, "верни": true, "вернуть": true,
	"как": true, "было": true, "назад": true, "back": true, "take": true, "revert": true, "oops": true, "ой": true, "нет": true,
	"no": true, "cancel": true, "change": true, "please": true, "пожалуйста": true, "плз": true, "pls": true, "wait": true,
	"i": true, "just": true, "did": true, "made": true, "что": true, "сделал": true, "только": true, "сейчас": true,
	"what": true, "a": true, "mistake": true, "ошибся": true, "случайно": true, "by": true, "accident": true,
	"обратно": true, "переименование": true, "правку": true, "выполнение": true, "удаление": true,
	"rename": true, "move": true, "edit": true, "reschedule": true, "completion": true, "delete": true, "deletion": true,
	"правка": true, "изменения": true}

// namesSomething reports whether a delete reading names a task or goal ("созвон"), not "это".
func namesSomething(d core.Understanding) bool {
	words := strings.FieldsFunc(strings.ToLower(deref(d.Title)), func(r rune) bool { return !isWordRune(r) })
	for _, w := range words {
		if !undoWords[w] && len([]rune(w)) > 2 {
			return true
		}
	}
	return false
}

// confirmDelete asks "delete «title»?" with Delete · Cancel; a plain "yes" presses Delete.
func (t *turn) confirmDelete(question, title string, a core.Action) error {
	t.dialog.Confirm = a.Encode()
	t.choose(core.Text{{Text: "🗑 " + question + " "}, {Text: title, Style: core.Bold}, {Text: "?"}},
		button(t.tr("btn_delete"), a), button(t.tr("btn_cancel"), core.Action{Kind: core.ActionCancel}))
	return nil
}

func (t *turn) deleteTask(ctx context.Context, id uuid.UUID) error {
	task, err := plan.DeleteTask(ctx, t.tx, id)
	if t.notFound(err, "task_not_found") {
		return nil
	}
	if err != nil {
		return err
	}
	t.sayDeleted("task_deleted", Change{Kind: ChangeTaskDeleted, ID: task.ID, Title: task.Title})
	return nil
}

// sayDeleted says what was deleted, in place of the question that asked, with its undo.
func (t *turn) sayDeleted(key string, c Change) {
	t.changed = true
	t.remember(c)
	t.replies = append(t.replies, core.Reply{EditRef: t.in.MessageRef, Notice: "🗑",
		Text:    core.Text{{Text: "🗑 " + t.tr(key) + " "}, {Text: c.Title, Style: core.Bold}},
		Buttons: [][]core.Button{{t.undoButton()}}})
}

func (t *turn) deleteGoal(ctx context.Context, id uuid.UUID) error {
	if g, err := t.tx.FindGoalByID(ctx, id); err == nil && (g.UserID != t.user.ID || g.Visibility == core.TeamVisible) {
		t.refuse("goal_not_yours_to_delete") // a team's goal is the team's
		return nil
	}
	yes := true
	g, err := t.tx.UpdateGoal(ctx, id, core.GoalUpdate{Deleted: &yes})
	if t.notFound(err, "goal_not_found") {
		return nil
	}
	if err != nil {
		return err
	}
	t.sayDeleted("goal_deleted", Change{Kind: ChangeGoalDeleted, ID: g.ID, Title: g.Title})
	return nil
}

// editByText changes what a message says of a task or a goal: its title, priority, estimate or
// target. Without a name it is about the task or goal changed last.
func (t *turn) editByText(ctx context.Context, u core.Understanding) error {
	if u.NewTitle == nil && u.Priority == nil && u.DurationMin == nil && u.Target == nil {
		t.say(t.tr("edit_what"))
		return nil
	}
	query := deref(u.Title)
	goalish := u.Subject == "goal" || (u.Target != nil && u.Priority == nil && u.DurationMin == nil)
	if goalish {
		g, all, err := t.matchGoal(ctx, query)
		if err != nil {
			return err
		}
		if g == nil && query == "" && t.dialog.Last != nil && strings.HasPrefix(string(t.dialog.Last.Kind), "goal_") {
			for i := range all {
				if all[i].ID == t.dialog.Last.ID {
					g = &all[i]
				}
			}
		}
		if g == nil {
			t.say(t.tr("edit_goal_not_found"))
			return nil
		}
		return t.editGoal(ctx, *g, u)
	}
	var task *core.Task
	if query != "" {
		matches, err := t.matchTasks(ctx, query)
		if err != nil {
			return err
		}
		if len(matches) > 1 { // which one? the change waits for the pick
			t.dialog.Changes++
			e := &PendingEdit{Seq: t.dialog.Changes, NewTitle: u.NewTitle, Priority: u.Priority, Estimate: u.DurationMin}
			t.dialog.Edit = e
			var buttons []core.Button
			for _, task := range matches[:min(len(matches), 8)] {
				label := locale.Shorten(task.Title, 40) + " (" + locale.DayWord(t.lang, task.ScheduledDate, t.today) + ")"
				buttons = append(buttons, button(label, core.Action{Kind: core.ActionTaskEdit, ID: task.ID, Entry: e.Seq}))
			}
			t.say(t.tr("edit_which"), buttons...)
			return nil
		}
		if len(matches) == 1 {
			task = &matches[0]
		}
	} else if l := t.dialog.Last; l != nil && strings.HasPrefix(string(l.Kind), "task_") && l.Kind != ChangeTaskDeleted {
		found, err := t.tx.FindTaskByID(ctx, l.ID)
		if err != nil && core.ErrorCode(err) != core.ENOTFOUND {
			return err
		}
		if err == nil {
			task = &found
		}
	}
	if task == nil {
		t.say(t.tr("edit_task_not_found"))
		return nil
	}
	return t.editTask(ctx, *task, u)
}

// editByID makes the pending edit to the task picked.
func (t *turn) editByID(ctx context.Context, id uuid.UUID, seq int64) error {
	e := t.dialog.Edit
	if e == nil || e.Seq != seq {
		t.refuse("stale_button")
		return nil
	}
	t.dialog.Edit = nil
	task, err := t.tx.FindTaskByID(ctx, id)
	if t.notFound(err, "task_not_found") {
		return nil
	}
	if err != nil {
		return err
	}
	return t.editTask(ctx, task, core.Understanding{Intent: core.IntentEdit, NewTitle: e.NewTitle, Priority: e.Priority, DurationMin: e.Estimate})
}

func (t *turn) editTask(ctx context.Context, task core.Task, u core.Understanding) error {
	before := Change{Kind: ChangeTaskEdited, ID: task.ID, Title: task.Title, Priority: &task.Priority, Estimate: task.EstimatedMin}
	upd := core.TaskUpdate{Title: u.NewTitle, Priority: u.Priority}
	if u.DurationMin != nil && *u.DurationMin > 0 && *u.DurationMin <= core.MaxEstimateMin {
		upd.EstimatedMin = u.DurationMin
	}
	if upd.Title != nil && len(*upd.Title) > core.MaxTitleLen {
		t.say(t.tr("title_too_long"))
		return nil
	}
	edited, err := t.tx.UpdateTask(ctx, task.ID, upd)
	if t.notFound(err, "task_not_found") {
		return nil
	}
	if err != nil {
		return err
	}
	t.sayEdited("task_edited", edited.Title, t.taskDetails(edited), before)
	return nil
}

// sayEdited says what an edit changed, with the button that takes it back, and remembers it.
func (t *turn) sayEdited(key, title, details string, before Change) {
	t.changed = true
	t.remember(before)
	t.sayText(core.Text{{Text: "✏️ " + t.tr(key) + " "}, {Text: title, Style: core.Bold}, {Text: "\n" + details}},
		t.undoButton())
}

func (t *turn) editGoal(ctx context.Context, g core.Goal, u core.Understanding) error {
	if g.UserID != t.user.ID || g.Visibility == core.TeamVisible {
		t.say(t.tr("edit_goal_not_yours"))
		return nil
	}
	before := Change{Kind: ChangeGoalEdited, ID: g.ID, Title: g.Title, Target: g.TargetValue}
	upd := core.GoalUpdate{Title: u.NewTitle, TargetValue: u.Target}
	if upd.Title != nil && len(*upd.Title) > core.MaxTitleLen {
		t.say(t.tr("title_too_long"))
		return nil
	}
	edited, err := t.tx.UpdateGoal(ctx, g.ID, upd)
	if t.notFound(err, "goal_not_found") {
		return nil
	}
	if err != nil {
		return err
	}
	t.sayEdited("goal_edited", edited.Title, t.goalProgressLine(edited), before)
	return nil
}

// focus answers "what matters most now?" from today's prioritised plan: the first open tasks,
// with why they come first.
func (t *turn) focus(ctx context.Context) error {
	ahead, err := t.tx.FindTasks(ctx, core.TaskFilter{From: t.today, To: t.today.AddDays(plan.ReplanHorizon), Overdue: true})
	if err != nil {
		return err
	}
	goals, err := t.tx.FindGoals(ctx, core.GoalFilter{Status: core.GoalActive})
	if err != nil {
		return err
	}
	advice, row, err := t.advise(ctx, ahead, goals) // the advice that matters most now, then the day's first tasks, in one message
	if err != nil {
		return err
	}
	if t.llmFor() { // one more piece of advice, the LLM's, when asked for
		row = append(row, button(t.tr("btn_advice_llm"), core.Action{Kind: core.ActionAdviceLLM}))
	}
	var tasks []core.Task // today's open work and the overdue
	for _, task := range ahead {
		if task.Open() && !task.ScheduledDate.After(t.today) {
			tasks = append(tasks, task)
		}
	}
	var text core.Text
	if advice != "" {
		text = core.Text{{Text: advice + "\n\n"}}
	}
	if len(tasks) == 0 {
		text = append(text, core.Span{Text: t.tr("focus_empty")})
		t.replies = append(t.replies, core.Reply{Text: text, Buttons: withRow([][]core.Button{{button(t.tr("btn_week"), core.Action{Kind: core.ActionListWeek})}}, row)})
		return nil
	}
	tasks = plan.Prioritize(tasks, goals, t.today)[:min(len(tasks), 3)]
	text = append(text, core.Span{Text: t.tr("focus_head"), Style: core.Heading})
	var rows [][]core.Button
	for i, task := range tasks {
		text = append(text, core.Span{Text: "\n" + strconv.Itoa(i+1) + ". "}, core.Span{Text: task.Title, Style: core.Bold})
		if why := t.why(task, goals); why != "" {
			text = append(text, core.Span{Text: " — " + why})
		}
		rows = append(rows, []core.Button{button("✅ "+locale.Shorten(task.Title, 32), core.Action{Kind: core.ActionTaskDone, ID: task.ID})})
	}
	text = append(text, core.Span{Text: "\n\n" + t.tr("focus_hint"), Style: core.Note})
	t.replies = append(t.replies, core.Reply{Text: text, Buttons: withRow(rows, row)})
	return nil
}

// withRow adds a row of buttons under rows, when it has any.
func withRow(rows [][]core.Button, row []core.Button) [][]core.Button {
	if len(row) == 0 {
		return rows
	}
	return append(rows, row)
}

// why says what puts a task first: overdue, urgent, its time, its goal.
func (t *turn) why(task core.Task, goals []core.Goal) string {
	var parts []string
	if task.ScheduledDate.Before(t.today) {
		parts = append(parts, t.tr("why_overdue"))
	}
	if task.Priority <= 2 {
		parts = append(parts, t.tr("priority_"+strconv.Itoa(task.Priority)))
	}
	if task.ScheduledTime != nil {
		parts = append(parts, t.tr("why_at", task.ScheduledTime.String()))
	}
	if task.GoalID != nil {
		for _, g := range goals {
			if g.ID == *task.GoalID {
				parts = append(parts, "🎯 "+locale.Shorten(g.Title, 30))
			}
		}
	}
	return strings.Join(parts, ", ")
}

package core

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

func (t *turn) createTask(ctx context.Context, u Understanding) error {
	title := deref(u.Title)
	if title == "" {
		t.say(t.tr("task_no_title"), suggestionButtons(t.lang)...)
		return nil
	}
	task := Task{Title: title, Priority: derefOr(u.Priority, 3), EstimatedMin: u.DurationMin, ScheduledTime: u.Time, Recurrence: deref(u.Recurrence)}
	if m := task.EstimatedMin; m != nil && (*m < 1 || *m > MaxEstimateMin) {
		task.EstimatedMin = nil // "на 300 часов" is no estimate for one task
	}
	switch {
	case u.Due != nil:
		task.ScheduledDate = *u.Due
	case u.Time != nil && int(*u.Time) < t.now.Hour()*60+t.now.Minute():
		task.ScheduledDate = t.today.AddDays(1) // "at 9" said at 15:00 means tomorrow
	default:
		task.ScheduledDate = t.today
	}
	if task.Recurrence != "" && task.ScheduledDate == t.today && task.ScheduledTime != nil &&
		int(*task.ScheduledTime) < t.now.Hour()*60+t.now.Minute() {
		// "every day at 9" said at 15:00 starts tomorrow
		if next, ok := NextOccurrence(task.Recurrence, t.today, t.today); ok {
			task.ScheduledDate = next
		}
	}
	task.Complexity, task.CognitiveLoad = EstimateEffort(title, task.Minutes())
	if err := t.tx.CreateTask(ctx, &task); err != nil {
		return err
	}
	text := Text{{Text: t.tr("task_created") + " "}, {Text: task.Title, Style: Bold}, {Text: "\n" + t.taskDetails(task)}}
	t.sayText(text,
		Button{Label: t.tr("btn_done"), Payload: "t:done:" + task.ID.String()},
		Button{Label: t.tr("btn_undo"), Payload: "t:undo:" + task.ID.String()})
	return nil
}

// taskDetails is "📅 tomorrow, 10:00 · ⏱ 30 min · ❗ urgent · 🔁 every Monday".
func (t *turn) taskDetails(task Task) string {
	parts := []string{"📅 " + dayWord(t.lang, task.ScheduledDate, t.today)}
	if task.ScheduledTime != nil {
		parts[0] += ", " + task.ScheduledTime.String()
	}
	if task.EstimatedMin != nil {
		parts = append(parts, "⏱ "+duration(t.lang, *task.EstimatedMin))
	}
	if task.Priority != 3 {
		parts = append(parts, priorityMark(task.Priority)+" "+t.tr("priority_"+strconv.Itoa(task.Priority)))
	}
	if task.Recurrence != "" {
		parts = append(parts, "🔁 "+describeRecurrence(t.lang, task.Recurrence))
	}
	return strings.Join(parts, " · ")
}

func priorityMark(p int) string {
	switch p {
	case 1:
		return "🔴"
	case 2:
		return "🟠"
	case 4:
		return "⚪"
	}
	return "🟡"
}

func (t *turn) undoTask(ctx context.Context, id uuid.UUID) error {
	yes := true
	task, err := t.tx.UpdateTask(ctx, id, TaskUpdate{Deleted: &yes})
	if ErrorCode(err) == ENOTFOUND {
		t.say(t.tr("task_not_found"))
		return nil
	}
	if err != nil {
		return err
	}
	t.replies = append(t.replies, Reply{EditRef: t.in.MessageRef, Notice: t.tr("task_undone_notice"),
		Text: Text{{Text: t.tr("task_undone") + " "}, {Text: task.Title, Style: Bold}}})
	return nil
}

// matchTasks ranks open tasks by how well query names them: the best first, only good matches.
func (t *turn) matchTasks(ctx context.Context, query string) ([]Task, error) {
	open, err := t.tx.FindTasks(ctx, TaskFilter{OpenOnly: true, Limit: 500})
	if err != nil || query == "" {
		return nil, err
	}
	type scored struct {
		task  Task
		score float64
	}
	var hits []scored
	for _, task := range open {
		if s := t.a.nlu.MatchScore(query, task.Title); s >= matchThreshold {
			hits = append(hits, scored{task, s})
		}
	}
	slices.SortStableFunc(hits, func(a, b scored) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return a.task.ScheduledDate.Compare(b.task.ScheduledDate)
	})
	var out []Task
	for _, h := range hits {
		// keep only the close contenders of the best match
		if h.score < hits[0].score-ambiguityMargin {
			break
		}
		out = append(out, h.task)
	}
	return out, nil
}

// A match must score matchThreshold; matches within ambiguityMargin of the best are ambiguous.
const (
	matchThreshold  = 0.45
	ambiguityMargin = 0.12
)

func (t *turn) completeByText(ctx context.Context, u Understanding) error {
	query := deref(u.Title)
	matches, err := t.matchTasks(ctx, query)
	if err != nil {
		return err
	}
	switch {
	case len(matches) == 1:
		return t.complete(ctx, matches[0], "")
	case len(matches) > 1:
		t.chooseTask(t.tr("which_task"), matches, "t:done:")
		return nil
	}
	today, err := t.tx.FindTasks(ctx, TaskFilter{OpenOnly: true, From: t.today, To: t.today, Overdue: true, Limit: 8})
	if err != nil {
		return err
	}
	if len(today) == 0 {
		t.say(t.tr("task_not_found"))
		return nil
	}
	t.chooseTask(t.tr("task_not_found_pick"), today, "t:done:")
	return nil
}

func (t *turn) chooseTask(question string, tasks []Task, prefix string) {
	if len(tasks) > 8 {
		tasks = tasks[:8]
	}
	buttons := make([]Button, 0, len(tasks))
	for _, task := range tasks {
		label := shorten(task.Title, 40)
		if !task.ScheduledDate.IsZero() && task.ScheduledDate != t.today {
			label += " (" + dayWord(t.lang, task.ScheduledDate, t.today) + ")"
		}
		buttons = append(buttons, Button{Label: label, Payload: prefix + task.ID.String()})
	}
	t.say(question, buttons...)
}

// withTask runs fn on the user's task id, or says it isn't there (deleted, or another user's).
func (t *turn) withTask(ctx context.Context, id uuid.UUID, fn func(Task) error) error {
	tasks, err := t.tx.FindTasks(ctx, TaskFilter{ID: &id})
	if err != nil {
		return err
	}
	if len(tasks) == 0 {
		t.say(t.tr("task_not_found"))
		return nil
	}
	return fn(tasks[0])
}

func (t *turn) completeByID(ctx context.Context, id uuid.UUID, listCtx string) error {
	return t.withTask(ctx, id, func(task Task) error { return t.complete(ctx, task, listCtx) })
}

// complete marks task done, schedules the next occurrence of a recurring task, and counts it
// toward a task-based goal. A press from a list re-renders that list in place.
func (t *turn) complete(ctx context.Context, task Task, listCtx string) error {
	if task.Status == TaskDone {
		t.replies = append(t.replies, Reply{Notice: t.tr("already_done"), Text: Text{{Text: "✅ "}, {Text: task.Title, Style: Bold}, {Text: " — " + t.tr("already_done")}}})
		return nil
	}
	done := TaskDone
	task, err := t.tx.UpdateTask(ctx, task.ID, TaskUpdate{Status: &done})
	if err != nil {
		return err
	}
	var extra []Span
	if next, ok := NextOccurrence(task.Recurrence, task.ScheduledDate, t.today); ok {
		again := Task{Title: task.Title, Description: task.Description, GoalID: task.GoalID, MilestoneID: task.MilestoneID,
			Priority: task.Priority, EstimatedMin: task.EstimatedMin, Complexity: task.Complexity, CognitiveLoad: task.CognitiveLoad,
			ScheduledDate: next, ScheduledTime: task.ScheduledTime, Recurrence: task.Recurrence}
		if err := t.tx.CreateTask(ctx, &again); err != nil {
			return err
		}
		extra = append(extra, Span{Text: "\n🔁 " + t.tr("next_occurrence", dayWord(t.lang, next, t.today))})
	}
	if task.GoalID != nil {
		spans, err := t.countTowardGoal(ctx, *task.GoalID)
		if err != nil {
			return err
		}
		extra = append(extra, spans...)
	}
	if listCtx != "" && t.in.MessageRef != "" {
		if err := t.relist(ctx, listCtx); err != nil {
			return err
		}
		last := &t.replies[len(t.replies)-1]
		last.EditRef, last.Notice = t.in.MessageRef, "✅ "+shorten(task.Title, 60)
		if len(extra) > 0 {
			t.sayText(append(Text{{Text: "✅ "}, {Text: task.Title, Style: Bold}}, extra...))
		}
		return nil
	}
	text := append(Text{{Text: "✅ " + t.tr("task_done") + " "}, {Text: task.Title, Style: Bold}}, extra...)
	t.replies = append(t.replies, Reply{Text: text, EditRef: t.in.MessageRef, Notice: "✅"})
	return nil
}

// countTowardGoal advances a task-based goal by one finished task.
func (t *turn) countTowardGoal(ctx context.Context, goalID uuid.UUID) ([]Span, error) {
	goals, err := t.tx.FindGoals(ctx, GoalFilter{ID: &goalID})
	if err != nil || len(goals) == 0 || goals[0].Tracking != TrackTasks {
		return nil, err
	}
	g := goals[0]
	v := g.CurrentValue + 1
	upd := GoalUpdate{CurrentValue: &v}
	if g.TargetValue != nil && v >= *g.TargetValue && g.Status == GoalActive {
		st := GoalCompleted
		upd.Status = &st
	}
	if g, err = t.tx.UpdateGoal(ctx, g.ID, upd); err != nil {
		return nil, err
	}
	if err := t.tx.AddGoalProgress(ctx, g.ID, t.today, v, ""); err != nil {
		return nil, err
	}
	return []Span{{Text: "\n🎯 " + g.Title + ": " + t.goalProgressLine(g)}}, nil
}

func (t *turn) listTasks(ctx context.Context, u Understanding) error {
	day := t.today
	if u.Due != nil {
		day = *u.Due
	}
	if u.Period == PeriodWeek {
		return t.listWeek(ctx, mondayOf(day))
	}
	return t.listDay(ctx, day)
}

// relist re-renders the list a button was pressed in: "D20261125" (a day) or "W20261123" (a week).
func (t *turn) relist(ctx context.Context, listCtx string) error {
	if len(listCtx) != 9 {
		return t.listDay(ctx, t.today)
	}
	d, err := ParseDate(listCtx[1:5] + "-" + listCtx[5:7] + "-" + listCtx[7:9])
	if err != nil {
		return t.listDay(ctx, t.today)
	}
	if listCtx[0] == 'W' {
		return t.listWeek(ctx, d)
	}
	return t.listDay(ctx, d)
}

func listCode(kind byte, d Date) string {
	return string(kind) + strings.ReplaceAll(d.String(), "-", "")
}

func (t *turn) listDay(ctx context.Context, day Date) error {
	tasks, err := t.tx.FindTasks(ctx, TaskFilter{From: day, To: day, Overdue: day == t.today})
	if err != nil {
		return err
	}
	goals, err := t.tx.FindGoals(ctx, GoalFilter{Status: GoalActive})
	if err != nil {
		return err
	}
	tasks = Prioritize(tasks, goals, t.today)
	head := t.tr("list_day", dayHeader(t.lang, day, t.today))
	if len(tasks) == 0 {
		t.say(head+"\n"+t.tr("list_empty"), Button{Label: t.tr("btn_week"), Payload: "l:week"})
		return nil
	}
	text := Text{{Text: head, Style: Bold}}
	var buttons []Button
	open, minutes := 0, 0
	for _, task := range tasks {
		text = append(text, t.taskLine(task, day, false)...)
		if task.Open() {
			open++
			minutes += task.Minutes()
			if len(buttons) < 10 {
				buttons = append(buttons, Button{Label: "✅ " + shorten(task.Title, 32), Payload: "t:done:" + task.ID.String() + ":" + listCode('D', day)})
			}
		}
	}
	text = append(text, Span{Text: "\n\n" + t.tr("list_summary", open, duration(t.lang, minutes)), Style: Italic})
	t.sayText(text, buttons...)
	return nil
}

func (t *turn) listWeek(ctx context.Context, monday Date) error {
	sunday := monday.AddDays(6)
	tasks, err := t.tx.FindTasks(ctx, TaskFilter{From: monday, To: sunday})
	if err != nil {
		return err
	}
	goals, err := t.tx.FindGoals(ctx, GoalFilter{Status: GoalActive})
	if err != nil {
		return err
	}
	text := Text{{Text: t.tr("list_week", fullDate(t.lang, monday, t.today), fullDate(t.lang, sunday, t.today)), Style: Bold}}
	if len(tasks) == 0 {
		t.say(text.String() + "\n" + t.tr("list_empty"))
		return nil
	}
	var buttons []Button
	for d := monday; !d.After(sunday); d = d.AddDays(1) {
		var day []Task
		for _, task := range tasks {
			if task.ScheduledDate == d {
				day = append(day, task)
			}
		}
		if len(day) == 0 {
			continue
		}
		text = append(text, Span{Text: "\n\n" + capitalize(dayWord(t.lang, d, t.today)), Style: Bold})
		for _, task := range Prioritize(day, goals, t.today) {
			text = append(text, t.taskLine(task, d, true)...)
			if task.Open() && len(buttons) < 10 {
				buttons = append(buttons, Button{Label: "✅ " + shorten(task.Title, 32), Payload: "t:done:" + task.ID.String() + ":" + listCode('W', monday)})
			}
		}
	}
	t.sayText(text, buttons...)
	return nil
}

// taskLine is "\n☐ 10:00 Call Ivan · 30 min 🔴".
func (t *turn) taskLine(task Task, day Date, compact bool) Text {
	mark := "☐ "
	if task.Status == TaskDone {
		mark = "✅ "
	} else if task.ScheduledDate.Before(day) || (task.ScheduledDate.Before(t.today) && task.Open()) {
		mark = "⚠️ "
	}
	line := Text{{Text: "\n" + mark}}
	if task.ScheduledTime != nil {
		line = append(line, Span{Text: task.ScheduledTime.String() + " "})
	}
	line = append(line, Span{Text: task.Title})
	var tail []string
	if task.EstimatedMin != nil && !compact {
		tail = append(tail, duration(t.lang, *task.EstimatedMin))
	}
	if task.Open() && task.ScheduledDate.Before(t.today) {
		tail = append(tail, t.tr("overdue_since", fullDate(t.lang, task.ScheduledDate, t.today)))
	}
	if len(tail) > 0 {
		line = append(line, Span{Text: " · " + strings.Join(tail, " · ")})
	}
	if task.Priority <= 2 && task.Open() {
		line = append(line, Span{Text: " " + priorityMark(task.Priority)})
	}
	return line
}

func (t *turn) reschedule(ctx context.Context, u Understanding) error {
	matches, err := t.matchTasks(ctx, deref(u.Title))
	if err != nil {
		return err
	}
	if len(matches) == 0 {
		t.say(t.tr("task_not_found"))
		return nil
	}
	if len(matches) > 1 {
		t.dialog.Awaiting, t.dialog.Due = "reschedule", u.Due
		t.dialogChanged = true
		t.chooseTask(t.tr("which_task"), matches, "r:task:")
		return nil
	}
	return t.moveTask(ctx, matches[0], u.Due, u.Time)
}

func (t *turn) rescheduleByID(ctx context.Context, id uuid.UUID) error {
	return t.withTask(ctx, id, func(task Task) error {
		due := t.dialog.Due
		t.dialog.Due, t.dialog.Awaiting = nil, ""
		t.dialogChanged = true
		return t.moveTask(ctx, task, due, nil)
	})
}

func (t *turn) moveTask(ctx context.Context, task Task, due *Date, at *ClockTime) error {
	if due == nil && at == nil {
		id := task.ID
		t.dialog.Task, t.dialog.Awaiting = &id, "reschedule_date"
		t.dialogChanged = true
		t.sayText(Text{{Text: t.tr("reschedule_when") + " "}, {Text: task.Title, Style: Bold}, {Text: "?"}})
		return nil
	}
	upd := TaskUpdate{ScheduledDate: due}
	if at != nil {
		upd.ScheduledTime = &at
	}
	moved, err := t.tx.UpdateTask(ctx, task.ID, upd)
	if err != nil {
		return err
	}
	t.sayText(Text{{Text: "📅 " + t.tr("rescheduled") + " "}, {Text: moved.Title, Style: Bold}, {Text: "\n" + t.taskDetails(moved)}})
	return nil
}

func capitalize(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func derefOr[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

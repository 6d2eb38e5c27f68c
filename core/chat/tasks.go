package chat

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/locale"
	"github.com/bizconnect/bizconnect/core/nlu"
	"github.com/bizconnect/bizconnect/core/plan"
	"github.com/bizconnect/bizconnect/core/progress"
)

func (t *turn) createTask(ctx context.Context, u core.Understanding) error {
	title := deref(u.Title)
	if title == "" {
		t.choose(core.Text{{Text: t.tr("task_no_title")}}, suggestionButtons(t.lang)...)
		return nil
	}
	task := core.Task{Title: title, Priority: derefOr(u.Priority, 3), EstimatedMin: u.DurationMin, ScheduledTime: u.Time,
		Recurrence: deref(u.Recurrence), ScheduledDate: deref(u.Due)}
	task.ApplyDefaults() // drops an estimate no task can have before the effort is guessed from it
	task.Complexity, task.CognitiveLoad = nlu.EstimateEffort(title, task.Minutes())
	task, err := plan.CreateTask(ctx, t.tx, t.user, task)
	if err != nil {
		return err
	}
	t.sayCreated(task)
	return t.warnOverload(ctx, task)
}

// warnOverload tells, under a new task's reply, that its day now holds more than the user's
// capacity, and offers the first working day that has room: the day goes over capacity only if
// the user leaves it so.
func (t *turn) warnOverload(ctx context.Context, task core.Task) error {
	day, capacity := task.ScheduledDate, t.user.Settings.Capacity()
	if day.IsZero() || day.Before(t.today) || task.Recurrence != "" {
		return nil
	}
	tasks, err := t.tx.FindTasks(ctx, core.TaskFilter{From: day, To: day.AddDays(plan.ReplanHorizon), Limit: 500})
	if err != nil {
		return err
	}
	used, err := t.tx.BusyMinutes(ctx, day, day.AddDays(plan.ReplanHorizon)) // meetings take their time first
	if err != nil {
		return err
	}
	for _, o := range tasks {
		if o.Status != core.TaskCancelled {
			used[o.ScheduledDate] += o.Minutes()
		}
	}
	if used[day] <= capacity {
		return nil
	}
	r := &t.replies[len(t.replies)-1]
	warning := t.tr("task_overload", capitalized(locale.DayWord(t.lang, day, t.today)), locale.Duration(t.lang, used[day]), locale.Duration(t.lang, capacity))
	cal := plan.Calendar{Capacity: capacity, WorkingDays: t.user.Settings.WorkingDays}
	for d := day.AddDays(1); !d.After(day.AddDays(plan.ReplanHorizon)); d = d.AddDays(1) {
		if cal.Works(d) && used[d]+task.Minutes() <= capacity {
			t.dialog.Due = &d
			move := button("📅 "+locale.DayWord(t.lang, d, t.today), core.Action{Kind: core.ActionRescheduleTask, ID: task.ID})
			r.Buttons[0] = append([]core.Button{move}, r.Buttons[0]...) // the answer to the question asked comes first
			r.Text = append(r.Text, core.Span{Text: "\n⚠️ " + warning + " " + t.tr("task_overload_move"), Style: core.Note})
			return nil
		}
	}
	r.Text = append(r.Text, core.Span{Text: "\n⚠️ " + warning + " " + t.tr("task_overload_full"), Style: core.Note}) // no day with room: said all the same
	return nil
}

// sayCreated says a task was added, with Done and Undo, and remembers it for "undo".
func (t *turn) sayCreated(task core.Task) {
	t.changed = true
	t.remember(Change{Kind: ChangeTaskCreated, ID: task.ID, Title: task.Title})
	text := core.Text{{Text: t.tr("task_created") + " "}, {Text: task.Title, Style: core.Bold}, {Text: "\n" + t.taskDetails(task)}}
	t.choose(text,
		button(t.tr("btn_done"), core.Action{Kind: core.ActionTaskDone, ID: task.ID}),
		button(t.tr("btn_undo"), core.Action{Kind: core.ActionTaskUndo, ID: task.ID}))
}

// taskDetails is "📅 tomorrow, 10:00 · ⏱ 30 min · ❗ urgent · 🔁 every Monday".
func (t *turn) taskDetails(task core.Task) string {
	parts := []string{"📅 " + locale.DayWord(t.lang, task.ScheduledDate, t.today)}
	if task.ScheduledTime != nil {
		parts[0] += ", " + task.ScheduledTime.String()
	}
	if task.EstimatedMin != nil {
		parts = append(parts, "⏱ "+locale.Duration(t.lang, *task.EstimatedMin))
	}
	if task.Priority != 3 {
		parts = append(parts, priorityMark(task.Priority)+" "+t.tr("priority_"+strconv.Itoa(task.Priority)))
	}
	if task.Recurrence != "" {
		parts = append(parts, "🔁 "+locale.Recurrence(t.lang, task.Recurrence))
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
	task, err := plan.DeleteTask(ctx, t.tx, id)
	if t.notFound(err, "task_not_found") {
		return nil
	}
	if err != nil {
		return err
	}
	t.changed = true
	if l := t.dialog.Last; l != nil && l.ID == id {
		t.dialog.Last = nil
	}
	t.replies = append(t.replies, core.Reply{EditRef: t.in.MessageRef, Notice: t.tr("task_undone_notice"),
		Text: core.Text{{Text: t.tr("task_undone") + " "}, {Text: task.Title, Style: core.Bold}}})
	return nil
}

// matchTasks ranks open tasks by how well query names them: the best first, only good matches.
func (t *turn) matchTasks(ctx context.Context, query string) ([]core.Task, error) {
	if query == "" {
		return nil, nil
	}
	if t.open == nil { // read once a turn: a message may be matched twice (doubt, then the act)
		open, err := t.tx.FindTasks(ctx, core.TaskFilter{OpenOnly: true, Limit: 500})
		if err != nil {
			return nil, err
		}
		t.open = &open
	}
	open := *t.open
	type scored struct {
		task  core.Task
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
	var out []core.Task
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

func (t *turn) completeByText(ctx context.Context, u core.Understanding) error {
	matches, err := t.matchTasks(ctx, deref(u.Title))
	if err != nil {
		return err
	}
	due := slices.DeleteFunc(slices.Clone(matches), func(task core.Task) bool { return task.ScheduledDate.After(t.today) })
	if len(due) > 0 || u.DurationMin != nil {
		matches = due // what was due today or before is what was just done, not next week's namesake (time spent is never a task ahead)
	}
	switch {
	case len(matches) == 1:
		return t.complete(ctx, matches[0], nil)
	case len(matches) > 1:
		t.chooseTask(t.tr("which_task"), matches, core.ActionTaskDone)
		return nil
	case u.DurationMin != nil && deref(u.Title) != "": // "spent 2 hours on logo design": work done, logged
		task := core.Task{Title: *u.Title, Priority: 3, EstimatedMin: u.DurationMin, ScheduledDate: t.today}
		task.ApplyDefaults()
		task.Complexity, task.CognitiveLoad = nlu.EstimateEffort(task.Title, task.Minutes())
		task, err := plan.CreateTask(ctx, t.tx, t.user, task)
		if err != nil {
			return err
		}
		return t.complete(ctx, task, nil)
	}
	today, err := t.tx.FindTasks(ctx, core.TaskFilter{OpenOnly: true, From: t.today, To: t.today, Overdue: true, Limit: 8})
	if err != nil {
		return err
	}
	if len(today) == 0 {
		t.say(t.tr("task_not_found"))
		return nil
	}
	t.chooseTask(t.tr("task_not_found_pick"), today, core.ActionTaskDone)
	return nil
}

// chooseTask asks which of tasks is meant: a button each, pressing which does kind to it.
func (t *turn) chooseTask(question string, tasks []core.Task, kind core.ActionKind) {
	if len(tasks) > 8 {
		tasks = tasks[:8]
	}
	buttons := make([]core.Button, 0, len(tasks))
	for _, task := range tasks {
		label := locale.Shorten(task.Title, 40)
		if !task.ScheduledDate.IsZero() && task.ScheduledDate != t.today {
			label += " (" + locale.DayWord(t.lang, task.ScheduledDate, t.today) + ")"
		}
		buttons = append(buttons, button(label, core.Action{Kind: kind, ID: task.ID}))
	}
	t.say(question, buttons...)
}

func (t *turn) completeByID(ctx context.Context, id uuid.UUID, list *core.ListRef) error {
	task, err := t.tx.FindTaskByID(ctx, id)
	if t.notFound(err, "task_not_found") {
		return nil
	}
	if err != nil {
		return err
	}
	return t.complete(ctx, task, list)
}

// complete completes task (progress.CompleteTask) and says what it did. A press from a list
// re-renders that list in place.
func (t *turn) complete(ctx context.Context, task core.Task, list *core.ListRef) error {
	c, err := progress.CompleteTask(ctx, t.tx, t.user, task)
	if err != nil {
		return err
	}
	t.changed = !c.AlreadyDone
	if !c.AlreadyDone {
		done := Change{Kind: ChangeTaskDone, ID: task.ID, Title: task.Title}
		if c.Next != nil {
			done.Next = &c.Next.ID
		}
		if c.Goal != nil {
			done.Goal = &c.Goal.ID
		}
		t.remember(done)
	}
	if c.AlreadyDone {
		t.replies = append(t.replies, core.Reply{Notice: t.tr("already_done"),
			Text: core.Text{{Text: "✅ "}, {Text: task.Title, Style: core.Bold}, {Text: " — " + t.tr("already_done")}}})
		return nil
	}
	var extra []core.Span
	if c.Next != nil {
		extra = append(extra, core.Span{Text: "\n🔁 " + t.tr("next_occurrence", locale.DayWord(t.lang, c.Next.ScheduledDate, t.today))})
	}
	if c.Goal != nil {
		extra = append(extra, core.Span{Text: "\n🎯 " + c.Goal.Title + ": " + t.goalProgressLine(*c.Goal)})
	}
	if list != nil && t.in.MessageRef != "" {
		if err := t.relist(ctx, *list); err != nil {
			return err
		}
		last := &t.replies[len(t.replies)-1]
		last.EditRef, last.Notice = t.in.MessageRef, "✅ "+locale.Shorten(c.Task.Title, 60)
		if len(extra) > 0 {
			t.sayText(append(core.Text{{Text: "✅ "}, {Text: c.Task.Title, Style: core.Bold}}, extra...))
		}
		return nil
	}
	text := append(core.Text{{Text: "✅ " + t.tr("task_done") + " "}, {Text: c.Task.Title, Style: core.Bold}}, extra...)
	r := core.Reply{Text: text, EditRef: t.in.MessageRef, Notice: "✅"}
	if t.in.Payload == "" && list == nil { // done by words: it may not be the task they meant
		r.Buttons = [][]core.Button{{t.undoButton()}}
	}
	t.replies = append(t.replies, r)
	return nil
}

func (t *turn) listTasks(ctx context.Context, u core.Understanding) error {
	day := t.today
	if u.Due != nil {
		day = *u.Due
	}
	if u.Period == core.PeriodWeek {
		return t.listWeek(ctx, core.ListRef{Week: true, Day: day.Monday()})
	}
	return t.listDay(ctx, core.ListRef{Day: day})
}

// relist re-renders the list a button was pressed in, on the page it showed.
func (t *turn) relist(ctx context.Context, l core.ListRef) error {
	if l.Week {
		return t.listWeek(ctx, l)
	}
	return t.listDay(ctx, l)
}

// listDay shows a day's tasks, and the ✅ of its open ones from list.From on.
func (t *turn) listDay(ctx context.Context, list core.ListRef) error {
	day := list.Day
	tasks, err := t.tx.FindTasks(ctx, core.TaskFilter{From: day, To: day, Overdue: day == t.today})
	if err != nil {
		return err
	}
	goals, err := t.tx.FindGoals(ctx, core.GoalFilter{Status: core.GoalActive})
	if err != nil {
		return err
	}
	busy, err := t.tx.BusyMinutes(ctx, day, day)
	if err != nil {
		return err
	}
	t.sayDay(list, tasks, goals, busy[day])
	return nil
}

// sayDay shows the day's tasks (with today's, the overdue ones), as listDay does, and the
// minutes the calendar holds on it.
func (t *turn) sayDay(list core.ListRef, tasks []core.Task, goals []core.Goal, busy int) {
	day := list.Day
	tasks = plan.Prioritize(tasks, goals, t.today)
	head := t.tr("list_day", locale.DayHeader(t.lang, day, t.today))
	meetings := ""
	if busy > 0 {
		meetings = "\n📅 " + t.tr("list_calendar", locale.Duration(t.lang, busy), locale.Duration(t.lang, t.user.Settings.FreeMinutes(busy)))
	}
	if len(tasks) == 0 {
		t.say(head+meetings+"\n"+t.tr("list_empty"), button(t.tr("btn_week"), core.Action{Kind: core.ActionListWeek}))
		return
	}
	text := core.Text{{Text: head, Style: core.Heading}}
	var open []core.Task
	minutes := 0
	for _, task := range tasks {
		if task.Open() {
			open = append(open, task)
			minutes += task.Minutes()
			text = append(text, t.taskLine(task, day, len(open), false)...)
		} else {
			text = append(text, t.taskLine(task, day, 0, false)...)
		}
	}
	text = append(text, core.Span{Text: "\n\n" + t.tr("list_summary", len(open), locale.Duration(t.lang, minutes)) + meetings, Style: core.Note})
	t.sayText(text, t.doneButtons(open, list)...)
}

// listWeek shows the tasks of the week starting list.Day, like listDay.
func (t *turn) listWeek(ctx context.Context, list core.ListRef) error {
	monday := list.Day
	sunday := monday.AddDays(6)
	tasks, err := t.tx.FindTasks(ctx, core.TaskFilter{From: monday, To: sunday})
	if err != nil {
		return err
	}
	goals, err := t.tx.FindGoals(ctx, core.GoalFilter{Status: core.GoalActive})
	if err != nil {
		return err
	}
	text := core.Text{{Text: t.tr("list_week", locale.FullDate(t.lang, monday, t.today), locale.FullDate(t.lang, sunday, t.today)), Style: core.Heading}}
	if len(tasks) == 0 {
		t.say(text.String() + "\n" + t.tr("list_empty"))
		return nil
	}
	var open []core.Task
	for d := monday; !d.After(sunday); d = d.AddDays(1) {
		var day []core.Task
		for _, task := range tasks {
			if task.ScheduledDate == d {
				day = append(day, task)
			}
		}
		if len(day) == 0 {
			continue
		}
		text = append(text, core.Span{Text: "\n\n" + capitalize(locale.DayWord(t.lang, d, t.today)), Style: core.Bold})
		for _, task := range plan.Prioritize(day, goals, t.today) {
			n := 0
			if task.Open() {
				open = append(open, task)
				n = len(open)
			}
			text = append(text, t.taskLine(task, d, n, true)...)
		}
	}
	t.sayText(text, t.doneButtons(open, list)...)
	return nil
}

// listPage is how many ✅ a list shows at a time; typing the number of up to maxUnseen others works.
const (
	listPage  = 10
	maxUnseen = 60
)

// doneButtons are the ✅ of a list's open tasks, a page of them from list.From on (the last page
// when fewer are left), numbered in the list's order so that same-looking tasks read apart and
// typing "12" presses the twelfth; "➕ N more" pages on while more follow.
func (t *turn) doneButtons(open []core.Task, list core.ListRef) []core.Button {
	from := list.From - list.From%listPage
	if from >= len(open) {
		from = max(len(open)-1, 0) / listPage * listPage
	}
	list.From = from
	var out []core.Button
	t.unseen = nil
	for i, task := range open {
		shown := i >= from && i < from+listPage
		if !shown && len(t.unseen) == maxUnseen {
			continue
		}
		label := fmt.Sprintf("✅ %d. %s", i+1, locale.Shorten(task.Title, 32))
		b := button(label, core.Action{Kind: core.ActionTaskDone, ID: task.ID, List: &list})
		if shown {
			out = append(out, b)
		} else {
			t.unseen = append(t.unseen, b)
		}
	}
	if rest := len(open) - from - listPage; rest > 0 && from+listPage < core.MaxListFrom {
		next := list
		next.From = from + listPage
		out = append(out, button(t.tr("btn_more", rest), core.Action{Kind: core.ActionListMore, List: &next}))
	}
	return out
}

// taskLine is "\n☐ 3. 10:00 Call Ivan · 30 min 🔴"; n numbers an open task as its ✅ does (0: none).
func (t *turn) taskLine(task core.Task, day core.Date, n int, compact bool) core.Text {
	mark := "☐ "
	if task.Status == core.TaskDone {
		mark = "✅ "
	} else if task.ScheduledDate.Before(day) || (task.ScheduledDate.Before(t.today) && task.Open()) {
		mark = "⚠️ "
	}
	line := core.Text{{Text: "\n" + mark}}
	if n > 0 {
		line[0].Text += strconv.Itoa(n) + ". "
	}
	if task.ScheduledTime != nil {
		line = append(line, core.Span{Text: task.ScheduledTime.String() + " "})
	}
	line = append(line, core.Span{Text: task.Title})
	var tail []string
	if task.EstimatedMin != nil && !compact {
		tail = append(tail, locale.Duration(t.lang, *task.EstimatedMin))
	}
	if task.Open() && task.ScheduledDate.Before(t.today) {
		tail = append(tail, t.tr("overdue_since", locale.FullDate(t.lang, task.ScheduledDate, t.today)))
	}
	if len(tail) > 0 {
		line = append(line, core.Span{Text: " · " + strings.Join(tail, " · ")})
	}
	if task.Priority <= 2 && task.Open() {
		line = append(line, core.Span{Text: " " + priorityMark(task.Priority)})
	}
	return line
}

func (t *turn) reschedule(ctx context.Context, u core.Understanding) error {
	if unnamed[strings.ToLower(strings.TrimSpace(deref(u.Title)))] { // "перенесём на пн": the task just written, or which?
		return t.rescheduleUnnamed(ctx, u)
	}
	matches, err := t.matchTasks(ctx, deref(u.Title))
	if err != nil {
		return err
	}
	if len(matches) == 0 {
		t.say(t.tr("task_not_found"))
		return nil
	}
	if len(matches) > 1 {
		t.dialog.Awaiting, t.dialog.Due = AwaitReschedule, u.Due
		t.chooseTask(t.tr("which_task"), matches, core.ActionRescheduleTask)
		return nil
	}
	return t.moveTask(ctx, matches[0], u.Due, u.Time)
}

// rescheduleUnnamed moves the task in view — the one just created, moved or edited, while it is
// open — or asks which of the open tasks (today's and the overdue first) to move.
func (t *turn) rescheduleUnnamed(ctx context.Context, u core.Understanding) error {
	if task, ok, err := t.taskInView(ctx); err != nil || ok {
		if err != nil {
			return err
		}
		return t.moveTask(ctx, task, u.Due, u.Time)
	}
	open, err := t.tx.FindTasks(ctx, core.TaskFilter{OpenOnly: true, From: t.today, To: t.today.AddDays(7), Overdue: true, Limit: 8})
	if err != nil {
		return err
	}
	if len(open) == 0 {
		t.say(t.tr("task_not_found"))
		return nil
	}
	t.dialog.Awaiting, t.dialog.Due = AwaitReschedule, u.Due
	t.chooseTask(t.tr("which_task"), open, core.ActionRescheduleTask)
	return nil
}

func (t *turn) rescheduleByID(ctx context.Context, id uuid.UUID) error {
	task, err := t.tx.FindTaskByID(ctx, id)
	if t.notFound(err, "task_not_found") {
		return nil
	}
	if err != nil {
		return err
	}
	due := t.dialog.Due
	t.dialog.Due, t.dialog.Awaiting = nil, AwaitNothing
	return t.moveTask(ctx, task, due, nil)
}

func (t *turn) moveTask(ctx context.Context, task core.Task, due *core.Date, at *core.ClockTime) error {
	if due == nil && at == nil {
		id := task.ID
		t.dialog.Task, t.dialog.Awaiting = &id, AwaitRescheduleDate
		t.sayText(core.Text{{Text: t.tr("reschedule_when") + " "}, {Text: task.Title, Style: core.Bold}, {Text: "?"}})
		return nil
	}
	if due == nil && task.ScheduledDate.IsZero() { // a time for a task without a day: the next such time
		d := t.today
		if at != nil && int(*at) <= t.now.Hour()*60+t.now.Minute() {
			d = d.AddDays(1)
		}
		due = &d
	}
	moved, err := plan.MoveTask(ctx, t.tx, task.ID, due, at)
	if err != nil {
		return err
	}
	t.changed = true
	prev := Change{Kind: ChangeTaskMoved, ID: task.ID, Title: task.Title, Time: task.ScheduledTime}
	if !task.ScheduledDate.IsZero() {
		prev.Due = &task.ScheduledDate
	}
	t.remember(prev)
	t.sayText(core.Text{{Text: "📅 " + t.tr("rescheduled") + " "}, {Text: moved.Title, Style: core.Bold}, {Text: "\n" + t.taskDetails(moved)}},
		t.undoButton())
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

// capitalized starts s with a capital letter, as a sentence starts.
func capitalized(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

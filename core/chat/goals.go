package chat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/locale"
	"github.com/bizconnect/bizconnect/core/nlu"
	"github.com/bizconnect/bizconnect/core/plan"
	"github.com/bizconnect/bizconnect/core/progress"
)

// createGoal shows what was understood and waits for save / edit / cancel.
func (t *turn) createGoal(ctx context.Context, u core.Understanding) error {
	title := deref(u.Title)
	if title == "" {
		t.dialog.Awaiting = AwaitGoalEdit
		t.say(t.tr("goal_no_title"))
		return nil
	}
	d := &GoalDraft{Title: title, Category: deref(u.Category), Target: u.Target, Unit: deref(u.Unit), Team: t.inTeamChannel()}
	if u.Due != nil && !u.Due.Before(t.today) {
		d.Due = *u.Due
	}
	t.dialog.Draft, t.dialog.Awaiting = d, AwaitNothing
	text := core.Text{{Text: t.tr("goal_understood") + "\n"}, {Text: "🎯 "}, {Text: d.Title, Style: core.Bold}}
	if d.Team {
		text = append(text, core.Span{Text: " (" + t.tr("team_goal") + ")"})
	}
	if d.Target != nil {
		text = append(text, core.Span{Text: "\n" + t.tr("goal_target") + ": " + locale.Amount(t.lang, *d.Target, d.Unit)})
	} else {
		text = append(text, core.Span{Text: "\n" + t.tr("goal_task_based")})
	}
	if !d.Due.IsZero() {
		text = append(text, core.Span{Text: "\n" + t.tr("goal_deadline") + ": " + locale.FullDate(t.lang, d.Due, t.today)})
	}
	if d.Category != "" && d.Category != "other" {
		text = append(text, core.Span{Text: "\n" + t.tr("goal_category") + ": " + t.tr("cat_"+d.Category)})
	}
	t.choose(text,
		button(t.tr("btn_save"), core.Action{Kind: core.ActionGoalSave}),
		button(t.tr("btn_edit"), core.Action{Kind: core.ActionGoalEdit}),
		button(t.tr("btn_cancel"), core.Action{Kind: core.ActionGoalCancel}))
	return nil
}

func (t *turn) saveDraft(ctx context.Context) error {
	d := t.dialog.Draft
	if d == nil {
		t.refuse("stale_button")
		return nil
	}
	t.dialog.Draft, t.dialog.Awaiting = nil, AwaitNothing
	return t.saveGoal(ctx, d)
}

// saveForm saves a goal filled in on a form at once, each field as the user typed it: a team goal
// when the form was opened from the team's channel. Only the category is inferred, from the title.
func (t *turn) saveForm(ctx context.Context, f core.GoalForm) error {
	title := strings.Join(strings.Fields(f.Title), " ")
	if written := nlu.TextLang(title); written != "" && !t.user.Settings.LangLocked {
		t.lang = written // what they write in, as for a message
		if err := t.followLanguage(ctx); err != nil {
			return err
		}
	}
	if title == "" {
		t.say(t.tr("goal_no_title"))
		return nil
	}
	// within what a goal may hold, whatever the form let through (its bounds are in characters)
	d := &GoalDraft{Title: core.Truncate(title, core.MaxTitleLen), Unit: core.Truncate(strings.TrimSpace(f.Unit), core.MaxUnitLen), Team: t.inTeamChannel()}
	if f.Target != nil && *f.Target > 0 && *f.Target < 1e15 {
		d.Target = f.Target
	}
	if !f.Due.IsZero() && !f.Due.Before(t.today) {
		d.Due = f.Due
	}
	if u := t.a.nlu.Understand(t.tr("goal_prefix")+" "+title, t.now, t.lang); u.Intent == core.IntentCreateGoal {
		d.Category = deref(u.Category)
	}
	return t.saveGoal(ctx, d)
}

// saveGoal saves d, tells its author, and on a team goal tells the team.
func (t *turn) saveGoal(ctx context.Context, d *GoalDraft) error {
	g := core.Goal{Title: d.Title, Category: d.Category, TargetValue: d.Target, Unit: d.Unit, EndDate: d.Due, StartDate: t.today}
	if d.Team && t.team != nil {
		g.TeamID, g.Visibility = t.team, core.TeamVisible
	}
	g, err := progress.SaveGoal(ctx, t.tx, g, nil)
	if err != nil {
		return err
	}
	t.changed = true
	if g.Visibility != core.TeamVisible { // a team's goal, announced to the team, is not undone by a word
		t.remember(Change{Kind: ChangeGoalCreated, ID: g.ID, Title: g.Title})
	}
	t.replies = append(t.replies, core.Reply{EditRef: t.in.MessageRef, Notice: "🎯",
		Text: core.Text{{Text: "🎯 " + t.tr("goal_saved") + " "}, {Text: g.Title, Style: core.Bold}, {Text: "\n" + t.tr("goal_next_steps")}}})
	if g.Visibility == core.TeamVisible && t.inTeamChannel() {
		text := core.Text{{Text: "🎯 " + t.tr("team_goal_new", t.who()) + " "}, {Text: g.Title, Style: core.Bold}}
		if g.TargetValue != nil {
			text = append(text, core.Span{Text: "\n" + t.goalProgressLine(g)})
		}
		if !g.EndDate.IsZero() {
			text = append(text, core.Span{Text: "\n" + t.tr("goal_deadline") + ": " + locale.FullDate(t.lang, g.EndDate, t.today)})
		}
		t.sayTeam(text)
	}
	return nil
}

// who names the user to their team: their name on the platform, or a friendly word.
func (t *turn) who() string {
	if n := strings.TrimSpace(t.user.Name); n != "" {
		return n
	}
	return t.tr("friend")
}

// goalProgressLine is "450 000 / 1 000 000 ₽\n▓▓▓▓░░░░ 45%", or a task count for task-based goals.
func (t *turn) goalProgressLine(g core.Goal) string {
	if g.TargetValue == nil {
		return t.tr("goal_tasks_done", locale.Number(t.lang, g.CurrentValue))
	}
	return locale.Amount(t.lang, g.CurrentValue, g.Unit) + " / " + locale.Amount(t.lang, *g.TargetValue, g.Unit) + "\n" + locale.ProgressBar(g.Progress())
}

// matchGoal picks the active goal a message means: by its words, or the only one there is.
func (t *turn) matchGoal(ctx context.Context, query string) (best *core.Goal, all []core.Goal, err error) {
	// in a team's channel only the team's goals are meant
	if all, err = t.activeGoals(ctx, t.inTeamChannel()); err != nil {
		return nil, nil, err
	}
	if query == "" {
		if len(all) == 1 {
			return &all[0], all, nil
		}
		return nil, all, nil
	}
	top := 0.0
	for i := range all {
		g := &all[i]
		s := t.a.nlu.MatchScore(query, g.Title+" "+t.tr("cat_"+g.Category)+" "+g.Unit)
		if s > top {
			top, best = s, g
		}
	}
	if top < matchThreshold {
		return nil, all, nil // "выручка +50к" with only a clients goal: ask, don't guess
	}
	return best, all, nil
}

func (t *turn) logProgress(ctx context.Context, u core.Understanding) error {
	if u.Value == nil {
		t.say(t.tr("progress_no_value"))
		return nil
	}
	g, all, err := t.matchGoal(ctx, deref(u.Title))
	if err != nil {
		return err
	}
	if g != nil {
		return t.applyProgress(ctx, *g, *u.Value, derefOr(u.Increment, false))
	}
	if len(all) == 0 {
		t.say(t.tr("progress_no_goals"))
		return nil
	}
	t.dialog.Value, t.dialog.Increment = u.Value, derefOr(u.Increment, false)
	buttons := make([]core.Button, 0, len(all))
	for _, g := range all[:min(len(all), 8)] {
		buttons = append(buttons, button(locale.Shorten(g.Title, 40), core.Action{Kind: core.ActionProgressGoal, ID: g.ID}))
	}
	t.say(t.tr("which_goal"), buttons...)
	return nil
}

func (t *turn) progressToGoal(ctx context.Context, id uuid.UUID) error {
	if t.dialog.Value == nil {
		t.refuse("stale_button")
		return nil
	}
	g, err := t.tx.FindGoalByID(ctx, id)
	if t.notFound(err, "goal_not_found") {
		return nil
	}
	if err != nil {
		return err
	}
	v, inc := *t.dialog.Value, t.dialog.Increment
	t.dialog.Value, t.dialog.Increment = nil, false
	return t.applyProgress(ctx, g, v, inc)
}

// applyProgress logs value on goal g (progress.LogProgress) and shows the goal's bar and pace; on
// a team goal the team sees who moved it, with a button to take it back.
func (t *turn) applyProgress(ctx context.Context, g core.Goal, value float64, increment bool) error {
	was := g.CurrentValue
	before := Change{Kind: ChangeProgress, ID: g.ID, Title: g.Title, Value: &was, Status: g.Status}
	r, err := progress.LogProgress(ctx, t.tx, t.user, g, value, increment)
	switch {
	case errors.Is(err, progress.ErrTeamTotal):
		t.say(t.tr("team_total_forbidden", locale.Number(t.lang, value)))
		return nil
	case core.ErrorCode(err) == core.EINVALID:
		t.say(t.tr("progress_no_value"))
		return nil
	case t.notFound(err, "goal_not_found"):
		return nil
	case err != nil:
		return err
	}
	t.changed = true
	switch {
	case g.Visibility != core.TeamVisible:
		after := r.Goal.CurrentValue
		before.After = &after
		t.remember(before)
	case r.Entry > 0 && increment:
		t.remember(Change{Kind: ChangeProgress, ID: g.ID, Title: g.Title, Entry: r.Entry})
	default:
		t.dialog.Last = nil // a team's total is set again, not taken back
	}
	g = r.Goal
	text := core.Text{{Text: "📈 "}, {Text: g.Title, Style: core.Bold}}
	if g.Visibility == core.TeamVisible {
		text = append(text, core.Span{Text: "\n" + t.who() + " " + change(t.lang, value, increment) + " →"})
	}
	text = append(text, core.Span{Text: "\n" + t.goalProgressLine(g)})
	if r.Reached {
		text = append(text, core.Span{Text: "\n🎉 " + t.tr("goal_reached")})
	} else if line := t.pace(g); line != "" {
		text = append(text, core.Span{Text: "\n" + line})
	}
	if g.Visibility != core.TeamVisible {
		t.sayText(text)
		return nil
	}
	var undo []core.Button
	if r.Entry > 0 && increment {
		undo = append(undo, button(t.tr("btn_undo"), core.Action{Kind: core.ActionProgressUndo, Entry: r.Entry}))
	}
	t.sayTeam(text, undo...)
	return nil
}

// change is what an entry did to a goal: "+3", "-1", or the total it set ("= 40").
func change(lang string, value float64, increment bool) string {
	switch s := locale.Number(lang, value); {
	case !increment:
		return "= " + s
	case value >= 0:
		return "+" + s
	default:
		return s
	}
}

// undoProgress takes back a team progress entry (progress.UndoProgress) and tells the team.
func (t *turn) undoProgress(ctx context.Context, entry int64) error {
	g, err := progress.UndoProgress(ctx, t.tx, t.user, entry)
	switch {
	case errors.Is(err, progress.ErrUndoForbidden):
		t.refuse("undo_forbidden")
		return nil
	case t.notFound(err, "stale_button"):
		return nil
	case err != nil:
		return err
	}
	t.changed = true
	t.replies = append(t.replies, core.Reply{Team: true, EditRef: t.in.MessageRef, Notice: "↩️",
		Text: core.Text{{Text: "↩️ "}, {Text: g.Title, Style: core.Bold}, {Text: "\n" + t.tr("progress_undone", t.who()) + "\n" + t.goalProgressLine(g)}}})
	return nil
}

// pace says how a goal stands against the straight line to its deadline ("" without one).
func (t *turn) pace(g core.Goal) string {
	p := progress.PaceOf(g, t.today)
	switch p.Kind {
	case progress.PaceOverdue:
		return t.tr("pace_overdue")
	case progress.PaceAhead:
		return t.tr("pace_ahead", p.DaysLeft)
	case progress.PaceClose:
		return t.tr("pace_close", p.DaysLeft)
	case progress.PaceBehind:
		return t.tr("pace_behind", locale.Amount(t.lang, p.NeedPerWeek, g.Unit), p.DaysLeft)
	}
	return ""
}

// planGoal proposes a plan for a goal (plan.ProposePlan): milestones, the first tasks and how
// the schedule comes out, with Accept and Adjust; nothing is created until it is accepted.
func (t *turn) planGoal(ctx context.Context, u core.Understanding) error {
	name := withoutGoalNouns(deref(u.Title))
	if unnamed[strings.ToLower(name)] {
		if id, err := t.goalInView(ctx); err != nil {
			return err
		} else if id != nil {
			return t.planGoalByID(ctx, *id)
		}
	}
	g, all, err := t.matchGoal(ctx, name)
	if err != nil {
		return err
	}
	switch {
	case g != nil:
	case len(all) == 0:
		t.say(t.tr("progress_no_goals"))
		return nil
	case len(all) == 1:
		g = &all[0] // "make a plan for the course goal" with one goal: that one
	default:
		buttons := make([]core.Button, 0, min(len(all), 8))
		for _, g := range all[:min(len(all), 8)] {
			buttons = append(buttons, button("🗺 "+locale.Shorten(g.Title, 40), core.Action{Kind: core.ActionPlanGoal, ID: g.ID}))
		}
		t.sayText(core.Text{{Text: t.tr("plan_which_goal", strings.Join(goalTitles(all), ", "))}}, buttons...)
		return nil
	}
	return t.proposePlan(ctx, *g, plan.Adjust{})
}

// withoutGoalNouns drops "goal"/"цель" from either end of a goal's name: "the course goal".
func withoutGoalNouns(s string) string {
	words := strings.Fields(s)
	for len(words) > 0 && goalNoun(words[len(words)-1]) {
		words = words[:len(words)-1]
	}
	for len(words) > 0 && (goalNoun(words[0]) || words[0] == "the" || words[0] == "my") {
		words = words[1:]
	}
	return strings.Join(words, " ")
}

func goalNoun(w string) bool {
	switch strings.ToLower(strings.Trim(w, ",.!?")) {
	case "goal", "goals", "цель", "цели", "целью", "target":
		return true
	}
	return false
}

// planGoalByID proposes a plan for a goal picked from a list.
// planVerbs ask for a plan; notRebalance are words of a rebalancing of days ("plan my week"),
// which keep a short plan request the replanning it was understood as.
var (
	planVerbs    = map[string]bool{"plan": true, "план": true, "распланируй": true, "спланируй": true, "распиши": true, "планируй": true}
	notRebalance = map[string]bool{"replan": true, "reschedule": true, "rebalance": true, "перепланируй": true, "week": true, "неделю": true,
		"day": true, "days": true, "today": true, "tomorrow": true, "сегодня": true, "завтра": true, "день": true, "дни": true,
		"всё": true, "все": true, "everything": true, "schedule": true}
	goalWords = []string{"goal", "цель", "цели"}
)

// planThisGoal reads a short plan request understood as replanning ("plan it", "plan my gaol",
// "распланируй") as planning a goal when one is in view: the goal draft just shown (saved first:
// planning it says it is wanted), the goal just saved, or — a goal named — the user's goals. It
// reports whether it did.
func (t *turn) planThisGoal(ctx context.Context) (bool, error) {
	words := strings.FieldsFunc(strings.ToLower(t.in.Text), func(r rune) bool { return !unicode.IsLetter(r) })
	if len(words) == 0 || len(words) > 4 || !slices.ContainsFunc(words, func(w string) bool { return planVerbs[w] }) ||
		slices.ContainsFunc(words, func(w string) bool { return notRebalance[w] }) {
		return false, nil
	}
	if id, err := t.goalInView(ctx); err != nil {
		return true, err
	} else if id != nil {
		return true, t.planGoalByID(ctx, *id)
	}
	if slices.ContainsFunc(words, func(w string) bool {
		return slices.ContainsFunc(goalWords, func(g string) bool { return nlu.NearWord(w, g) })
	}) {
		return true, t.planGoal(ctx, core.Understanding{Intent: core.IntentPlanGoal})
	}
	return false, nil
}

// goalInView is the goal a plan request without a name is about: the draft just shown (saved:
// asking to plan it says it is wanted) or the goal just saved, until a plan is proposed for it;
// nil when there is none.
func (t *turn) goalInView(ctx context.Context) (*uuid.UUID, error) {
	if t.dialog.Draft != nil {
		if err := t.saveDraft(ctx); err != nil {
			return nil, err
		}
	}
	if l := t.dialog.Last; l != nil && l.Kind == ChangeGoalCreated && !l.Planned {
		return &l.ID, nil
	}
	return nil, nil
}

// unnamed are the words that name no goal: "plan it".
var unnamed = map[string]bool{"": true, "it": true, "this": true, "that": true, "её": true, "ее": true, "это": true, "эту": true, "мою": true, "my": true}

func (t *turn) planGoalByID(ctx context.Context, id uuid.UUID) error {
	g, err := t.tx.FindGoalByID(ctx, id)
	if t.notFound(err, "stale_button") {
		return nil
	}
	if err != nil {
		return err
	}
	return t.proposePlan(ctx, g, plan.Adjust{})
}

// proposePlan proposes a plan for g: the LLM's, later, when the user has it; the offline
// planner's now otherwise.
func (t *turn) proposePlan(ctx context.Context, g core.Goal, adj plan.Adjust) error {
	if l := t.dialog.Last; l != nil && l.Kind == ChangeGoalCreated && l.ID == g.ID {
		l.Planned = true
	}
	if t.llmFor() {
		return t.planLater(ctx, g, adj)
	}
	p, err := plan.ProposePlan(ctx, t.tx, t.user, g, adj)
	if errors.Is(err, plan.ErrPlanTeamGoal) {
		t.say(t.tr("plan_team_forbidden"))
		return nil
	}
	if err != nil {
		return err
	}
	t.showProposal(p, "")
	return nil
}

// showProposal shows a plan proposal — its milestones, its first tasks and how the schedule
// comes out, after note when there is one — with Accept, Adjust and, when the LLM makes the
// user's plans, Regenerate; "да" accepts it.
func (t *turn) showProposal(p plan.Proposal, note string) {
	d, g := p.Draft, p.Goal
	text := core.Text{{Text: "🗺 " + t.tr("plan_proposal") + " "}, {Text: g.Title, Style: core.Bold}}
	if note != "" {
		text = append(core.Text{{Text: note + "\n", Style: core.Note}}, text...)
	}
	if d.ProposedDeadline {
		text = append(text, core.Span{Text: "\n" + t.tr("plan_deadline_new", locale.FullDate(t.lang, d.Deadline, t.today))})
	}
	for _, m := range d.Milestones {
		text = append(text, core.Span{Text: "\n• " + locale.DayWord(t.lang, m.Due, t.today) + " — " + m.Title})
	}
	text = append(text, core.Span{Text: "\n\n" + t.tr("plan_next_tasks")})
	for _, pt := range d.Tasks[:min(3, len(d.Tasks))] {
		text = append(text, core.Span{Text: "\n☐ " + locale.DayWord(t.lang, pt.Due, t.today) + " — " + pt.Title + " (" + locale.Duration(t.lang, pt.Minutes) + ")"})
	}
	text = append(text, core.Span{Text: "\n\n" + p.Summary.Explain(t.lang) + "\n" + t.tr("plan_accept_hint"), Style: core.Note})
	accept := core.Action{Kind: core.ActionPlanAccept, ID: p.ID}
	row := []core.Button{button(t.tr("btn_plan_accept"), accept), button(t.tr("btn_plan_adjust"), core.Action{Kind: core.ActionPlanAdjust, ID: p.ID})}
	if t.a.llm.DailyTokens(t.user.Tier) > 0 {
		row = append(row, button(t.tr("btn_plan_regenerate"), core.Action{Kind: core.ActionPlanRegenerate, ID: p.ID}))
	}
	t.choose(text, row...)
	t.dialog.Confirm = accept.Encode() // "да" accepts it
	id := p.ID
	t.dialog.Plan, t.dialog.Awaiting = &id, AwaitPlanShown // "поменьше задач" changes it
}

// regeneratePlan asks again for proposal id's plan, changed as it was.
func (t *turn) regeneratePlan(ctx context.Context, id uuid.UUID) error {
	rec, err := t.tx.FindPlan(ctx, id)
	if t.notFound(err, "plan_gone") {
		return nil
	}
	if err != nil {
		return err
	}
	if rec.Status != core.PlanReady {
		t.refuse("plan_gone")
		return nil
	}
	g, err := t.tx.FindGoalByID(ctx, rec.GoalID)
	if t.notFound(err, "plan_gone") {
		return nil
	}
	if err != nil {
		return err
	}
	var d plan.Draft
	if err := json.Unmarshal(rec.Output, &d); err != nil {
		return fmt.Errorf("chat: decode plan %s: %w", id, err)
	}
	adj := plan.Adjust{Fewer: d.Fewer}
	if d.NewDeadline {
		adj.Deadline = d.Deadline
	}
	return t.proposePlan(ctx, g, adj)
}

func (t *turn) acceptPlan(ctx context.Context, id uuid.UUID) error {
	p, ms, err := plan.AcceptPlan(ctx, t.tx, t.user, id)
	switch {
	case errors.Is(err, plan.ErrPlanGone), core.ErrorCode(err) == core.ENOTFOUND:
		t.refuse("plan_gone")
		return nil
	case errors.Is(err, plan.ErrPlanStale):
		t.refuse("plan_stale")
		return nil
	case errors.Is(err, plan.ErrPlanTeamGoal):
		t.refuse("plan_team_forbidden")
		return nil
	case err != nil:
		return err
	}
	t.changed = true
	t.dialog.Last = nil // "отмени" now would take back something older the user no longer sees
	first := t.today
	if len(p.Draft.Tasks) > 0 {
		first = p.Draft.Tasks[0].Due
	}
	t.say(t.tr("plan_accepted", locale.Plural(t.lang, len(ms), "milestone"), locale.Plural(t.lang, len(p.Draft.Tasks), "task"),
		locale.DayWord(t.lang, first, t.today)))
	return nil
}

// fewerWords ask a plan for less work (whole words).
var fewerWords = map[string]bool{"меньше": true, "поменьше": true, "полегче": true, "проще": true, "fewer": true, "less": true,
	"lighter": true, "smaller": true}

// adjustsPlan are the intents an answer to "what should change?" is read as; a new task, a
// question or anything else is itself, and the question is dropped.
var adjustsPlan = map[core.Intent]bool{core.IntentUnknown: true, core.IntentSettings: true, core.IntentEdit: true,
	core.IntentReplan: true, core.IntentPlanGoal: true, core.IntentCreateGoal: true, core.IntentRescheduleTask: true}

// finishWords say a deadline is meant: "закончить к маю", "finish by May instead"; with
// finishFillers they may make up all the "title" such a message is read with.
var (
	finishWords = map[string]bool{"закончить": true, "закончим": true, "завершить": true, "успеть": true, "срок": true,
		"дедлайн": true, "finish": true, "done": true, "instead": true, "deadline": true, "complete": true}
	finishFillers = map[string]bool{"пусть": true, "будет": true, "давай": true, "давайте": true, "план": true, "let": true,
		"us": true, "let's": true, "the": true, "plan": true, "it": true, "be": true, "make": true}
)

// onlyFinishWords reports whether title is nothing but words of finishing and fillers.
func onlyFinishWords(title string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(title), func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }) {
		if !finishWords[w] && !finishFillers[w] {
			return false
		}
	}
	return true
}

// adjustPlan reads what to change in proposal Dialog.Plan ("поменьше задач", "закончить к маю")
// and proposes it again; false when the message says neither, or is something else. Asked (the
// user pressed Adjust) it reads any fitting answer; right after the proposal, unasked, only
// "fewer" words or a deadline said with a word of finishing and no name of a task.
func (t *turn) adjustPlan(ctx context.Context, u core.Understanding, asked bool) (bool, error) {
	id := *t.dialog.Plan
	t.dialog.Plan, t.dialog.Awaiting = nil, AwaitNothing // answered, or dropped by what the message is instead
	words := strings.FieldsFunc(strings.ToLower(t.in.Text), func(r rune) bool { return !unicode.IsLetter(r) })
	adj := plan.Adjust{}
	finish := false
	for _, w := range words {
		adj.Fewer = adj.Fewer || fewerWords[w]
		finish = finish || finishWords[w]
	}
	short := len(words) <= 8
	finishing := short && finish && onlyFinishWords(deref(u.Title)) // "закончить к маю": no task of that name
	if !asked && !(short && adj.Fewer || finishing) {
		return false, nil
	}
	if !adjustsPlan[u.Intent] && !(short && adj.Fewer) && !finishing {
		return false, nil
	}
	if u.Due == nil { // "поменьше задач и закончить к марту" may read as anything: its date is what counts
		u.Due = t.a.nlu.UnderstandAs(t.in.Text, core.IntentCreateTask, t.now, t.lang).Due
	}
	if u.Due != nil && u.Due.After(t.today) {
		adj.Deadline = *u.Due
	}
	if adj.Deadline.IsZero() && !adj.Fewer {
		return false, nil
	}
	rec, err := t.tx.FindPlan(ctx, id)
	if t.notFound(err, "plan_gone") {
		return true, nil
	}
	if err != nil {
		return true, err
	}
	g, err := t.tx.FindGoalByID(ctx, rec.GoalID)
	if t.notFound(err, "plan_gone") {
		return true, nil
	}
	if err != nil {
		return true, err
	}
	return true, t.proposePlan(ctx, g, adj)
}

func goalTitles(goals []core.Goal) []string {
	out := make([]string, 0, len(goals))
	for _, g := range goals {
		out = append(out, "«"+g.Title+"»")
	}
	return out
}

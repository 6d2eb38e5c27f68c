package core

import (
	"context"
	"math"
	"strings"

	"github.com/google/uuid"
)

// createGoal shows what was understood and waits for save / edit / cancel.
func (t *turn) createGoal(ctx context.Context, u Understanding) error {
	title := deref(u.Title)
	if title == "" {
		t.setAwaiting("goal_edit")
		t.say(t.tr("goal_no_title"))
		return nil
	}
	d := &GoalDraft{Title: title, Category: deref(u.Category), Target: u.Target, Unit: deref(u.Unit), Team: t.inTeamChannel()}
	if u.Due != nil {
		d.Due = *u.Due
	}
	if !d.Due.IsZero() && d.Due.Before(t.today) {
		d.Due = Date{}
	}
	t.dialog.Draft = d
	t.setAwaiting("goal_confirm")
	t.dialogChanged = true
	text := Text{{Text: t.tr("goal_understood") + "\n"}, {Text: "🎯 "}, {Text: d.Title, Style: Bold}}
	if d.Team {
		text = append(text, Span{Text: " (" + t.tr("team_goal") + ")"})
	}
	if d.Target != nil {
		text = append(text, Span{Text: "\n" + t.tr("goal_target") + ": " + formatAmount(*d.Target, d.Unit)})
	} else {
		text = append(text, Span{Text: "\n" + t.tr("goal_task_based")})
	}
	if !d.Due.IsZero() {
		text = append(text, Span{Text: "\n" + t.tr("goal_deadline") + ": " + fullDate(t.lang, d.Due, t.today)})
	}
	if d.Category != "" && d.Category != "other" {
		text = append(text, Span{Text: "\n" + t.tr("goal_category") + ": " + t.tr("cat_"+d.Category)})
	}
	t.sayText(text,
		Button{Label: t.tr("btn_save"), Payload: "g:save"},
		Button{Label: t.tr("btn_edit"), Payload: "g:edit"},
		Button{Label: t.tr("btn_cancel"), Payload: "g:cancel"})
	return nil
}

func (t *turn) saveDraft(ctx context.Context) error {
	d := t.dialog.Draft
	if d == nil {
		t.say(t.tr("stale_button"))
		return nil
	}
	g := Goal{Title: d.Title, Category: d.Category, TargetValue: d.Target, Unit: d.Unit, EndDate: d.Due, StartDate: t.today}
	if g.TargetValue == nil {
		g.Tracking = TrackTasks
	}
	if d.Team && t.team != nil {
		g.TeamID, g.Visibility = t.team, TeamVisible
	}
	if !validCategory(g.Category) {
		g.Category = "other"
	}
	if err := t.tx.CreateGoal(ctx, &g); err != nil {
		return err
	}
	t.dialog.Draft = nil
	t.setAwaiting("")
	t.replies = append(t.replies, Reply{EditRef: t.in.MessageRef, Notice: "🎯",
		Text: Text{{Text: "🎯 " + t.tr("goal_saved") + " "}, {Text: g.Title, Style: Bold}, {Text: "\n" + t.tr("goal_next_steps")}}})
	return nil
}

var categories = []string{"revenue", "clients", "product", "marketing", "sales", "team", "finance", "health", "learning", "personal", "other"}

func validCategory(c string) bool {
	for _, k := range categories {
		if k == c {
			return true
		}
	}
	return false
}

// goalProgressLine is "450 000 / 1 000 000 ₽\n▓▓▓▓░░░░ 45%", or a task count for task-based goals.
func (t *turn) goalProgressLine(g Goal) string {
	if g.TargetValue == nil {
		return t.tr("goal_tasks_done", FormatNumber(g.CurrentValue))
	}
	return formatAmount(g.CurrentValue, g.Unit) + " / " + formatAmount(*g.TargetValue, g.Unit) + "\n" + ProgressBar(g.Progress())
}

// matchGoal picks the active goal a message means: by its words, or the only one there is.
func (t *turn) matchGoal(ctx context.Context, query string) (best *Goal, all []Goal, err error) {
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
		if len(all) == 1 {
			return &all[0], all, nil
		}
		return nil, all, nil
	}
	return best, all, nil
}

func (t *turn) logProgress(ctx context.Context, u Understanding) error {
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
	t.dialogChanged = true
	buttons := make([]Button, 0, len(all))
	for _, g := range all[:min(len(all), 8)] {
		buttons = append(buttons, Button{Label: shorten(g.Title, 40), Payload: "p:goal:" + g.ID.String()})
	}
	t.say(t.tr("which_goal"), buttons...)
	return nil
}

func (t *turn) progressToGoal(ctx context.Context, id uuid.UUID) error {
	if t.dialog.Value == nil {
		t.say(t.tr("stale_button"))
		return nil
	}
	goals, err := t.tx.FindGoals(ctx, GoalFilter{ID: &id})
	if err != nil {
		return err
	}
	if len(goals) == 0 {
		t.say(t.tr("goal_not_found"))
		return nil
	}
	v, inc := *t.dialog.Value, t.dialog.Increment
	t.dialog.Value, t.dialog.Increment = nil, false
	t.dialogChanged = true
	return t.applyProgress(ctx, goals[0], v, inc)
}

func (t *turn) applyProgress(ctx context.Context, g Goal, value float64, increment bool) error {
	if math.IsNaN(value) || math.IsInf(value, 0) || math.Abs(value) > 1e15 {
		t.say(t.tr("progress_no_value"))
		return nil
	}
	v := value
	if increment {
		v = g.CurrentValue + value
	}
	reached := g.TargetValue != nil && v >= *g.TargetValue && g.Status == GoalActive
	var err error
	if g.Visibility == TeamVisible && g.TeamID != nil {
		g, err = t.tx.LogTeamProgress(ctx, g.ID, t.today, v)
	} else {
		g, err = t.recordProgress(ctx, g, v, reached)
	}
	if err != nil {
		return err
	}
	text := Text{{Text: "📈 "}, {Text: g.Title, Style: Bold}, {Text: "\n" + t.goalProgressLine(g)}}
	if reached {
		text = append(text, Span{Text: "\n🎉 " + t.tr("goal_reached")})
	} else if g.TargetValue != nil && !g.EndDate.IsZero() {
		text = append(text, Span{Text: "\n" + t.pace(g)})
	}
	t.sayText(text)
	return nil
}

// recordProgress sets the value of the user's own goal and logs it.
func (t *turn) recordProgress(ctx context.Context, g Goal, v float64, reached bool) (Goal, error) {
	upd := GoalUpdate{CurrentValue: &v}
	if reached {
		st := GoalCompleted
		upd.Status = &st
	}
	g, err := t.tx.UpdateGoal(ctx, g.ID, upd)
	if err != nil {
		return g, err
	}
	return g, t.tx.AddGoalProgress(ctx, g.ID, t.today, v, "")
}

// pace compares progress with the straight line from start to deadline.
func (t *turn) pace(g Goal) string {
	total := g.StartDate.DaysUntil(g.EndDate)
	left := t.today.DaysUntil(g.EndDate)
	if total <= 0 || left < 0 {
		return t.tr("pace_overdue")
	}
	expected := float64(total-left) / float64(total)
	switch p := g.Progress(); {
	case p >= expected:
		return t.tr("pace_ahead", left)
	case p >= expected*0.8:
		return t.tr("pace_close", left)
	default:
		need := (*g.TargetValue - g.CurrentValue) / math.Max(float64(left)/7, 1)
		return t.tr("pace_behind", formatAmount(math.Ceil(need), g.Unit), left)
	}
}

// planGoal breaks a goal into milestones up to its deadline with an even pace (the offline
// planner; the LLM planner replaces it when configured).
func (t *turn) planGoal(ctx context.Context, u Understanding) error {
	g, all, err := t.matchGoal(ctx, deref(u.Title))
	if err != nil {
		return err
	}
	if g == nil {
		if len(all) == 0 {
			t.say(t.tr("progress_no_goals"))
			return nil
		}
		t.say(t.tr("plan_which_goal", strings.Join(goalTitles(all), ", ")))
		return nil
	}
	ms := OfflineMilestones(*g, t.today, t.lang)
	if len(ms) == 0 {
		t.say(t.tr("plan_need_deadline", g.Title))
		return nil
	}
	if err := t.tx.CreateMilestones(ctx, ms); err != nil {
		return err
	}
	if err := t.tx.SavePlan(ctx, g.ID, "offline", "", map[string]any{"goal": g.Title, "today": t.today}, ms); err != nil {
		return err
	}
	text := Text{{Text: "🗺 " + t.tr("plan_title") + " "}, {Text: g.Title, Style: Bold}}
	for _, m := range ms {
		text = append(text, Span{Text: "\n• " + dayWord(t.lang, m.Deadline, t.today) + " — " + m.Title})
	}
	text = append(text, Span{Text: "\n\n" + t.tr("plan_hint"), Style: Italic})
	t.sayText(text)
	return nil
}

func goalTitles(goals []Goal) []string {
	out := make([]string, 0, len(goals))
	for _, g := range goals {
		out = append(out, "«"+g.Title+"»")
	}
	return out
}

// OfflineMilestones splits the way from today to g's deadline into up to four checkpoints with
// evenly growing targets (task-based goals get dated checkpoints without values).
func OfflineMilestones(g Goal, today Date, lang string) []Milestone {
	if g.EndDate.IsZero() || !g.EndDate.After(today) {
		return nil
	}
	days := today.DaysUntil(g.EndDate)
	n := min(4, max(1, days/7))
	ms := make([]Milestone, 0, n)
	for i := 1; i <= n; i++ {
		m := Milestone{GoalID: g.ID, Position: i, Deadline: today.AddDays(days * i / n)}
		if g.TargetValue != nil {
			v := g.CurrentValue + (*g.TargetValue-g.CurrentValue)*float64(i)/float64(n)
			v = math.Round(v)
			m.TargetValue = &v
			m.Title = tr(lang, "milestone_value", formatAmount(v, g.Unit))
		} else {
			m.Title = tr(lang, "milestone_step", i, n)
		}
		ms = append(ms, m)
	}
	return ms
}

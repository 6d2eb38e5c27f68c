package core

import (
	"context"
	"fmt"
	"strings"
)

// inTeamChannel reports whether the message came from a team's channel (not a direct message).
func (t *turn) inTeamChannel() bool { return t.team != nil && t.in.ChatType == ChatGroup }

var (
	goalsWords        = map[string]bool{"/goals": true, "goals": true, "my goals": true, "цели": true, "мои цели": true}
	teamWords         = map[string]bool{"team": true, "команда": true, "team goals": true, "цели команды": true, "командные цели": true}
	reportHereWords   = map[string]bool{"report here": true, "weekly report here": true, "отчёт сюда": true, "отчет сюда": true, "отчёты сюда": true, "отчеты сюда": true}
	trimCommandPrefix = strings.NewReplacer("/bc ", "", "/team", "team")
)

// goalCommand handles the words that list goals ("/goals", "мои цели") and the team's own words:
// the team's goals, and the weekly report's channel.
func (t *turn) goalCommand(ctx context.Context, text string) (bool, error) {
	norm := strings.Trim(strings.ToLower(trimCommandPrefix.Replace(text)), " .!?")
	if at := strings.IndexByte(norm, '@'); strings.HasPrefix(norm, "/") && at > 0 {
		norm = norm[:at] // "/goals@bizconnect_bot"
	}
	if goalsWords[norm] {
		err := t.showGoals(ctx)
		t.privatize() // own goals are private; the team's are shown with "team"
		return true, err
	}
	if t.team == nil {
		return false, nil
	}
	switch {
	case teamWords[norm]:
		return true, t.showTeamGoals(ctx)
	case reportHereWords[norm]:
		if t.in.ChatType != ChatGroup {
			t.say(t.tr("report_channel_need_channel"))
			return true, nil
		}
		err := t.tx.SetReportChannel(ctx, *t.team, t.in.ChatID)
		if ErrorCode(err) == EFORBIDDEN {
			t.say(t.tr("report_channel_forbidden"))
			return true, nil
		}
		if err == nil {
			t.say("📊 " + t.tr("report_channel_set"))
		}
		return true, err
	}
	return false, nil
}

// showGoals lists the user's active goals (and their team's) with progress bars.
func (t *turn) showGoals(ctx context.Context) error {
	goals, err := t.activeGoals(ctx, false)
	if err != nil {
		return err
	}
	if len(goals) == 0 {
		t.say(t.tr("progress_no_goals"))
		return nil
	}
	t.sayText(t.goalsText(t.tr("goals_title"), goals))
	return nil
}

// goalsText is a titled list of goals with their progress and deadlines.
func (t *turn) goalsText(title string, goals []Goal) Text {
	text := Text{{Text: "🎯 " + title, Style: Bold}}
	for _, g := range goals {
		text = append(text, Span{Text: "\n\n"}, Span{Text: g.Title, Style: Bold}, Span{Text: "\n" + t.goalProgressLine(g)})
		if !g.EndDate.IsZero() {
			text = append(text, Span{Text: " · " + t.tr("goal_deadline") + ": " + fullDate(t.lang, g.EndDate, t.today)})
		}
	}
	return text
}

func (t *turn) showTeamGoals(ctx context.Context) error {
	goals, err := t.activeGoals(ctx, true)
	if err != nil {
		return err
	}
	if len(goals) == 0 {
		t.say(t.tr("team_no_goals"))
		return nil
	}
	t.sayText(t.goalsText(t.tr("team_goals"), goals))
	return nil
}

// home is the personal dashboard (Slack's App Home): today's tasks with done buttons, active
// goals (own and the team's) with progress bars, and today's Business Load.
func (t *turn) home(ctx context.Context) error {
	tasks, err := t.tx.FindTasks(ctx, TaskFilter{From: t.today, To: t.today, Overdue: true})
	if err != nil {
		return err
	}
	goals, err := t.activeGoals(ctx, false)
	if err != nil {
		return err
	}
	score, _, err := t.dayLoad(ctx, tasks)
	if err != nil {
		return err
	}
	text := Text{{Text: "⚡ Business Load: "}, {Text: fmt.Sprintf("%d/100", score.Value), Style: Bold},
		{Text: " — " + t.tr("zone_"+string(score.Zone))}, {Text: "\n\n" + t.tr("list_day", t.tr("today")), Style: Bold}}
	var buttons []Button
	for _, task := range Prioritize(tasks, goals, t.today) {
		text = append(text, t.taskLine(task, t.today, false)...)
		if task.Open() && len(buttons) < 10 {
			buttons = append(buttons, Button{Label: "✅ " + shorten(task.Title, 32), Payload: "t:done:" + task.ID.String()})
		}
	}
	if len(tasks) == 0 {
		text = append(text, Span{Text: "\n" + t.tr("list_empty")})
	}
	if len(goals) > 0 {
		text = append(text, Span{Text: "\n\n" + t.tr("goals_title"), Style: Bold})
		for _, g := range goals {
			text = append(text, Span{Text: "\n🎯 "}, Span{Text: g.Title, Style: Bold}, Span{Text: "\n" + t.goalProgressLine(g)})
		}
	}
	r := Reply{Text: text, Home: true}
	buttons = append(buttons, Button{Label: t.tr("btn_new_goal"), Payload: "x:newgoal"}) // Slack opens its modal
	for _, b := range buttons {
		r.Buttons = append(r.Buttons, []Button{b})
	}
	t.replies = append(t.replies, r)
	return nil
}

// activeGoals returns the user's active goals and their team's; teamOnly keeps the team's alone.
func (t *turn) activeGoals(ctx context.Context, teamOnly bool) ([]Goal, error) {
	var goals []Goal
	if !teamOnly {
		own, err := t.tx.FindGoals(ctx, GoalFilter{Status: GoalActive})
		if err != nil {
			return nil, err
		}
		goals = own
	}
	if t.team == nil {
		return goals, nil
	}
	team, err := t.tx.FindGoals(ctx, GoalFilter{TeamID: t.team, Status: GoalActive})
	if err != nil {
		return nil, err
	}
	return appendNewGoals(goals, team), nil
}

func appendNewGoals(goals, more []Goal) []Goal {
	seen := map[[16]byte]bool{}
	for _, g := range goals {
		seen[g.ID] = true
	}
	for _, g := range more {
		if !seen[g.ID] {
			goals = append(goals, g)
		}
	}
	return goals
}

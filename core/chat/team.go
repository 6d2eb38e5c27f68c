package chat

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/load"
	"github.com/bizconnect/bizconnect/core/locale"
	"github.com/bizconnect/bizconnect/core/plan"
)

// inTeamChannel reports whether the message came from a team's channel (not a direct message).
func (t *turn) inTeamChannel() bool { return t.team != nil && t.in.ChatType == core.ChatGroup }

// setReportChannel makes this channel the one that receives the team's weekly report.
func (t *turn) setReportChannel(ctx context.Context) error {
	if t.in.ChatType != core.ChatGroup {
		t.say(t.tr("report_channel_need_channel"))
		return nil
	}
	err := t.tx.SetReportChannel(ctx, *t.team, t.in.ChatID)
	if core.ErrorCode(err) == core.EFORBIDDEN {
		t.say(t.tr("report_channel_forbidden"))
		return nil
	}
	if err != nil {
		return err
	}
	t.sayTeam(core.Text{{Text: "📊 " + t.tr("report_channel_set")}})
	return nil
}

// setTeamRole gives a member of the team a role, as the team's owner alone may: "admin @lena",
// or "передай владение @oleg", after which the owner is an admin.
func (t *turn) setTeamRole(ctx context.Context, who, role string) error {
	mine, err := t.tx.TeamRole(ctx, *t.team)
	if err != nil {
		return err
	}
	if mine != core.TeamOwner {
		t.say(t.tr("role_forbidden"))
		return nil
	}
	member := core.IdentityRef{Provider: t.in.Provider, Workspace: t.in.Workspace, ExternalID: who}
	if err := t.tx.SetTeamRole(ctx, *t.team, member, role); t.notFound(err, "role_not_member") {
		return nil
	} else if err != nil {
		return err
	}
	text := append(core.Text{{Text: "👥 "}}, t.trText("role_set_"+role, core.Span{Text: who, Style: core.Mention},
		core.Span{Text: t.in.ExternalUserID, Style: core.Mention})...)
	t.sayTeam(text)
	return nil
}

// trText is the text for key with spans in place of its %s verbs, in order: a sentence that
// names people or carries formatting inside it.
func (t *turn) trText(key string, spans ...core.Span) core.Text {
	parts := strings.Split(t.tr(key), "%s")
	var text core.Text
	for i, p := range parts {
		if p != "" {
			text = append(text, core.Span{Text: p})
		}
		if i < len(parts)-1 && i < len(spans) {
			text = append(text, spans[i])
		}
	}
	return text
}

// sayTeam adds a reply of the team's content: the one kind a group sees.
func (t *turn) sayTeam(text core.Text, buttons ...core.Button) {
	t.sayText(text, buttons...)
	t.replies[len(t.replies)-1].Team = true
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
	next := map[uuid.UUID]string{}
	for _, g := range goals[:min(len(goals), 10)] { // each goal's next milestone and next task
		var lines []string
		ms, err := t.tx.FindMilestones(ctx, g.ID)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if m.Status != "completed" && !m.Deadline.Before(t.today) {
				lines = append(lines, "🏁 "+t.tr("goal_next_milestone", m.Title, locale.DayWord(t.lang, m.Deadline, t.today)))
				break
			}
		}
		id := g.ID
		tasks, err := t.tx.FindTasks(ctx, core.TaskFilter{OpenOnly: true, GoalID: &id, From: t.today, To: t.today.AddDays(366), Overdue: true, Limit: 1})
		if err != nil {
			return err
		}
		if len(tasks) > 0 {
			lines = append(lines, "☐ "+tasks[0].Title+" — "+locale.DayWord(t.lang, tasks[0].ScheduledDate, t.today))
		}
		next[g.ID] = strings.Join(lines, "\n")
	}
	t.sayText(t.goalsText(t.tr("goals_title"), goals, next))
	return nil
}

// goalsText is a titled list of goals with their progress and deadlines, and what next says
// comes next for each.
func (t *turn) goalsText(title string, goals []core.Goal, next map[uuid.UUID]string) core.Text {
	text := core.Text{{Text: "🎯 " + title, Style: core.Bold}}
	for _, g := range goals {
		text = append(text, core.Span{Text: "\n\n"}, core.Span{Text: g.Title, Style: core.Bold}, core.Span{Text: "\n" + t.goalProgressLine(g)})
		if !g.EndDate.IsZero() {
			text = append(text, core.Span{Text: " · " + t.tr("goal_deadline") + ": " + locale.FullDate(t.lang, g.EndDate, t.today)})
		}
		if n := next[g.ID]; n != "" {
			text = append(text, core.Span{Text: "\n" + n})
		}
	}
	return text
}

func (t *turn) showTeamGoals(ctx context.Context) error {
	goals, err := t.activeGoals(ctx, true)
	if err != nil {
		return err
	}
	var form []core.Button
	if t.in.Provider == core.ProviderSlack { // the "new goal" form, for this channel
		form = append(form, button(t.tr("btn_new_goal"), core.Action{Kind: core.ActionNewGoal}))
	}
	if len(goals) == 0 {
		t.sayTeam(core.Text{{Text: t.tr("team_no_goals")}}, form...)
		return nil
	}
	t.sayTeam(t.goalsText(t.tr("team_goals"), goals, nil), form...)
	return nil
}

// home is the personal dashboard (Slack's App Home): today's tasks with done buttons, active
// goals (own and the team's) with progress bars, and today's Business Load.
func (t *turn) home(ctx context.Context) error {
	score, _, tasks, err := load.Today(ctx, t.tx, t.user)
	if err != nil {
		return err
	}
	goals, err := t.activeGoals(ctx, false)
	if err != nil {
		return err
	}
	text := core.Text{{Text: "⚡ Business Load: "}, {Text: fmt.Sprintf("%d/100", score.Value), Style: core.Bold},
		{Text: " — " + t.tr("zone_"+string(score.Zone))}, {Text: "\n\n" + t.tr("list_day", t.tr("today")), Style: core.Bold}}
	var buttons []core.Button
	for _, task := range plan.Prioritize(tasks, goals, t.today) {
		text = append(text, t.taskLine(task, t.today, 0, false)...)
		if task.Open() && len(buttons) < 10 {
			buttons = append(buttons, button("✅ "+locale.Shorten(task.Title, 32), core.Action{Kind: core.ActionTaskDone, ID: task.ID}))
		}
	}
	if len(tasks) == 0 {
		text = append(text, core.Span{Text: "\n" + t.tr("list_empty")})
	}
	if len(goals) > 0 {
		text = append(text, core.Span{Text: "\n\n" + t.tr("goals_title"), Style: core.Bold})
		for _, g := range goals {
			text = append(text, core.Span{Text: "\n🎯 "}, core.Span{Text: g.Title, Style: core.Bold}, core.Span{Text: "\n" + t.goalProgressLine(g)})
		}
	}
	r := core.Reply{Text: text, Home: true}
	buttons = append(buttons, button(t.tr("btn_new_goal"), core.Action{Kind: core.ActionNewGoal})) // Slack opens its modal
	for _, b := range buttons {
		r.Buttons = append(r.Buttons, []core.Button{b})
	}
	t.replies = append(t.replies, r)
	return nil
}

// activeGoals returns the user's active goals and their team's; teamOnly keeps the team's alone.
func (t *turn) activeGoals(ctx context.Context, teamOnly bool) ([]core.Goal, error) {
	var goals []core.Goal
	if !teamOnly {
		own, err := t.tx.FindGoals(ctx, core.GoalFilter{Status: core.GoalActive})
		if err != nil {
			return nil, err
		}
		goals = own
	}
	if t.team == nil {
		return goals, nil
	}
	team, err := t.tx.FindGoals(ctx, core.GoalFilter{TeamID: t.team, Status: core.GoalActive})
	if err != nil {
		return nil, err
	}
	return appendNewGoals(goals, team), nil
}

func appendNewGoals(goals, more []core.Goal) []core.Goal {
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

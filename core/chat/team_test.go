package chat_test

import (
	"context"
	"strings"
	"testing"

	"github.com/bizconnect/bizconnect/core"
)

// slackSay sends text as a Slack user of workspace in channel ("D…" channels are direct messages).
func (b *testBundle) slackSay(t *testing.T, workspace, user, channel, text string) []core.Reply {
	t.Helper()
	in := core.Inbound{Provider: core.ProviderSlack, Workspace: workspace, ExternalUserID: user, UserName: user, ChatID: channel, Text: text, ChatType: core.ChatGroup}
	if strings.HasPrefix(channel, "D") {
		in.ChatType = core.ChatPrivate
	}
	replies, err := b.a.Handle(context.Background(), in)
	if err != nil {
		t.Fatalf("%s/%s: %q: %v", workspace, user, text, err)
	}
	return replies
}

func TestTeamGoalsInAChannel(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := b.slackSay(t, "T1", "U1", "C1", "цель: 100 клиентов к концу года")
	contains(t, r, "цель команды")
	b.slackSay(t, "T1", "U1", "C1", "1")
	if got := row[string](t, b, `SELECT g.visibility || ' ' || t.slack_team_id FROM goals g JOIN teams t ON t.id = g.team_id`); got != "team T1" {
		t.Fatalf("goal = %s", got)
	}
	if got := row[string](t, b, `SELECT string_agg(m.role::text, ',') FROM team_members m`); got != "owner" {
		t.Fatalf("members = %s", got)
	}
	// another member of the workspace logs progress in the channel
	r = b.slackSay(t, "T1", "U2", "C1", "клиентов +10")
	contains(t, r, "10 клиентов / 100 клиентов", "▓░░░░░░░ 10%")
	if got := row[string](t, b, `SELECT u.name FROM goal_progress p JOIN users u ON u.id = p.user_id`); got != "U2" {
		t.Fatalf("progress logged by %s", got)
	}
	contains(t, b.slackSay(t, "T1", "U2", "C1", "команда"), "Цели команды", "100 клиентов")
	// the owner chooses the report channel; a member can't
	contains(t, b.slackSay(t, "T1", "U2", "C2", "отчёт сюда"), "владелец или админы")
	contains(t, b.slackSay(t, "T1", "U1", "C1", "отчёт сюда"), "в этот канал")
	if got := row[string](t, b, `SELECT report_channel FROM teams`); got != "C1" {
		t.Fatalf("report channel = %s", got)
	}
}

func TestTeamsAreIsolatedBetweenWorkspaces(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.slackSay(t, "TA", "UA", "CA", "goal: 50 deals by end of year")
	b.slackSay(t, "TA", "UA", "CA", "1")
	// a member of workspace B sees no goals of A's team and can't move them
	contains(t, b.slackSay(t, "TB", "UB", "CB", "team"), "no active goals")
	r := b.slackSay(t, "TB", "UB", "CB", "deals +5")
	if strings.Contains(text(r), "50 deals") {
		t.Fatalf("workspace B logged progress on A's goal: %s", text(r))
	}
	if v := row[float64](t, b, `SELECT current_value::float8 FROM goals`); v != 0 {
		t.Fatalf("A's goal moved to %v", v)
	}
	// even a forged direct call is refused by the database
	goalID := row[string](t, b, `SELECT id::text FROM goals`)
	err := newAssistantStore(b).InUser(context.Background(), userID(t, b, "UB"), func(ctx context.Context, tx core.Tx, _ *core.User) error {
		_, err := tx.LogTeamProgress(ctx, mustUUID(t, goalID), core.Date{Year: 2026, Month: 11, Day: 25}, 999)
		return err
	})
	if core.ErrorCode(err) != core.EFORBIDDEN {
		t.Fatalf("LogTeamProgress from another workspace: %v", err)
	}
}

func TestAppHomeDashboard(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.slackSay(t, "T1", "U1", "D1", "сегодня позвонить клиенту")
	in := core.Inbound{Provider: core.ProviderSlack, Workspace: "T1", ExternalUserID: "U1", ChatID: "D1", ChatType: core.ChatPrivate, Payload: "x:home"}
	r, err := b.a.Handle(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if len(r) != 1 || !r[0].Home {
		t.Fatalf("home reply: %+v", r)
	}
	contains(t, r, "Business Load", "позвонить клиенту")
	if len(buttons(r)) != 2 || buttons(r)[1].Payload != "x:newgoal" {
		t.Fatalf("home buttons: %+v", buttons(r))
	}
}

func TestGoalsCommandAndPrivacyInGroups(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := b.say(t, "anna", "цель: выручка 2 млн к концу года")
	b.press(t, "anna", buttonWith(t, r, "g:save").Payload)
	contains(t, b.say(t, "anna", "/goals"), "Цели", "выручка 2 млн", "0 / 2 000 000")
	in := inbound("anna", "/goals@bizconnect_bot")
	in.ChatType, in.ChatID = core.ChatGroup, "-100"
	replies, err := b.a.Handle(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if len(replies) != 2 || replies[0].Team || !replies[1].Team || strings.Contains(replies[1].Text.String(), "выручка") {
		t.Fatalf("goals in a group must go privately, the group hearing only where: %+v", replies)
	}
	out := core.Addressed(in, replies)
	if out[0].ChatID != "anna" || out[1].ChatID != "-100" {
		t.Fatalf("addressed to %s and %s", out[0].ChatID, out[1].ChatID)
	}
}

package chat_test

import (
	"context"
	"strings"
	"testing"

	"github.com/bizconnect/bizconnect/core"
)

// slackSay sends text as a Slack user of workspace in channel ("D…" channels are direct
// messages). U1 is a Slack owner of every workspace; the others are plain members.
func (b *testBundle) slackSay(t *testing.T, workspace, user, channel, text string) []core.Reply {
	t.Helper()
	in := core.Inbound{Provider: core.ProviderSlack, Workspace: workspace, ExternalUserID: user, UserName: user, ChatID: channel, Text: text, ChatType: core.ChatGroup}
	if user == "U1" || user == "UA" {
		in.PlatformRole = "owner"
	}
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
		_, err := tx.AddTeamProgress(ctx, mustUUID(t, goalID), core.Date{Year: 2026, Month: 11, Day: 25}, 999)
		return err
	})
	if core.ErrorCode(err) != core.EFORBIDDEN {
		t.Fatalf("AddTeamProgress from another workspace: %v", err)
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

// slackPress presses a button as a Slack user of workspace in channel.
func (b *testBundle) slackPress(t *testing.T, workspace, user, channel, payload string) []core.Reply {
	t.Helper()
	in := core.Inbound{Provider: core.ProviderSlack, Workspace: workspace, ExternalUserID: user, UserName: user, ChatID: channel,
		ChatType: core.ChatGroup, Payload: payload, MessageRef: "1700.1"}
	replies, err := b.a.Handle(context.Background(), in)
	if err != nil {
		t.Fatalf("%s/%s: press %q: %v", workspace, user, payload, err)
	}
	return replies
}

// teamGoal makes U1 (a Slack owner) create and save a team goal in channel C1 of T1.
func (b *testBundle) teamGoal(t *testing.T, text string) {
	t.Helper()
	b.slackSay(t, "T1", "U1", "C1", text)
	b.slackSay(t, "T1", "U1", "C1", "1")
}

func TestTeamGoalIntegrity(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.teamGoal(t, "цель: 100 клиентов к концу года")
	value := func() float64 { return row[float64](t, b, `SELECT current_value::float8 FROM goals`) }

	// a member can't set the total, and is told how to add instead
	r := b.slackSay(t, "T1", "U2", "C1", "клиентов 100")
	contains(t, r, "владелец и админы", "+100")
	if v := value(); v != 0 || row[string](t, b, `SELECT status::text FROM goals`) != "active" {
		t.Fatalf("a member's total changed the goal: %v", v)
	}
	for _, rep := range r {
		if rep.Team {
			t.Fatal("the refusal went to the channel")
		}
	}
	// their increment works, credited to them, for the whole channel, with a way back
	r = b.slackSay(t, "T1", "U2", "C1", "клиенты +3")
	contains(t, r, "U2 +3 →", "3 клиента / 100 клиентов")
	if len(r) != 2 || !r[0].Team || !r[1].Home {
		t.Fatalf("the team's progress should be public, then the author's App Home redrawn: %+v", r)
	}
	undo := buttonWith(t, r, "p:undo:")
	contains(t, b.slackSay(t, "T1", "U3", "C1", "клиентов -1"), "U3 -1 →", "2 клиента / 100")
	if v := value(); v != 2 {
		t.Fatalf("after +3 and -1: %v", v)
	}
	// another member can't take U2's entry back; U2 can
	if r := b.slackPress(t, "T1", "U3", "C1", undo.Payload); len(r) != 1 || !r[0].Alert || r[0].Team || !strings.Contains(r[0].Notice, "автор") {
		t.Fatalf("a member undoing another's entry: %+v", r)
	}
	contains(t, b.slackPress(t, "T1", "U2", "C1", undo.Payload), "Запись отменена (U2)", "-1 клиент / 100")
	if v := value(); v != -1 {
		t.Fatalf("after the undo: %v", v)
	}
	// a member can't plan the team goal: told at once, no failure
	contains(t, b.slackSay(t, "T1", "U2", "C1", "распланируй цель клиенты"), "планируют владелец и админы")
	// the owner sets the total
	contains(t, b.slackSay(t, "T1", "U1", "C1", "клиентов 40"), "U1 = 40 →", "40 клиентов / 100")
	// the metric is found whatever the language it is named in
	contains(t, b.slackSay(t, "T1", "U2", "C1", "customers +5"), "U2 +5 →", "45 клиентов / 100")
}

func TestProgressPickerAppliesTheValue(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.teamGoal(t, "цель: 100 клиентов к концу года")
	b.teamGoal(t, "цель: MRR 600 тысяч к концу года")
	b.slackSay(t, "T1", "U2", "C1", "привет") // U2 speaks Russian
	r := b.slackSay(t, "T1", "U2", "C1", "+3")
	contains(t, r, "К какой цели")
	var mrr core.Button
	for _, btn := range buttons(r) {
		if strings.Contains(btn.Label, "MRR") {
			mrr = btn
		}
	}
	contains(t, b.slackPress(t, "T1", "U2", "C1", mrr.Payload), "U2 +3 →", "MRR")
	if v := row[float64](t, b, `SELECT current_value::float8 FROM goals WHERE title LIKE 'MRR%'`); v != 3 {
		t.Fatalf("MRR after the picker: %v", v)
	}
	contains(t, b.slackSay(t, "T1", "U2", "C1", "MRR +45000"), "45,003")
	// a figure for a metric no goal tracks is not guessed onto the only one left
	b2 := setup(t)
	b2.teamGoal(t, "цель: 100 клиентов к концу года")
	r = b2.slackSay(t, "T1", "U2", "C1", "выручка +50000")
	contains(t, r, "К какой цели")
	if bs := buttons(r); len(bs) != 1 || bs[0].Label != "100 клиентов" {
		t.Fatalf("the picker offers %+v, want the one goal", bs)
	}
	if v := row[float64](t, b2, `SELECT current_value::float8 FROM goals`); v != 0 {
		t.Fatalf("revenue landed on the clients goal: %v", v)
	}
}

// TestGoalFormIsSavedAsFilledIn: a form's goal is saved at once, each field as typed; from App
// Home (a DM) it is the user's own, answered in the title's language; a past deadline is dropped.
func TestGoalFormIsSavedAsFilledIn(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ten := 10.0
	in := core.Inbound{Provider: core.ProviderSlack, Workspace: "T1", ExternalUserID: "U5", UserName: "U5", ChatID: "U5", ChatType: core.ChatPrivate,
		Goal: &core.GoalForm{Title: "Провести 12 демо", Target: &ten, Unit: "демо", Due: core.Date{Year: 2020, Month: 1, Day: 1}}}
	r, err := b.a.Handle(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	contains(t, r, "Цель сохранена", "Провести 12 демо")
	got := row[string](t, b, `SELECT title || '|' || target_value::float8 || '|' || unit || '|' || coalesce(end_date::text, '-') || '|' || (team_id IS NULL) FROM goals`)
	if got != "Провести 12 демо|10|демо|-|true" {
		t.Fatalf("stored %s, want the fields as filled in (not 12 read from the title)", got)
	}
	// the longest unit the form lets through is stored, in any script
	in.Goal = &core.GoalForm{Title: "Объехать города", Unit: strings.Repeat("ё", core.MaxGoalUnit)}
	if _, err := b.a.Handle(context.Background(), in); err != nil {
		t.Fatalf("the longest unit: %v", err)
	}
	in.Goal = &core.GoalForm{Title: "  "}
	if r, _ = b.a.Handle(context.Background(), in); !strings.Contains(text(r), "Какая цель") {
		t.Errorf("an empty title: %s", text(r))
	}
	if n := row[int](t, b, `SELECT count(*) FROM goals`); n != 2 {
		t.Fatalf("goals = %d, want 2: an empty title saves nothing", n)
	}
}

// TestTelegramGroupMemberWithoutAPrivateChat: someone who met the bot only in a group is told
// how to open the private chat; when their message already did something they are told it is
// done (asking again would do it twice); the buttons they never saw aren't pressed by a number.
func TestTelegramGroupMemberWithoutAPrivateChat(t *testing.T) {
	t.Parallel()
	b := setup(t)
	in := core.Inbound{Provider: core.ProviderTelegram, ExternalUserID: "3003", UserName: "Vera", ChatID: "-100", ChatType: core.ChatGroup,
		Text: "сегодня купить бумагу для принтера"}
	r, err := b.a.Handle(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if len(r) != 1 || !r[0].Team || !strings.Contains(text(r), "Готово") || strings.Contains(text(r), "бумагу") {
		t.Fatalf("a task made in a group by someone without a private chat: %+v", r)
	}
	if n := row[int](t, b, `SELECT count(*) FROM tasks`); n != 1 {
		t.Fatalf("tasks = %d", n)
	}
	in.Text = "что на сегодня"
	if r, _ = b.a.Handle(context.Background(), in); !strings.Contains(text(r), "спросите там ещё раз") {
		t.Errorf("a question: %s", text(r))
	}
	// the ✅ of a list Vera never saw; the answer doesn't matter
	in.Text = "1"
	b.a.Handle(context.Background(), in) //nolint:errcheck
	if n := row[int](t, b, `SELECT count(*) FROM tasks WHERE status = 'done'`); n != 0 {
		t.Fatal("a number typed in the group pressed a button of an answer that was never shown there")
	}
}

// TestTelegramGroupQuestionsAreAnsweredPrivately: what the assistant asks or offers someone in a
// Telegram group goes to their private chat, so that is where they answer it: the goal draft's
// Save pressed there saves it, "отмени" typed there takes back the task made in the group, and a
// "да" there confirms a delete asked about from the group.
func TestTelegramGroupQuestionsAreAnsweredPrivately(t *testing.T) {
	t.Parallel()
	b := setup(t)
	private := core.Inbound{Provider: core.ProviderTelegram, ExternalUserID: "4004", UserName: "Anna", ChatID: "4004", ChatType: core.ChatPrivate,
		Text: "привет"}
	group := private
	group.ChatID, group.ChatType = "-100", core.ChatGroup
	say := func(in core.Inbound, text, payload string) []core.Reply {
		t.Helper()
		in.Text, in.Payload = text, payload
		if payload != "" {
			in.CallbackID = "cb-" + payload
		}
		r, err := b.a.Handle(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	say(private, "привет", "")
	if r := say(group, "цель: 100 клиентов к концу года", ""); !strings.Contains(text(r), "100 клиентов") {
		t.Fatalf("the draft: %s", text(r))
	}
	say(private, "", "g:save")
	if n := row[int](t, b, `SELECT count(*) FROM goals`); n != 1 {
		t.Fatalf("goals = %d after Save was pressed in the private chat the draft went to", n)
	}
	say(group, "сегодня купить бумагу для принтера", "")
	if r := say(private, "отмени", ""); row[int](t, b, `SELECT count(*) FROM tasks WHERE deleted_at IS NULL`) != 0 {
		t.Fatalf("the task made in the group is still there after 'отмени' in private: %s", text(r))
	}
	say(group, "сегодня позвонить в банк", "")
	if r := say(group, "удали задачу позвонить в банк", ""); !strings.Contains(text(r), "Удалить") {
		t.Fatalf("the delete's question: %s", text(r))
	}
	say(private, "да", "")
	if n := row[int](t, b, `SELECT count(*) FROM tasks WHERE deleted_at IS NULL`); n != 0 {
		t.Fatalf("tasks = %d after 'да' in private to the delete asked about from the group", n)
	}
}

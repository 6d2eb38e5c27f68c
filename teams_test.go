package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/bots/slack/slackfake"
	"github.com/bizconnect/bizconnect/bots/telegram/telegramtest"
)

// mention is an app_mention in channel, in thread ts when not "".
func mention(user, channel, text, thread string) map[string]any {
	ev := map[string]any{"type": "app_mention", "channel": channel, "user": user, "text": "<@UBOT> " + text, "ts": fmt.Sprint(time.Now().UnixNano())}
	if thread != "" {
		ev["thread_ts"] = thread
	}
	return ev
}

// noPersonalInPublic fails t when anything the channel sees carries one of the words.
func noPersonalInPublic(t *testing.T, b *slBundle, words ...string) {
	t.Helper()
	for _, a := range b.answers() {
		if !a.public {
			continue
		}
		for _, w := range words {
			if strings.Contains(a.text, w) {
				t.Errorf("the channel sees %q: %.300s", w, a.text)
			}
		}
	}
}

// TestSlackChannelSeesNothingPersonal walks every path by which one person's data reached a
// channel: a personal command, a mention, buttons pressed on public and ephemeral messages, a
// typed button in a thread, refusals and help. Each answer goes to its person alone.
func TestSlackChannelSeesNothingPersonal(t *testing.T) {
	t.Parallel()
	b := setupSlack(t)
	b.install(t, "T1", "U1", "code-1")
	b.fake.Seed("C1", "1700000000.900001") // a public bot message with buttons, from before

	b.command(t, "T1", "U2", "C1", "сегодня позвонить в налоговую по поводу штрафа 40000 ₽")
	b.waitAnswers(t, 1)
	var taskID string
	if err := b.db.Super.QueryRow(t.Context(), `SELECT id::text FROM tasks WHERE title LIKE '%налоговую%'`).Scan(&taskID); err != nil {
		t.Fatal(err)
	}
	// ✅ on the ephemeral list: changed through its response_url, never chat.update
	b.pressOn(t, "T1", "U2", "C1", "t:done:"+taskID+":D"+strings.ReplaceAll(time.Now().In(berlin(t)).Format(time.DateOnly), "-", ""), "1700000000.000007", true)
	eventually(t, "the task was not completed", func() bool {
		return b.count(t, `SELECT count(*) FROM tasks WHERE status = 'done' AND title LIKE '%налоговую%'`) == 1
	})
	eventually(t, "the ephemeral list was not replaced", func() bool {
		for _, r := range b.fake.Responses() {
			if r.ReplaceOriginal && !r.InChannel() {
				return true
			}
		}
		return false
	})
	if n := len(b.fake.Calls("chat.update")); n != 0 {
		t.Errorf("%d chat.update calls: ephemeral messages can't be updated", n)
	}
	b.event(t, "T1", "Ev1", mention("U2", "C1", "remind me to see the doctor at 17:00", ""))
	b.pressOn(t, "T1", "U2", "C1", "l:week", "1700000000.900001", false)
	b.pressOn(t, "T1", "U2", "C1", "l:today", "1700000000.900001", false)
	b.event(t, "T1", "Ev2", mention("U2", "C1", "2", "1700000000.900001")) // "2" presses the second button offered last
	b.command(t, "T1", "U2", "C1", "отчёт сюда")                           // only owners and admins
	b.pressOn(t, "T1", "U2", "C1", "z:gone", "1700000000.900001", false)   // a button that is no longer ours
	b.command(t, "T1", "U2", "C1", "help")
	b.waitAnswers(t, 9)
	// every path was answered, to its person alone (in whichever language the turn spoke)
	for _, either := range [][]string{{"doctor"}, {"Week:", "Неделя:"}, {"Plan for", "План на"}, {"report channel", "Канал для отчёта"},
		{"no longer active", "неактуальна"}, {"Here's what I can do", "Вот что я умею"}} {
		eventually(t, fmt.Sprintf("no private answer with %q", either), func() bool {
			return slices.ContainsFunc(b.answers(), func(a answer) bool {
				return !a.public && slices.ContainsFunc(either, func(w string) bool { return strings.Contains(a.text, w) })
			})
		})
	}

	time.Sleep(300 * time.Millisecond)
	noPersonalInPublic(t, b, "налоговую", "doctor", "Неделя", "Week", "План на", "Plan for", "владелец", "owner", "неактуальна",
		"no longer active", "Вот что я умею", "Here's what I can do", "📬")
	for _, a := range b.answers() {
		if !a.public && a.user != "" && a.user != "U2" {
			t.Errorf("an ephemeral answer went to %s: %.200s", a.user, a.text)
		}
	}
	if len(b.fake.Refused()) != 0 {
		t.Errorf("Slack refused %d calls: %+v", len(b.fake.Refused()), b.fake.Refused())
	}
}

func berlin(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin") // the fake's users.info zone
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestSlackCommandWhereTheBotIsNotAMember: the bot isn't in #random; a command there is still
// answered, through its response_url.
func TestSlackCommandWhereTheBotIsNotAMember(t *testing.T) {
	t.Parallel()
	b := setupSlack(t)
	b.install(t, "T1", "U1", "code-1")
	b.fake.NotIn("C9")
	b.command(t, "T1", "U1", "C9", "что на сегодня")
	got := b.waitAnswers(t, 1)
	if len(got) != 1 || got[0].public || !strings.Contains(got[0].text, "План на сегодня") {
		t.Fatalf("answers %+v", got)
	}
	b.event(t, "T1", "EvDM", dm("U1", "что на завтра"))
	eventually(t, "the DM was not answered after a channel refused the bot", func() bool { return len(b.fake.Calls("chat.postMessage")) == 1 })
	if n := b.count(t, `SELECT count(*) FROM users WHERE unreachable_at IS NOT NULL`); n != 0 {
		t.Fatal("a channel closed to the bot made its user unreachable")
	}
	raw, _ := json.Marshal(b.fake.Refused())
	if strings.Contains(string(raw), "not_in_channel") {
		t.Errorf("the bot posted to a channel it is not in: %s", raw)
	}
}

func (b *slBundle) role(t *testing.T, user string) string {
	t.Helper()
	var role string
	err := b.db.Super.QueryRow(t.Context(), `SELECT coalesce((SELECT m.role::text FROM team_members m JOIN identities i ON i.user_id = m.user_id
		WHERE i.external_id = $1), '')`, user).Scan(&role)
	if err != nil {
		t.Fatal(err)
	}
	return role
}

// TestSlackOwnershipFollowsTheInstallAndCanBeHandedOver: the installer owns the team, whoever
// writes first does not (not even by opening App Home); the owner names admins and hands over.
func TestSlackOwnershipFollowsTheInstallAndCanBeHandedOver(t *testing.T) {
	t.Parallel()
	b := setupSlack(t)
	b.event(t, "T1", "EvHome", map[string]any{"type": "app_home_opened", "user": "U9", "channel": "DU9", "tab": "home"})
	b.install(t, "T1", "U1", "code-1")
	b.event(t, "T1", "Ev1", dm("U2", "привет"))
	b.event(t, "T1", "Ev2", dm("U3", "привет"))
	eventually(t, "members not joined", func() bool { return b.role(t, "U2") != "" && b.role(t, "U3") != "" && b.role(t, "U9") != "" })
	if r := [4]string{b.role(t, "U1"), b.role(t, "U9"), b.role(t, "U2"), b.role(t, "U3")}; r != [4]string{"owner", "member", "member", "member"} {
		t.Fatalf("roles after the install: %v", r)
	}
	b.command(t, "T1", "U2", "C1", "admin <@U3|u3>") // a member can't
	b.command(t, "T1", "U1", "C1", "admin <@U3|u3>")
	b.command(t, "T1", "U1", "C1", "передай владение <@U2|u2>")
	eventually(t, "ownership not handed over", func() bool { return b.role(t, "U2") == "owner" })
	if r := [3]string{b.role(t, "U1"), b.role(t, "U2"), b.role(t, "U3")}; r != [3]string{"admin", "owner", "admin"} {
		t.Fatalf("roles after the hand-over: %v", r)
	}
	eventually(t, "the member's attempt not refused privately, or the hand-over not announced", func() bool {
		var refused, done bool
		for _, a := range b.answers() {
			refused = refused || (!a.public && strings.Contains(a.text, "Only the team's owner"))
			done = done || (a.public && strings.Contains(a.text, "Команду теперь ведёт <@U2>, передача от <@U1>"))
		}
		return refused && done
	})
}

// TestSlackSingleWorkspaceRefusesOtherWorkspaces: with one bot token the app belongs to the
// token's workspace (auth.test); a request from another creates nothing there. The workspace's
// own Slack owner owns its team, not whoever writes first.
func TestSlackSingleWorkspaceRefusesOtherWorkspaces(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	fake.SetRole("U1", "owner")
	db, url := startApp(t, map[string]string{"SLACK_SIGNING_SECRET": slackSecret, "SLACK_BOT_TOKEN": "xoxb-single",
		"SLACK_API_URL": fake.URL(), "BC_DEFAULT_TZ": "Europe/Moscow"})
	b := &slBundle{db: db, fake: fake, url: url}
	eventually(t, "auth.test not called", func() bool { return len(fake.Calls("auth.test")) > 0 })
	eventually(t, "events refused after setup", func() bool { return b.event(t, "T1", "Ev0", dm("U5", "привет")) == 200 })
	if status := b.event(t, "T2", "EvX", dm("U7", "цель: захватить T1")); status != 200 {
		t.Fatalf("another workspace's event: %d", status)
	}
	if status := b.command(t, "T2", "U7", "C1", "отчёт сюда"); status != 200 {
		t.Fatalf("another workspace's command: %d", status)
	}
	b.event(t, "T1", "Ev1", dm("U1", "привет"))
	// the first writer's update is handled asynchronously too: wait for both, then check who is what
	eventually(t, "T1's members not joined", func() bool { return b.role(t, "U1") != "" && b.role(t, "U5") != "" })
	// refused at the door: nothing of T2's was even accepted for later
	if n := b.count(t, `SELECT count(*) FROM inbound_updates WHERE key LIKE 'slack:T2:%'`); n != 0 {
		t.Fatalf("%d updates of another workspace accepted", n)
	}
	if n := b.count(t, `SELECT count(*) FROM teams WHERE slack_team_id <> 'T1'`); n != 0 {
		t.Fatalf("%d teams of another workspace", n)
	}
	if n := b.count(t, `SELECT count(*) FROM identities WHERE workspace = 'T2'`); n != 0 {
		t.Fatalf("%d users of another workspace", n)
	}
	if r := [2]string{b.role(t, "U5"), b.role(t, "U1")}; r != [2]string{"member", "owner"} {
		t.Fatalf("roles: first writer %s, Slack owner %s", r[0], r[1])
	}
}

// TestSlackNewGoalFormSavesTheGoalInItsChannel: "/bc новая цель" in #growth, where the bot is no
// member, opens the form; the submitted form is saved at once, field by field (the 12 of the
// title is not read as the target), as the team's goal, announced in #growth and confirmed to its
// author alone, both through the command's response_url.
func TestSlackNewGoalFormSavesTheGoalInItsChannel(t *testing.T) {
	t.Parallel()
	b := setupSlack(t)
	b.install(t, "T1", "U1", "code-1")
	b.fake.NotIn("C1")
	b.command(t, "T1", "U1", "C1", "новая цель")
	opened := b.fake.Calls("views.open")
	if len(opened) != 1 {
		t.Fatalf("%d views.open", len(opened))
	}
	view, _ := opened[0].JSON["view"].(map[string]any)
	due := time.Now().AddDate(0, 2, 0).Format(time.DateOnly)
	submission, _ := json.Marshal(map[string]any{"type": "view_submission", "team": map[string]any{"id": "T1"}, "user": map[string]any{"id": "U1", "name": "anna"},
		"view": map[string]any{"id": "V1", "hash": "h1", "callback_id": view["callback_id"], "private_metadata": view["private_metadata"],
			"state": map[string]any{"values": map[string]any{
				"title":    map[string]any{"title": map[string]any{"type": "plain_text_input", "value": "Провести 12 демо"}},
				"target":   map[string]any{"target": map[string]any{"type": "number_input", "value": "10"}},
				"unit":     map[string]any{"unit": map[string]any{"type": "plain_text_input", "value": "демо"}},
				"deadline": map[string]any{"deadline": map[string]any{"type": "datepicker", "selected_date": due}}}}}})
	form := url.Values{"payload": {string(submission)}}.Encode()
	for range 2 { // Slack retries a submission it thinks went unanswered: one goal still
		if status, body := b.do(t, "/slack/interactivity", "application/x-www-form-urlencoded", form, time.Time{}, slackSecret); status != 200 || body != "" {
			t.Fatalf("submission answered %d %q, want an empty 200 that closes the form", status, body)
		}
	}
	eventually(t, "the team's new goal was not announced in the channel, or its author not told privately", func() bool {
		var announced, told bool
		for _, r := range b.fake.Responses() {
			text := readable(string(r.Blocks))
			announced = announced || (r.InChannel() && strings.Contains(text, "Провести 12 демо") && strings.Contains(text, "0 демо / 10 демо"))
			told = told || (!r.InChannel() && strings.Contains(text, "Цель сохранена"))
		}
		return announced && told
	})
	var title, unit, end string
	var target float64
	var team bool
	if err := b.db.Super.QueryRow(t.Context(), `SELECT title, target_value::float8, unit, end_date::text, team_id IS NOT NULL FROM goals`).Scan(&title, &target, &unit, &end, &team); err != nil {
		t.Fatal(err)
	}
	if title != "Провести 12 демо" || target != 10 || unit != "демо" || end != due || !team {
		t.Fatalf("saved %q %v %q %s team=%v", title, target, unit, end, team)
	}
	if n := b.count(t, `SELECT count(*) FROM goals`); n != 1 {
		t.Fatalf("%d goals from one submission sent twice", n)
	}
	if posts := len(b.fake.Calls("chat.postMessage")) + len(b.fake.Calls("chat.postEphemeral")); posts != 0 {
		t.Errorf("%d Web API posts to a channel the bot is not in", posts)
	}
}

// TestTelegramGroupOfTwoAnswersEachPressPrivately: in a group of Anna and Boris, whoever presses
// a button of someone else's message is answered alone — in their private chat, or with an alert
// when there is none yet (Telegram can't start one) — and the group never sees a day, a week, a
// refusal or a goal draft.
func TestTelegramGroupOfTwoAnswersEachPressPrivately(t *testing.T) {
	t.Parallel()
	b := setupTelegram(t)
	const group = -100777
	boris := telegramtest.User{ID: 1002, FirstName: "Boris", LanguageCode: "ru"}
	b.fake.Stranger(boris.ID) // he only knows the bot from the group
	b.send(t, telegramtest.Message{UpdateID: 1, From: anna, Text: "сегодня подписать договор с банком"})
	b.fake.WaitCalls(t, "sendMessage", 1, 10*time.Second)
	b.send(t, telegramtest.Message{UpdateID: 2, From: anna, ChatID: group, Text: "/today@" + b.fake.Bot().Username})
	b.fake.WaitCalls(t, "sendMessage", 3, 10*time.Second) // Anna's day to her, the notice to the group

	press := func(id int64, data string) telegramtest.Call {
		t.Helper()
		n := len(b.fake.CallsTo("answerCallbackQuery"))
		b.post(t, telegramtest.Callback{UpdateID: id, ID: fmt.Sprint("cbq-", id), From: boris, ChatID: group, MessageID: 2, Data: data}.Update(), tgSecret)
		return b.fake.WaitCalls(t, "answerCallbackQuery", n+1, 10*time.Second)[n]
	}
	// Boris, with no private chat yet: an alert tells him how to open one, nobody is written to
	if c := press(3, "l:today"); c.Params["show_alert"] != "true" || !strings.Contains(c.Params["text"], "Запустить") {
		t.Errorf("a press by someone the bot can't write to: %v", c.Params)
	}
	// he presses Start in the bot's chat; now his own week goes there
	b.fake.Unblock(fmt.Sprint(boris.ID))
	b.send(t, telegramtest.Message{UpdateID: 4, From: boris, Text: "/start"})
	eventually(t, "Boris's /start not answered", func() bool { return len(chatMessages(b, fmt.Sprint(boris.ID))) > 0 })
	before := len(chatMessages(b, fmt.Sprint(boris.ID)))
	if c := press(5, "l:week"); c.Params["show_alert"] == "true" || !strings.Contains(c.Params["text"], "в личку") {
		t.Errorf("a press answered in the private chat: %v", c.Params)
	}
	eventually(t, "Boris's week not sent to him", func() bool {
		msgs := chatMessages(b, fmt.Sprint(boris.ID))
		return len(msgs) > before && strings.Contains(msgs[len(msgs)-1], "Неделя")
	})
	// Anna's goal draft goes to her; Boris pressing Save or Cancel in the group changes nothing
	b.send(t, telegramtest.Message{UpdateID: 6, From: anna, ChatID: group, Text: "/goal@" + b.fake.Bot().Username + " 100 клиентов к концу года"})
	eventually(t, "Anna's draft not sent to her", func() bool {
		for _, m := range chatMessages(b, fmt.Sprint(anna.ID)) {
			if strings.Contains(m, "100 клиентов") {
				return true
			}
		}
		return false
	})
	for i, data := range []string{"g:save", "g:cancel", "g:edit"} {
		if c := press(int64(7+i), data); c.Params["show_alert"] != "true" || !strings.Contains(c.Params["text"], "неактуальна") {
			t.Errorf("%s by Boris: %v", data, c.Params)
		}
	}
	if n := b.count(t, `SELECT count(*) FROM goals`); n != 0 {
		t.Fatalf("%d goals saved by presses of someone else", n)
	}
	time.Sleep(300 * time.Millisecond)
	for _, m := range chatMessages(b, fmt.Sprint(group)) {
		for _, personal := range []string{"договор", "План на", "Неделя", "100 клиентов", "не сохраняю", "неактуальна", "Сначала откройте"} {
			if strings.Contains(m, personal) {
				t.Errorf("the group sees %q: %q", personal, m)
			}
		}
	}
}

// chatMessages are the texts sent or edited into chat, in order.
func chatMessages(b *tgBundle, chat string) []string {
	var out []string
	for _, c := range b.fake.Calls() {
		if (c.Method == "sendMessage" || c.Method == "editMessageText") && c.ChatID() == chat {
			out = append(out, c.Text())
		}
	}
	return out
}

// TestSlackTeamGoalIntegrity: in #growth a member adds to the team's goal, credited to them, and
// takes one back with "-1", while setting its total (which would complete it) and planning it are
// refused to them alone, at once; a figure for two goals asks which, and the answer applies it.
func TestSlackTeamGoalIntegrity(t *testing.T) {
	t.Parallel()
	b := setupSlack(t)
	b.install(t, "T1", "U1", "code-1")
	for i, goal := range []string{"цель: 100 клиентов к концу года", "цель: MRR 600 тысяч к концу года"} {
		b.command(t, "T1", "U1", "C1", goal)
		b.waitAnswers(t, 2*i+1)
		b.pressOn(t, "T1", "U1", "C1", "g:save", fmt.Sprint("1700000000.00000", i), true)
		eventually(t, "the team goal not saved", func() bool { return b.count(t, `SELECT count(*) FROM goals WHERE team_id IS NOT NULL`) == i+1 })
		b.waitAnswers(t, 2*i+2)
	}
	value := func(title string) float64 {
		var v float64
		if err := b.db.Super.QueryRow(t.Context(), `SELECT current_value::float8 FROM goals WHERE title LIKE $1 || '%' AND status = 'active'`, title).Scan(&v); err != nil {
			t.Fatalf("%s: %v", title, err)
		}
		return v
	}
	said := func(public bool, words ...string) func() bool {
		return func() bool {
			for _, a := range b.answers() {
				if a.public == public && !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(a.text, w) }) {
					return true
				}
			}
			return false
		}
	}
	b.command(t, "T1", "U2", "C1", "клиентов 100") // a total, which would complete the goal
	eventually(t, "a member's total not refused to them alone", said(false, "Итог цели команды задают владелец и админы"))
	b.command(t, "T1", "U2", "C1", "распланируй цель клиентов")
	eventually(t, "a member's plan not refused to them alone", said(false, "Цели команды планируют владелец и админы"))
	b.command(t, "T1", "U2", "C1", "клиентов +3")
	eventually(t, "a member's increment not credited in public", said(true, "U2 +3 →", "3 клиента / 100 клиентов"))
	b.command(t, "T1", "U2", "C1", "клиентов -1")
	eventually(t, "'-1' did not take one back", said(true, "U2 -1 →", "2 клиента / 100 клиентов"))
	if v := value("100 клиентов"); v != 2 {
		t.Fatalf("clients after a refused total, +3 and -1: %v", v)
	}
	// "+5" fits both goals: which one? The answer applies it
	b.command(t, "T1", "U2", "C1", "+5")
	eventually(t, "no picker", said(false, "К какой цели"))
	var mrr string
	for _, a := range b.answers() {
		if i := strings.Index(a.text, "p:goal:"); i >= 0 && !a.public && strings.Contains(a.text, "MRR") {
			mrr = a.text[i : i+len("p:goal:")+36]
		}
	}
	if mrr == "" {
		t.Fatal("the picker offers no MRR button")
	}
	b.pressOn(t, "T1", "U2", "C1", mrr, "1700000000.000009", true)
	eventually(t, "the picked goal did not get the figure", func() bool { return value("MRR") == 5 })
	if v := value("100 клиентов"); v != 2 {
		t.Fatalf("the picker's figure also landed on clients: %v", v)
	}
	var active int
	if active = b.count(t, `SELECT count(*) FROM goals WHERE status = 'active'`); active != 2 {
		t.Fatalf("%d active team goals, want 2: a member completed one", active)
	}
}

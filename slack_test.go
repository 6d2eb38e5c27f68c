package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/bots/slack/slackfake"
	"github.com/bizconnect/bizconnect/core/coretest"
)

const slackSecret = "slack-signing-secret"

// slBundle is the product as `serve` runs it with multi-workspace Slack pointed at a fake API.
type slBundle struct {
	db   *coretest.TestDB
	fake *slackfake.Server
	url  string
}

func setupSlack(t *testing.T) *slBundle {
	t.Helper()
	fake := slackfake.New(t)
	db, url := startApp(t, map[string]string{
		"SLACK_SIGNING_SECRET": slackSecret, "SLACK_CLIENT_ID": "cid", "SLACK_CLIENT_SECRET": "csecret",
		"SLACK_API_URL": fake.URL(), "PUBLIC_URL": "https://bc.example", "BC_DEFAULT_TZ": "Europe/Moscow",
		"BC_ENCRYPTION_KEY": strings.Repeat("ab", 32),
	})
	b := &slBundle{db: db, fake: fake, url: url}
	t.Cleanup(func() { b.noRefusals(t) })
	return b
}

// noRefusals fails t if the product sent the fake anything Slack would refuse, other than what a
// test provoked on purpose: a channel it made closed to the bot.
func (b *slBundle) noRefusals(t *testing.T) {
	for _, c := range b.fake.Refused() {
		if b.fake.Closed(c.Form.Get("channel")) {
			continue
		}
		t.Errorf("Slack would refuse %s: %v", c.Method, c.Form)
	}
}

// do sends a signed request (signed at `at`; the zero time means now) and returns the response.
func (b *slBundle) do(t *testing.T, path, contentType, body string, at time.Time, secret string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.url+path, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if at.IsZero() {
		at = time.Now()
	}
	slackfake.Sign(req.Header, secret, []byte(body), at)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

func (b *slBundle) event(t *testing.T, team, eventID string, event map[string]any) int {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": team, "event_id": eventID, "event": event,
		"authorizations": []map[string]any{{"user_id": "UBOT", "team_id": team}}})
	status, _ := b.do(t, "/slack/events", "application/json", string(body), time.Time{}, slackSecret)
	return status
}

func dm(user, text string) map[string]any {
	return map[string]any{"type": "message", "channel_type": "im", "channel": "D" + user, "user": user, "text": text, "ts": fmt.Sprint(time.Now().UnixNano())}
}

func (b *slBundle) command(t *testing.T, team, user, channel, text string) int {
	t.Helper()
	form := url.Values{"team_id": {team}, "user_id": {user}, "user_name": {user}, "channel_id": {channel}, "channel_name": {"general"},
		"command": {"/bc"}, "text": {text}, "trigger_id": {fmt.Sprint(time.Now().UnixNano())}, "response_url": {b.fake.ResponseURL()}}
	status, _ := b.do(t, "/slack/commands", "application/x-www-form-urlencoded", form.Encode(), time.Time{}, slackSecret)
	return status
}

func (b *slBundle) press(t *testing.T, team, user, channel, value string) int {
	t.Helper()
	return b.pressOn(t, team, user, channel, value, "111.222", false)
}

// pressOn presses a button on message ts, an ephemeral one when ephemeral, as Slack sends it.
func (b *slBundle) pressOn(t *testing.T, team, user, channel, value, ts string, ephemeral bool) int {
	t.Helper()
	payload, _ := json.Marshal(map[string]any{"type": "block_actions", "team": map[string]any{"id": team}, "user": map[string]any{"id": user},
		"channel": map[string]any{"id": channel}, "container": map[string]any{"type": "message", "message_ts": ts, "channel_id": channel, "is_ephemeral": ephemeral},
		"message": map[string]any{"ts": ts}, "trigger_id": "trig", "response_url": b.fake.ResponseURL(),
		"actions": []map[string]any{{"action_id": "b0", "block_id": "a0", "value": value, "type": "button", "action_ts": fmt.Sprint(time.Now().UnixNano())}}})
	status, _ := b.do(t, "/slack/interactivity", "application/x-www-form-urlencoded", url.Values{"payload": {string(payload)}}.Encode(), time.Time{}, slackSecret)
	return status
}

// install runs the OAuth flow for team and returns the callback's status.
func (b *slBundle) install(t *testing.T, team, installer, code string) {
	t.Helper()
	b.fake.SetGrant(slackfake.Grant{Code: code, TeamID: team, TeamName: "Team " + team, BotToken: "xoxb-" + team, BotUserID: "UBOT", UserID: installer})
	state, cookie := b.startInstall(t)
	if status := b.callback(t, code, state, cookie); status != http.StatusOK {
		t.Fatalf("install %s: callback status %d", team, status)
	}
}

func (b *slBundle) startInstall(t *testing.T) (state string, cookie *http.Cookie) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(b.url + "/slack/install")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || loc.Query().Get("state") == "" || len(resp.Cookies()) == 0 {
		t.Fatalf("install: %d %s", resp.StatusCode, loc)
	}
	return loc.Query().Get("state"), resp.Cookies()[0]
}

func (b *slBundle) callback(t *testing.T, code, state string, cookie *http.Cookie) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.url+"/slack/oauth/callback?code="+code+"&state="+url.QueryEscape(state), nil)
	if cookie != nil {
		req.AddCookie(cookie)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// answers are what users saw: Web API posts and response_url posts, as texts with their
// audience.
type answer struct {
	text   string
	public bool // the whole channel sees it
	user   string
}

func (b *slBundle) answers() []answer {
	var out []answer
	for _, c := range b.fake.Calls("") {
		switch c.Method {
		case "chat.postMessage", "chat.update":
			out = append(out, answer{text: blocksText(c), public: !strings.HasPrefix(c.Form.Get("channel"), "D")})
		case "chat.postEphemeral":
			out = append(out, answer{text: blocksText(c), user: c.Form.Get("user")})
		}
	}
	for _, r := range b.fake.Responses() {
		out = append(out, answer{text: readable(string(r.Blocks)) + r.Text, public: r.InChannel()})
	}
	return out
}

// waitAnswers waits for n answers of any kind.
func (b *slBundle) waitAnswers(t *testing.T, n int) []answer {
	t.Helper()
	eventually(t, fmt.Sprintf("fewer than %d answers", n), func() bool { return len(b.answers()) >= n })
	return b.answers()
}

func (b *slBundle) waitPosts(t *testing.T, n int) []slackfake.Call {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		calls := append(b.fake.Calls("chat.postMessage"), b.fake.Calls("chat.postEphemeral")...)
		if len(calls) >= n {
			return calls
		}
		if time.Now().After(deadline) {
			t.Fatalf("got %d Slack posts, want %d", len(calls), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (b *slBundle) count(t *testing.T, sql string) int {
	t.Helper()
	var n int
	if err := b.db.Super.QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func blocksText(c slackfake.Call) string { return readable(c.Form.Get("blocks")) + c.Form.Get("text") }

// readable is what blocks show, as Slack renders their mrkdwn source: section texts and button
// labels and values, decoded from their JSON (which escapes "<" and ">").
func readable(blocks string) string {
	var bs []struct {
		Text *struct {
			Text string `json:"text"`
		} `json:"text"`
		Elements []struct {
			Text  json.RawMessage `json:"text"` // a button's text object, or a context element's string
			Value string          `json:"value"`
		} `json:"elements"`
	}
	if err := json.Unmarshal([]byte(blocks), &bs); err != nil {
		if blocks != "" {
			panic(fmt.Sprintf("readable: blocks the test can't read: %v: %s", err, blocks))
		}
		return ""
	}
	var b strings.Builder
	for _, bl := range bs {
		if bl.Text != nil {
			b.WriteString(bl.Text.Text + "\n")
		}
		for _, e := range bl.Elements {
			var obj struct {
				Text string `json:"text"`
			}
			var str string
			if json.Unmarshal(e.Text, &obj) == nil {
				b.WriteString(obj.Text + " ")
			} else if json.Unmarshal(e.Text, &str) == nil {
				b.WriteString(str + " ")
			}
			b.WriteString(e.Value + "\n")
		}
	}
	return b.String()
}

func TestSlackURLVerificationAndSignatures(t *testing.T) {
	t.Parallel()
	b := setupSlack(t)
	status, body := b.do(t, "/slack/events", "application/json", `{"type":"url_verification","challenge":"c-123"}`, time.Time{}, slackSecret)
	if status != 200 || !strings.Contains(body, "c-123") {
		t.Fatalf("url_verification: %d %s", status, body)
	}
	ev, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": "T1", "event_id": "Ev1", "event": dm("U1", "купить молоко")})
	for _, c := range []struct {
		name   string
		at     time.Time
		secret string
	}{{"bad signature", time.Now(), "forged"}, {"stale timestamp", time.Now().Add(-6 * time.Minute), slackSecret}} {
		if status, _ := b.do(t, "/slack/events", "application/json", string(ev), c.at, c.secret); status != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", c.name, status)
		}
	}
	time.Sleep(200 * time.Millisecond)
	if n := b.count(t, `SELECT (SELECT count(*) FROM inbound_updates) + (SELECT count(*) FROM tasks)`); n != 0 {
		t.Fatalf("refused requests stored %d rows", n)
	}
}

func TestSlackInstallDMTaskAndDoneButton(t *testing.T) {
	t.Parallel()
	b := setupSlack(t)
	b.install(t, "T1", "U1", "code-1")
	if n := b.count(t, `SELECT count(*) FROM teams t JOIN team_members m ON m.team_id = t.id WHERE t.slack_team_id = 'T1' AND m.role = 'owner' AND t.bot_token IS NOT NULL`); n != 1 {
		t.Fatal("installation did not create the team with its owner and token")
	}
	b.event(t, "T1", "Ev1", dm("U1", "завтра в 10 созвон с командой"))
	post := b.waitPosts(t, 1)[0]
	if post.Token != "xoxb-T1" || !strings.Contains(blocksText(post), "созвон с командой") || post.Form.Get("channel") != "DU1" {
		t.Fatalf("reply: token %q channel %q %s", post.Token, post.Form.Get("channel"), blocksText(post))
	}
	var taskID, zone string
	if err := b.db.Super.QueryRow(context.Background(), `SELECT t.id::text, u.timezone FROM tasks t JOIN users u ON u.id = t.user_id`).Scan(&taskID, &zone); err != nil {
		t.Fatal(err)
	}
	if zone != "Europe/Berlin" {
		t.Fatalf("a new Slack user should start in their Slack time zone, got %s", zone)
	}
	if st := b.press(t, "T1", "U1", "DU1", "t:done:"+taskID); st != 200 {
		t.Fatalf("press status %d", st)
	}
	eventually(t, "the done button did not complete the task", func() bool {
		return b.count(t, `SELECT count(*) FROM tasks WHERE status = 'done'`) == 1
	})
}

func TestSlackSlashCommandCreatesTeamGoal(t *testing.T) {
	t.Parallel()
	b := setupSlack(t)
	b.install(t, "T1", "U1", "code-1")
	if status := b.command(t, "T1", "U2", "C1", "цель: 100 клиентов к концу года"); status != 200 {
		t.Fatalf("command status %d", status)
	}
	draft := b.waitAnswers(t, 1)[0]
	if !strings.Contains(draft.text, "g:save") || !strings.Contains(draft.text, "цель команды") || draft.public {
		t.Fatalf("goal confirmation (to its author alone): %+v", draft)
	}
	b.pressOn(t, "T1", "U2", "C1", "g:save", "1700000000.000001", true)
	eventually(t, "no team goal saved", func() bool {
		return b.count(t, `SELECT count(*) FROM goals g JOIN teams t ON t.id = g.team_id WHERE g.visibility = 'team' AND t.slack_team_id = 'T1'`) == 1
	})
	eventually(t, "the new team goal was not announced to the channel", func() bool {
		for _, a := range b.answers() {
			if a.public && strings.Contains(a.text, "Новая цель команды") && strings.Contains(a.text, "100 клиентов") {
				return true
			}
		}
		return false
	})
}

func TestSlackTeamReportComesWithItsChart(t *testing.T) {
	t.Parallel()
	b := setupSlack(t)
	b.install(t, "T1", "U1", "code-1")
	b.command(t, "T1", "U2", "C1", "цель: 100 клиентов к концу года")
	b.waitAnswers(t, 1)
	b.pressOn(t, "T1", "U2", "C1", "g:save", "1700000000.000001", true)
	eventually(t, "no team goal saved", func() bool {
		return b.count(t, `SELECT count(*) FROM goals WHERE visibility = 'team'`) == 1
	})
	if status := b.command(t, "T1", "U2", "C1", "отчёт за неделю"); status != 200 {
		t.Fatalf("command status %d", status)
	}
	eventually(t, "the team report's chart was not uploaded to the channel", func() bool {
		fs := b.fake.Files()
		return len(fs) == 1 && fs[0].Channel == "C1" && len(fs[0].Data) > 1000
	})
	public := 0
	for _, a := range b.answers() {
		if strings.Contains(a.text, "📊") {
			if !a.public {
				t.Errorf("the team report went to one person: %+v", a)
			}
			public++
		}
	}
	if public != 1 {
		t.Errorf("%d public team reports, want 1: %+v", public, b.answers())
	}
	if _, err := png.DecodeConfig(bytes.NewReader(b.fake.Files()[0].Data)); err != nil {
		t.Errorf("chart: %v", err)
	}
	b.noRefusals(t)
}

func TestSlackRetriedEventHasOneEffect(t *testing.T) {
	t.Parallel()
	b := setupSlack(t)
	b.install(t, "T1", "U1", "code-1")
	ev := dm("U1", "купить бумагу")
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() { defer wg.Done(); b.event(t, "T1", "EvSame", ev) }()
	}
	wg.Wait()
	b.waitPosts(t, 1)
	time.Sleep(1500 * time.Millisecond)
	if n := len(b.fake.Calls("chat.postMessage")); n != 1 {
		t.Fatalf("posts = %d, want 1", n)
	}
	if n := b.count(t, `SELECT count(*) FROM tasks`); n != 1 {
		t.Fatalf("tasks = %d, want 1", n)
	}
}

func TestSlackOAuthStateIsCheckedAndSingleUse(t *testing.T) {
	t.Parallel()
	b := setupSlack(t)
	b.fake.SetGrant(slackfake.Grant{Code: "c", TeamID: "T9", TeamName: "Nine", BotToken: "xoxb-9", BotUserID: "UBOT", UserID: "U9"})
	state, cookie := b.startInstall(t)
	if status := b.callback(t, "c", "forged-state", cookie); status < 400 {
		t.Fatalf("wrong state: status %d", status)
	}
	if status := b.callback(t, "c", state, nil); status < 400 {
		t.Fatalf("state without its browser cookie: status %d", status)
	}
	if status := b.callback(t, "c", state, cookie); status != http.StatusOK {
		t.Fatalf("good callback: status %d", status)
	}
	if status := b.callback(t, "c", state, cookie); status < 400 {
		t.Fatalf("reused state: status %d", status)
	}
	if n := b.count(t, `SELECT count(*) FROM teams`); n != 1 {
		t.Fatalf("teams = %d, want 1", n)
	}
}

func TestSlackAppHomeIsPublished(t *testing.T) {
	t.Parallel()
	b := setupSlack(t)
	b.install(t, "T1", "U1", "code-1")
	b.event(t, "T1", "Ev1", dm("U1", "сегодня позвонить клиенту"))
	b.waitPosts(t, 1)
	// a new task redraws the tab; opening it draws it again
	eventually(t, "App Home was not redrawn after a change", func() bool { return len(b.fake.Calls("views.publish")) == 1 })
	b.event(t, "T1", "Ev2", map[string]any{"type": "app_home_opened", "user": "U1", "channel": "DU1", "tab": "home"})
	eventually(t, "App Home was not published", func() bool { return len(b.fake.Calls("views.publish")) == 2 })
	raw, _ := json.Marshal(b.fake.Calls("views.publish")[1].JSON)
	view := string(raw)
	for _, want := range []string{"Business Load", "позвонить клиенту", `"user_id":"U1"`, "x:newgoal"} {
		if !strings.Contains(view, want) {
			t.Errorf("home view lacks %s: %s", want, view)
		}
	}
	// ✅ pressed on the tab itself (a view, no channel) redraws it with the task done
	done := regexp.MustCompile(`t:done:[0-9a-f-]{36}`).FindString(view)
	if done == "" {
		t.Fatalf("the tab offers no ✅: %s", view)
	}
	payload, _ := json.Marshal(map[string]any{"type": "block_actions", "team": map[string]any{"id": "T1"}, "user": map[string]any{"id": "U1"},
		"container": map[string]any{"type": "view", "view_id": "V1"}, "view": map[string]any{"id": "V1", "type": "home"}, "trigger_id": "trig",
		"actions": []map[string]any{{"action_id": "b0", "block_id": "a0", "value": done, "type": "button", "action_ts": "1.5"}}})
	b.do(t, "/slack/interactivity", "application/x-www-form-urlencoded", url.Values{"payload": {string(payload)}}.Encode(), time.Time{}, slackSecret)
	eventually(t, "App Home was not redrawn after ✅ on it", func() bool { return len(b.fake.Calls("views.publish")) == 3 })
	raw, _ = json.Marshal(b.fake.Calls("views.publish")[2].JSON)
	if view := string(raw); strings.Contains(view, "t:done:") || !strings.Contains(view, "позвонить клиенту") {
		t.Errorf("the redrawn tab still offers ✅ or lost the task: %s", view)
	}
	if n := b.count(t, `SELECT count(*) FROM tasks WHERE status = 'done'`); n != 1 {
		t.Errorf("✅ on the tab completed %d tasks", n)
	}
}

func TestSlackUninstallDisablesTheWorkspace(t *testing.T) {
	t.Parallel()
	b := setupSlack(t)
	b.install(t, "T1", "U1", "code-1")
	body, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": "T1", "event_id": "EvU",
		"event": map[string]any{"type": "app_uninstalled"}})
	if status, _ := b.do(t, "/slack/events", "application/json", string(body), time.Time{}, slackSecret); status != 200 {
		t.Fatalf("status %d", status)
	}
	if n := b.count(t, `SELECT count(*) FROM teams WHERE disabled_at IS NOT NULL AND bot_token IS NULL`); n != 1 {
		t.Fatal("app_uninstalled did not disable the workspace and forget its token")
	}
	// a reply still queued for that workspace is not sent with a forgotten token
	b.event(t, "T1", "Ev2", dm("U1", "купить бумагу"))
	eventually(t, "replies to a disabled workspace were not dropped", func() bool {
		return b.count(t, `SELECT count(*) FILTER (WHERE status = 'dropped') * 100 + count(*) FILTER (WHERE status <> 'dropped') FROM outbox`) == 200 // the answer, App Home
	})
	if n := len(b.fake.Calls("chat.postMessage")); n != 0 {
		t.Fatalf("posted %d messages to an uninstalled workspace", n)
	}
}

// TestSlackNewUserStartsInTheLanguageOfTheirSlack: someone who has written nothing yet (they
// only opened App Home) is answered in the language their Slack runs in.
func TestSlackNewUserStartsInTheLanguageOfTheirSlack(t *testing.T) {
	t.Parallel()
	b := setupSlack(t)
	b.install(t, "T1", "U1", "code-1")
	b.fake.SetLocale("U7", "ru-RU")
	b.event(t, "T1", "Ev7", map[string]any{"type": "app_home_opened", "user": "U7", "channel": "DU7", "tab": "home"})
	b.event(t, "T1", "Ev8", map[string]any{"type": "app_home_opened", "user": "U8", "channel": "DU8", "tab": "home"})
	eventually(t, "App Home not published to both", func() bool { return len(b.fake.Calls("views.publish")) == 2 })
	for _, c := range b.fake.Calls("views.publish") {
		raw, _ := json.Marshal(c.JSON)
		view, want := string(raw), "Plan for today"
		if strings.Contains(view, `"user_id":"U7"`) {
			want = "План на сегодня"
		}
		if !strings.Contains(view, want) {
			t.Errorf("home view lacks %q: %s", want, view)
		}
	}
}

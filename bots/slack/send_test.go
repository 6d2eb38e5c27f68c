package slack

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/bots/slack/slackfake"
	"github.com/bizconnect/bizconnect/core"
	slackAPI "github.com/slack-go/slack"
)

// sentBlocks decodes the blocks of a form-encoded chat.* call.
func sentBlocks(t *testing.T, c slackfake.Call) []map[string]any {
	t.Helper()
	var bs []map[string]any
	if err := json.Unmarshal([]byte(c.Form.Get("blocks")), &bs); err != nil {
		t.Fatalf("blocks %q: %v", c.Form.Get("blocks"), err)
	}
	return bs
}

func sectionText(b map[string]any) string {
	text, _ := b["text"].(map[string]any)
	return text["text"].(string)
}

func TestSendPostsBlocks(t *testing.T) {
	b := setup(t)
	r := core.Reply{
		Text:    core.Text{{Text: "Done: "}, {Text: "<b>x</b> & y", Style: core.Bold}},
		Buttons: [][]core.Button{{{Label: "✅ Done", Payload: "done:1"}, {Label: "Later", Payload: "later:1"}}, {{Label: "Stop", Payload: "stop"}}},
	}
	ts, err := b.a.Send(t.Context(), core.Outgoing{Provider: core.ProviderSlack, Workspace: "T1", ChatID: "C1", ThreadID: "1.5", Reply: r})
	if err != nil {
		t.Fatal(err)
	}
	calls := b.api.Calls("chat.postMessage")
	if len(calls) != 1 || ts == "" {
		t.Fatalf("%d postMessage calls, ts %q", len(calls), ts)
	}
	c := calls[0]
	if c.Token != "xoxb-team-1" || c.Form.Get("channel") != "C1" || c.Form.Get("thread_ts") != "1.5" {
		t.Errorf("token %q channel %q thread_ts %q", c.Token, c.Form.Get("channel"), c.Form.Get("thread_ts"))
	}
	if got := c.Form.Get("text"); got != "Done: &lt;b&gt;x&lt;/b&gt; &amp; y" {
		t.Errorf("fallback text %q", got)
	}
	bs := sentBlocks(t, c)
	if len(bs) != 3 || bs[0]["type"] != "section" || bs[1]["type"] != "actions" || bs[2]["type"] != "actions" {
		t.Fatalf("blocks %v", bs)
	}
	if got := sectionText(bs[0]); got != "Done: *&lt;b&gt;x&lt;/b&gt; &amp; y*" {
		t.Errorf("section %q", got)
	}
	var ids, values []string
	for _, blk := range bs[1:] {
		for _, el := range blk["elements"].([]any) {
			el := el.(map[string]any)
			ids, values = append(ids, el["action_id"].(string)), append(values, el["value"].(string))
		}
	}
	if strings.Join(ids, ",") != "b0,b1,b2" || strings.Join(values, ",") != "done:1,later:1,stop" {
		t.Errorf("buttons %v %v", ids, values)
	}
}

func TestSendKinds(t *testing.T) {
	tests := []struct {
		name   string
		msg    core.Outgoing
		method string
		check  func(t *testing.T, c slackfake.Call)
		wantTS bool
	}{
		{"ephemeral", core.Outgoing{ChatID: "C1", UserID: "U1", Reply: core.Reply{Text: core.Text{{Text: "only you"}}, Ephemeral: true}},
			"chat.postEphemeral", func(t *testing.T, c slackfake.Call) {
				if c.Form.Get("user") != "U1" || c.Form.Get("channel") != "C1" {
					t.Errorf("form %v", c.Form)
				}
			}, true},
		{"edit", core.Outgoing{ChatID: "C1", Reply: core.Reply{Text: core.Text{{Text: "✅ done"}}, EditRef: "1700.1"}},
			"chat.update", func(t *testing.T, c slackfake.Call) {
				if c.Form.Get("ts") != "1700.1" || c.Form.Get("channel") != "C1" {
					t.Errorf("form %v", c.Form)
				}
			}, true},
		{"home", core.Outgoing{ChatID: "D1", UserID: "U1", Reply: core.Reply{Text: core.Text{{Text: "Dashboard"}}, Home: true}},
			"views.publish", func(t *testing.T, c slackfake.Call) {
				view, _ := c.JSON["view"].(map[string]any)
				if c.JSON["user_id"] != "U1" || view["type"] != "home" || len(view["blocks"].([]any)) != 1 {
					t.Errorf("json %v", c.JSON)
				}
			}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := setup(t)
			b.api.Seed("C1", "1700.1") // the message being edited, posted earlier
			tt.msg.Workspace = "T1"
			ts, err := b.a.Send(t.Context(), tt.msg)
			if err != nil {
				t.Fatal(err)
			}
			all := b.api.Calls("")
			if len(all) != 1 || all[0].Method != tt.method {
				t.Fatalf("calls %v, want one %s", all, tt.method)
			}
			tt.check(t, all[0])
			if (ts != "") != tt.wantTS {
				t.Errorf("ts %q", ts)
			}
		})
	}
}

func TestSendEditFallsBackToPost(t *testing.T) {
	b := setup(t)
	b.api.FailNext("chat.update", slackfake.Failure{Error: "message_not_found"})
	msg := core.Outgoing{Workspace: "T1", ChatID: "C1", Reply: core.Reply{Text: core.Text{{Text: "x"}}, EditRef: "1.1"}}
	if _, err := b.a.Send(t.Context(), msg); err != nil {
		t.Fatal(err)
	}
	if n := len(b.api.Calls("chat.postMessage")); n != 1 {
		t.Errorf("%d postMessage calls, want 1", n)
	}
}

func TestSendErrors(t *testing.T) {
	tests := []struct {
		name      string
		failure   slackfake.Failure
		workspace string
		check     func(error) bool
	}{
		{"429", slackfake.Failure{Status: 429, RetryAfter: 7}, "T1", func(err error) bool {
			var ra *core.RetryAfterError
			return errors.As(err, &ra) && ra.After == 7*time.Second
		}},
		// a channel gone or closed to the bot fails this message, not everything to the user
		{"channel_not_found", slackfake.Failure{Error: "channel_not_found"}, "T1", func(err error) bool {
			return errors.Is(err, core.ErrPermanent) && !errors.Is(err, core.ErrUnreachable)
		}},
		{"not_in_channel", slackfake.Failure{Error: "not_in_channel"}, "T1", func(err error) bool {
			return errors.Is(err, core.ErrPermanent) && !errors.Is(err, core.ErrUnreachable)
		}},
		{"token_revoked", slackfake.Failure{Error: "token_revoked"}, "T1", isErr(core.ErrUnreachable)},
		{"invalid_blocks", slackfake.Failure{Error: "invalid_blocks"}, "T1", isErr(core.ErrPermanent)},
		{"500", slackfake.Failure{Status: 500}, "T1", func(err error) bool {
			return err != nil && !errors.Is(err, core.ErrPermanent) && !errors.Is(err, core.ErrUnreachable)
		}},
		{"disabled workspace", slackfake.Failure{}, "T404", isErr(core.ErrUnreachable)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := setup(t)
			if tt.failure != (slackfake.Failure{}) {
				b.api.FailNext("chat.postMessage", tt.failure)
			}
			_, err := b.a.Send(t.Context(), core.Outgoing{Workspace: tt.workspace, ChatID: "C1", Reply: core.Reply{Text: core.Text{{Text: "x"}}}})
			if !tt.check(err) {
				t.Errorf("error %v", err)
			}
		})
	}
}

func isErr(target error) func(error) bool {
	return func(err error) bool { return errors.Is(err, target) }
}

func TestSendSingleWorkspaceToken(t *testing.T) {
	b := setup(t)
	b.a.opts.BotToken = "xoxb-single"
	if _, err := b.a.Send(t.Context(), core.Outgoing{Workspace: "T404", ChatID: "C1", Reply: core.Reply{Text: core.Text{{Text: "x"}}}}); err != nil {
		t.Fatal(err)
	}
	if c := b.api.Calls("chat.postMessage"); len(c) != 1 || c[0].Token != "xoxb-single" {
		t.Errorf("calls %+v", c)
	}
}

func TestSendSpacesMessagesPerChannel(t *testing.T) {
	b := setup(t)
	b.a.limit = newLimiter(200 * time.Millisecond) // Slack's 1 s, shortened
	send := func(ch string) {
		if _, err := b.a.Send(t.Context(), core.Outgoing{Workspace: "T1", ChatID: ch, Reply: core.Reply{Text: core.Text{{Text: "x"}}}}); err != nil {
			t.Error(err)
		}
	}
	send("C1")
	send("C2")
	send("C1")
	calls := b.api.Calls("chat.postMessage")
	if len(calls) != 3 {
		t.Fatalf("%d calls", len(calls))
	}
	if gap := calls[1].At.Sub(calls[0].At); gap > 150*time.Millisecond {
		t.Errorf("another channel waited %v", gap)
	}
	if gap := calls[2].At.Sub(calls[0].At); gap < 190*time.Millisecond {
		t.Errorf("same channel after %v, want ≥ 200ms", gap)
	}
}

func TestSendRateLimitPausesWorkspace(t *testing.T) {
	b := setup(t)
	b.api.FailNext("chat.postMessage", slackfake.Failure{Status: 429, RetryAfter: 1})
	msg := core.Outgoing{Workspace: "T1", ChatID: "C1", Reply: core.Reply{Text: core.Text{{Text: "x"}}}}
	if _, err := b.a.Send(t.Context(), msg); err == nil {
		t.Fatal("want a RetryAfterError")
	}
	start := time.Now()
	msg.ChatID = "C2"
	if _, err := b.a.Send(t.Context(), msg); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < 900*time.Millisecond {
		t.Errorf("next send waited %v, want the 1 s pause", waited)
	}
}

func TestSendEmptyAndBadButtons(t *testing.T) {
	b := setup(t)
	for _, r := range []core.Reply{
		{},
		{Text: core.Text{{Text: "x"}}, Buttons: [][]core.Button{{{Label: "big", Payload: strings.Repeat("p", 2001)}}}},
	} {
		if _, err := b.a.Send(t.Context(), core.Outgoing{Workspace: "T1", ChatID: "C1", Reply: r}); !errors.Is(err, core.ErrPermanent) {
			t.Errorf("Send(%+v) error %v, want ErrPermanent", r, err)
		}
	}
	if n := len(b.api.Calls("")); n != 0 {
		t.Errorf("%d calls, want none", n)
	}
}

func TestSendThroughResponseURL(t *testing.T) {
	b := setup(t)
	b.a.limit = newLimiter(time.Millisecond) // not what this test is about
	text := core.Text{{Text: "Your day"}}
	hook := b.api.ResponseURL()
	// an ephemeral answer to a command: through response_url, nothing on the Web API
	if _, err := b.a.Send(t.Context(), core.Outgoing{Workspace: "T1", ChatID: "C9", UserID: "U1", ResponseURL: hook,
		Reply: core.Reply{Text: text, Ephemeral: true}}); err != nil {
		t.Fatal(err)
	}
	// a press on that ephemeral message: replaced through response_url, never chat.update
	if _, err := b.a.Send(t.Context(), core.Outgoing{Workspace: "T1", ChatID: "C9", UserID: "U1", ResponseURL: hook,
		Reply: core.Reply{Text: core.Text{{Text: "✅ done"}}, Ephemeral: true, EditRef: "1700.5"}}); err != nil {
		t.Fatal(err)
	}
	// team content to a channel the bot is not in: in_channel through response_url
	b.api.NotIn("C9")
	if _, err := b.a.Send(t.Context(), core.Outgoing{Workspace: "T1", ChatID: "C9", UserID: "U1", ResponseURL: hook,
		Reply: core.Reply{Text: core.Text{{Text: "Team goals"}}, Team: true}}); err != nil {
		t.Fatal(err)
	}
	rs := b.api.Responses()
	if len(rs) != 3 || rs[0].InChannel() || rs[0].ReplaceOriginal || !rs[1].ReplaceOriginal || rs[1].InChannel() || !rs[2].InChannel() {
		t.Fatalf("responses %+v", rs)
	}
	if calls := b.api.Calls(""); len(calls) != 0 {
		t.Fatalf("Web API calls %v, want none", calls)
	}
}

func TestSendWithoutResponseURLNeverUpdatesEphemerals(t *testing.T) {
	b := setup(t)
	if _, err := b.a.Send(t.Context(), core.Outgoing{Workspace: "T1", ChatID: "C1", UserID: "U1",
		Reply: core.Reply{Text: core.Text{{Text: "✅ done"}}, Ephemeral: true, EditRef: "1700.5"}}); err != nil {
		t.Fatal(err)
	}
	calls := b.api.Calls("")
	if len(calls) != 1 || calls[0].Method != "chat.postEphemeral" || calls[0].Form.Get("user") != "U1" {
		t.Fatalf("calls %v, want one chat.postEphemeral", calls)
	}
}

func TestSendFallsBackWhenTheResponseURLIsSpentOrForeign(t *testing.T) {
	b := setup(t)
	b.a.limit = newLimiter(time.Millisecond) // not what this test is about
	hook := b.api.ResponseURL()
	for range 6 { // five answers per response_url, then the Web API
		if _, err := b.a.Send(t.Context(), core.Outgoing{Workspace: "T1", ChatID: "C1", UserID: "U1", ResponseURL: hook,
			Reply: core.Reply{Text: core.Text{{Text: "x"}}, Ephemeral: true}}); err != nil {
			t.Fatal(err)
		}
	}
	if n, m := len(b.api.Responses()), len(b.api.Calls("chat.postEphemeral")); n != 5 || m != 1 {
		t.Fatalf("responses %d, postEphemeral %d; want 5 and 1", n, m)
	}
	if _, err := b.a.Send(t.Context(), core.Outgoing{Workspace: "T1", ChatID: "C1", UserID: "U1", ResponseURL: "https://evil.example/steal",
		Reply: core.Reply{Text: core.Text{{Text: "x"}}, Ephemeral: true}}); err != nil {
		t.Fatal(err)
	}
	if m := len(b.api.Calls("chat.postEphemeral")); m != 2 {
		t.Fatalf("a foreign response_url was used: %d postEphemeral", m)
	}
}

// TestSendPrivateAnswerToACommandInADirectMessage: a personal answer to a command typed in the
// bot's own DM is a real message there; typed in a DM between two people (the bot is not in it)
// it is shown to its sender alone, never to both.
func TestSendPrivateAnswerToACommandInADirectMessage(t *testing.T) {
	b := setup(t)
	b.a.limit = newLimiter(time.Millisecond) // not what this test is about
	day := core.Reply{Text: core.Text{{Text: "Your day: call the tax office"}}}
	if _, err := b.a.Send(t.Context(), core.Outgoing{Workspace: "T1", ChatID: "D1", UserID: "U1", ResponseURL: b.api.ResponseURL(), Reply: day}); err != nil {
		t.Fatal(err)
	}
	if n, m := len(b.api.Calls("chat.postMessage")), len(b.api.Responses()); n != 1 || m != 0 {
		t.Fatalf("in the bot's DM: %d posts, %d responses; want the post alone", n, m)
	}
	b.api.NotIn("D2")
	if _, err := b.a.Send(t.Context(), core.Outgoing{Workspace: "T1", ChatID: "D2", UserID: "U1", ResponseURL: b.api.ResponseURL(), Reply: day}); err != nil {
		t.Fatal(err)
	}
	if rs := b.api.Responses(); len(rs) != 1 || rs[0].InChannel() {
		t.Fatalf("in a DM between two people: responses %+v, want one ephemeral", rs)
	}
}

func TestOwnResponseURLs(t *testing.T) {
	a := &Adapter{apiURL: DefaultAPIURL}
	for u, want := range map[string]bool{
		"https://hooks.slack.com/commands/T1/1/abc": true, "http://hooks.slack.com/commands/T1/1/abc": false,
		"https://hooks.slack.com.evil.example/x": false, "https://evil.example/hooks.slack.com": false, "": false,
		"https://slack.com/api/chat.postMessage": false,
	} {
		if got := a.ownURL(u); got != want {
			t.Errorf("ownURL(%q) = %v, want %v", u, got, want)
		}
	}
}

func TestSendUploadsTheImageWhereTheMessageWent(t *testing.T) {
	b := setup(t)
	b.a.limit = newLimiter(time.Millisecond)
	png := []byte("\x89PNG\r\n\x1a\nchart")
	report := core.Reply{Text: core.Text{{Text: "Week 7–13 December"}}, Image: &core.Image{PNG: png, Caption: "Load, 4 weeks"}, Team: true}
	// a team report posted to its channel, in a thread: the chart follows it there
	if _, err := b.a.Send(t.Context(), core.Outgoing{Workspace: "T1", ChatID: "C1", ThreadID: "1.5", Reply: report}); err != nil {
		t.Fatal(err)
	}
	// answered in the channel through a command's response_url: uploaded with the bot's token
	if _, err := b.a.Send(t.Context(), core.Outgoing{Workspace: "T1", ChatID: "C2", UserID: "U1", ResponseURL: b.api.ResponseURL(), Reply: report}); err != nil {
		t.Fatal(err)
	}
	// an ephemeral reply: Slack files can't be ephemeral, so the text goes alone
	private := report
	private.Team, private.Ephemeral = false, true
	if _, err := b.a.Send(t.Context(), core.Outgoing{Workspace: "T1", ChatID: "C3", UserID: "U1", Reply: private}); err != nil {
		t.Fatal(err)
	}
	fs := b.api.Files()
	if len(fs) != 2 {
		t.Fatalf("files %+v, want 2", fs)
	}
	if f := fs[0]; f.Channel != "C1" || f.ThreadTS != "1.5" || f.Title != "Load, 4 weeks" || string(f.Data) != string(png) || f.Name != "chart.png" {
		t.Errorf("first file %+v", f)
	}
	if f := fs[1]; f.Channel != "C2" || f.ThreadTS != "" {
		t.Errorf("second file %+v", f)
	}
	if n := len(b.api.Calls("chat.postEphemeral")); n != 1 {
		t.Errorf("%d ephemeral posts, want 1", n)
	}
}

func TestSendKeepsTheTextWhenTheUploadFails(t *testing.T) {
	b := setup(t)
	b.a.limit = newLimiter(time.Millisecond)
	b.api.FailNext("files.getUploadURLExternal", slackfake.Failure{Error: "ratelimited", Status: 429, RetryAfter: 1})
	ts, err := b.a.Send(t.Context(), core.Outgoing{Workspace: "T1", ChatID: "C1",
		Reply: core.Reply{Text: core.Text{{Text: "Week"}}, Image: &core.Image{PNG: []byte("png")}}})
	if err != nil || ts == "" {
		t.Fatalf("ts %q, err %v: the text was delivered", ts, err)
	}
	if n := len(b.api.Calls("chat.postMessage")); n != 1 || len(b.api.Files()) != 0 {
		t.Fatalf("%d posts, files %v", n, b.api.Files())
	}
	// the fake refuses what Slack refuses: a completion of a file never uploaded
	api := b.a.api("xoxb-team-1")
	if _, err := api.CompleteUploadExternalContext(t.Context(), slackAPI.CompleteUploadExternalParameters{
		Files: []slackAPI.FileSummary{{ID: "F404"}}, Channel: "C1"}); err == nil || !strings.Contains(err.Error(), "file_not_found") {
		t.Errorf("complete of an unknown file: %v", err)
	}
}

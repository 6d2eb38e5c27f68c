package slack

import (
	"net/url"
	"testing"

	"github.com/bizconnect/bizconnect/bots/slack/slackfake"
	"github.com/bizconnect/bizconnect/core"
)

func command(text, channelID, channelName string) []byte {
	return []byte(url.Values{
		"token": {"legacy"}, "team_id": {"T1"}, "team_domain": {"acme"}, "channel_id": {channelID},
		"channel_name": {channelName}, "user_id": {"U1"}, "user_name": {"anna"}, "command": {"/bc"},
		"text": {text}, "response_url": {"https://hooks.slack.com/commands/1"}, "trigger_id": {"13345224609.738474920.8088930838d88f008e0"},
	}.Encode())
}

func TestCommands(t *testing.T) {
	tests := []struct {
		name                    string
		text, channel, chanName string
		wantText                string
		wantType                core.ChatType
	}{
		{"channel", "завтра в 10 созвон", "C1", "general", "завтра в 10 созвон", core.ChatGroup},
		{"empty is help", "  ", "C1", "general", "help", core.ChatGroup},
		{"direct message by name", "goals", "D1", "directmessage", "goals", core.ChatPrivate},
		{"direct message by id", "goals", "D2", "privategroup", "goals", core.ChatPrivate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := setup(t)
			rec := serve(b.a.CommandsHandler(), signed("/slack/commands", "application/x-www-form-urlencoded", command(tt.text, tt.channel, tt.chanName)))
			if rec.Code != 200 || rec.Body.Len() != 0 {
				t.Fatalf("answer %d %q, want 200 and an empty body", rec.Code, rec.Body.String())
			}
			in := b.only(t)
			in.ReceivedAt = in.ReceivedAt.Truncate(0)
			want := core.Inbound{Key: "slack:T1:cmd:13345224609.738474920.8088930838d88f008e0", Provider: core.ProviderSlack,
				Workspace: "T1", ExternalUserID: "U1", UserName: "anna", ChatID: tt.channel, ChatType: tt.wantType,
				Text: tt.wantText, ResponseURL: "https://hooks.slack.com/commands/1", ReceivedAt: in.ReceivedAt}
			if in != want {
				t.Errorf("inbound\n got %+v\nwant %+v", in, want)
			}
		})
	}
}

func TestCommandAcceptFailureApologises(t *testing.T) {
	b := setup(t)
	b.acceptErr = errTest
	rec := serve(b.a.CommandsHandler(), signed("/slack/commands", "application/x-www-form-urlencoded", command("x", "C1", "general")))
	if rec.Code != 200 || rec.Body.Len() == 0 {
		t.Errorf("answer %d %q, want 200 with an apology", rec.Code, rec.Body.String())
	}
}

// TestNewGoalCommandOpensTheFormForItsChannel: "/bc новая цель" opens the form at once (its
// trigger lives 3 s), for the channel it was typed in; nothing reaches the core yet.
func TestNewGoalCommandOpensTheFormForItsChannel(t *testing.T) {
	hook := "https://hooks.slack.com/commands/1" // answered through the command's response_url
	for _, c := range []struct{ text, channel, metadata string }{
		{"новая цель", "C1", `{"c":"C1","r":"` + hook + `"}`}, {"New goal", "D1", ""}, {"цель:", "G5", `{"c":"G5","r":"` + hook + `"}`},
	} {
		b := setup(t)
		rec := serve(b.a.CommandsHandler(), signed("/slack/commands", "application/x-www-form-urlencoded", command(c.text, c.channel, "general")))
		if rec.Code != 200 || rec.Body.Len() != 0 || len(b.inbounds()) != 0 {
			t.Fatalf("%q: answer %d %q, %d accepted", c.text, rec.Code, rec.Body.String(), len(b.inbounds()))
		}
		calls := b.api.Calls("views.open")
		if len(calls) != 1 {
			t.Fatalf("%q: %d views.open", c.text, len(calls))
		}
		if view, _ := calls[0].JSON["view"].(map[string]any); view["private_metadata"] != c.metadata && !(c.metadata == "" && view["private_metadata"] == nil) {
			t.Errorf("%q in %s: the form is for %v", c.text, c.channel, view["private_metadata"])
		}
	}
	b := setup(t)
	serve(b.a.CommandsHandler(), signed("/slack/commands", "application/x-www-form-urlencoded", command("цель: 10 клиентов", "C1", "general")))
	if len(b.api.Calls("views.open")) != 0 || len(b.inbounds()) != 1 {
		t.Error("a goal written out is understood, not answered with the form")
	}
}

// TestNewGoalFormThatDoesNotOpenIsAskedInWords: when Slack won't open the form (an expired
// trigger), the command goes to the assistant, which asks for the goal in words.
func TestNewGoalFormThatDoesNotOpenIsAskedInWords(t *testing.T) {
	b := setup(t)
	b.api.FailNext("views.open", slackfake.Failure{Error: "expired_trigger_id"})
	rec := serve(b.a.CommandsHandler(), signed("/slack/commands", "application/x-www-form-urlencoded", command("новая цель", "C1", "general")))
	if in := b.only(t); rec.Code != 200 || in.Text != "новая цель" {
		t.Fatalf("answer %d, inbound %+v", rec.Code, in)
	}
}

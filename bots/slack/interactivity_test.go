package slack

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/core"
)

func interaction(payload string) []byte {
	return []byte(url.Values{"payload": {payload}}.Encode())
}

func blockAction(value string) string {
	return `{"type":"block_actions","team":{"id":"T1","domain":"acme"},"user":{"id":"U1","username":"anna","name":"anna"},
"trigger_id":"trig-1","container":{"type":"message","message_ts":"1700000000.000100","channel_id":"C1"},
"channel":{"id":"C1","name":"general"},"message":{"ts":"1700000000.000100","text":"x"},
"actions":[{"action_id":"b0","block_id":"a1","type":"button","value":"` + value + `","action_ts":"1700000001.000200"}]}`
}

func goalSubmission(title, target, unit, date string) string {
	return `{"type":"view_submission","team":{"id":"T1"},"user":{"id":"U1","name":"anna"},
"view":{"id":"V9","hash":"h42","callback_id":"new_goal","state":{"values":{
"title":{"title":{"type":"plain_text_input","value":"` + title + `"}},
"target":{"target":{"type":"number_input","value":"` + target + `"}},
"unit":{"unit":{"type":"plain_text_input","value":"` + unit + `"}},
"deadline":{"deadline":{"type":"datepicker","selected_date":"` + date + `"}}}}}}`
}

func TestBlockAction(t *testing.T) {
	b := setup(t)
	rec := serve(b.a.InteractivityHandler(), signed("/slack/interactivity", "application/x-www-form-urlencoded", interaction(blockAction("done:42"))))
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	in := b.only(t)
	if in.Payload != "done:42" || in.MessageRef != "1700000000.000100" || in.ChatID != "C1" || in.ChatType != core.ChatGroup ||
		in.Key != "slack:T1:act:1700000001.000200" || in.ExternalUserID != "U1" || in.Workspace != "T1" {
		t.Errorf("inbound %+v", in)
	}
	if n := len(b.api.Calls("")); n != 0 {
		t.Errorf("%d Web API calls, want none", n)
	}
}

func TestNewGoalButtonOpensModal(t *testing.T) {
	b := setup(t)
	rec := serve(b.a.InteractivityHandler(), signed("/slack/interactivity", "application/x-www-form-urlencoded", interaction(blockAction(NewGoalPayload))))
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	if n := len(b.inbounds()); n != 0 {
		t.Errorf("accepted %d inbounds, want none", n)
	}
	calls := b.api.Calls("views.open")
	if len(calls) != 1 {
		t.Fatalf("%d views.open calls, want 1", len(calls))
	}
	c := calls[0]
	view, _ := c.JSON["view"].(map[string]any)
	if c.JSON["trigger_id"] != "trig-1" || c.Token != "xoxb-team-1" || view["callback_id"] != newGoalCallbackID || view["type"] != "modal" {
		t.Errorf("views.open with token %q: %v", c.Token, c.JSON)
	}
	if r := b.api.Refused(); len(r) != 0 {
		t.Errorf("Slack would refuse the form: %+v", r)
	}
	if view["private_metadata"] != `{"c":"C1"}` {
		t.Errorf("the form opened in C1 is for %v", view["private_metadata"])
	}
	if blocks, _ := view["blocks"].([]any); len(blocks) != 4 {
		t.Errorf("modal has %d blocks, want 4 inputs", len(blocks))
	}
}

func TestGoalSubmission(t *testing.T) {
	next := core.DateOf(time.Now().UTC()).AddDays(30)
	ten := 10.0
	tests := []struct {
		name                      string
		title, target, unit, date string
		metadata                  string
		want                      core.GoalForm
		chat                      string
	}{
		{"all fields, from App Home", "Провести 10 демо", "10", "демо", next.String(), "", core.GoalForm{Title: "Провести 10 демо", Target: &ten, Unit: "демо", Due: next}, "U1"},
		{"title only", "  Ship   v2 ", "", "", "", "", core.GoalForm{Title: "Ship v2"}, "U1"},
		{"from a channel", "Запустить сайт", "", "", next.String(), `{"c":"C7","r":"https://hooks.slack.com/actions/T1/1/x"}`, core.GoalForm{Title: "Запустить сайт", Due: next}, "C7"},
		{"a DM is not a channel", "Запустить сайт", "", "", "", `{"c":"D7","r":"https://hooks.slack.com/actions/T1/1/x"}`, core.GoalForm{Title: "Запустить сайт"}, "U1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := setup(t)
			meta, _ := json.Marshal(tt.metadata)
			body := interaction(strings.Replace(goalSubmission(tt.title, tt.target, tt.unit, tt.date), `"callback_id":"new_goal"`, `"callback_id":"new_goal","private_metadata":`+string(meta), 1))
			rec := serve(b.a.InteractivityHandler(), signed("/slack/interactivity", "application/x-www-form-urlencoded", body))
			if rec.Code != 200 || rec.Body.Len() != 0 {
				t.Fatalf("answer %d %q, want an empty 200 to close the modal", rec.Code, rec.Body.String())
			}
			in := b.only(t)
			if in.Goal == nil || in.Text != "" || in.ChatID != tt.chat || in.Key != "slack:T1:view:V9:h42" {
				t.Fatalf("inbound %+v", in)
			}
			if got, _ := json.Marshal(in.Goal); string(got) != string(must(json.Marshal(tt.want))) {
				t.Errorf("goal %s, want %s", got, must(json.Marshal(tt.want)))
			}
			if tt.chat[0] == 'C' && (in.ChatType != core.ChatGroup || in.ResponseURL != "https://hooks.slack.com/actions/T1/1/x") {
				t.Errorf("a channel's form: chat type %s, response_url %q", in.ChatType, in.ResponseURL)
			}
			if tt.chat[0] != 'C' && in.ResponseURL != "" {
				t.Errorf("a DM's form answered through %q", in.ResponseURL)
			}
		})
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// TestGoalSubmissionWithWrongFieldsStaysOpen: Slack keeps the form open with the wrong fields
// marked, and nothing is accepted.
func TestGoalSubmissionWithWrongFieldsStaysOpen(t *testing.T) {
	for _, c := range []struct{ title, target, date, field string }{
		{"Ship v2", "", "2020-01-01", "deadline"},
		{"Ship v2", "-5", "", "target"},
		{"Ship v2", "lots", "", "target"},
		{"   ", "", "", "title"},
	} {
		b := setup(t)
		rec := serve(b.a.InteractivityHandler(), signed("/slack/interactivity", "application/x-www-form-urlencoded", interaction(goalSubmission(c.title, c.target, "", c.date))))
		var answer struct {
			Action string            `json:"response_action"`
			Errors map[string]string `json:"errors"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil || answer.Action != "errors" || answer.Errors[c.field] == "" || len(answer.Errors) != 1 {
			t.Errorf("%+v: answer %q", c, rec.Body.String())
		}
		if n := len(b.inbounds()); n != 0 {
			t.Errorf("%+v: accepted %d", c, n)
		}
	}
}

func TestInteractionIgnoresOtherViews(t *testing.T) {
	b := setup(t)
	body := interaction(strings.Replace(goalSubmission("x", "", "", ""), "new_goal", "other", 1))
	if rec := serve(b.a.InteractivityHandler(), signed("/slack/interactivity", "application/x-www-form-urlencoded", body)); rec.Code != 200 || len(b.inbounds()) != 0 {
		t.Errorf("status %d, accepted %d", rec.Code, len(b.inbounds()))
	}
}

func TestKeylessActionGetsAKeyFromTheSignedRequest(t *testing.T) {
	b := setup(t)
	keyless := strings.Replace(blockAction("done:42"), `,"action_ts":"1700000001.000200"`, "", 1)
	body := interaction(keyless)
	r1 := signed("/slack/interactivity", "application/x-www-form-urlencoded", body)
	r2 := signed("/slack/interactivity", "application/x-www-form-urlencoded", body)
	r2.Header = r1.Header.Clone() // a replay of the very same signed request
	other := signed("/slack/interactivity", "application/x-www-form-urlencoded", interaction(strings.Replace(keyless, "done:42", "done:43", 1)))
	for _, r := range []*http.Request{r1, r2, other} {
		if rec := serve(b.a.InteractivityHandler(), r); rec.Code != 200 {
			t.Fatalf("status %d", rec.Code)
		}
	}
	got := b.inbounds()
	if len(got) != 3 || got[0].Key == "" || !strings.HasPrefix(got[0].Key, "slack:T1:sig:") {
		t.Fatalf("inbounds %+v", got)
	}
	if got[0].Key != got[1].Key || got[0].Key == got[2].Key {
		t.Errorf("keys %q %q %q: a replay must share the key, another press must not", got[0].Key, got[1].Key, got[2].Key)
	}
}

// TestPressBeforeSetupIsRefusedForSlackToShow: with one bot token, until auth.test has said which
// workspace it is, a press gets 503 (Slack tells the user it didn't work), not a silent 200.
func TestPressBeforeSetupIsRefusedForSlackToShow(t *testing.T) {
	b := setup(t)
	b.a.opts.BotToken = "xoxb-single" // and no Setup yet
	rec := serve(b.a.InteractivityHandler(), signed("/slack/interactivity", "application/x-www-form-urlencoded", interaction(blockAction("l:today"))))
	if rec.Code != http.StatusServiceUnavailable || len(b.inbounds()) != 0 {
		t.Fatalf("status %d, %d accepted", rec.Code, len(b.inbounds()))
	}
}

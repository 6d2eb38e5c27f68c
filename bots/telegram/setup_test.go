package telegram

import (
	"encoding/json"
	"testing"
)

func TestSetup(t *testing.T) {
	tests := []struct {
		name        string
		webhookURL  string
		wantWebhook bool
	}{
		{"webhook mode", "https://bc.example.com/telegram/webhook", true},
		{"polling mode", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := setup(t)
			b.a.setUsername("")
			if err := b.a.Setup(t.Context(), tt.webhookURL); err != nil {
				t.Fatal(err)
			}
			if b.a.Username() != b.srv.Bot().Username {
				t.Errorf("Username() = %q, want %q from getMe", b.a.Username(), b.srv.Bot().Username)
			}
			langs := map[string]int{}
			for _, c := range b.srv.CallsTo("setMyCommands") {
				var cmds []struct{ Command, Description string }
				if err := json.Unmarshal([]byte(c.Params["commands"]), &cmds); err != nil {
					t.Fatal(err)
				}
				langs[c.Params["language_code"]] = len(cmds)
				if c.Params["language_code"] == "ru" && cmds[0].Description != "План на сегодня" {
					t.Errorf("ru /%s described as %q", cmds[0].Command, cmds[0].Description)
				}
			}
			if len(langs) != 2 || langs[""] != 10 || langs["ru"] != 10 {
				t.Errorf("setMyCommands per language %v, want 10 commands for default and ru", langs)
			}
			hooks := b.srv.CallsTo("setWebhook")
			if !tt.wantWebhook {
				if len(hooks) != 0 {
					t.Errorf("setWebhook called in polling mode")
				}
				return
			}
			if len(hooks) != 1 {
				t.Fatalf("%d setWebhook calls", len(hooks))
			}
			p := hooks[0].Params
			if p["url"] != tt.webhookURL || p["secret_token"] != testSecret || p["allowed_updates"] != `["message","callback_query"]` {
				t.Errorf("setWebhook params %v", p)
			}
		})
	}
}

func TestSetupRefusesWebhookWithoutSecret(t *testing.T) {
	b := setup(t)
	b.a.secret = ""
	if err := b.a.Setup(t.Context(), "https://bc.example.com/telegram/webhook"); err == nil {
		t.Fatal("Setup set a webhook nobody could authenticate")
	}
}

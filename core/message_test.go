package core

import "testing"

// TestAddressedKeepsPersonalRepliesOutOfGroups: in a Slack channel a personal reply becomes
// ephemeral and replaces only an ephemeral message pressed, never a public one; in a Telegram
// group it goes to the private chat; the team's replies and a Home stay where they are.
func TestAddressedKeepsPersonalRepliesOutOfGroups(t *testing.T) {
	personal := Reply{Text: Text{{Text: "your day"}}, EditRef: "1700.1"}
	team := Reply{Text: Text{{Text: "team goals"}}, Team: true, EditRef: "1700.1"}
	home := Reply{Text: Text{{Text: "home"}}, Home: true}
	in := Inbound{Provider: ProviderSlack, Workspace: "T1", ExternalUserID: "U1", ChatID: "C1", ChatType: ChatGroup, MessageRef: "1700.1"}
	out := Addressed(in, []Reply{personal, team, home})
	if o := out[0]; !o.Reply.Ephemeral || o.Reply.EditRef != "" || o.ChatID != "C1" {
		t.Errorf("personal reply to a press on a public message: %+v", o)
	}
	if o := out[1]; o.Reply.Ephemeral || o.Reply.EditRef != "1700.1" {
		t.Errorf("team reply: %+v", o)
	}
	if o := out[2]; o.Reply.Ephemeral || o.UserID != "U1" {
		t.Errorf("home: %+v", o)
	}
	in.EphemeralRef = true
	if o := Addressed(in, []Reply{personal})[0]; !o.Reply.Ephemeral || o.Reply.EditRef != "1700.1" {
		t.Errorf("personal reply to a press on an ephemeral message: %+v", o)
	}
	in = Inbound{Provider: ProviderTelegram, ExternalUserID: "1001", ChatID: "-100", ChatType: ChatGroup, ThreadID: "7"}
	if o := Addressed(in, []Reply{personal})[0]; o.ChatID != "1001" || o.ThreadID != "" || o.Reply.EditRef != "" {
		t.Errorf("Telegram group: %+v", o)
	}
}

package slack

import (
	"errors"
	"testing"
)

var errTest = errors.New("test: db down")

func TestStripMentions(t *testing.T) {
	tests := []struct {
		text string
		bots []string
		want string
	}{
		{"<@UBOT> plan for today", []string{"UBOT"}, "plan for today"},
		{"<@UBOT|bc>, plan", []string{"UBOT"}, "plan"},
		{"ask <@U2> and <@UBOT> about it", []string{"UBOT"}, "ask <@U2> and about it"},
		{"<@UBOT> what now", nil, "what now"},
		{"hey <@U2>", nil, "hey <@U2>"},
	}
	for _, tt := range tests {
		if got := stripMentions(tt.text, tt.bots); got != tt.want {
			t.Errorf("stripMentions(%q, %v) = %q, want %q", tt.text, tt.bots, got, tt.want)
		}
	}
}

package chat

import (
	"context"
	"fmt"
	"strings"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/load"
)

// burnout answers "I'm burning out" with care, today's load and an offer to lighten the days ahead.
func (t *turn) burnout(ctx context.Context) error {
	s, _, _, err := load.Today(ctx, t.tx, t.user)
	if err != nil {
		return err
	}
	text := core.Text{{Text: t.tr("burnout_care") + "\n\n"},
		{Text: "⚡ Business Load: "}, {Text: fmt.Sprintf("%d/100", s.Value), Style: core.Bold}, {Text: " — " + t.tr("zone_"+string(s.Zone))},
		{Text: "\n" + t.tr("burnout_offer")}}
	t.sayText(text,
		button(t.tr("btn_relieve"), core.Action{Kind: core.ActionReplan}),
		button(t.tr("btn_focus"), core.Action{Kind: core.ActionFocus}))
	return nil
}

// smallTalk answers chit-chat briefly and warmly, never as a task.
func (t *turn) smallTalk(text string) {
	s := " " + strings.Join(strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !isWordRune(r) && r != '\'' }), " ") + " "
	has := func(phrases ...string) bool { // whole words: "maybe" is no "bye"
		for _, ph := range phrases {
			if strings.Contains(s, " "+ph+" ") {
				return true
			}
		}
		return false
	}
	switch {
	case has("пока", "до завтра", "bye", "see you", "good night", "спокойной", "ciao"):
		t.say(t.tr("smalltalk_bye"))
	case has("как дела", "как ты", "how are you", "how r u", "how's it going", "как жизнь", "как сам", "what's up", "wassup"):
		t.choose(core.Text{{Text: t.tr("smalltalk_how")}}, suggestionButtons(t.lang)...)
	case has("кто ты", "who are you", "what are you", "ты кто", "ты бот"):
		t.choose(core.Text{{Text: t.tr("smalltalk_who")}}, suggestionButtons(t.lang)...)
	default:
		t.say(t.tr("smalltalk_ok"))
	}
}

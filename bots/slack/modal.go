package slack

import (
	"strings"
	"unicode"

	"github.com/slack-go/slack"
)

// newGoalCallbackID names the "new goal" modal in view_submission payloads.
const newGoalCallbackID = "new_goal"

// Block (and action) ids of the modal's inputs.
const (
	goalTitle    = "title"
	goalTarget   = "target"
	goalUnit     = "unit"
	goalDeadline = "deadline"
)

// newGoalModal is the "new goal" form: a title, and optionally a target, its unit and a deadline.
// Labels are bilingual: Slack tells the app nothing of the user's language here.
func newGoalModal() slack.ModalViewRequest {
	plain := func(s string) *slack.TextBlockObject {
		return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
	}
	input := func(id, label string, el slack.BlockElement, optional bool) *slack.InputBlock {
		b := slack.NewInputBlock(id, plain(label), nil, el)
		b.Optional = optional
		return b
	}
	title := slack.NewPlainTextInputBlockElement(plain("Launch the new website"), goalTitle)
	title.MaxLength = 200
	unit := slack.NewPlainTextInputBlockElement(plain("clients, ₽, km…"), goalUnit)
	unit.MaxLength = 30
	return slack.ModalViewRequest{
		Type:       slack.VTModal,
		CallbackID: newGoalCallbackID,
		Title:      plain("New goal / Новая цель"),
		Submit:     plain("Create / Создать"),
		Close:      plain("Cancel / Отмена"),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			input(goalTitle, "Goal / Цель", title, false),
			input(goalTarget, "Target value / Целевое значение", slack.NewNumberInputBlockElement(plain("100"), goalTarget, true), true),
			input(goalUnit, "Unit / Единица", unit, true),
			input(goalDeadline, "Deadline / Срок", slack.NewDatePickerBlockElement(goalDeadline), true),
		}},
	}
}

// goalForm is what the user entered in the modal.
type goalForm struct {
	title, target, unit, deadline string // deadline is YYYY-MM-DD
}

func readGoalForm(state *slack.ViewState) goalForm {
	if state == nil {
		return goalForm{}
	}
	get := func(id string) slack.BlockAction { return state.Values[id][id] }
	return goalForm{
		title:    strings.TrimSpace(get(goalTitle).Value),
		target:   strings.TrimSpace(get(goalTarget).Value),
		unit:     strings.TrimSpace(get(goalUnit).Value),
		deadline: get(goalDeadline).SelectedDate,
	}
}

// goalText phrases the form as the user would type it, "goal: <title> <target> <unit> by
// <date>", in Russian when the title is.
func goalText(f goalForm) string {
	prefix, by := "goal:", "by"
	if hasCyrillic(f.title) {
		prefix, by = "цель:", "к"
	}
	parts := []string{prefix}
	for _, p := range []string{f.title, f.target, f.unit} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if f.deadline != "" {
		parts = append(parts, by, f.deadline)
	}
	return strings.Join(parts, " ")
}

func hasCyrillic(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) })
}

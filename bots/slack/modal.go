package slack

import (
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/bizconnect/bizconnect/core"
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

// goalFormFor is where a "new goal" form was opened from, kept in its private_metadata: the goal
// is saved in that channel (a team goal in a team channel) and answered through the response_url
// of the command or press that opened it. Both are empty for App Home.
type goalFormFor struct {
	Channel     string `json:"c,omitempty"`
	ResponseURL string `json:"r,omitempty"`
}

// newGoalModal is the "new goal" form: a title, and optionally a target, its unit and a deadline.
// Labels are bilingual: Slack tells the app nothing of the user's language here.
func newGoalModal(from goalFormFor) slack.ModalViewRequest {
	plain := func(s string) *slack.TextBlockObject {
		return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
	}
	input := func(id, label string, el slack.BlockElement, optional bool) *slack.InputBlock {
		b := slack.NewInputBlock(id, plain(label), nil, el)
		b.Optional = optional
		return b
	}
	title := slack.NewPlainTextInputBlockElement(plain("Launch the new website"), goalTitle)
	title.MaxLength = core.MaxGoalTitle
	target := slack.NewNumberInputBlockElement(plain("100"), goalTarget, true)
	target.MinValue = "0.01"
	unit := slack.NewPlainTextInputBlockElement(plain("clients, ₽, km…"), goalUnit)
	unit.MaxLength = core.MaxGoalUnit
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      newGoalCallbackID,
		PrivateMetadata: from.metadata(),
		Title:           plain("New goal / Новая цель"),
		Submit:          plain("Create / Создать"),
		Close:           plain("Cancel / Отмена"),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			input(goalTitle, "Goal / Цель", title, false),
			input(goalTarget, "Target value / Целевое значение", target, true),
			input(goalUnit, "Unit / Единица", unit, true),
			input(goalDeadline, "Deadline / Срок", slack.NewDatePickerBlockElement(goalDeadline), true),
		}},
	}
}

// metadata is from as private_metadata: the channel and response_url of a channel, else "".
func (from goalFormFor) metadata() string {
	if channelOf(from.Channel) == "" {
		return ""
	}
	b, _ := json.Marshal(from)
	return string(b)
}

// channelID is a public or private channel's id; a DM's (D…) is not one.
var channelID = regexp.MustCompile(`^[CG][A-Z0-9]{1,20}$`)

// channelOf is channel when it is a channel, "" otherwise.
func channelOf(channel string) string {
	if channelID.MatchString(channel) {
		return channel
	}
	return ""
}

// readGoalForm reads the submitted form; fields maps each input that is wrong to what to say.
func readGoalForm(state *slack.ViewState, today core.Date) (f core.GoalForm, fields map[string]string) {
	if state == nil {
		return f, map[string]string{goalTitle: "Required / Обязательное поле"}
	}
	get := func(id string) slack.BlockAction { return state.Values[id][id] }
	f.Title = strings.Join(strings.Fields(get(goalTitle).Value), " ")
	f.Unit = strings.TrimSpace(get(goalUnit).Value)
	fields = map[string]string{}
	if f.Title == "" {
		fields[goalTitle] = "Required / Обязательное поле"
	}
	if v := strings.TrimSpace(get(goalTarget).Value); v != "" {
		n, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", "."), 64)
		if err != nil || n <= 0 || n >= 1e15 || math.IsNaN(n) {
			fields[goalTarget] = "A number above zero / Число больше нуля"
		} else {
			f.Target = &n
		}
	}
	if v := get(goalDeadline).SelectedDate; v != "" {
		d, err := core.ParseDate(v)
		switch {
		case err != nil:
			fields[goalDeadline] = "Pick a date / Выберите дату"
		case d.Before(today.AddDays(-1)): // a day's grace: the user's zone is not known here
			fields[goalDeadline] = "That date has passed / Эта дата уже прошла"
		default:
			f.Due = d
		}
	}
	if len(fields) == 0 {
		fields = nil
	}
	return f, fields
}

package core

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// turn is one message being answered: the user, their dialog, the replies so far.
type turn struct {
	a             *Assistant
	tx            Tx
	user          *User
	in            Inbound
	created       bool
	now           time.Time // in the user's zone
	today         Date
	lang          string
	team          *uuid.UUID // the team of the user's workspace, if any
	dialog        Dialog
	dialogChanged bool
	replies       []Reply
}

// dialogTTL is how long a question waits for its answer.
const dialogTTL = 24 * time.Hour

func (a *Assistant) newTurn(tx Tx, s *Session, in Inbound) *turn {
	now := a.nowFunc().In(s.User.Location())
	t := &turn{a: a, tx: tx, user: s.User, in: in, created: s.Created, now: now, today: DateOf(now), dialog: s.Dialog, team: s.TeamID}
	if !t.dialog.Updated.IsZero() && now.Sub(t.dialog.Updated) > dialogTTL {
		t.dialog = Dialog{}
		t.dialogChanged = true
	}
	t.lang = s.User.Locale
	return t
}

// respond decides what the message is, acts on it and remembers the buttons it offered.
func (t *turn) respond(ctx context.Context) error {
	if err := t.dispatch(ctx); err != nil {
		return err
	}
	t.rememberButtons()
	return nil
}

func (t *turn) dispatch(ctx context.Context) error {
	payload := t.in.Payload
	if payload == "" {
		payload = t.typedButton()
	}
	if payload != "" {
		return t.press(ctx, payload)
	}
	if t.in.Location != nil {
		return t.sharedLocation(ctx)
	}
	text := t.in.Text
	if text == "" || !hasWordOrDigit(text) {
		t.say(t.tr("empty"), suggestionButtons(t.lang)...)
		return nil
	}
	if isStart(text) {
		return t.start(ctx)
	}
	if written := textLang(text); written != "" && !t.user.Settings.LangLocked {
		t.lang = written // an explicit choice of language wins over the language of a message
	}
	if handled, err := t.goalCommand(ctx, text); handled || err != nil {
		return errors.Join(err, t.followLanguage(ctx))
	}
	u := t.a.nlu.Understand(text, t.now, t.lang)
	if u.Intent == IntentUnknown && !isGreeting(text) && t.dialog.Awaiting == "" {
		t.lang = t.user.Locale // gibberish in another script doesn't switch languages
	} else if err := t.followLanguage(ctx); err != nil {
		return err
	}
	if handled, err := t.answerPending(ctx, u); handled || err != nil {
		return err
	}
	if err := t.act(ctx, u); err != nil {
		return err
	}
	if privateIntents[u.Intent] {
		t.privatize()
	}
	return nil
}

// privatize sends the turn's replies to the user alone when the message came from a group.
func (t *turn) privatize() {
	if t.in.ChatType != ChatGroup {
		return
	}
	for i := range t.replies {
		t.replies[i].Direct = true
	}
	t.say(t.tr("sent_privately"))
}

// privateIntents answer with the user's own tasks, load or settings: never shown in a group.
var privateIntents = map[Intent]bool{
	IntentListTasks: true, IntentShowLoad: true, IntentShowReport: true, IntentSettings: true,
	IntentReflect: true, IntentReplan: true, IntentCompleteTask: true,
}

// followLanguage keeps the stored locale in step with the language the user writes in, unless
// they chose one explicitly.
func (t *turn) followLanguage(ctx context.Context) error {
	if t.lang == t.user.Locale || t.user.Settings.LangLocked {
		return nil
	}
	t.user.Locale = t.lang
	return t.tx.UpdateUser(ctx, t.user)
}

func (t *turn) act(ctx context.Context, u Understanding) error {
	switch u.Intent {
	case IntentCreateGoal:
		return t.createGoal(ctx, u)
	case IntentCreateTask:
		return t.createTask(ctx, u)
	case IntentCompleteTask:
		return t.completeByText(ctx, u)
	case IntentListTasks:
		return t.listTasks(ctx, u)
	case IntentLogProgress:
		return t.logProgress(ctx, u)
	case IntentRescheduleTask:
		return t.reschedule(ctx, u)
	case IntentSettings:
		return t.settings(ctx, u)
	case IntentReflect:
		return t.reflect(ctx, u)
	case IntentPlanGoal:
		return t.planGoal(ctx, u)
	case IntentReplan:
		return t.replan(ctx)
	case IntentShowLoad:
		return t.showLoad(ctx)
	case IntentShowReport:
		return t.showReport(ctx)
	case IntentHelp:
		t.help()
		return nil
	default:
		if isGreeting(t.in.Text) {
			t.say(t.tr("greeting"), suggestionButtons(t.lang)...)
			return nil
		}
		t.say(t.tr("unknown"), suggestionButtons(t.lang)...)
		return nil
	}
}

var greetings = map[string]bool{"привет": true, "здравствуй": true, "здравствуйте": true, "добрый": true, "доброе": true,
	"хай": true, "салют": true, "hi": true, "hello": true, "hey": true, "good": true, "yo": true}

// isGreeting reports whether a short message starts with a greeting ("Привет!", "good morning").
func isGreeting(text string) bool {
	f := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !isWordRune(r) })
	return len(f) > 0 && len(f) <= 4 && greetings[f[0]]
}

// say adds a reply of plain text with buttons laid out one per row.
func (t *turn) say(text string, buttons ...Button) {
	t.sayText(Text{{Text: text}}, buttons...)
}

func (t *turn) sayText(text Text, buttons ...Button) {
	r := Reply{Text: text}
	for _, b := range buttons {
		r.Buttons = append(r.Buttons, []Button{b})
	}
	t.replies = append(t.replies, r)
}

// rememberButtons keeps the buttons of the turn's last reply that has any, so typing their
// number or words presses them; a turn without buttons forgets the old ones.
func (t *turn) rememberButtons() {
	var offered []Button
	for _, r := range t.replies {
		if len(r.Buttons) > 0 {
			offered = offered[:0]
			for _, row := range r.Buttons {
				offered = append(offered, row...)
			}
		}
	}
	if !slices.Equal(offered, t.dialog.Buttons) {
		t.dialog.Buttons = offered
		t.dialogChanged = true
	}
}

func (t *turn) setAwaiting(what string) {
	if t.dialog.Awaiting != what {
		t.dialog.Awaiting = what
		t.dialogChanged = true
	}
}

func (t *turn) tr(key string, args ...any) string { return tr(t.lang, key, args...) }

// typedButton maps "2" or a button's words to that button's payload.
func (t *turn) typedButton() string {
	text := strings.TrimSpace(strings.TrimSuffix(t.in.Text, "."))
	if text == "" || len(t.dialog.Buttons) == 0 {
		return ""
	}
	if n, err := strconv.Atoi(text); err == nil && n >= 1 && n <= len(t.dialog.Buttons) {
		return t.dialog.Buttons[n-1].Payload
	}
	for _, b := range t.dialog.Buttons {
		if strings.EqualFold(text, b.Label) || strings.EqualFold(text, strings.TrimSpace(stripEmoji(b.Label))) {
			return b.Payload
		}
	}
	return ""
}

// press acts on a button payload: "<kind>:<action>[:<arg>[:<context>]]".
func (t *turn) press(ctx context.Context, payload string) error {
	parts := strings.SplitN(payload, ":", 4)
	arg := func(i int) string {
		if i < len(parts) {
			return parts[i]
		}
		return ""
	}
	id, _ := uuid.Parse(arg(2))
	switch arg(0) + ":" + arg(1) {
	case "t:done":
		return t.completeByID(ctx, id, arg(3))
	case "t:undo":
		return t.undoTask(ctx, id)
	case "g:save":
		return t.saveDraft(ctx)
	case "g:edit":
		t.setAwaiting("goal_edit")
		t.say(t.tr("goal_edit"))
		return nil
	case "g:cancel":
		t.dialog.Draft = nil
		t.setAwaiting("")
		t.say(t.tr("goal_cancelled"))
		return nil
	case "p:goal":
		return t.progressToGoal(ctx, id)
	case "r:task":
		return t.rescheduleByID(ctx, id)
	case "l:today":
		return t.listDay(ctx, t.today)
	case "l:tomorrow":
		return t.listDay(ctx, t.today.AddDays(1))
	case "l:week":
		return t.listWeek(ctx, mondayOf(t.today))
	case "o:morning":
		at := NewClockTime(8, 0)
		return t.onboardMorning(ctx, &at)
	case "o:skip":
		return t.onboardingSkip(ctx)
	case "h:help":
		t.help()
		return nil
	case "x:replan":
		return t.replan(ctx)
	case "x:home":
		return t.home(ctx)
	case "x:load":
		return t.showLoad(ctx)
	}
	t.say(t.tr("stale_button"))
	return nil
}

func (t *turn) help() {
	t.say(t.tr("help"), suggestionButtons(t.lang)...)
}

func suggestionButtons(lang string) []Button {
	return []Button{
		{Label: tr(lang, "btn_today"), Payload: "l:today"},
		{Label: tr(lang, "btn_week"), Payload: "l:week"},
		{Label: tr(lang, "btn_help"), Payload: "h:help"},
	}
}

func isStart(text string) bool {
	f := strings.Fields(strings.ToLower(text))
	return len(f) > 0 && (f[0] == "/start" || strings.HasPrefix(f[0], "/start@"))
}

func hasWordOrDigit(s string) bool {
	for _, r := range s {
		if isWordRune(r) {
			return true
		}
	}
	return false
}

func stripEmoji(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return !isWordRune(r) })
}

package chat

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/locale"
	"github.com/bizconnect/bizconnect/core/nlu"
)

// turn is one message being answered: the user, their dialog, the replies so far.
type turn struct {
	a            *Assistant
	tx           core.Tx
	user         *core.User
	in           core.Inbound
	created      bool
	now          time.Time // the transaction's instant, in the user's zone
	today        core.Date
	lang         string
	team         *uuid.UUID // the team of the user's workspace, if any
	dialog       Dialog
	loadedDialog []byte // the dialog as loaded, to save it only when the turn changed it
	replies      []core.Reply
	changed      bool          // the turn changed the user's tasks or goals (Slack's App Home is redrawn)
	unseen       []core.Button // a list's ✅ on its other pages
	noPrivate    bool          // the user has no private chat with the bot (Telegram can't write to them)
	typed        string        // the payload of the button the message named ("2", "✅ 12"), if any
	open         *[]core.Task  // the open tasks, once read (matchTasks); a change forgets them
	later        bool          // the turn of a job following a message up: it schedules no LLM work
}

func (a *Assistant) newTurn(tx core.Tx, s *core.Session, in core.Inbound) *turn {
	now := tx.Now().In(s.User.Location())
	t := &turn{a: a, tx: tx, user: s.User, in: in, created: s.Created, now: now, today: core.DateOf(now), team: s.TeamID,
		noPrivate: s.NoPrivateChat && in.Provider != core.ProviderSlack}
	t.dialog, t.loadedDialog = loadDialog(s.Dialog)
	if !t.dialog.Updated.IsZero() && now.Sub(t.dialog.Updated) > dialogTTL {
		t.dialog = Dialog{} // a question unanswered for a day is forgotten
	}
	t.lang = s.User.Locale
	return t
}

// respond decides what the message is, acts on it and remembers the buttons it offered.
func (t *turn) respond(ctx context.Context) error {
	if err := t.firstOfDay(ctx); err != nil {
		return err
	}
	if err := t.dispatch(ctx); err != nil {
		return err
	}
	t.announce()
	t.groupNotice()
	t.rememberButtons()
	if t.changed && t.in.Provider == core.ProviderSlack && !slices.ContainsFunc(t.replies, func(r core.Reply) bool { return r.Home }) {
		return t.home(ctx) // Slack's App Home shows the change without being reopened
	}
	return nil
}

func (t *turn) dispatch(ctx context.Context) error {
	if t.in.Goal != nil {
		return t.saveForm(ctx, *t.in.Goal)
	}
	payload := t.in.Payload
	if payload == "" {
		payload = t.typedButton()
		t.typed = payload
		if payload == "" {
			t.dialog.Confirm, t.dialog.Pending, t.dialog.Edit = "", "", nil // another message: the question it left is forgotten
		}
	}
	if payload != "" {
		if payload == t.dialog.Confirm {
			t.dialog.Confirm = "" // answered: a later "отмени" takes back what it did, not the question
		}
		return t.press(ctx, payload)
	}
	if t.in.Location != nil {
		return t.sharedLocation(ctx)
	}
	text := t.in.Text
	if text == "" || !hasWordOrDigit(text) {
		t.choose(core.Text{{Text: t.tr("empty")}}, suggestionButtons(t.lang)...)
		return nil
	}
	if written := nlu.TextLang(text); written != "" && !t.user.Settings.LangLocked {
		t.lang = written // an explicit choice of language wins over the language of a message
	}
	u := t.a.nlu.Understand(text, t.now, t.lang)
	switch {
	case u.Intent == core.IntentUnknown && t.dialog.Awaiting == AwaitNothing,
		u.Intent == core.IntentGreeting, u.Intent == core.IntentThanks:
		t.lang = t.user.Locale // gibberish, "hi" or "thx" in another script doesn't switch languages
	case u.Intent != core.IntentStart:
		if err := t.followLanguage(ctx); err != nil {
			return err
		}
	}
	if handled, err := t.answerPending(ctx, u); handled || err != nil {
		return err
	}
	switch ask := nlu.Asks(text); {
	case ask == nlu.AskAchievements && !makesSomething[u.Intent]: // "покажи ачивки" reads as a list
		return t.showAchievements(ctx)
	case ask == nlu.AskForecast && (asksAbout[u.Intent] || u.Intent == core.IntentCompleteTask ||
		u.Intent == core.IntentLogProgress && u.Value == nil): // "успею по клиентам" has no value to log
		return t.forecast(ctx, u)
	}
	u, err := t.nothingToRefer(ctx, u, text)
	if err != nil {
		return err
	}
	if t.doubt(u, text) {
		return nil
	}
	if (u.Intent == core.IntentUnknown || u.Intent == core.IntentSmallTalk || vague(u)) && len(strings.Fields(text)) <= 3 {
		if zone, ok := t.a.nlu.CityTimezone(text); ok { // "берлин", "new york": where the user is
			return t.settings(ctx, core.Understanding{Intent: core.IntentSettings, Setting: core.SettingTimezone, SettingValue: zone})
		}
	}
	if u.Intent == core.IntentUnknown || vague(u) || unsureRef(u) && t.llmFor() {
		if t.llmFor() && letters(text) >= 2 { // a stray number or sign is no riddle for the LLM
			return t.understandLater(ctx, text)
		}
		t.notUnderstood(u, text)
		return nil
	}
	return t.act(ctx, u)
}

// groupNotice tells a Telegram group, which has no messages for one person, that the answer
// went to the asker's private chat; a pressed button says so in its toast instead. Slack shows
// the answer to the asker alone right in the channel, so it needs none.
func (t *turn) groupNotice() {
	if t.in.ChatType != core.ChatGroup || t.in.Provider == core.ProviderSlack || len(t.replies) == 0 {
		return
	}
	private := false
	for _, r := range t.replies {
		private = private || (!r.Team && (r.Text.String() != "" || r.Image != nil))
	}
	if private && t.noPrivate {
		// there is no private chat to answer in: say how to open one, publicly only for a message
		t.replies = slices.DeleteFunc(t.replies, func(r core.Reply) bool { return !r.Team })
		key := "start_privately" // what they asked for is there once they open the chat: ask again
		if t.changed {
			key = "start_privately_done" // it is done; asking again would do it twice
		}
		if t.in.CallbackID != "" {
			t.replies = append([]core.Reply{{Notice: t.tr(key + "_short"), Alert: true}}, t.replies...)
		} else {
			t.replies = append(t.replies, core.Reply{Team: true, Text: core.Text{{Text: t.tr(key)}}})
		}
		return
	}
	switch {
	case !private:
	case t.in.CallbackID != "":
		if t.replies[0].Notice == "" {
			t.replies[0].Notice = t.tr("sent_privately_short")
		}
	default:
		t.replies = append(t.replies, core.Reply{Team: true, Text: core.Text{{Text: t.tr("sent_privately")}}})
	}
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

func (t *turn) act(ctx context.Context, u core.Understanding) error {
	switch u.Intent {
	case core.IntentStart:
		return t.start(ctx)
	case core.IntentCreateGoal:
		return t.createGoal(ctx, u)
	case core.IntentCreateTask:
		return t.createTask(ctx, u)
	case core.IntentCompleteTask:
		if nlu.SaysCancelled(t.in.Text) { // "созвон с юристом отменился": gone, not done; asked about first
			return t.deleteByText(ctx, t.a.nlu.UnderstandAs(t.in.Text, core.IntentDelete, t.now, t.lang))
		}
		return t.completeByText(ctx, u)
	case core.IntentListTasks:
		return t.listTasks(ctx, u)
	case core.IntentLogProgress:
		return t.logProgress(ctx, u)
	case core.IntentRescheduleTask:
		return t.reschedule(ctx, u)
	case core.IntentSettings:
		return t.settings(ctx, u)
	case core.IntentReflect:
		return t.reflect(ctx, u)
	case core.IntentPlanGoal:
		return t.planGoal(ctx, u)
	case core.IntentReplan:
		if ok, err := t.planThisGoal(ctx); ok || err != nil {
			return err
		}
		return t.replan(ctx)
	case core.IntentShowLoad:
		if u.Period == core.PeriodWeek && u.Due != nil { // "нагрузка на неделю", "load next week"
			return t.showLoadWeek(ctx, u.Due.Monday())
		}
		if u.Due != nil && *u.Due != t.today && max(t.today.DaysUntil(*u.Due), u.Due.DaysUntil(t.today)) <= 366 {
			return t.showLoadDay(ctx, *u.Due) // "какая нагрузка в пятницу", "load yesterday"
		}
		return t.showLoad(ctx)
	case core.IntentShowReport:
		if t.todaysSummary(u) { // "итоги дня", "what did i get done today": today, as the evening asks
			return t.eveningCheckin(ctx)
		}
		return t.showReport(ctx, u)
	case core.IntentShowGoals:
		return t.showGoals(ctx)
	case core.IntentTeamGoals:
		if t.team != nil {
			return t.showTeamGoals(ctx)
		}
	case core.IntentLink:
		return t.linkCode(ctx)
	case core.IntentCalendar:
		return t.calendar(ctx, u.SettingValue)
	case core.IntentReportChannel:
		if t.team != nil {
			return t.setReportChannel(ctx)
		}
	case core.IntentTeamRole:
		if t.team != nil {
			return t.setTeamRole(ctx, deref(u.Title), u.SettingValue)
		}
	case core.IntentHelp:
		t.help()
		return nil
	case core.IntentGreeting:
		t.choose(core.Text{{Text: t.tr("greeting")}}, suggestionButtons(t.lang)...)
		return nil
	case core.IntentThanks:
		t.say(t.tr("thanks"))
		return nil
	case core.IntentDelete:
		return t.deleteByText(ctx, u)
	case core.IntentEdit:
		return t.editByText(ctx, u)
	case core.IntentUndo:
		if d := t.a.nlu.UnderstandAs(t.in.Text, core.IntentDelete, t.now, t.lang); namesSomething(d) &&
			(t.dialog.Last == nil || t.a.nlu.MatchScore(deref(d.Title), t.dialog.Last.Title) < matchThreshold) {
			matches, err := t.matchTasks(ctx, deref(d.Title))
			if err != nil {
				return err
			}
			if len(matches) > 0 {
				return t.deleteByText(ctx, d) // "отмени созвон": that call, asked about first, not the last change
			}
		}
		return t.undoLast(ctx)
	case core.IntentFocus:
		return t.focus(ctx)
	case core.IntentBurnout:
		return t.burnout(ctx)
	case core.IntentSmallTalk:
		t.smallTalk(t.in.Text)
		return nil
	}
	t.notUnderstood(core.Understanding{}, "")
	return nil
}

// say adds a reply of plain text with buttons laid out one per row.
func (t *turn) say(text string, buttons ...core.Button) {
	t.sayText(core.Text{{Text: text}}, buttons...)
}

// sayText says text with buttons one under another (a list's ✅, goals to pick from).
func (t *turn) sayText(text core.Text, buttons ...core.Button) {
	r := core.Reply{Text: text}
	for _, b := range buttons {
		r.Buttons = append(r.Buttons, []core.Button{b})
	}
	t.replies = append(t.replies, r)
}

// choose says text with the buttons of one choice side by side (Save · Edit · Cancel).
func (t *turn) choose(text core.Text, row ...core.Button) {
	t.replies = append(t.replies, core.Reply{Text: text, Buttons: [][]core.Button{row}})
}

// rememberButtons keeps the buttons of the turn's last reply that has any, so typing their
// number or words presses them; a turn without buttons forgets the old ones.
func (t *turn) rememberButtons() {
	if listButton(core.Button{Payload: t.typed}) && !slices.ContainsFunc(t.replies, func(r core.Reply) bool { return len(r.Buttons) > 0 }) {
		// a list's number typed keeps its other numbers pressable: "11", then "12"
		pressed := func(b core.Button) bool { return b.Payload == t.typed }
		t.dialog.Buttons = slices.DeleteFunc(t.dialog.Buttons, pressed)
		t.dialog.Unseen = slices.DeleteFunc(t.dialog.Unseen, pressed)
		return
	}
	var offered []core.Button
	for _, r := range t.replies {
		if len(r.Buttons) > 0 && (r.Team || t.in.ChatType != core.ChatGroup || t.in.Provider == core.ProviderSlack) {
			// (a Telegram group's personal replies, and their buttons, are in the private chat)
			offered = offered[:0]
			for _, row := range r.Buttons {
				offered = append(offered, row...)
			}
		}
	}
	t.dialog.Buttons = offered
	t.dialog.Unseen = t.unseen
}

func (t *turn) tr(key string, args ...any) string { return locale.T(t.lang, key, args...) }

// button is a button that does a.
func button(label string, a core.Action) core.Button {
	return core.Button{Label: label, Payload: a.Encode()}
}

// listButton reports whether b is a list's numbered ✅ (doneButtons).
func listButton(b core.Button) bool {
	a, ok := core.ParseAction(b.Payload)
	return ok && a.Kind == core.ActionTaskDone && a.List != nil
}

// typedButton maps "2" or a button's words to that button's payload.
func (t *turn) typedButton() string {
	text := strings.TrimSpace(strings.TrimSuffix(t.in.Text, "."))
	if text == "" || len(t.dialog.Buttons) == 0 && t.dialog.Draft == nil && t.dialog.Confirm == "" && t.dialog.Pending == "" {
		return ""
	}
	if n, ok := doneNumber(text); ok && slices.ContainsFunc(t.dialog.Buttons, listButton) {
		text = n // "готово 2", "done #3": the list's second, third task
	}
	if n, err := strconv.Atoi(text); err == nil && n >= 1 && strings.Trim(text, "0123456789") == "" { // "2", not "+2" (progress)
		numbered := false
		for _, b := range slices.Concat(t.dialog.Buttons, t.dialog.Unseen) { // a list's "✅ 12. …" is 12 on every page
			if !listButton(b) {
				continue
			}
			numbered = true
			if strings.HasPrefix(strings.TrimSpace(stripEmoji(b.Label)), text+". ") {
				return b.Payload
			}
		}
		if n <= len(t.dialog.Buttons) && !numbered { // in a numbered list, 12 is the twelfth task or nothing
			return t.dialog.Buttons[n-1].Payload
		}
	}
	for _, b := range t.dialog.Buttons {
		if strings.EqualFold(text, b.Label) || strings.EqualFold(text, strings.TrimSpace(stripEmoji(b.Label))) {
			return b.Payload
		}
	}
	yes, no := nlu.YesOrNo(text)
	if t.in.ChatType == core.ChatGroup && t.in.Provider != core.ProviderSlack {
		yes, no = false, false // the question was asked in the private chat, not here
	}
	switch {
	case t.dialog.Confirm != "" && yes: // "да" to "delete …?"
		return t.dialog.Confirm
	case t.dialog.Confirm != "" && no, t.dialog.Pending != "" && no && len(strings.Fields(text)) == 1:
		return core.Action{Kind: core.ActionCancel}.Encode() // "нет" to the question asked ("отмени созвон" is a request)
	case t.dialog.Draft != nil && yes: // "да" / "нет" to "save this goal?", even after another reply in between
		return core.Action{Kind: core.ActionGoalSave}.Encode()
	case t.dialog.Draft != nil && no:
		return core.Action{Kind: core.ActionGoalCancel}.Encode()
	}
	return ""
}

// doneWords may come with a list's number: "готово 2", "done #3", "✅ 4".
var doneWords = map[string]bool{"готово": true, "сделано": true, "сделал": true, "сделала": true, "выполнено": true,
	"выполнил": true, "закрыл": true, "закрыла": true, "done": true, "did": true, "finished": true, "complete": true,
	"completed": true, "номер": true, "no": true, "number": true, "задача": true, "task": true, "✅": true, "✔": true}

// doneNumber reads "готово 2", "done #3", "3 done" as the number of a list's task.
func doneNumber(text string) (string, bool) {
	num := ""
	for _, f := range strings.Fields(strings.ToLower(text)) {
		f = strings.Trim(f, "#.,!№")
		switch {
		case f == "" || doneWords[f]:
		case strings.Trim(f, "0123456789") == "" && num == "":
			num = f
		default:
			return "", false
		}
	}
	return num, num != "" && num != text
}

// press acts on a button's payload; one that isn't ours any more gets "no longer active".
func (t *turn) press(ctx context.Context, payload string) error {
	a, ok := core.ParseAction(payload)
	if !ok {
		t.refuse("stale_button")
		return nil
	}
	switch a.Kind {
	case core.ActionTaskDone:
		return t.completeByID(ctx, a.ID, a.List)
	case core.ActionTaskUndo:
		return t.undoTask(ctx, a.ID)
	case core.ActionGoalSave:
		return t.saveDraft(ctx)
	case core.ActionGoalEdit, core.ActionGoalCancel:
		if t.dialog.Draft == nil { // someone else's draft, or one already dealt with
			t.refuse("stale_button")
			return nil
		}
		if a.Kind == core.ActionGoalEdit {
			t.dialog.Awaiting = AwaitGoalEdit
			t.say(t.tr("goal_edit"))
			return nil
		}
		t.dialog.Draft, t.dialog.Awaiting = nil, AwaitNothing
		t.say(t.tr("goal_cancelled"))
		return nil
	case core.ActionPlanGoal:
		return t.planGoalByID(ctx, a.ID)
	case core.ActionPlanAccept:
		return t.acceptPlan(ctx, a.ID)
	case core.ActionPlanRegenerate:
		return t.regeneratePlan(ctx, a.ID)
	case core.ActionAdviceLLM:
		return t.adviceLater(ctx)
	case core.ActionReplanExplain:
		return t.explainLater(ctx, a.Entry)
	case core.ActionPlanAdjust:
		id := a.ID
		t.dialog.Plan, t.dialog.Awaiting = &id, AwaitPlanAdjust
		t.say(t.tr("plan_adjust_ask"))
		return nil
	case core.ActionProgressGoal:
		return t.progressToGoal(ctx, a.ID)
	case core.ActionProgressUndo:
		return t.undoProgress(ctx, a.Entry)
	case core.ActionRescheduleTask:
		return t.rescheduleByID(ctx, a.ID)
	case core.ActionListToday:
		return t.listDay(ctx, core.ListRef{Day: t.today})
	case core.ActionListTomorrow:
		return t.listDay(ctx, core.ListRef{Day: t.today.AddDays(1)})
	case core.ActionListWeek:
		return t.listWeek(ctx, core.ListRef{Week: true, Day: t.today.Monday()})
	case core.ActionListMore:
		if a.List == nil {
			return t.listDay(ctx, core.ListRef{Day: t.today})
		}
		return t.relist(ctx, *a.List)
	case core.ActionOnboardMorning:
		at := core.NewClockTime(8, 0)
		if a.Time != nil {
			at = *a.Time
		}
		return t.onboardMorning(ctx, &at)
	case core.ActionOnboardSkip:
		return t.onboardingSkip(ctx)
	case core.ActionHelp:
		t.help()
		return nil
	case core.ActionReplan:
		return t.replan(ctx)
	case core.ActionReplanApply:
		return t.applyReplan(ctx, a.Entry)
	case core.ActionAdviceUp:
		return t.rateAdvice(ctx, a.ID, core.FeedbackHelpful)
	case core.ActionAdviceDown:
		return t.rateAdvice(ctx, a.ID, core.FeedbackNotHelpful)
	case core.ActionAdviceApply:
		return t.applyAdvice(ctx, a.ID)
	case core.ActionHome:
		return t.home(ctx)
	case core.ActionLoad:
		return t.showLoad(ctx)
	case core.ActionTaskDelete:
		t.dialog.Confirm = ""
		return t.deleteTask(ctx, a.ID)
	case core.ActionGoalDelete:
		t.dialog.Confirm = ""
		return t.deleteGoal(ctx, a.ID)
	case core.ActionUndoLast:
		if t.dialog.Last == nil || t.dialog.Last.ID != a.ID || t.dialog.Last.Seq != a.Entry {
			t.refuse("stale_button") // a later change came, or this one was taken back
			return nil
		}
		return t.undoLast(ctx)
	case core.ActionInterpret:
		return t.interpret(ctx, a)
	case core.ActionFocus:
		return t.focus(ctx)
	case core.ActionTaskEdit:
		return t.editByID(ctx, a.ID, a.Entry)
	case core.ActionCancel:
		if t.dialog.Pending == "" && t.dialog.Confirm == "" {
			t.refuse("stale_button")
			return nil
		}
		t.dialog.Pending, t.dialog.Confirm = "", ""
		t.say(t.tr("cancelled"))
		return nil
	case core.ActionTaskSnooze:
		return t.snooze(ctx, a.ID)
	case core.ActionCheckinStress, core.ActionCheckinEnergy:
		return t.checkin(ctx, a.Kind, a.Entry)
	case core.ActionCarryOver:
		return t.carryOver(ctx, a.Entry)
	case core.ActionNewGoal: // Slack opens its form; anywhere else the goal is asked for
		t.dialog.Awaiting = AwaitGoalEdit
		t.say(t.tr("goal_no_title"))
		return nil
	}
	t.refuse("stale_button")
	return nil
}

// refuse says no with text key: to a pressed button as an alert only its presser sees, to a
// message as a reply (private in a group, as every reply that isn't the team's).
func (t *turn) refuse(key string) {
	if t.in.Payload != "" {
		t.replies = append(t.replies, core.Reply{Notice: t.tr(key), Alert: true})
		return
	}
	t.say(t.tr(key))
}

func (t *turn) help() {
	t.choose(core.Text{{Text: t.tr("help")}}, suggestionButtons(t.lang)...)
}

func suggestionButtons(lang string) []core.Button {
	return []core.Button{
		button(locale.T(lang, "btn_today"), core.Action{Kind: core.ActionListToday}),
		button(locale.T(lang, "btn_week"), core.Action{Kind: core.ActionListWeek}),
		button(locale.T(lang, "btn_help"), core.Action{Kind: core.ActionHelp}),
	}
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func hasWordOrDigit(s string) bool {
	return strings.IndexFunc(s, isWordRune) >= 0
}

func stripEmoji(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return !isWordRune(r) })
}

// notFound reports whether err is an ENOTFOUND error, saying key to the user when it is.
func (t *turn) notFound(err error, key string) bool {
	if core.ErrorCode(err) != core.ENOTFOUND {
		return false
	}
	t.refuse(key)
	return true
}

package chat

import (
	"context"
	"hash/fnv"
	"strings"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/locale"
	"github.com/bizconnect/bizconnect/core/nlu"
)

// Below these confidences a change is asked about instead of made. The model's confidence is
// calibrated (docs/nlu-model.md): at 0.5 about half such guesses are right. A new task comes with
// an undo button, so it may be a little less sure than a change that deletes, edits or moves.
const (
	doubtTask   = 0.4
	doubtChange = 0.6
	// Below vagueChat chit-chat is not answered as such, and below vagueView neither is help
	// or a view: the message is treated as not understood.
	vagueChat = 0.5
	vagueView = 0.3
)

// chitChat are the intents answered with a few friendly words.
var chitChat = map[core.Intent]bool{core.IntentSmallTalk: true, core.IntentGreeting: true, core.IntentThanks: true}

// vague reports whether u is too unsure to be answered as what it seems.
func vague(u core.Understanding) bool {
	if _, change := changes[u.Intent]; change || u.Confidence == 0 {
		return false
	}
	return u.Confidence < vagueView || chitChat[u.Intent] && u.Confidence < vagueChat
}

// unsureRef reports whether u changes a task or goal the model is unsure it names, with no second
// reading to offer (doubt asked nothing): "петя доки сделка" as a completion. The LLM, where there
// is one, reads it better; offline it is acted on as the best guess.
func unsureRef(u core.Understanding) bool {
	switch u.Intent {
	case core.IntentCompleteTask, core.IntentRescheduleTask, core.IntentDelete, core.IntentEdit, core.IntentLogProgress:
		return u.Confidence > 0 && u.Confidence < changes[u.Intent]
	}
	return false
}

// changes are the intents that change something, with the confidence each needs.
var changes = map[core.Intent]float64{
	core.IntentCreateTask: doubtTask, core.IntentCreateGoal: doubtTask, core.IntentLogProgress: doubtChange,
	core.IntentCompleteTask: doubtChange, core.IntentRescheduleTask: doubtChange, core.IntentDelete: doubtChange,
	core.IntentEdit: doubtChange, core.IntentUndo: doubtChange, core.IntentReplan: doubtChange, core.IntentSettings: 0.5,
}

// doubt asks what a message meant, with a button for each likely reading, when acting on the
// best guess could do the wrong thing: a change the model is unsure of, or a question that would
// become a task. It reports whether it asked.
func (t *turn) doubt(u core.Understanding, text string) bool {
	question := asksFirst[u.Intent] && isQuestion(text) // "did i call ivan?" completes nothing without asking
	need, change := changes[u.Intent]
	switch {
	case u.Confidence == 0:
		return false
	case change && (u.Confidence < need || question):
	case !change && u.Confidence < 0.5 && len(u.Alternatives) > 1 && changes[u.Alternatives[1].Intent] > 0 &&
		u.Alternatives[1].Confidence >= 0.25:
		// "сегодня пост в канал": a reflection, or a task? Asked, not guessed.
	default:
		return false
	}
	options := t.readings(u, text)
	if len(options) < 2 && !question {
		return false
	}
	t.dialog.Pending = text
	key := "doubt"
	if question && u.Intent == core.IntentCreateTask {
		key = "doubt_question"
	}
	options = append(options, button(t.tr("btn_neither"), core.Action{Kind: core.ActionCancel}))
	t.sayText(core.Text{{Text: t.tr(key)}}, options...)
	return true
}

// asksFirst are the changes a question never makes without asking: "созвон с юристом когда?",
// "did i call ivan", "is the report done". A move or an edit asked as a question ("можно перенести
// созвон на пт?") is a polite request.
var asksFirst = map[core.Intent]bool{core.IntentCreateTask: true, core.IntentCreateGoal: true, core.IntentCompleteTask: true,
	core.IntentDelete: true, core.IntentLogProgress: true}

// nothingToRefer reads a move of a task no open task fits, said without a moving verb, as the new
// task it names with its day: "звонок поставщику в понедельник" with no such call yet can only be
// one to add (a completion or a delete of nothing is no task to add). The new reading keeps the
// model's confidence in both, so doubt still asks when that is low, and always for a question.
func (t *turn) nothingToRefer(ctx context.Context, u core.Understanding, text string) (core.Understanding, error) {
	if u.Intent != core.IntentRescheduleTask || u.Subject == "goal" || u.Due == nil || deref(u.Title) == "" || nlu.NamesMove(text) {
		return u, nil
	}
	if matches, err := t.matchTasks(ctx, deref(u.Title)); err != nil || len(matches) > 0 {
		return u, err
	}
	n := t.a.nlu.UnderstandAs(text, core.IntentCreateTask, t.now, t.lang)
	n.Confidence, n.Alternatives = u.Confidence, u.Alternatives
	for _, a := range u.Alternatives[min(len(u.Alternatives), 1):] {
		if a.Intent == core.IntentCreateTask {
			n.Confidence += a.Confidence
		}
	}
	return n, nil
}

// readings are buttons for the likely meanings of text: its intent and its alternatives that
// can be acted on, at most two.
func (t *turn) readings(u core.Understanding, text string) []core.Button {
	var out []core.Button
	seen := map[core.Intent]bool{}
	add := func(in core.Intent) {
		if seen[in] || len(out) == 2 || !readable[in] {
			return
		}
		seen[in] = true
		r := u
		if in != u.Intent {
			r = t.a.nlu.UnderstandAs(text, in, t.now, t.lang)
		}
		out = append(out, button(t.readingLabel(r), core.Action{Kind: core.ActionInterpret, Entry: textHash(text), Intent: in}))
	}
	add(u.Intent)
	for _, a := range u.Alternatives {
		if a.Confidence >= 0.05 {
			add(a.Intent)
		}
	}
	return out
}

// readable are the intents a reading button can offer.
var readable = map[core.Intent]bool{
	core.IntentCreateTask: true, core.IntentCreateGoal: true, core.IntentCompleteTask: true, core.IntentRescheduleTask: true,
	core.IntentLogProgress: true, core.IntentDelete: true, core.IntentEdit: true, core.IntentUndo: true, core.IntentReplan: true,
	core.IntentListTasks: true, core.IntentShowLoad: true, core.IntentShowReport: true, core.IntentShowGoals: true,
	core.IntentFocus: true, core.IntentSettings: true, core.IntentHelp: true, core.IntentPlanGoal: true, core.IntentReflect: true,
}

// readingLabel names what a reading would do: "➕ Задача «созвон с юристом»", "📋 Задачи на завтра".
func (t *turn) readingLabel(u core.Understanding) string {
	title := locale.Shorten(deref(u.Title), 28)
	if u.Intent == core.IntentListTasks && u.Due != nil && u.Period != core.PeriodWeek {
		return t.tr("as_list_day", locale.DayWord(t.lang, *u.Due, t.today))
	}
	if title != "" {
		switch u.Intent {
		case core.IntentCreateTask, core.IntentCreateGoal, core.IntentCompleteTask, core.IntentRescheduleTask,
			core.IntentDelete, core.IntentEdit, core.IntentPlanGoal:
			return t.tr("as_"+string(u.Intent)+"_title", title)
		}
	}
	return t.tr("as_" + string(u.Intent))
}

// interpret acts on the message in doubt as the intent the user picked.
func (t *turn) interpret(ctx context.Context, a core.Action) error {
	text := t.dialog.Pending
	if text == "" || !readable[a.Intent] || textHash(text) != a.Entry {
		t.refuse("stale_button") // another message was asked about since
		return nil
	}
	t.dialog.Pending = ""
	t.in.Text = text // what the reading acts on, as if typed again
	u := t.a.nlu.UnderstandAs(text, a.Intent, t.now, t.lang)
	return t.act(ctx, u)
}

// textHash names a message in doubt on its buttons: 1 … 2³¹.
func textHash(s string) int64 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return int64(h.Sum32()>>1) + 1
}

// notUnderstood answers a message the assistant could not read: in words that vary, with the
// two likeliest readings as buttons when the model has any, else the usual suggestions.
func (t *turn) notUnderstood(u core.Understanding, text string) {
	h := fnv.New32a()
	h.Write([]byte(text))
	msg := t.tr("unknown_" + string(rune('1'+h.Sum32()%3)))
	var options []core.Button
	if text != "" && !(u.Intent == core.IntentUnknown && u.Confidence >= 0.6) {
		for _, a := range u.Alternatives {
			// (help is always offered below, once)
			if a.Intent != core.IntentUnknown && a.Intent != core.IntentHelp && a.Confidence >= 0.2 && readable[a.Intent] && len(options) < 2 {
				r := t.a.nlu.UnderstandAs(text, a.Intent, t.now, t.lang)
				options = append(options, button(t.readingLabel(r), core.Action{Kind: core.ActionInterpret, Entry: textHash(text), Intent: a.Intent}))
			}
		}
	}
	if len(options) == 0 {
		t.choose(core.Text{{Text: msg + "\n" + t.tr("unknown_examples")}}, suggestionButtons(t.lang)...)
		return
	}
	t.dialog.Pending = text
	t.sayText(core.Text{{Text: msg + " " + t.tr("unknown_maybe")}}, append(options, button(t.tr("btn_help"), core.Action{Kind: core.ActionHelp}))...)
}

// questionWords open a question in either language ("do", "is" also open requests: "do taxes").
var questionWords = map[string]bool{
	"что": true, "чё": true, "че": true, "как": true, "какой": true, "какая": true, "какие": true, "когда": true, "где": true,
	"сколько": true, "почему": true, "зачем": true, "кто": true, "what": true, "what's": true, "whats": true, "when": true,
	"where": true, "how": true, "why": true, "which": true, "who": true, "anything": true, "ли": true,
}

// auxiliaries open an English question when a subject follows: "did i call ivan", "is the report
// done" ("have lunch with investors", "do the taxes" are tasks).
var auxiliaries = map[string]bool{"did": true, "is": true, "are": true, "was": true, "were": true, "has": true}

var subjects = map[string]bool{"i": true, "you": true, "we": true, "the": true, "my": true, "it": true, "this": true,
	"that": true, "there": true, "he": true, "she": true, "they": true, "our": true}

// lastQuestionWords close a question said without "?": "созвон с юристом когда".
var lastQuestionWords = map[string]bool{"когда": true, "где": true, "сколько": true, "ли": true, "when": true, "where": true}

// isQuestion reports whether text asks something: it ends with "?" or opens with a question word.
func isQuestion(text string) bool {
	s := strings.TrimSpace(text)
	if strings.HasSuffix(strings.TrimRight(s, " )!.🙂😊🤔"), "?") {
		return true
	}
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !isWordRune(r) && r != '\'' })
	if len(words) > 1 && lastQuestionWords[words[len(words)-1]] {
		return true
	}
	for i, w := range words {
		if w == "а" || w == "ну" || w == "и" || w == "so" || w == "and" {
			continue
		}
		next := ""
		if i+1 < len(words) {
			next = words[i+1]
		}
		return questionWords[w] || next == "ли" || auxiliaries[w] && subjects[next]
	}
	return false
}

package nlu

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bizconnect/bizconnect/core"
)

// Intent is what the user wants the assistant to do (the core's type).
type Intent = core.Intent

// The intents the parser recognises.
const (
	IntentCreateGoal     = core.IntentCreateGoal
	IntentCreateTask     = core.IntentCreateTask
	IntentCompleteTask   = core.IntentCompleteTask
	IntentListTasks      = core.IntentListTasks
	IntentPlanGoal       = core.IntentPlanGoal
	IntentReplan         = core.IntentReplan
	IntentLogProgress    = core.IntentLogProgress
	IntentRescheduleTask = core.IntentRescheduleTask
	IntentShowLoad       = core.IntentShowLoad
	IntentShowReport     = core.IntentShowReport
	IntentSettings       = core.IntentSettings
	IntentReflect        = core.IntentReflect
	IntentHelp           = core.IntentHelp
	IntentStart          = core.IntentStart
	IntentGreeting       = core.IntentGreeting
	IntentThanks         = core.IntentThanks
	IntentShowGoals      = core.IntentShowGoals
	IntentTeamGoals      = core.IntentTeamGoals
	IntentReportChannel  = core.IntentReportChannel
	IntentLink           = core.IntentLink
	IntentCalendar       = core.IntentCalendar
	IntentTeamRole       = core.IntentTeamRole
	IntentDelete         = core.IntentDelete
	IntentEdit           = core.IntentEdit
	IntentUndo           = core.IntentUndo
	IntentFocus          = core.IntentFocus
	IntentBurnout        = core.IntentBurnout
	IntentSmallTalk      = core.IntentSmallTalk
	IntentUnknown        = core.IntentUnknown
)

// Options carries what the parser needs besides the text.
type Options struct {
	// Now is the reference instant, already in the user's location.
	Now time.Time
	// Lang is "ru" or "en"; "" detects it per message.
	Lang string
}

// Period says whether a list or report asks about a day or a week (the core's type).
type Period = core.Period

// The periods a list_tasks (or report/load) request can ask about.
const (
	PeriodNone = core.PeriodNone
	PeriodDay  = core.PeriodDay
	PeriodWeek = core.PeriodWeek
)

// Setting names which setting a settings request changes (the core's type).
type Setting = core.Setting

// The settings a user can change by message.
const (
	SettingNone       = core.SettingNone
	SettingTimezone   = core.SettingTimezone
	SettingLanguage   = core.SettingLanguage
	SettingMorning    = core.SettingMorning
	SettingEvening    = core.SettingEvening
	SettingQuietHours = core.SettingQuietHours
	SettingPause      = core.SettingPause
	SettingResume     = core.SettingResume
	SettingShow       = core.SettingShow
	SettingCapacity   = core.SettingCapacity
	// SettingWorkingDays: SettingValue lists the days pushes come on ("12345").
	SettingWorkingDays = core.SettingWorkingDays
	// SettingWeeklyReport: SettingValue is the day ("1" = Monday), Time the time; either may be missing.
	SettingWeeklyReport = core.SettingWeeklyReport
	// SettingReminderLead: DurationMin is how long before a task its reminder comes.
	SettingReminderLead = core.SettingReminderLead
)

// Result is the parse of one message: the core's Understanding, whose JSON form is the line
// `bizconnect parse` prints. Pointer fields are nil when the slot is absent.
type Result = core.Understanding

// maxInput bounds the work on pathological input; messages longer than this are cut.
const maxInput = 64 << 10

// Parse understands one message. It never panics and always returns valid UTF-8.
//
// The rules find the slots and propose an intent; the intent model, which sees the rules'
// proposal among its features, decides. When the two disagree, the slots are read again for the
// model's intent (decide.go).
func Parse(text string, opt Options) Result {
	text, now, lang := prepare(text, opt)
	for _, rule := range []func(string, time.Time, string) (Result, bool){correction, loggedWork} {
		if r, ok := rule(text, now, lang); ok { // decided before the model, which never sees them
			return r
		}
	}
	res, p := analyzePrepared(text, now, lang)
	if p == nil || p.feats == nil {
		return res
	}
	m := intentModel()
	if m == nil {
		return res
	}
	return p.decide(m, res)
}

// analyze runs the rules and returns their result and the model's features (nil when the rules'
// verdict is final: a command, an empty message).
func analyze(text string, opt Options) (Result, []uint32) {
	res, p := analyzeParser(text, opt)
	if p == nil {
		return res, nil
	}
	return res, p.feats
}

// prepare makes text valid UTF-8 of at most maxInput bytes, and fills in the reference time and
// the language.
func prepare(text string, opt Options) (string, time.Time, string) {
	text = strings.ToValidUTF8(text, "\uFFFD")
	if len(text) > maxInput {
		text = strings.ToValidUTF8(text[:maxInput], "")
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	text = slangDays.Replace(text)
	lang := opt.Lang
	if lang != "ru" && lang != "en" {
		lang = DetectLang(text)
	}
	return text, now, lang
}

// slangDays spells out the days people write in messenger slang ("2moro", "тмрв"), which the
// tokenizer would split or not know.
var slangDays = wordReplacer{"2moro": "tomorrow", "2morrow": "tomorrow", "2mrw": "tomorrow", "2morow": "tomorrow",
	"2day": "today", "тмрв": "завтра", "завтро": "завтра"}

// wordReplacer replaces whole words (any case) by others, keeping everything else as written.
type wordReplacer map[string]string

// Replace returns text with each whole word of the map replaced.
func (r wordReplacer) Replace(text string) string {
	lower := strings.ToLower(text)
	found := false
	for w := range r {
		if strings.Contains(lower, w) {
			found = true
			break
		}
	}
	if !found {
		return text
	}
	var b strings.Builder
	start := -1
	flush := func(end int) {
		word := text[start:end]
		if to, ok := r[strings.ToLower(word)]; ok {
			b.WriteString(to)
		} else {
			b.WriteString(word)
		}
		start = -1
	}
	for i, c := range text {
		inWord := isWordRune(c) || c >= '0' && c <= '9'
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			flush(i)
		}
		if !inWord {
			b.WriteRune(c)
		}
	}
	if start >= 0 {
		flush(len(text))
	}
	return b.String()
}

func analyzeParser(text string, opt Options) (Result, *parser) {
	return analyzePrepared(prepare(text, opt))
}

// analyzePrepared is analyzeParser on text prepare made.
func analyzePrepared(text string, now time.Time, lang string) (Result, *parser) {
	if in, ok := commandWords(text); ok {
		return Result{Intent: in, Lang: lang, Confidence: confCommand}, nil
	}
	if onlyMarkup(text) { // "<script>alert(1)</script>", "<div><p></p></div>": nothing to act on
		return Result{Intent: IntentUnknown, Lang: lang}, nil
	}
	if what, ok := calendarCommand(text); ok {
		return Result{Intent: IntentCalendar, Lang: lang, SettingValue: what, Confidence: confCommand}, nil
	}
	if role, who, ok := teamRoleCommand(text); ok {
		return Result{Intent: IntentTeamRole, Lang: lang, Title: &who, SettingValue: role, Confidence: confCommand}, nil
	}
	p := newParser(text, now)
	res := p.run()
	if res.Intent == IntentUnknown && res.Time == nil && IsGreeting(text) {
		res = Result{Intent: IntentGreeting, Confidence: confPattern}
	}
	if res.Intent == IntentUnknown && IsThanks(text) {
		res = Result{Intent: IntentThanks, Confidence: confPattern}
	}
	res.Lang = lang
	if res.Confidence >= confCommand {
		p.feats = nil
	}
	if p.feats != nil {
		p.feats = ruleFeatures(p.feats, res)
	}
	return res, p
}

// onlyMarkup reports whether text has HTML-like tags and fewer than two words outside them.
func onlyMarkup(text string) bool {
	if !strings.Contains(text, "<") || !strings.Contains(text, ">") {
		return false
	}
	for _, slack := range []string{"<@", "<#", "<!", "<http", "<mailto"} {
		if strings.Contains(text, slack) {
			return false // Slack's mentions, channels and links are words, not markup
		}
	}
	var b strings.Builder
	in := false
	for _, r := range text {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
			b.WriteByte(' ')
		case !in:
			b.WriteRune(r)
		}
	}
	words := 0
	for _, w := range strings.FieldsFunc(b.String(), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if utf8.RuneCountInString(w) > 1 {
			words++
		}
	}
	return words < 2
}

// DetectLang returns "ru" when the text has Cyrillic letters and "en" otherwise.
func DetectLang(text string) string {
	for _, r := range text {
		if r >= 0x0400 && r <= 0x04FF {
			return "ru"
		}
	}
	return "en"
}

// correctionLeads start a message that corrects the day or time just said ("нет, на среду").
var correctionLeads = []string{"а лучше", "давай лучше", "хотя нет", "нет", "неа", "лучше", "не",
	"actually make it", "actually", "make it", "no", "nope", "wait", "or rather", "rather"}

// correction reads "нет, на среду", "а лучше на четверг в 10", "no, thursday", "actually make it
// friday", "wait, tuesday instead": a correction of the last task's day or time, which is a
// reschedule of the task in view (no title). Anything more than a day or time is not one.
func correction(text string, now time.Time, lang string) (Result, bool) {
	norm := strings.ToLower(strings.TrimSpace(text))
	for _, lead := range correctionLeads {
		rest, ok := strings.CutPrefix(norm, lead)
		if !ok || rest == "" {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(rest); isWordRune(r) || unicode.IsDigit(r) {
			continue // "нетворкинг", "november": a word that only starts like one
		}
		rest = strings.TrimSpace(strings.TrimSuffix(strings.Trim(rest, " ,.!:;—-"), "instead"))
		verb := "перенеси "
		if lang == "en" {
			verb = "move to "
		}
		r := newParser(verb+rest, now).run()
		if r.Intent == IntentRescheduleTask && r.Title == nil && (r.Due != nil || r.Time != nil) && r.DurationMin == nil {
			r.Lang, r.Confidence = lang, confPattern
			return r, true
		}
	}
	return Result{}, false
}

// workedLeads start a report of time spent: "spent 2 hours on logo design", "потратил 3 часа на
// презентацию".
var workedLeads = set("spent", "worked", "потратил", "потратила", "провёл", "провел", "провела", "работал", "работала",
	"занимался", "занималась", "просидел", "просидела")

// workedLinks come between the time and the work: "on", "над", "на".
var workedLinks = set("on", "over", "for", "doing", "над", "на", "с", "со")

// loggedWork reads a report of time spent on something as that thing done, taking that long (a
// task done: the one of that name, or a new one, done). Decided before the model, which never
// sees it.
func loggedWork(text string, now time.Time, lang string) (Result, bool) {
	f := strings.Fields(text)
	if len(f) < 3 || !workedLeads[strings.ToLower(f[0])] {
		return Result{}, false
	}
	r := newParser(strings.Join(f[1:], " "), now).run()
	if r.DurationMin == nil || r.Title == nil {
		return Result{}, false
	}
	words := strings.Fields(*r.Title)
	for len(words) > 0 && workedLinks[strings.ToLower(words[0])] {
		words = words[1:]
	}
	if len(words) == 0 {
		return Result{}, false
	}
	title := strings.Join(words, " ")
	return Result{Intent: IntentCompleteTask, Lang: lang, Title: &title, DurationMin: r.DurationMin, Confidence: confPattern}, true
}

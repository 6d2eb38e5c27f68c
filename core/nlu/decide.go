package nlu

import (
	"math"
	"slices"
	"strings"
	"time"
)

// decide lets the model choose the intent. When it agrees with the rules their slots stand;
// otherwise the slots are read again for the model's intent. The confidence is the model's
// calibrated probability, and the top three intents are the alternatives. The title model then
// picks the words of the title (tagger.go).
func (p *parser) decide(m *Model, rule Result) Result {
	var buf [maxClasses]float64
	probs := m.Predict(p.feats, buf[:0])
	if rule.Intent == IntentRescheduleTask && namesOne(rule.Title) {
		// replanning moves everything; "перенеси купить бумагу на пятницу" names one task to move, so
		// the model's belief in a move of any kind is a belief in this one
		re, rp := slices.Index(m.Classes, IntentRescheduleTask), slices.Index(m.Classes, IntentReplan)
		if re >= 0 && rp >= 0 {
			probs[re], probs[rp] = probs[re]+probs[rp], 0
		}
	}
	alts := rank(m.Classes, probs, 3)
	for i := range alts {
		alts[i].Confidence = math.Round(alts[i].Confidence*1000) / 1000
	}
	res, q := rule, p
	if top := alts[0].Intent; top != rule.Intent {
		q = p.again()
		res = q.buildAs(top)
		res.Lang = rule.Lang
	}
	res.Confidence = alts[0].Confidence
	res.Alternatives = alts
	return q.tagTitle(res)
}

// everything are the words that name all of a day's or a week's tasks, not one.
var everything = set("все", "всё", "everything", "all", "задачи", "tasks", "дела", "остальное", "rest", "день", "day", "неделю",
	"week", "план", "plan", "schedule", "расписание")

// namesOne reports whether a move's title names one task rather than everything.
func namesOne(title *string) bool {
	if title == nil {
		return false
	}
	for _, w := range strings.Fields(normWord(*title)) {
		if everything[strings.Trim(w, ",.!?")] {
			return false
		}
	}
	return true
}

// ParseAs reads the slots of text for a given intent, as when the user picked it from a question.
func ParseAs(text string, intent Intent, opt Options) Result {
	text, now, lang := prepare(text, opt)
	r, q := buildParsed(text, now, intent)
	r.Lang, r.Confidence = lang, 1
	return q.tagTitle(r)
}

// leadFiller are the words that open a request without meaning anything ("давай", "can you").
var leadFiller = set("давай", "давайте", "а", "ну", "можно", "можешь", "можете", "пожалуйста", "плиз", "пж", "please",
	"pls", "plz", "can", "could", "would", "you", "we", "let's", "lets", "us", "hey", "эй", "слушай", "так", "ок", "ok",
	"okay", "окей", "бот", "bot", "кстати", "btw", "so", "and", "и", "i", "мне", "me", "just", "просто", "hi", "привет",
	"бы", "oh", "ой", "o", "also", "еще", "ещё", "тоже", "then", "потом", "sorry", "извини", "u", "thx", "thanks",
	"спасибо", "спс", "ugh", "hmm", "хм", "короче", "блин", "будь", "добр", "hello", "здравствуйте",
	"пжлст", "пжл", "плс", "shall", "any", "chance", "извините", "простите", "здравствуй")

// leadPhrases open a request politely: "Добрый день, будьте добры, …", "у меня …".
var leadPhrases = phrases("добрый день", "добрый вечер", "доброе утро", "у меня", "будьте добры", "будьте любезны",
	"будьте так добры", "не могли бы вы", "если вас не затруднит", "если можно", "извините за беспокойство")

// stems mark a token whose word starts with one of them.
type stems []string

func (s stems) has(w string) bool {
	for _, st := range s {
		if strings.HasPrefix(w, st) {
			return true
		}
	}
	return false
}

// markWords marks as intent words every token named by words or stems, the filler words that
// open the message, and the words of after that follow a marked one.
func (p *parser) markWords(words map[string]bool, st stems, after map[string]bool) {
	marked := false
	for i, t := range p.toks {
		if p.kind[i] != skNone || t.kind == tkNum {
			continue
		}
		switch {
		case words[t.s] || t.kind == tkWord && st.has(t.s):
			p.kind[i], marked = skIntent, true
		case marked && after[t.s] && i > 0 && p.kind[i-1] == skIntent:
			p.kind[i] = skIntent
		}
	}
	p.markFiller()
}

// markFiller marks the filler words and punctuation that open the message.
func (p *parser) markFiller() {
	for i := 0; i < len(p.toks); i++ {
		t := p.toks[i]
		if p.kind[i] == skIntent {
			continue
		}
		if n := p.prefixAt(i, leadPhrases); n > 0 && p.kind[i] == skNone {
			p.mark(i, n, skIntent)
			i += n - 1
			continue
		}
		if p.kind[i] != skNone || !(t.kind == tkPunct || leadFiller[t.s]) {
			return
		}
		p.kind[i] = skIntent
	}
}

var (
	completeMarkers = set("готово", "готов", "готова", "сделано", "сделал", "сделала", "сделали", "выполнено",
		"выполнил", "выполнила", "выполнили", "выполнена", "done", "finished", "completed", "complete", "вычеркивай",
		"отметьте", "вычеркните", "выполненной", "выполненный", "выполненным", "отметить", "вычеркнуть",
		"вычеркни", "зачеркни", "вычеркиваем", "отметь", "mark", "cross", "✅", "✔", "☑",
		"закрой", "закрыта", "закрыто", "всё", "все", "check", "tick", "ticked", "off", "задачу", "task", "#", "номер", "close",
		"number", "it's", "its", "is", "as", "ok", "ок", "уже", "already")
	completeAfter = set("the", "задачу", "off", "as", "done", "что", "that", "it")

	rescheduleStems = stems{"перенес", "перенос", "перенёс", "сдвин", "сдвиг", "передвин", "отлож", "перестав",
		"переназнач", "move", "moving", "push", "postpon", "reschedul", "shift", "bump", "delay", "перекин", "подвин",
		"перне", "перенс", "перенз", "переназ", "перест", "передв", "пересен", "resched", "reschd", "postpn", "перено",
		"slide"}
	rescheduleWords = set("instead", "вместо", "later", "позже", "попозже", "пораньше", "earlier", "давай", "плз", "pls",
		"please", "пожалуйста", "it", "её", "ее", "его", "не", "успеваю", "успею", "can't", "cant", "make", "won't",
		"можешь", "можно", "поставить", "поменяй", "время", "time", "change", "переставить", "be", "shall", "we", "any",
		"chance", "slide", "slides", "moving", "moved", "раньше", "going", "gonna")
	rescheduleAfter = set("the", "my", "a", "it")

	deleteStems = stems{"удал", "удол", "убер", "убр", "сотр", "стер", "delet", "remov", "scrap", "drop", "выкин", "выброс",
		"отмен", "cancel"}
	deleteWords = set("rid", "get", "erase", "trash", "bin", "kill", "take", "нафиг", "вообще", "больше", "не", "нужна",
		"нужно", "нужен", "надо", "need", "needed", "don't", "dont", "anymore", "из", "списка", "list", "from", "off",
		"задачу", "задача", "task", "цель", "goal", "её", "ее", "его", "it", "эту", "этот", "это")
	deleteAfter = set("the", "my", "a", "задачу", "цель", "task", "goal", "of")
	// deleteState say why a task goes: "landlord meeting got cancelled", "демо слетело"
	deleteState = set("got", "is", "isnt", "isn't", "was", "fell", "слетело", "слетел", "слетела", "отменили", "отменился",
		"отменилась", "отменилось", "не", "not", "no", "уже", "already", "больше", "anymore", "cancelled", "canceled")

	planStems = stems{"распиш", "расплан", "сплан", "составь", "разбей", "декомпоз", "plan", "break"}
	planWords = set("план", "плана", "шаги", "шагов", "steps", "down", "into", "по", "для", "цели", "цель", "goal",
		"for", "the", "my", "a", "на", "как", "how", "мне", "do", "i", "get", "to", "дойти", "достичь", "reach")
)

// SaysCancelled reports whether text says a task was called off ("созвон отменился", "the call got
// cancelled"): it is to be deleted, not completed.
func SaysCancelled(text string) bool {
	toks := tokenize(text)
	named := false // the words naming the task come first: "отменить бронь отеля готово" is a done task
	for i, t := range toks {
		if t.kind != tkWord {
			continue
		}
		if named && (strings.HasPrefix(t.s, "отмен") || strings.HasPrefix(t.s, "cancel") || strings.HasPrefix(t.s, "слетел") ||
			t.s == "called" && i+1 < len(toks) && toks[i+1].s == "off") {
			return true
		}
		named = true
	}
	return false
}

// NamesMove reports whether text says to move something ("перенеси", "push", "сдвинем"), rather
// than only naming a day ("звонок поставщику в понедельник").
func NamesMove(text string) bool {
	for _, t := range tokenize(text) {
		if t.kind == tkWord && (rescheduleStems.has(t.s) || t.s == "instead" || t.s == "вместо") {
			return true
		}
	}
	return false
}

// buildParsed reads text's slots for intent, and returns the parser that read them.
func buildParsed(text string, now time.Time, intent Intent) (Result, *parser) {
	q := newParser(text, now)
	q.scanGeneric()
	return q.buildAs(intent), q
}

// buildAs fills the slots of intent from a scanned message.
func (q *parser) buildAs(intent Intent) Result {
	text := q.text
	switch intent {
	case IntentCreateTask:
		if n := q.prefixAt(q.leadEnd(), taskPrefix); n > 0 {
			q.markLead(q.leadEnd(), n, taskSkip)
		}
		q.markFiller()
		return q.buildTask(confGuess)
	case IntentCreateGoal:
		i := q.leadEnd()
		if n := q.prefixAt(i, goalPrefix); n > 0 {
			q.markLead(i, n, goalSkip)
		} else if n := q.prefixAt(i, wantPrefix); n > 0 {
			q.markLead(i, n, nil)
		}
		q.markFiller()
		return q.buildGoal(confGuess)
	case IntentCompleteTask:
		q.markWords(completeMarkers, nil, completeAfter)
		return q.buildComplete()
	case IntentRescheduleTask:
		q.markWords(rescheduleWords, rescheduleStems, rescheduleAfter)
		return q.buildReschedule()
	case IntentLogProgress:
		return q.buildLooseProgress()
	case IntentListTasks:
		r := q.withPeriod(Result{Intent: intent})
		if r.Period == PeriodNone {
			d := q.today
			r.Due, r.Period = &d, PeriodDay
		}
		return r
	case IntentShowLoad, IntentShowReport, IntentReplan:
		return q.withPeriod(Result{Intent: intent})
	case IntentSettings:
		if r, ok := classifySettings(q); ok {
			return r
		}
		if r, ok := q.capacity(); ok {
			return r
		}
		return Result{Intent: intent}
	case IntentReflect:
		r := Result{Intent: intent}
		q.scanLevels(&r)
		r.Notes = strPtr(strings.TrimSpace(text))
		return r
	case IntentPlanGoal:
		q.markWords(planWords, planStems, nil)
		return Result{Intent: intent, Title: q.title(skDate)}
	case IntentDelete:
		r := Result{Intent: intent, Subject: q.subject()}
		q.markWords(deleteWords, deleteStems, deleteAfter)
		q.markReferLead()
		q.cutAtState(deleteState)
		r.Title = q.referTitle(skDate, skTime)
		if q.s.hasDate { // "удали все задачи на субботу", "вебинар 10 декабря отменили"
			r.Due = datePtr(q.deadline())
		}
		return r
	case IntentEdit:
		return q.buildEdit()
	}
	return Result{Intent: intent}
}

// leadEnd is the index of the first token after the opening filler.
func (p *parser) leadEnd() int {
	i := p.firstContent()
	for i < len(p.toks) {
		if n := p.prefixAt(i, leadPhrases); n > 0 {
			i += n
			continue
		}
		if !(p.toks[i].kind == tkPunct || leadFiller[p.toks[i].s] || p.kind[i] != skNone && p.kind[i] != skIntent ||
			preps[p.toks[i].s] && i+1 < len(p.kind) && p.kind[i+1] != skNone) {
			break
		}
		i++ // fillers, and the day, time or estimate said first: "каждый понедельник мне нужно …"
	}
	return i
}

var (
	goalNouns = set("цель", "цели", "целью", "целей", "goal", "goals", "target", "таргет", "objective")
	taskNouns = set("задачу", "задача", "задачи", "задаче", "task", "tasks", "todo", "дело")
)

// subject says whether the message names a goal or a task, "" when it doesn't.
func (p *parser) subject() string {
	for _, t := range p.toks {
		switch {
		case goalNouns[t.s]:
			return "goal"
		case taskNouns[t.s]:
			return "task"
		}
	}
	return ""
}

// buildLooseProgress reads a progress report the rules did not recognise: the amount, whether it
// adds ("ещё", "more", "+"), and the metric it is about as the title.
func (p *parser) buildLooseProgress() Result {
	a, ok := p.findAmount(true)
	if !ok {
		return Result{Intent: IntentLogProgress, Title: p.metricTitle()}
	}
	r := p.buildProgress(a, p.adds(a))
	r.Confidence = confGuess
	return r
}

// metricTitle is the word that names a metric ("выручка", "clients"), if the message has one.
func (p *parser) metricTitle() *string {
	for _, t := range p.toks {
		if t.kind == tkWord && metricOf(t.s) != "" {
			s := p.text[t.start:t.end]
			return &s
		}
	}
	return nil
}

var perDay = set("день", "day", "daily", "дня", "сутки", "workday", "рабочий", "ежедневно", "everyday")

var capacityWords = set("рабочий", "работаю", "работать", "могу", "can", "workday", "work", "working", "capacity",
	"available", "day", "день", "в", "a", "per", "daily", "hours", "часов", "часа", "час", "ч", "h", "hrs")

// capacity reads a daily capacity: "рабочий день у меня 6 часов", "i can do 4 hours a day",
// "20 hours a week" (a fifth of it a day).
func (p *parser) capacity() (Result, bool) {
	if p.s.dur <= 0 || !p.hasWord(capacityWords) || !p.hasWord(perDay) && !p.hasWord(weekUnit) || p.s.hasDate {
		return Result{}, false // "I can work 3 hours today on the report" is no setting
	}
	minutes := p.s.dur
	if p.hasWord(weekUnit) {
		minutes /= 5
	}
	if minutes < 30 || minutes > 16*60 {
		return Result{}, false
	}
	return Result{Intent: IntentSettings, Setting: SettingCapacity, DurationMin: intPtr(minutes), Confidence: confPattern}, true
}

var (
	renameStems = stems{"переимен", "renam", "назови", "назвать", "title"}
	editWords   = set("поменяй", "поменять", "измени", "изменить", "change", "set", "make", "сделай", "поставь", "update",
		"обнови", "исправь", "fix", "edit", "отредактируй", "поправь", "lower", "raise", "понизь", "повысь", "put",
		"выстави", "название", "name", "title", "оценку", "оценка", "estimate", "приоритет", "priority", "срок",
		"теперь", "now", "should", "be", "to", "the", "of", "на", "в", "it", "its", "it's", "у", "is", "описание",
		"description", "target", "таргет", "сумму", "цифру", "number", "займет", "займут", "занимает", "takes", "take",
		"сократи", "увеличь", "уменьши", "оценкой", "оценки", "низкий", "высокий", "средний",
		"low", "high", "medium", "higher", "up", "down", "bump", "ставь", "mark",
		"длительность", "duration", "оцени", "подними", "опусти", "only", "всего", "top", "will",
		"note", "заметку", "добавь", "add", "поставить", "поднять", "понизить", "повысить", "опустить", "же",
		"можешь", "можно", "до", "закладывай", "заложи", "planned")
	editTo    = set("to", "в", "на", "as", "into", "→", "->")
	editAfter = set("for", "on", "of", "у", "для", "the", "задачи", "задаче", "цели")
)

// buildEdit reads a change to a task or goal: a new title after "to"/"в", a priority, an
// estimate, a new target; the rest names what changes.
func (p *parser) buildEdit() Result {
	r := Result{Intent: IntentEdit, Confidence: confGuess, Subject: p.subject()}
	p.markNotTail()
	if p.s.prio > 0 {
		r.Priority = intPtr(p.s.prio)
	} else if p.hasWord(priorityNouns) { // "поменяй приоритет у ревью кода на низкий"
		for _, t := range p.toks {
			if v, ok := priorityLevels[t.s]; ok {
				r.Priority = intPtr(v)
			}
		}
	}
	if p.s.dur > 0 {
		r.DurationMin = intPtr(p.s.dur)
	}
	rename := -1
	for i, t := range p.toks {
		if t.kind == tkWord && renameStems.has(t.s) {
			rename = i
			break
		}
	}
	if rename >= 0 {
		for j := rename + 1; j < len(p.toks); j++ {
			if !editTo[p.toks[j].s] || p.kind[j] != skNone {
				continue
			}
			if nt := strings.TrimSpace(strings.Trim(strings.TrimFunc(p.text[p.toks[j].end:], trimRune), "\"'«»“” ")); nt != "" {
				r.NewTitle = &nt
				p.mark(j, len(p.toks)-j, skIntent)
			}
			break
		}
	}
	if r.NewTitle == nil && r.Priority == nil && r.DurationMin == nil {
		for i := 0; i < len(p.toks); i++ { // "цель выручка 3 млн поменяй на 4 млн": the last figure is the new one
			if p.kind[i] != skNone {
				continue
			}
			a, ok := p.amountAt(i)
			if !ok {
				continue
			}
			p.mark(a.start, a.end-a.start, skAmount)
			if a.unit == nil || *a.unit != "%" {
				r.Target, r.Unit = floatPtr(a.value), a.unit
			}
			i = a.end - 1
		}
	}
	for i, t := range p.toks {
		if p.kind[i] == skNone && (editWords[t.s] || goalNouns[t.s] || taskNouns[t.s] || t.kind == tkWord && renameStems.has(t.s) ||
			editAfter[t.s] && i > 0 && p.kind[i-1] == skIntent) {
			p.kind[i] = skIntent
		}
	}
	p.markFiller()
	p.markReferLead()
	r.Title = p.referTitle(skDate, skTime, skPrio, skDur, skAmount)
	return r
}

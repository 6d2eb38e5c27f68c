package nlu

import (
	"strings"
	"unicode/utf8"

	"github.com/bizconnect/bizconnect/core"
)

var taskPrefix = phrases("добавь задачу", "добавить задачу", "новая задача", "создай задачу", "создать задачу", "задача",
	"задачу", "напомни мне", "напомни", "напомнить", "напомни мне про", "напомни про", "remind me to", "remind me",
	"remind me about", "add task", "add a task", "new task", "create task", "create a task", "task", "todo", "to-do",
	"to do", "надо", "нужно", "мне нужно", "мне надо", "need to", "i need to", "i have to", "have to", "не забыть",
	"не забудь", "don't forget to", "запиши", "запланируй", "schedule", "add", "добавь", "please", "пожалуйста",
	"please add", "пожалуйста добавь", "можешь добавить", "can you add", "запиши задачу", "запиши мне", "надо бы", "нужно бы",
	"не забыть бы", "пожалуйста напомни", "напомни пожалуйста", "i have a", "i have an", "i've got a", "ive got a", "gotta",
	"got to", "pls add", "plz add", "pls", "plz", "поставь задачу", "закинь задачу", "закинь", "put", "put on my list",
	"add to my list", "add to the list", "добавь в список", "i need to", "we need to", "нам надо", "нам нужно", "мне бы",
	"надо будет", "нужно будет", "i should", "should", "add a reminder to", "a reminder to", "add a task to", "a task to",
	"remind me to", "deadline", "дедлайн", "напоминание", "add reminder", "reminder", "добавишь", "добавишь задачу",
	"поставишь", "поставишь задачу", "запишешь", "запишешь задачу", "закинь задачку", "задачку", "можно задачу", "можешь поставить",
	"можешь записать", "можешь добавить задачу", "can you add a", "could you add", "could you add a", "could you put",
	"could you put a", "can you put", "can you put a", "can i get a task", "can i get a task for", "add a", "put a",
	"schedule a", "book a", "новую задачу", "create a", "set up a", "set a reminder to", "запишите", "запишите задачу",
	"добавьте", "добавьте задачу", "добавьте срочную задачу", "поставьте", "поставьте мне", "напомните", "напомните мне",
	"напоминайте мне", "напоминайте", "запишите мне", "можно задачу", "можно ещё одну задачу", "ещё одну задачу", "записать",
	"добавить задачу", "добавить", "не могли бы вы добавить задачу", "задачу без срока", "добавить задачу без срока")

var taskSkip = set("что", "that", "about", "про", "to", "задачу", "задача", "бы", "пожалуйста", "please", "мне")

// classifyTask accepts task keywords, sentences with task slots and sentences that start with an action.
func classifyTask(p *parser) (Result, bool) {
	i := p.firstContent()
	if n := p.prefixAt(p.leadEnd(), taskPrefix); n > 0 && p.leadEnd()+n < len(p.toks) {
		i = p.leadEnd() // "hey, can you add …", "thx, and also remind me to …"
	}
	if n := p.prefixAt(i, taskPrefix); n > 0 && i+n < len(p.toks) {
		p.markLead(i, n, taskSkip)
		return p.buildTask(confKeyword), true
	}
	if smalltalk(p) {
		return Result{}, false
	}
	s := &p.s
	if (s.hasDate || s.hasTime || s.hasSoft || s.prio > 0 || s.rec != nil || s.dur > 0) && p.title(skDate, skTime, skDur, skPrio, skRecur) != nil {
		return p.buildTask(confSlots), true
	}
	if looksLikeAction(p) {
		return p.buildTask(confGuess), true
	}
	return Result{}, false
}

// buildTask fills a create_task.
func (p *parser) buildTask(conf float64) Result {
	r := Result{Intent: IntentCreateTask, Confidence: conf}
	p.markRequestBeforeColon()
	p.hourAfterDay()
	r.Title = p.title(skDate, skTime, skDur, skPrio, skRecur)
	s := &p.s
	if s.hasTime || s.hasSoft {
		c := p.taskTime(s.time, s.bare)
		if !s.hasTime {
			c = s.soft
		}
		r.Time = &c
	}
	switch {
	case s.hasDate:
		r.Due = datePtr(p.deadline())
	case s.rec != nil:
		r.Due = datePtr(p.firstOccurrence(s.rec))
	case r.Time != nil:
		r.Due = datePtr(p.dayForTime(*r.Time))
	}
	if s.rec != nil {
		r.Recurrence = strPtr(s.rec.rrule(p.today))
	}
	if s.dur > 0 {
		r.DurationMin = intPtr(s.dur)
	} else if s.hasTime && s.hasEnd && s.end > timeOr(r.Time, 0) {
		r.DurationMin = intPtr(int(s.end - *r.Time))
	}
	if s.prio > 0 {
		r.Priority = intPtr(s.prio)
	}
	return r
}

// hourAfterDay reads a bare hour said last, right after a day, as the time: "встреча с
// дендрологом вт 3", "arborist meeting tue 3". Not after a deadline word ("отчёт к пт 2" is a
// count, or nothing) nor after a span ("next week 3"), and only at the very end.
func (p *parser) hourAfterDay() {
	i := p.lastContent()
	if p.s.hasTime || i < 1 || p.kind[i] != skNone || p.kind[i-1] != skDate || p.digits(i) > 2 || !p.toks[i].sp || deadlineWords[p.w(i-2)] {
		return
	}
	if _, weekday := weekdayWords[p.w(i-1)]; !weekday && !dayWords[p.w(i-1)] {
		return
	}
	for j := i + 1; j < len(p.toks); j++ {
		if s := p.toks[j].s; s != "." && s != "!" && s != "?" {
			return // "с пн 10%", "завтра 2+"
		}
	}
	if n := p.num(i); n >= 1 && n <= 23 {
		p.mark(i, 1, skTime)
		p.apply(hit{n: 1, kind: skTime, hasClock: true, clock: core.NewClockTime(n, 0), bare: n <= 12})
	}
}

// dayWords name one day; deadlineWords say "by" it.
var (
	dayWords      = set("сегодня", "завтра", "послезавтра", "today", "tomorrow", "tmrw", "tmr", "tonight")
	deadlineWords = set("к", "до", "by", "due", "before", "until", "till")
)

func timeOr(t *core.ClockTime, def core.ClockTime) core.ClockTime {
	if t == nil {
		return def
	}
	return *t
}

// taskTime applies the business-hours reading of a bare hour: "в 3" / "at 3" is 15:00.
func (p *parser) taskTime(c core.ClockTime, bare bool) core.ClockTime {
	if bare && c.Hour() >= 1 && c.Hour() <= 6 {
		return c + 12*60
	}
	if bare && c.Hour() < 12 && p.s.hasSoft && p.s.soft >= core.NewClockTime(17, 0) { // "tonight at eight", "вечером в 8"
		return c + 12*60
	}
	return c
}

// dayForTime is today when the time is still ahead, else tomorrow.
func (p *parser) dayForTime(c core.ClockTime) core.Date {
	if int(c) <= p.now.Hour()*60+p.now.Minute() {
		return p.today.AddDays(1)
	}
	return p.today
}

// buildComplete fills a complete_task: the title identifies the task, without the verbs that
// say it is done ("созвон с юристом провели", "invoices sent").
func (p *parser) buildComplete() Result {
	p.markDoneVerbs()
	p.markReferLead()
	p.cutAfterName(func(i int, t token) bool {
		return p.kind[i] == skIntent || pastVerb(t.s) || completeMarkers[t.s] && t.s != "ok" && t.s != "ок"
	}) // "визитки забрал из типографии", "пересчёт кассы готов, расхождение нашла": the name comes before
	return Result{Intent: IntentCompleteTask, Confidence: confKeyword, Title: p.referTitle()}
}

// doneTail are the words after a comma that only ask to tick the task off ("…, можно закрывать").
var doneTail = set("можно", "закрывать", "закрывай", "отметь", "отмечай", "вычеркивай", "вычеркни", "ставь", "галочку",
	"mark", "it", "tick", "off", "cross", "check", "наконец", "наконецто", "finally", "уже", "already", "все", "всё",
	"ура", "yay", "woohoo", "today", "сегодня", "yesterday", "вчера", "just", "только", "что", "up", "finaly", "наконец-то",
	"w", "w/", "with", "the", "ready", "готов", "is", "are", "was", "were", "close", "закрой", "it", "its", "отметьте",
	"вычеркните", "выполненной", "выполненный", "пожалуйста", "задачу", "это")

// markDoneVerbs marks the past-tense verbs and participles at either end of the message, and
// a closing "можно закрывать", as intent words.
func (p *parser) markDoneVerbs() {
	first, last := p.firstContent(), p.lastContent()
	for last > first && (p.kind[last] != skNone || doneTail[p.toks[last].s] || pastVerb(p.toks[last].s)) {
		p.kind[last] = skIntent
		last--
		for last > first && p.toks[last].kind == tkPunct {
			p.kind[last] = skIntent
			last--
		}
	}
	for first < last && (doneTail[p.toks[first].s] || pastVerb(p.toks[first].s)) {
		p.kind[first] = skIntent
		first++
	}
}

// pastVerb reports whether w looks like a past-tense verb or a passive participle:
// "провели", "отправил", "сделан", "отправлено", "sent", "finished".
func pastVerb(w string) bool {
	if notPast[w] {
		return false
	}
	n := utf8.RuneCountInString(w)
	for _, e := range pastEndings {
		if strings.HasSuffix(w, e) && n >= utf8.RuneCountInString(e)+3 {
			return true
		}
	}
	return n >= 5 && strings.HasSuffix(w, "ed") || pastWords[w]
}

var (
	pastEndings = []string{"ал", "ала", "али", "ало", "ял", "яла", "яли", "ил", "ила", "или", "ило", "ел", "ела", "ели",
		"ыл", "ыла", "ыли", "ул", "ула", "ули", "лся", "лась", "лись", "лен", "лена", "лено", "лены", "чен", "чена", "чено",
		"шен", "шена", "шено", "жен", "щен", "ован", "ована", "овано", "ованы", "сан", "сана", "сано", "лан", "лана",
		"лано", "дан", "дана", "дано", "тан", "тано", "нен", "ден", "дена", "дено", "вен", "ена", "ено", "ены", "рен",
		"рено", "рена", "ит", "ита", "ито", "шон", "жон"}
	pastWords = set("sent", "done", "paid", "sold", "built", "made", "bought", "wrote", "written", "met", "sorted", "shipped",
		"did", "got", "went", "had", "ran", "took", "gave", "put", "read", "caught", "finished", "fixed",
		"готово", "готов", "готова", "сделано", "сдал", "сдала", "сдали", "взял", "взяли", "нашел", "нашли", "прошел")
	notPast = set("канал", "сигнал", "материал", "капитал", "персонал", "финал", "журнал", "портал", "терминал", "скандал",
		"идеал", "профиль", "апрель", "отель", "модель", "цели", "дели", "недели", "модели", "детали", "file", "feed",
		"need", "speed", "seed", "bed", "red", "shed", "embed", "кредит", "депозит", "лимит", "визит", "аудит", "бюджет",
		"сайт", "счет", "отчет", "кабинет", "магазин", "ресторан", "баннер", "плен", "член", "клиент", "контент",
		"документ", "процент", "менеджмент", "ремонт", "фасад", "склад", "подарок", "тендер")
)

// newDate is the date said after "на"/"to"/"until" in a move, when one is: "перенесём на понедельник,
// в пятницу она не сможет".
func (p *parser) newDate() *core.Date {
	for i := 1; i < len(p.toks); i++ {
		if p.kind[i] != skDate || p.kind[i-1] == skDate {
			continue
		}
		if w := p.w(i - 1); w == "на" || w == "to" || w == "until" || w == "till" || w == "for" {
			h := matchDate(p, i)
			if h.hasDate {
				return datePtr(h.date)
			}
		}
	}
	return nil
}

// buildReschedule fills a reschedule_task: the last date and time said are the new ones; "на
// 11" is a time here.
func (p *parser) buildReschedule() Result {
	r := Result{Intent: IntentRescheduleTask, Confidence: confKeyword}
	s := &p.s
	if !s.hasTime {
		for i := range p.toks {
			if (p.w(i) == "на" || p.w(i) == "to") && p.kind[i] == skNone && i+1 < len(p.toks) && p.kind[i+1] == skNone {
				if h := p.clockAt(i+1, true); h.n > 0 {
					p.mark(i, h.n+1, skTime)
					s.hasTime, s.time, s.bare, s.lastTime, s.lastBare = true, h.clock, h.bare, h.clock, h.bare
					break
				}
			}
		}
	}
	p.markNotTail()
	p.markReferLead()
	if !rescheduleStems.has(p.w(p.leadEnd())) { // "забрать заказ перенеси …", not "перенеси ревью push-уведомлений"
		p.cutAfterName(func(i int, t token) bool {
			return rescheduleStems.has(t.s) && !strings.HasPrefix(t.s, "перенос") && !strings.Contains(t.s, "-")
		})
	}
	r.Title = p.referTitle(skDate, skTime, skDur) // "забрать заказ перенеси на пятницу, там сказали…": the name
	if s.hasTime {
		r.Time = clockPtr(p.taskTime(s.lastTime, s.lastBare))
	}
	switch {
	case s.hasDate && s.lastDate == s.date:
		r.Due = datePtr(p.deadline())
	case s.hasDate && p.newDate() != nil:
		r.Due = p.newDate()
	case s.hasDate:
		r.Due = datePtr(s.lastDate)
	} // a time alone ("перенеси на 16:00", "make it 4pm") keeps the task's day: Due stays nil
	return r
}

var smalltalkWords = set("привет", "здравствуй", "здравствуйте", "hi", "hello", "hey", "спасибо", "thanks", "thank",
	"you", "ok", "ок", "окей", "okay", "да", "нет", "yes", "no", "lol", "хаха", "пока", "bye", "как", "дела", "how",
	"are", "доброе", "утро", "good", "morning", "night", "спокойной", "ночи", "круто", "cool", "great", "отлично", "хорошо")

func smalltalk(p *parser) bool {
	for i, t := range p.toks {
		if t.kind == tkWord && !smalltalkWords[t.s] && p.kind[i] == skNone {
			return false
		}
	}
	return true
}

var actionWords = set("call", "email", "send", "write", "buy", "pay", "meet", "prepare", "review", "check", "finish",
	"book", "order", "fix", "update", "read", "submit", "visit", "text", "ping", "ask", "clean", "cook", "go", "pick",
	"make", "draft", "sign", "file", "renew", "cancel", "contact", "follow", "reply", "talk", "discuss", "organize",
	"plan", "finalize", "print", "deliver", "ship", "publish", "post", "record", "test", "deploy", "invite", "schedule",
	"созвон", "звонок", "встреча", "встречу", "митинг", "презентация", "презентацию", "письмо", "оплата", "отчет",
	"позвони", "напиши", "отправь", "купи", "сделай", "подготовь", "проверь", "забери", "закажи", "оплати", "встреться")

// looksLikeAction reports whether the message starts like a to-do: an action verb or noun, or a
// Russian infinitive.
func looksLikeAction(p *parser) bool {
	w := p.w(p.firstContent())
	if actionWords[w] {
		return true
	}
	return utf8.RuneCountInString(w) >= 4 && infinitive(w)
}

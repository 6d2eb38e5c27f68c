package nlu

import "github.com/bizconnect/bizconnect/core"

var taskPrefix = phrases("добавь задачу", "добавить задачу", "новая задача", "создай задачу", "создать задачу", "задача",
	"задачу", "напомни мне", "напомни", "напомнить", "напомни мне про", "напомни про", "remind me to", "remind me",
	"remind me about", "add task", "add a task", "new task", "create task", "create a task", "task", "todo", "to-do",
	"to do", "надо", "нужно", "мне нужно", "мне надо", "need to", "i need to", "i have to", "have to", "не забыть",
	"не забудь", "don't forget to", "запиши", "запланируй", "schedule", "add", "добавь", "please", "пожалуйста",
	"please add", "пожалуйста добавь", "можешь добавить", "can you add", "запиши задачу", "запиши мне", "надо бы", "нужно бы",
	"не забыть бы", "пожалуйста напомни", "напомни пожалуйста", "i have a", "i have an", "i've got a", "ive got a", "gotta",
	"got to", "pls add", "plz add", "pls", "plz", "поставь задачу", "закинь задачу", "закинь", "put", "put on my list",
	"add to my list", "add to the list", "добавь в список", "i need to", "we need to", "нам надо", "нам нужно", "мне бы",
	"надо будет", "нужно будет", "i should", "should")

var taskSkip = set("что", "that", "about", "про", "to", "задачу", "задача", "бы", "пожалуйста", "please", "мне")

// classifyTask accepts task keywords, sentences with task slots and sentences that start with an action.
func classifyTask(p *parser) (Result, bool) {
	i := p.firstContent()
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
	return c
}

// dayForTime is today when the time is still ahead, else tomorrow.
func (p *parser) dayForTime(c core.ClockTime) core.Date {
	if int(c) <= p.now.Hour()*60+p.now.Minute() {
		return p.today.AddDays(1)
	}
	return p.today
}

// buildComplete fills a complete_task: the title identifies the task.
func (p *parser) buildComplete() Result {
	return Result{Intent: IntentCompleteTask, Confidence: confKeyword, Title: p.title()}
}

// buildReschedule fills a reschedule_task: the last date and time said are the new ones.
func (p *parser) buildReschedule() Result {
	r := Result{Intent: IntentRescheduleTask, Confidence: confKeyword}
	r.Title = p.title(skDate, skTime)
	s := &p.s
	if s.hasTime {
		r.Time = clockPtr(p.taskTime(s.lastTime, s.lastBare))
	}
	switch {
	case s.hasDate && s.lastDate == s.date:
		r.Due = datePtr(p.deadline())
	case s.hasDate:
		r.Due = datePtr(s.lastDate)
	case r.Time != nil:
		r.Due = datePtr(p.dayForTime(*r.Time))
	}
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
	r := []rune(w)
	if len(r) < 4 {
		return false
	}
	end := string(r[len(r)-2:])
	return end == "ть" || end == "ти" || end == "чь" || string(r[len(r)-4:]) == "ться"
}

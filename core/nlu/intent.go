package nlu

// Confidence levels: what kind of evidence an intent rests on.
const (
	confCommand = 1.0  // a slash command
	confKeyword = 0.9  // an explicit keyword ("цель:", "перенеси", "done:")
	confPattern = 0.8  // a clear shape ("выручка +50к", "что на сегодня")
	confSlots   = 0.75 // a sentence with a date, time or priority: a task
	confGuess   = 0.6  // a sentence that starts with an action
	confUnknown = 0.2
)

// classifier tries one intent; the first that accepts the message wins.
type classifier func(p *parser) (Result, bool)

var classifiers = []classifier{
	classifyHelp, classifySettings, classifyReflect, classifyReplan, classifyReschedule,
	classifyComplete, classifyView, classifyPlanGoal, classifyGoalKeyword, classifyProgress,
	classifyGoalSoft, classifyTask,
}

// run classifies the message and fills the slots of the intent found.
func (p *parser) run() Result {
	if p.firstContent() == len(p.toks) {
		return Result{Intent: IntentUnknown}
	}
	p.scanGeneric()
	p.feats = p.baseFeatures(make([]uint32, 0, 16*len(p.toks)+16))
	if r, ok := p.slashCommand(); ok {
		return r
	}
	for _, c := range classifiers {
		if r, ok := c(p); ok {
			return r
		}
	}
	// A lone time or date ("8:30", "в 9", "на понедельник") answers a question such as "when
	// should I send the morning plan?" or "to when should I move it?": keep it, as written, for
	// the dialog that asked.
	r := Result{Intent: IntentUnknown, Confidence: confUnknown}
	if p.s.hasTime {
		c := p.s.time
		r.Time = &c
	}
	if p.s.hasDate {
		r.Due = datePtr(p.deadline())
	}
	return r
}

var helpPhrases = phrases("помощь", "помоги", "help", "справка", "команды", "commands", "хелп", "start", "старт",
	"инструкция", "что ты умеешь", "что ты можешь", "что умеешь", "что можешь", "что ты умеешь делать",
	"what can you do", "what do you do", "how does this work", "how does it work", "how to use",
	"как пользоваться", "как это работает", "как тобой пользоваться", "help me", "show help", "покажи помощь",
	"what are the commands", "какие команды", "список команд")

var helpFiller = set("please", "пожалуйста", "бот", "bot", "мне", "а", "ну", "hey", "привет", "hi", "hello")

func classifyHelp(p *parser) (Result, bool) {
	if len(p.toks) == 1 && p.punct(0, "?") {
		return Result{Intent: IntentHelp, Confidence: confPattern}, true
	}
	i := p.firstContent()
	for i < len(p.toks) && (p.toks[i].kind == tkPunct || helpFiller[p.toks[i].s]) {
		i++
	}
	n := p.prefixAt(i, helpPhrases)
	if n == 0 {
		return Result{}, false
	}
	for j := i + n; j < len(p.toks); j++ {
		if p.toks[j].kind != tkPunct && !helpFiller[p.toks[j].s] {
			return Result{}, false
		}
	}
	return Result{Intent: IntentHelp, Confidence: confKeyword}, true
}

var replanPhrases = phrases("перепланируй", "перепланировать", "перепланируйте", "перепланирование", "перепланируем",
	"перестрой план", "пересобери план", "пересобери неделю", "пересобери день", "пересчитай план",
	"replan", "re-plan", "rebalance", "overloaded", "overwhelmed", "перегружен", "перегружена", "перегрузка",
	"не успеваю", "ничего не успеваю", "слишком много задач", "too many tasks", "too much on my plate",
	"reschedule everything", "reschedule all", "перенеси все", "разгрузи", "разгрузи меня")

func classifyReplan(p *parser) (Result, bool) {
	if i, _ := p.findPhrase(replanPhrases); i < 0 {
		return Result{}, false
	}
	return p.withPeriod(Result{Intent: IntentReplan, Confidence: confKeyword}), true
}

var reschedulePrefix = phrases("перенеси", "перенести", "перенесите", "передвинь", "передвинуть", "сдвинь", "сдвинуть",
	"отложи", "отложить", "переставь", "переназначь", "move", "reschedule", "postpone", "push", "shift", "delay",
	"please move", "пожалуйста перенеси", "можешь перенести", "can you move")

func classifyReschedule(p *parser) (Result, bool) {
	i := p.firstContent()
	n := p.prefixAt(i, reschedulePrefix)
	if n == 0 {
		return Result{}, false
	}
	p.markLead(i, n, nil)
	return p.buildReschedule(), true
}

var completePrefix = phrases("сделал", "сделала", "сделали", "сделано", "сделана", "готово", "готов", "готова",
	"выполнил", "выполнила", "выполнено", "выполнена", "закончил", "закончила", "завершил", "завершила",
	"закрыл", "закрыла", "закрой", "закрой задачу", "done", "done with", "finished", "i finished", "i've finished",
	"i have finished", "completed", "i completed", "i've completed", "complete", "complete task", "i did", "i've done",
	"i have done", "did", "mark", "отметь", "отметить", "задача выполнена", "сделал задачу", "выполнил задачу")

var completeSuffix = phrases("done", "is done", "as done", "готово", "сделано", "выполнено", "выполнена", "complete",
	"completed", "as complete", "as completed", "выполненной", "как выполненную", "как выполненная", "как сделанную",
	"сделана", "закрыта")

var completeEmoji = set("✅", "✔", "☑")

func classifyComplete(p *parser) (Result, bool) {
	i := p.firstContent()
	if i > 0 && completeEmoji[p.toks[0].s] {
		p.mark(0, i, skIntent)
		return p.buildComplete(), true
	}
	n := p.prefixAt(i, completePrefix)
	if n > 0 && p.num(i+n) >= 0 && !p.isDateAt(i+n) {
		return Result{}, false // "закрыл 2 сделки" is progress
	}
	end, sn := p.completeSuffixAt()
	lead := p.seqAt(i, []string{"mark"}) > 0 || p.seqAt(i, []string{"отметь"}) > 0 || p.seqAt(i, []string{"отметить"}) > 0
	if n == 0 && sn == 0 || lead && sn == 0 {
		return Result{}, false
	}
	if n > 0 {
		p.markLead(i, n, set("что", "that", "task", "задачу"))
	}
	if sn > 0 {
		p.mark(end, len(p.toks)-end, skIntent)
	}
	return p.buildComplete(), true
}

// completeSuffixAt finds a trailing "— done"/"готово" and returns where it starts.
func (p *parser) completeSuffixAt() (int, int) {
	last := p.lastContent()
	if last <= p.firstContent() {
		return 0, 0
	}
	for _, ph := range completeSuffix.all {
		start := last - len(ph) + 1
		if start > p.firstContent() && p.seqAt(start, ph) > 0 {
			return start, len(ph)
		}
	}
	return 0, 0
}

func (p *parser) isDateAt(i int) bool {
	return i < len(p.kind) && (p.kind[i] == skDate || p.kind[i] == skTime)
}

package nlu

var planGoalPrefix = phrases("распланируй", "спланируй", "распланировать", "спланировать", "распиши", "составь план",
	"сделай план", "построй план", "создай план", "разбей", "разбей на шаги", "декомпозируй", "план по цели", "план для цели",
	"план цели", "make a plan", "create a plan", "build a plan", "make plan", "plan goal", "plan my goal",
	"plan the goal", "plan out", "break down", "plan", "план", "помоги спланировать", "help me plan", "составить план")

var planGoalSkip = set("for", "по", "для", "цель", "цели", "goal", "my", "the", "a", "on", "к", "под", "моей", "мою", "of", "to", "reach",
	"план", "плана", "plan", "шаги", "steps", "на", "мне", "me")

func classifyPlanGoal(p *parser) (Result, bool) {
	i := p.firstContent()
	n := p.prefixAt(i, planGoalPrefix)
	if n == 0 {
		return Result{}, false
	}
	j := p.markLead(i, n, planGoalSkip)
	if j >= len(p.toks) {
		return Result{}, false
	}
	return Result{Intent: IntentPlanGoal, Confidence: confKeyword, Title: p.title(skDate)}, true
}

var goalPrefix = phrases("цель", "новая цель", "поставь цель", "поставить цель", "добавь цель", "добавить цель",
	"создай цель", "моя цель", "наша цель", "goal", "new goal", "set goal", "set a goal", "add goal", "add a goal",
	"create goal", "create a goal", "my goal is to", "my goal is", "my goal", "our goal is", "objective", "okr",
	"target", "новая цель на", "цель на", "поставим цель", "давай поставим цель", "set a goal of", "lets set a goal",
	"let's set a goal", "a goal", "goal of", "новая цль", "цль", "цель на год", "цель на квартал", "цель на месяц",
	"можешь завести цель", "заведи цель", "завести цель", "долгосрочная цель", "долгосрочная цль", "ставлю себе цель",
	"ставлю цель", "ставлю себе цель", "поставлю цель", "my target is", "our target is", "long-term goal", "long term goal",
	"goal for the year", "goal for the quarter", "goal for the month", "goal for this year", "goal for this quarter",
	"can i have a goal to", "i want a goal to", "a goal to")

var goalSkip = set("is", "to", "это", "—")

func classifyGoalKeyword(p *parser) (Result, bool) {
	i := p.leadEnd()
	n := p.prefixAt(i, goalPrefix)
	if n == 0 {
		return Result{}, false
	}
	p.markLead(i, n, goalSkip)
	return p.buildGoal(confKeyword), true
}

var wantPrefix = phrases("хочу", "хотим", "хотелось бы", "планирую", "планируем", "мечтаю", "i want to", "i want",
	"we want to", "we want", "want to", "i'd like to", "i would like to", "aim to", "we aim to", "i aim to",
	"хочу чтобы было", "хочу чтобы", "i wanna", "wanna", "we wanna", "i'm aiming for", "aiming for")

var goalVerbs = set("достичь", "выйти", "достигнуть", "увеличить", "вырасти", "заработать", "набрать", "привлечь",
	"нанять", "запустить", "выучить", "похудеть", "пробежать", "reach", "hit", "grow", "increase", "earn", "get",
	"hire", "launch", "learn", "lose", "run", "double", "удвоить", "сократить", "reduce", "save", "накопить")

// classifyGoalSoft recognises goals said as a wish or a target: "хочу выйти на выручку 1 млн к концу
// квартала", "достичь 100 клиентов к концу года", "50 clients by end of year".
func classifyGoalSoft(p *parser) (Result, bool) {
	i := p.leadEnd()
	n := p.prefixAt(i, wantPrefix)
	_, hasAmount := p.findAmount(false)
	periodEnd := p.s.hasDate && p.s.sort == dsPeriodEnd
	verb := goalVerbs[p.w(i+n)]
	switch {
	case n > 0 && (hasAmount || periodEnd || verb):
	case n == 0 && hasAmount && (periodEnd || verb):
	default:
		return Result{}, false
	}
	if n > 0 {
		p.markLead(i, n, nil)
	}
	conf := confPattern
	if n == 0 {
		conf = 0.7
	}
	return p.buildGoal(conf), true
}

// buildGoal fills a create_goal: title (with its target kept), deadline, target, unit, category.
func (p *parser) buildGoal(conf float64) Result {
	r := Result{Intent: IntentCreateGoal, Confidence: conf}
	for i := range p.toks { // "…, это цель (на год)", "…, that's the goal"
		if p.punct(i, ",") && (p.w(i+1) == "это" || p.w(i+1) == "that's" || p.w(i+1) == "thats") {
			p.mark(i, len(p.toks)-i, skIntent)
			break
		}
	}
	r.Title = p.title(skDate, skPrio)
	if p.s.hasDate {
		d := p.deadline()
		r.Due = &d
	}
	if p.s.prio > 0 {
		r.Priority = intPtr(p.s.prio)
	}
	if a, ok := p.findAmount(false); ok {
		r.Target, r.Unit = floatPtr(a.value), a.unit
	}
	cat := inferCategory(p, r.Unit)
	if cat == "" {
		cat = "other"
	}
	r.Category = &cat
	return r
}

// deadline is the due date for a task or goal; "this week" means its Friday.
func (p *parser) deadline() coreDate {
	if p.s.sort == dsThisWeek {
		return p.endOfWeek(0)
	}
	return p.s.date
}

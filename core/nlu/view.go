package nlu

var (
	reportWords = set("отчет", "отчета", "отчеты", "отчетик", "report", "reports", "итоги", "итог", "статистика",
		"статистику", "stats", "statistics", "summary", "сводка", "сводку", "результаты", "results", "recap")
	loadWords = set("нагрузка", "нагрузку", "нагрузки", "загрузка", "загрузку", "загруженность", "загружен",
		"загружена", "load", "workload", "capacity", "busy", "занят", "занята")
	listWords = set("задачи", "задач", "дела", "дел", "tasks", "todo", "todos", "to-do", "список", "list",
		"agenda", "schedule", "расписание", "план", "plan", "планы", "plans", "что", "what", "what's", "whats", "дальше")
	weeklyWords   = set("weekly", "недельный", "еженедельный", "недельная")
	weakListWords = set("что", "what", "what's", "whats", "план", "plan", "планы", "plans", "list", "список", "schedule", "дальше")
	viewFiller    = set("на", "в", "во", "за", "у", "меня", "мне", "мои", "мой", "моя", "мое", "мою", "моих", "моей", "все",
		"какие", "какая", "какой", "каков", "какова", "есть", "покажи", "показать", "выведи", "дай", "скажи", "открой",
		"show", "me", "my", "the", "for", "on", "in", "of", "is", "are", "do", "does", "i", "have", "has", "am",
		"all", "please", "пожалуйста", "плиз", "this", "next", "any", "got", "get", "a", "s", "ли", "сейчас", "now",
		"current", "текущая", "текущую", "how", "much", "how's", "насколько", "сколько", "я", "we", "our", "наши",
		"наша", "по", "про", "about", "ну", "а", "и", "and", "today's", "tomorrow's", "upcoming", "предстоящие",
		"open", "открытые", "актуальные", "pending", "remaining", "оставшиеся", "неделя", "неделю", "неделе", "недели",
		"week", "day", "день", "дня", "сегодняшние", "завтрашние", "weekly", "daily", "monthly", "месяц", "месяца",
		"month", "моя", "моё", "там", "у", "нас", "there", "to", "be", "done", "нужно", "надо", "сделать", "make", "can", "you",
		"привет", "hi", "hello", "hey", "what", "what's", "whats", "что", "tell", "расскажи", "подскажи")
)

// classifyView recognises show_report, show_load and list_tasks: a keyword plus fillers and dates.
func classifyView(p *parser) (Result, bool) {
	if p.s.rec != nil && !p.hasWord(periodAdjectives) {
		return Result{}, false
	}
	switch {
	case p.onlyWords(reportWords, viewFiller, loadWords) && p.reportDateOK():
		return p.withPeriod(Result{Intent: IntentShowReport, Confidence: confKeyword}), true
	case p.onlyWords(loadWords, viewFiller):
		return p.withPeriod(Result{Intent: IntentShowLoad, Confidence: confKeyword}), true
	case p.onlyWords(listWords, viewFiller):
		if !p.s.hasDate && !p.hasStrongListWord() {
			return Result{}, false
		}
		r := p.withPeriod(Result{Intent: IntentListTasks, Confidence: confPattern})
		if r.Period == PeriodNone {
			d := p.today
			r.Due, r.Period = &d, PeriodDay
		}
		return r, true
	}
	return Result{}, false
}

var periodAdjectives = set("weekly", "monthly", "daily", "еженедельный", "ежемесячный", "недельный", "ежедневный")

// reportDateOK: a report is "за неделю"/"for today", not "отчёт 01.12" (a task due then).
func (p *parser) reportDateOK() bool {
	for i, k := range p.kind {
		if k != skDate {
			continue
		}
		if i > 0 && p.kind[i-1] == skDate {
			continue
		}
		if w := p.w(i - 1); w != "за" && w != "for" && w != "over" && w != "по" {
			return false
		}
	}
	return true
}

func (p *parser) hasStrongListWord() bool {
	for _, t := range p.toks {
		if listWords[t.s] && !weakListWords[t.s] {
			return true
		}
	}
	return false
}

// withPeriod sets Period and Due from the date said: a week's Monday or a day.
func (p *parser) withPeriod(r Result) Result {
	if !p.s.hasDate {
		if p.hasWord(weekUnit) || p.hasWord(weeklyWords) {
			d := p.mondayOf(0)
			r.Due, r.Period = &d, PeriodWeek
		}
		return r
	}
	d := p.s.date
	switch p.s.sort {
	case dsThisWeek, dsNextWeek:
		r.Period = PeriodWeek
	default:
		r.Period = PeriodDay
	}
	r.Due = &d
	return r
}

func (p *parser) hasWord(words map[string]bool) bool {
	for _, t := range p.toks {
		if t.kind == tkWord && words[t.s] {
			return true
		}
	}
	return false
}

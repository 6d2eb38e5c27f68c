package nlu

var progressIncPrefix = phrases("добавь", "добавить", "add", "added", "ещё", "еще", "plus", "плюс", "got", "получил",
	"получили", "привлек", "привлекли", "закрыл", "закрыли", "подписал", "подписали", "signed", "closed", "sold",
	"продал", "продали", "заработал", "заработали", "earned", "made", "+", "gained", "прибавь", "log", "we got", "i got",
	"i closed", "we closed", "i signed", "we signed")

var progressPrefix = phrases("прогресс", "progress", "прогресс по", "progress on", "progress for", "обнови прогресс",
	"update progress", "отметь прогресс", "факт", "текущий", "current")

// moreWords make a figure an addition: "закрыли ещё две сделки", "3 new clients".
var moreWords = set("ещё", "еще", "ещо", "more", "another", "additional", "extra", "new", "новых", "новые", "новый", "новая", "плюсом",
	"оплатили", "оплатил", "пришло", "пришли", "пришла", "пришел", "поступило", "поступили", "поступила", "засчитай", "добавь",
	"got", "received")

// adds reports whether a figure is an addition rather than a total: "+5", "ещё 2", "signed 4
// more", "закрыли две сделки".
func (p *parser) adds(a amount) bool {
	if a.inc || p.hasWord(moreWords) {
		return true
	}
	for i := range p.toks {
		if p.toks[i].s != "+" && p.prefixAt(i, progressIncPrefix) > 0 {
			return true
		}
	}
	return false
}

// classifyProgress recognises "выручка +50к", "add 3 clients", "clients: 12", "продажи 300 тыс".
func classifyProgress(p *parser) (Result, bool) {
	if p.s.hasTime || p.s.rec != nil {
		return Result{}, false
	}
	i := p.firstContent()
	inc := p.prefixAt(i, progressIncPrefix)
	if n, _ := p.numberAt(i + inc); inc > 0 && n < 0 && !p.punct(i+inc, "+") && !p.punct(i+inc, "$") {
		inc = 0
	}
	if (p.s.dur > 0 || p.s.prio > 0) && inc == 0 && !p.hasPlusNumber() {
		return Result{}, false
	}
	lead := p.prefixAt(i, progressPrefix)
	a, ok := p.findAmount(false)
	if !ok || p.s.hasDate && !a.inc && inc == 0 {
		return Result{}, false
	}
	switch {
	case a.inc || inc > 0:
	case lead > 0 || p.absoluteShape(a):
	default:
		return Result{}, false
	}
	p.markLead(i, inc+lead, nil)
	p.findAmount(true)
	return p.buildProgress(a, inc > 0 || p.adds(a)), true
}

// absoluteShape reports whether the message is "<goal words>[:] <amount>" with a separator, money or a known metric.
func (p *parser) absoluteShape(a amount) bool {
	words, sep := 0, false
	for k, t := range p.toks {
		if k >= a.start && k < a.end {
			continue
		}
		switch {
		case t.kind == tkPunct && (t.s == ":" || t.s == "=" || t.s == "-" || t.s == "—"):
			sep = true
		case t.kind == tkPunct:
		case t.kind == tkNum:
			return false
		default:
			words++
		}
	}
	if words == 0 || words > 3 {
		return false
	}
	return sep || a.money || categoryOfWords(p) != ""
}

// buildProgress fills log_progress: the title names the goal, Value and Unit the amount.
func (p *parser) buildProgress(a amount, inc bool) Result {
	r := Result{Intent: IntentLogProgress, Confidence: confPattern}
	r.Title = p.title(skAmount, skDate)
	if m := p.metricTitle(); m != nil {
		r.Title = m // the metric names the goal, not the words around it ("закрыли ещё две сделки")
	}
	if r.Title == nil && a.unit != nil && len(*a.unit) > 1 && (*a.unit)[0] != '%' {
		r.Title = strPtr(*a.unit)
	}
	r.Value, r.Unit, r.Increment = floatPtr(a.value), a.unit, boolPtr(inc)
	if c := inferCategory(p, a.unit); c != "" {
		r.Category = &c
	}
	return r
}

// hasPlusNumber reports whether the message has "+N".
func (p *parser) hasPlusNumber() bool {
	for i := range p.toks {
		if p.punct(i, "+") && p.adj(i+1) && (p.num(i+1) >= 0 || p.punct(i+1, "$")) {
			return true
		}
	}
	return false
}

package nlu

// priorityWords map single words to a priority, 1 highest … 4 lowest.
var priorityWords = map[string]int{
	"срочно": 1, "срочная": 1, "срочный": 1, "срочное": 1, "срочную": 1, "urgent": 1, "urgently": 1, "asap": 1,
	"срочным": 1, "срочной": 1, "срочняк": 1, "асап": 1, "срочного": 1, "срочному": 1, "срч": 1,
	"важн": 2, "низк": 4,
	"важно": 2, "важная": 2, "важный": 2, "важное": 2, "важную": 2, "important": 2, "важным": 2, "важной": 2,
	"несрочно": 4, "несрочная": 4, "неважно": 4, "несрочным": 4, "несрочной": 4, "несрочную": 4, "несрочный": 4,
}

// priorityLevels are the adjectives used with "priority"/"приоритет".
var priorityLevels = map[string]int{
	"top": 1, "highest": 1, "наивысший": 1, "critical": 1, "критический": 1,
	"high": 2, "высокий": 2, "высоким": 2, "высокая": 2,
	"medium": 3, "normal": 3, "средний": 3, "средним": 3, "обычный": 3, "нормальный": 3, "обычным": 3,
	"low": 4, "lowest": 4, "низкий": 4, "низким": 4,
}

var priorityNouns = set("priority", "prio", "pri", "приоритет", "приоритетом", "приоритета", "приор", "приоритетность")

// matchPriority recognises "срочно", "p1", "!!!", "high priority", "приоритет низкий", "не срочно".
func matchPriority(p *parser, i int) hit {
	t := p.toks[i]
	if t.kind == tkPunct {
		if t.s == "!" && p.punct(i+1, "!") && p.adj(i+1) && p.punct(i+2, "!") && p.adj(i+2) {
			n := 3
			for p.punct(i+n, "!") && p.adj(i+n) {
				n++
			}
			return prioHit(n, 1)
		}
		return hit{}
	}
	w := p.w(i)
	switch {
	case w == "":
		return hit{}
	case w == "p" || w == "п":
		if v := p.num(i + 1); v >= 1 && v <= 4 && p.adj(i+1) && p.digits(i+1) == 1 {
			return prioHit(2, v)
		}
	case w == "не" || w == "not":
		if v := priorityWords[p.w(i+1)]; v == 1 || v == 2 {
			return prioHit(2, 4)
		}
	case w == "очень" || w == "very":
		if v := priorityWords[p.w(i+1)]; v == 2 {
			return prioHit(2, 1)
		}
	case priorityNouns[w]:
		return p.priorityAfterNoun(i)
	}
	if v, ok := priorityWords[w]; ok {
		return prioHit(1, v)
	}
	if v, ok := priorityLevels[w]; ok {
		return p.priorityBeforeNoun(i, v)
	}
	return hit{}
}

func prioHit(n, v int) hit { return hit{n: n, kind: skPrio, prio: v} }

// priorityAfterNoun handles "priority 1", "приоритет: высокий".
func (p *parser) priorityAfterNoun(i int) hit {
	j := i + 1
	if p.punct(j, ":") || p.punct(j, "-") {
		j++
	}
	if v := p.num(j); v >= 1 && v <= 4 && p.digits(j) == 1 {
		return prioHit(j-i+1, v)
	}
	if v, ok := priorityLevels[p.w(j)]; ok {
		return prioHit(j-i+1, v)
	}
	return hit{}
}

// priorityBeforeNoun handles "high priority", "с низким приоритетом", "high-priority" and a
// trailing bare "medium"/"средний".
func (p *parser) priorityBeforeNoun(i, v int) hit {
	if priorityNouns[p.w(i+1)] {
		return prioHit(2, v)
	}
	w := p.w(i)
	if (w == "medium" || w == "средний") && i == len(p.toks)-1 {
		return prioHit(1, v)
	}
	return hit{}
}

package nlu

// The words that name a task or goal a message refers to ("move the call with the lawyer"):
// leading articles, possessives and "do" go, as do the tails that only say what to change
// ("а не в 18:30", ", это цель").

var referLead = set("the", "my", "our", "a", "an", "do", "мою", "мой", "моя", "мое", "эту", "этот", "это", "задачу",
	"task", "задача", "с", "with", "у")

// markReferLead marks the articles and possessives that open the words naming the task.
func (p *parser) markReferLead() {
	for i := range p.toks {
		if p.kind[i] == skIntent || p.toks[i].kind == tkPunct {
			continue
		}
		if p.kind[i] != skNone || !referLead[p.toks[i].s] {
			return
		}
		p.kind[i] = skIntent
	}
}

// markNotTail marks "а не …" / "not …" and what follows it: the old value being replaced.
func (p *parser) markNotTail() {
	for i := range p.toks {
		if (p.w(i) == "а" || p.w(i) == "not" || p.w(i) == "instead") && (p.w(i+1) == "не" || p.w(i) != "а") ||
			p.w(i) == "не" && i > 0 && p.kind[i-1] == skIntent {
			p.mark(i, len(p.toks)-i, skIntent)
			return
		}
	}
}

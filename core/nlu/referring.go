package nlu

import "strings"

// The words that name a task or goal a message refers to ("move the call with the lawyer"):
// leading articles, possessives and "do" go, as do the tails that only say what to change
// ("а не в 18:30", ", это цель").

var referLead = set("the", "my", "our", "a", "an", "do", "мою", "мой", "моя", "мое", "эту", "этот", "это", "задачу",
	"task", "задача", "у", "ту", "тот", "that", "можно", "можешь", "а", "давай", "для", "к", "of", "on", "for", "shall",
	"we", "any", "chance", "can", "could", "should")

// markReferLead marks the articles and possessives that open the words naming the task, and
// "про"/"about" after "задачу"/"task": "убери задачу про склад" names "склад".
func (p *parser) markReferLead() {
	for i := range p.toks {
		if p.kind[i] == skIntent || p.toks[i].kind == tkPunct {
			continue
		}
		about := (p.toks[i].s == "про" || p.toks[i].s == "about") && i > 0 && taskNouns[p.toks[i-1].s]
		if p.kind[i] != skNone || !referLead[p.toks[i].s] && !about {
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

// cutAfterName marks as intent words everything from the first token, after some words naming
// the task, that ends reports true for: what follows a verb said after the name only comments on it.
func (p *parser) cutAfterName(ends func(i int, t token) bool) {
	named := false
	for i, t := range p.toks {
		if t.kind != tkWord {
			continue
		}
		if named && ends(i, t) {
			for j := i; j < len(p.toks); j++ {
				if p.kind[j] == skNone || p.kind[j] == skAmount {
					p.kind[j] = skIntent
				}
			}
			return
		}
		named = named || p.kind[i] == skNone
	}
}

// cutAtState marks, as intent words, everything from the first word of state that follows the
// words naming the task: "landlord meeting got cancelled" names "landlord meeting".
func (p *parser) cutAtState(state map[string]bool) {
	named := false
	for i, t := range p.toks {
		if p.kind[i] != skNone || t.kind != tkWord {
			continue
		}
		if named && (state[t.s] || pastVerb(t.s)) {
			p.mark(i, len(p.toks)-i, skIntent)
			return
		}
		named = true
	}
}

// requestLead are words of a request that a colon ends: "could you please add a task for me: …",
// "please note for Monday: …".
var requestLead = set("could", "can", "would", "you", "please", "add", "a", "an", "task", "for", "me", "note", "put",
	"down", "in", "kindly", "if", "possible", "it's", "not", "too", "much", "trouble", "mind", "adding", "have", "i",
	"get", "запиши", "добавь", "задачу", "задача", "пожалуйста", "можешь", "мне", "на", "поставь", "новая", "sorry", "to",
	"bother", "with", "no", "deadline", "so", "kind", "as", "set", "up", "one", "more", "may", "hi", "hello", "hey", "remind",
	"important", "urgent", "quick", "another", "ещё", "еще", "одну", "слушай", "напомни", "reminder", "todo", "to-do")

// markRequestBeforeColon marks the request that a colon closes, when every word before it is one.
func (p *parser) markRequestBeforeColon() {
	for i := range p.toks {
		if !p.punct(i, ":") {
			continue
		}
		for j := 0; j < i; j++ {
			if t := p.toks[j]; t.kind == tkWord && p.kind[j] == skNone && !requestLead[t.s] {
				return
			}
		}
		p.mark(0, i+1, skIntent)
		return
	}
}

// quoted returns the text inside «…» or "…", which names a task or goal exactly.
func (p *parser) quoted() *string {
	for _, q := range [][2]string{{"«", "»"}, {"\"", "\""}, {"“", "”"}, {"'", "'"}} {
		i := strings.Index(p.text, q[0])
		if i < 0 {
			continue
		}
		j := strings.Index(p.text[i+len(q[0]):], q[1])
		if j <= 0 {
			continue
		}
		s := strings.TrimSpace(p.text[i+len(q[0]) : i+len(q[0])+j])
		if s != "" {
			return &s
		}
	}
	return nil
}

// firstClause cuts a referring title at its first comma or dash: the rest comments on it
// ("…, он отказался", "… — это срочно").
func firstClause(s *string) *string {
	if s == nil {
		return nil
	}
	for _, sep := range []string{", ", " — ", " - ", " – "} {
		if i := strings.Index(*s, sep); i > 0 {
			t := strings.TrimFunc((*s)[:i], trimRune)
			return &t
		}
	}
	return s
}

// referTitle is the title of a message that refers to a task or goal: the quoted name when
// there is one, else the first clause of what is left.
func (p *parser) referTitle(drop ...slotKind) *string {
	if q := p.quoted(); q != nil {
		return q
	}
	return firstClause(p.title(drop...))
}

package nlu

import "strings"

// phraseList is a list of word sequences, longest first so that prefixes match greedily, and
// indexed by their first word so that a position is tried only against the phrases it can start.
type phraseList struct {
	all     [][]string
	byFirst map[string][][]string
}

func phrases(list ...string) phraseList {
	out := make([][]string, 0, len(list))
	for _, s := range list {
		out = append(out, strings.Fields(s))
	}
	for i := 1; i < len(out); i++ { // insertion sort by length, descending
		for j := i; j > 0 && len(out[j]) > len(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	pl := phraseList{all: out, byFirst: map[string][][]string{}}
	for _, ph := range out {
		if len(ph) > 0 {
			pl.byFirst[ph[0]] = append(pl.byFirst[ph[0]], ph)
		}
	}
	return pl
}

// seqAt returns len(ph) when the word tokens from i spell ph, else 0.
func (p *parser) seqAt(i int, ph []string) int {
	if i < 0 || i+len(ph) > len(p.toks) {
		return 0
	}
	for k, w := range ph {
		t := p.toks[i+k]
		if t.kind == tkPunct || t.s != w {
			return 0
		}
	}
	return len(ph)
}

// prefixAt returns the length of the longest phrase of list starting at i.
func (p *parser) prefixAt(i int, list phraseList) int {
	if i < 0 || i >= len(p.toks) {
		return 0
	}
	for _, ph := range list.byFirst[p.toks[i].s] {
		if n := p.seqAt(i, ph); n > 0 {
			return n
		}
	}
	return 0
}

// findPhrase returns the position and length of the first phrase of list in the message.
func (p *parser) findPhrase(list phraseList) (int, int) {
	for i := range p.toks {
		if p.toks[i].kind == tkPunct {
			continue
		}
		if n := p.prefixAt(i, list); n > 0 {
			return i, n
		}
	}
	return -1, 0
}

// firstContent is the index of the first word or number, or len(toks).
func (p *parser) firstContent() int {
	for i, t := range p.toks {
		if t.kind != tkPunct {
			return i
		}
	}
	return len(p.toks)
}

// lastContent is the index of the last word or number, or -1.
func (p *parser) lastContent() int {
	for i := len(p.toks) - 1; i >= 0; i-- {
		if p.toks[i].kind != tkPunct {
			return i
		}
	}
	return -1
}

// markLead marks the tokens up to and including a matched prefix as intent words, plus any
// words of skip and separators right after it; it returns the index after them.
func (p *parser) markLead(start, n int, skip map[string]bool) int {
	j := start + n
	for j < len(p.toks) {
		t := p.toks[j]
		if (t.kind == tkPunct && isSeparator(t.s)) || (t.kind == tkWord && skip[t.s]) || p.kind[j] != skNone {
			j++
			continue
		}
		break
	}
	for k := 0; k < j; k++ {
		if p.kind[k] == skNone {
			p.kind[k] = skIntent
		}
	}
	return j
}

func isSeparator(s string) bool {
	switch s {
	case ":", "-", "—", "–", ",", ".", "!", ";", "=":
		return true
	}
	return false
}

// onlyWords reports whether every word not yet recognised as a slot is in one of the sets and
// at least one word is in need.
func (p *parser) onlyWords(need map[string]bool, extra ...map[string]bool) bool {
	found := false
	for i, t := range p.toks {
		if t.kind == tkPunct || p.kind[i] == skDate || p.kind[i] == skRecur {
			continue
		}
		if need[t.s] {
			found = true
			continue
		}
		ok := false
		for _, e := range extra {
			if e[t.s] {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return found
}

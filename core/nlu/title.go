package nlu

import (
	"strings"
	"unicode"
)

// title is the message without intent words and the slot kinds given, with the small words that led
// into them; runs of kept text are copied verbatim and joined by one space.
func (p *parser) title(drop ...slotKind) *string {
	removed := p.removedMask(drop)
	var b strings.Builder
	prevKept := false
	lastPunct := true
	for i := 0; i < len(p.toks); i++ {
		t := p.toks[i]
		if removed[i] || (t.kind == tkPunct && isSeparator(t.s) && lastPunct) {
			prevKept = false
			continue
		}
		if prevKept {
			b.WriteString(p.text[p.toks[i-1].end:t.start])
		} else if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(p.text[t.start:t.end])
		prevKept = true
		lastPunct = t.kind == tkPunct && isSeparator(t.s)
	}
	s := strings.TrimFunc(b.String(), trimRune)
	if s == "" {
		return nil
	}
	return &s
}

// removedMask marks the tokens a title leaves out.
func (p *parser) removedMask(drop []slotKind) []bool {
	removed := make([]bool, len(p.toks))
	for i, k := range p.kind {
		if k == skIntent {
			removed[i] = true
			continue
		}
		for _, d := range drop {
			if k == d {
				removed[i] = true
			}
		}
	}
	for i := len(p.toks) - 2; i >= 0; i-- {
		if !removed[i] && removed[i+1] && p.kind[i+1] != skIntent && p.toks[i].kind == tkWord && preps[p.toks[i].s] {
			removed[i] = true
		}
	}
	return removed
}

func trimRune(r rune) bool {
	if unicode.IsSpace(r) {
		return true
	}
	switch r {
	case '.', ',', ';', ':', '!', '?', '-', '—', '–', '…', '•', '*', '/', '=', '+':
		return true
	}
	return false
}

package nlu

import (
	_ "embed"
	"math"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// The title model picks the words of a title, the way entity extractors of production NLU do it
// (Rasa's CRF): a logistic regression scores each token of the message as in or out of the
// title, from the token, its neighbours, what the rules recognised (slots, intent words) and the
// title the rules proposed; the title is the contiguous run of tokens with the highest total
// score. The rules' title is one feature among many, so the model learns where they go wrong:
// a command verb with a typo ("пересени"), a comment after the name ("…, он заболел"), a request
// said first ("Будьте добры, поставьте…"). Trained by `make nlu-train` from testdata/titles.

// titleFeatureVersion changes whenever the title features change, so a stale model is detected.
const titleFeatureVersion = 2

// titleIntents are the intents the title model serves.
var titleIntents = map[Intent]bool{
	IntentCreateTask: true, IntentCreateGoal: true, IntentCompleteTask: true, IntentRescheduleTask: true,
	IntentDelete: true, IntentEdit: true,
}

//go:embed title.model
var embeddedTitleModel []byte

// titleTagger is the embedded title model, decoded on first use; nil when the binary has none.
var titleTagger = sync.OnceValue(func() *Model { return decodeEmbedded(embeddedTitleModel, titleFeatureVersion, 2) })

// The title model's two classes.
const (
	titleOut Intent = "out"
	titleIn  Intent = "in"
)

// tagTitle replaces res's title with the title model's, for the intents whose title names a
// thing; the rules' title stands when there is no model or it finds no title.
func (p *parser) tagTitle(res Result) Result {
	m := titleTagger()
	if m == nil || !titleIntents[res.Intent] || len(p.toks) == 0 {
		return res
	}
	if t := p.modelTitle(m, res); t != nil {
		res.Title = t
	}
	return res
}

// modelTitle is the title the model picks from p's tokens, or nil to keep the rules'.
func (p *parser) modelTitle(m *Model, res Result) *string {
	n := min(len(p.toks), maxTitleTokens)
	rule := p.alignTitle(res.Title)
	logit := p.titleLogits(m, res, rule, n)
	score := func(i int) float64 {
		if p.bridges(i) {
			return 0 // a slot or punctuation inside a title: neither for nor against the span
		}
		return logit[i]
	}
	a, b, best := 0, -1, 0.0
	sum, start := 0.0, 0
	for i := range n {
		if sum <= 0 {
			sum, start = 0, i
		}
		sum += score(i)
		if sum > best && logit[i] > 0 {
			a, b, best = start, i, sum
		}
	}
	if b < 0 {
		return nil
	}
	// The rules' title stands unless the model is surer of another by the margin; where the rules
	// have none, or one with a word left out of its middle, the model's must be that sure itself.
	own := 0.0
	if first, last := maskSpan(rule); first >= 0 {
		for i := first; i <= last; i++ {
			own += score(i)
			if !rule[i] && !p.bridges(i) {
				own = 0
				break
			}
		}
	}
	if best-own < titleMargin {
		return nil
	}
	for b+1 < n && p.toks[b+1].kind == tkPunct && !p.toks[b+1].sp && (logit[b+1] > 0 || ownPunct(p.text[p.toks[a].start:p.toks[b].end], p.toks[b+1].s)) {
		b++ // "выучить C++", "ООО «Вектор»": punctuation of the name's own
	}
	for b > a && p.toks[b].kind == tkWord && titleTail[p.toks[b].s] {
		b-- // "сделать закупку на" (неделю): a title doesn't end on a preposition
	}
	removed := make([]bool, len(p.toks))
	for i := range removed {
		removed[i] = i < a || i > b
	}
	for i := a; i <= b; i++ { // the slots inside go, but for a figure of a goal ("300 заказов в месяц") and punctuation of its own
		if p.bridges(i) && logit[i] < 1 && (p.toks[i].kind != tkPunct || p.kind[i] != skNone) {
			removed[i] = true
		}
	}
	for i := b - 1; i >= a; i-- { // "созвон в пн с командой": the "в" of a dropped date goes with it
		if removed[i+1] && p.kind[i+1] != skNone && p.toks[i].kind == tkWord && preps[p.toks[i].s] {
			removed[i] = true
		}
	}
	s := trimTitle(p.joinKept(removed))
	if s == "" {
		return nil
	}
	return &s
}

// titleLogits scores the first n tokens as in the title (> 0) or out of it. Dates, times,
// estimates and priorities never are, and neither is what an edit changes to (its new name,
// its new figure).
func (p *parser) titleLogits(m *Model, res Result, rule []bool, n int) []float64 {
	logit := make([]float64, n)
	newFrom := len(p.text) + 1
	if res.Intent == IntentEdit && res.NewTitle != nil {
		if k := strings.LastIndex(p.text, *res.NewTitle); k >= 0 {
			newFrom = k
		}
	}
	var feats []uint32
	for i := range n {
		if !titleToken(p.kind[i]) || res.Intent == IntentEdit && (p.kind[i] == skAmount || p.toks[i].start >= newFrom) {
			logit[i] = -10
			continue
		}
		feats = p.tokenFeatures(res.Intent, rule, i, feats[:0])
		logit[i] = m.logit(feats)
	}
	return logit
}

// titleToken reports whether a token of kind k may be in a title: dates, times, estimates and
// priorities never are (training skips them too).
func titleToken(k slotKind) bool {
	switch k {
	case skDate, skTime, skDur, skPrio:
		return false
	}
	return true
}

// titleTail are the words a title doesn't end on: prepositions, articles, conjunctions.
var titleTail = func() map[string]bool {
	m := set("the", "a", "an", "and", "or", "of", "for", "to", "with", "at", "on", "in", "by", "from", "about", "и", "или",
		"а", "но", "про", "об", "о")
	for w := range preps {
		m[w] = true
	}
	return m
}()

// trimTitle trims what no title starts or ends with: punctuation, emoji, and a quote or bracket
// whose pair is not in the title ("«Вектор»" keeps its quotes).
func trimTitle(s string) string {
	for {
		t := strings.TrimLeftFunc(s, func(r rune) bool { return trimRune(r) || isDecoration(r) && !paired(r) })
		t = strings.TrimRightFunc(t, func(r rune) bool { return r != '+' && trimRune(r) || isDecoration(r) && !paired(r) })
		for _, q := range [][2]string{{"«", "»"}, {"“", "”"}, {"(", ")"}} {
			if strings.HasSuffix(t, q[1]) && strings.Count(t, q[0]) < strings.Count(t, q[1]) {
				t = strings.TrimSuffix(t, q[1])
			}
			if strings.HasPrefix(t, q[0]) && strings.Count(t, q[1]) < strings.Count(t, q[0]) {
				t = strings.TrimPrefix(t, q[0])
			}
		}
		if strings.Count(t, "\"")%2 == 1 { // a straight quote has no side: an odd one is unpaired
			t = strings.TrimSuffix(strings.TrimPrefix(t, "\""), "\"")
		}
		for _, q := range [][2]string{{"«", "»"}, {"“", "”"}, {"\"", "\""}} { // «обновить прайс»: the name, quoted whole
			if len(t) > len(q[0])+len(q[1]) && strings.HasPrefix(t, q[0]) && strings.HasSuffix(t, q[1]) &&
				strings.Count(t, q[0])+strings.Count(t, q[1]) == 2 {
				t = t[len(q[0]) : len(t)-len(q[1])]
			}
		}
		if t == s {
			return s
		}
		s = t
	}
}

// ownPunct reports whether punctuation c, written right after title, is part of it: a "+" ("C++")
// or what closes a quote or bracket the title opened.
func ownPunct(title, c string) bool {
	switch c {
	case "+":
		return true
	case "»":
		return strings.Count(title, "«") > strings.Count(title, "»")
	case "”":
		return strings.Count(title, "“") > strings.Count(title, "”")
	case ")":
		return strings.Count(title, "(") > strings.Count(title, ")")
	case "\"":
		return strings.Count(title, "\"")%2 == 1
	}
	return false
}

func paired(r rune) bool {
	return r == '«' || r == '»' || r == '"' || r == '“' || r == '”' || r == '(' || r == ')'
}

// titleMargin is how much more the model must believe in its title than in the rules' to replace
// it (chosen on the slot development sets).
var titleMargin = 2.0

// maskSpan returns the first and last token of a mask, -1 and -1 when it has none.
func maskSpan(mask []bool) (int, int) {
	first, last := -1, -1
	for j, in := range mask {
		if in {
			if first < 0 {
				first = j
			}
			last = j
		}
	}
	return first, last
}

// maxTitleSkips bounds the tokens a title leaves out of its middle: "meeting with Anna on
// December 3 at 4:30 pm about pricing" leaves out eight.
const maxTitleSkips = 12

// maxTitleTokens bounds the tokens the title model reads: a title is near the start of a message.
const maxTitleTokens = 120

// bridges reports whether token i may sit inside a title without being part of it: a slot the
// title leaves out, or punctuation.
func (p *parser) bridges(i int) bool {
	return !titleToken(p.kind[i]) || p.kind[i] == skRecur || p.toks[i].kind == tkPunct
}

// alignTitle returns which of p's tokens a title copied from the message is made of: its tokens
// in order, skipping the fewest others (the slots left out of it, at most maxTitleSkips), among
// the first maxTitleTokens; nil when it is not there.
func (p *parser) alignTitle(title *string) []bool {
	if title == nil {
		return nil
	}
	tt := tokenize(*title)
	n := min(len(p.toks), maxTitleTokens)
	if len(tt) == 0 || len(tt) > n {
		return nil
	}
	match := func(start int, mask []bool) (int, bool) { // the skips of a match from start, marking it in mask
		k, skips := 0, 0
		for j := start; j < n && k < len(tt); j++ {
			if p.toks[j].s == tt[k].s {
				if mask != nil {
					mask[j] = true
				}
				k++
				continue
			}
			if skips++; skips > maxTitleSkips {
				return 0, false
			}
		}
		return skips, k == len(tt)
	}
	best, bestSkips := -1, math.MaxInt
	for start := range n {
		if p.toks[start].s != tt[0].s {
			continue
		}
		if skips, ok := match(start, nil); ok && skips < bestSkips {
			best, bestSkips = start, skips
		}
	}
	if best < 0 {
		return nil
	}
	mask := make([]bool, n)
	match(best, mask)
	return mask
}

// The title features' namespaces.
const (
	tnIntent byte = iota + 1
	tnWord
	tnWordIntent
	tnKind
	tnKindIntent
	tnTok
	tnPrefix
	tnSuffix
	tnPrev
	tnNext
	tnPrev2
	tnNext2
	tnPrevKind
	tnNextKind
	tnBigramL
	tnBigramR
	tnRule
	tnRuleIntent
	tnRuleWord
	tnRuleKind
	tnRuleNear
	tnEdge
	tnPos
	tnLex
	tnCap
	tnClause
	tnRuleSpan
)

// tokenFeatures are the features of token i for the title model.
func (p *parser) tokenFeatures(intent Intent, rule []bool, i int, out []uint32) []uint32 {
	add := func(h fhash) { out = append(out, uint32(h)&^groupMask) }
	in := string(intent)
	w := p.tokWord(i)
	k := p.tokKind(i)
	add(newHash(tnIntent).str(in))
	add(newHash(tnWord).str(w))
	add(newHash(tnWordIntent).str(w).sep().str(in))
	add(newHash(tnKind).str(k))
	add(newHash(tnKindIntent).str(k).sep().str(in))
	t := p.toks[i]
	add(newHash(tnTok).bytes([]byte{byte(t.kind)}).sep().str(boolStr(t.sp)))
	if t.kind == tkWord {
		r := []rune(t.s)
		for _, l := range []int{3, 4, 5} {
			if len(r) > l {
				add(newHash(tnPrefix).str(string(r[:l])))
			}
		}
		for _, l := range []int{2, 3} {
			if len(r) > l {
				add(newHash(tnSuffix).str(string(r[len(r)-l:])))
			}
		}
		if c, _ := utf8.DecodeRuneInString(p.text[t.start:]); unicode.IsUpper(c) {
			add(newHash(tnCap).str(boolStr(i == p.firstContent())))
		}
		lex := p.lexicon(t.s)
		add(newHash(tnLex).bytes([]byte{byte(lex), byte(lex >> 8)}))
	}
	add(newHash(tnPrev).str(p.tokWord(i - 1)))
	add(newHash(tnNext).str(p.tokWord(i + 1)))
	add(newHash(tnPrev2).str(p.tokWord(i - 2)))
	add(newHash(tnNext2).str(p.tokWord(i + 2)))
	add(newHash(tnPrevKind).str(p.tokKind(i - 1)).sep().str(k))
	add(newHash(tnNextKind).str(p.tokKind(i + 1)).sep().str(k))
	add(newHash(tnBigramL).str(p.tokWord(i - 1)).sep().str(w))
	add(newHash(tnBigramR).str(w).sep().str(p.tokWord(i + 1)))
	r := boolStr(at(rule, i))
	add(newHash(tnRule).str(r))
	add(newHash(tnRuleIntent).str(r).sep().str(in))
	add(newHash(tnRuleWord).str(r).sep().str(w))
	add(newHash(tnRuleKind).str(r).sep().str(k))
	add(newHash(tnRuleNear).str(r).sep().str(boolStr(at(rule, i-1))).sep().str(boolStr(at(rule, i+1))))
	add(newHash(tnRuleSpan).str(ruleSpan(rule, i)).sep().str(in))
	add(newHash(tnEdge).str(boolStr(i == p.firstContent())).sep().str(boolStr(i == p.lastContent())))
	add(newHash(tnPos).bytes([]byte{byte(min(i, 6)), byte(min(len(p.toks)-1-i, 6))}))
	add(newHash(tnClause).bytes([]byte{byte(min(p.separatorsBefore(i), 3))}).sep().str(in))
	return out
}

// tokWord is how the title features name token i: its word, its number's shape or its
// punctuation; "^"/"$" past either end.
func (p *parser) tokWord(i int) string {
	switch {
	case i < 0:
		return "^"
	case i >= len(p.toks):
		return "$"
	case p.toks[i].kind == tkNum:
		return "#" + string(rune('0'+min(p.digits(i), 9)))
	}
	return p.toks[i].s
}

var kindNames = [...]string{skNone: "", skDate: "date", skTime: "time", skDur: "dur", skPrio: "prio", skRecur: "recur",
	skAmount: "amount", skIntent: "intent"}

// tokKind names what the rules recognised token i as.
func (p *parser) tokKind(i int) string {
	if i < 0 || i >= len(p.toks) {
		return "edge"
	}
	return kindNames[p.kind[i]]
}

// lexicon is a bit set of the word lists w is in: what the rules know of it, typo or not. A
// hyphenated word is none of them ("push-уведомлений" moves nothing).
func (p *parser) lexicon(w string) uint16 {
	if strings.Contains(w, "-") {
		return 1 << 15
	}
	var b uint16
	for i, in := range [...]bool{
		rescheduleStems.has(w), deleteStems.has(w), renameStems.has(w), completeMarkers[w] || doneTail[w], pastVerb(w),
		editWords[w], leadFiller[w], taskNouns[w] || goalNouns[w], preps[w], requestWords[w] || edgeFiller[w],
		clauseWords[w], infinitive(w),
	} {
		if in {
			b |= 1 << i
		}
	}
	return b
}

// infinitive reports whether w ends like a Russian infinitive.
func infinitive(w string) bool {
	return strings.HasSuffix(w, "ть") || strings.HasSuffix(w, "ти") || strings.HasSuffix(w, "чь") || strings.HasSuffix(w, "ться")
}

// separatorsBefore counts the separators (",", ".", ":", "—", "!", "?") before token i.
func (p *parser) separatorsBefore(i int) int {
	n := 0
	for j := 0; j < i && j < len(p.toks); j++ {
		if t := p.toks[j]; t.kind == tkPunct && (isSeparator(t.s) || t.s == "?") {
			n++
		}
	}
	return n
}

// ruleSpan says where token i stands against the rules' title: before it, at its first or last
// token, inside it, after it, or "none" when there is none.
func ruleSpan(rule []bool, i int) string {
	first, last := maskSpan(rule)
	if first < 0 {
		return "none"
	}
	switch {
	case i < first:
		return "before" + string(rune('0'+min(first-i, 3)))
	case i > last:
		return "after" + string(rune('0'+min(i-last, 3)))
	case i == first && i == last:
		return "only"
	case i == first:
		return "first"
	case i == last:
		return "last"
	}
	return "inside"
}

func at(mask []bool, i int) bool { return i >= 0 && i < len(mask) && mask[i] }

func boolStr(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

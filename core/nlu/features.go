package nlu

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// The intent model sees a message as a bag of hashed features, built so that they survive typos
// and Russian inflection:
//   - words (slots the rules found replaced by their kind: "<date>", "<time>", numbers by "#"),
//     word bigrams of that sequence with the message's start and end, and the first and last word;
//   - character 3- to 5-grams inside each word, with its boundaries ("^сдв", "ил$");
//   - shape: a question mark, an emoji, "+N", the slots present, the message's length;
//   - the rules' verdict: which intent the keyword and pattern rules chose, and how sure they were.
//
// Each feature is a 32-bit FNV-1a hash of a namespace byte and its text; the model stores weights
// only for the hashes it saw in training, so a collision costs nothing in size.

// featureVersion changes whenever the features change, so a stale model is detected (model_test.go).
const featureVersion = 6

const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

// fhash accumulates one feature's hash.
type fhash uint32

func newHash(ns byte) fhash { return (fnvOffset ^ fhash(ns)) * fnvPrime }

func (h fhash) str(s string) fhash {
	for i := 0; i < len(s); i++ {
		h = (h ^ fhash(s[i])) * fnvPrime
	}
	return h
}

func (h fhash) bytes(b []byte) fhash {
	for _, c := range b {
		h = (h ^ fhash(c)) * fnvPrime
	}
	return h
}

func (h fhash) sep() fhash { return (h ^ 0xff) * fnvPrime }

// id is the feature: the hash with its namespace's group in the low bits, which sets its weight.
func (h fhash) id(ns byte) uint32 { return uint32(h)&^groupMask | uint32(groupOf[ns]) }

// Feature groups and their weights: the value a feature of the group has before the message's
// features are normalised to unit length. Character n-grams are many and each says little.
const groupMask = 0x7

var groupOf = [256]uint8{nsWord: 1, nsBigram: 2, nsChar: 3, nsShape: 4, nsFirst: 5, nsLast: 5, nsRule: 6, nsStem: 1, nsEnd: 5}

// groupWeights are the weights of the groups, by their number (0 is unused). They are part of
// what a model is trained from (DataHash).
var groupWeights = [8]float64{1, 1.5, 1, 0.5, 1, 1, 2, 1}

// halfWeights are twice groupWeights, as integers (Predict sums in them); a weight that is no
// multiple of one half fails the init check.
var halfWeights = func() (h [8]int8) {
	for i, w := range groupWeights {
		h[i] = int8(2 * w)
		if float64(h[i]) != 2*w {
			panic("nlu: a group weight is no multiple of 1/2")
		}
	}
	return h
}()

// featureValues fills vals with the value of each feature of feats, normalised to unit length.
func featureValues(feats []uint32, vals []float64) []float64 {
	vals = vals[:0]
	sum := 0.0
	for _, f := range feats {
		w := groupWeights[f&groupMask]
		vals = append(vals, w)
		sum += w * w
	}
	if sum > 0 {
		norm := 1 / math.Sqrt(sum)
		for i := range vals {
			vals[i] *= norm
		}
	}
	return vals
}

// Feature namespaces.
const (
	nsWord   = 'w'
	nsBigram = 'b'
	nsChar   = 'c'
	nsShape  = 's'
	nsFirst  = 'f'
	nsLast   = 'l'
	nsRule   = 'r'
	nsStem   = 'p' // a word's first five letters: a rough stem across inflections
	nsEnd    = 'e' // the first word's last letters: its tense or mood ("сделал", "sent", "перенеси")
)

// seqWord is how token i appears in the word sequence: a slot's kind, "#" for a number, the word,
// a kept punctuation mark, or "" (skipped).
func (p *parser) seqWord(i int) string {
	switch p.kind[i] {
	case skDate:
		return "<date>"
	case skTime:
		return "<time>"
	case skDur:
		return "<dur>"
	case skPrio:
		return "<prio>"
	case skRecur:
		return "<recur>"
	}
	t := p.toks[i]
	switch t.kind {
	case tkNum:
		return "#"
	case tkWord:
		return t.s
	}
	switch t.s {
	case "?", "+", ":", "!", "#", "✅", "✔", "☑", "👍", "👌", "🙏", "-", "—":
		return t.s
	}
	return ""
}

// baseFeatures appends the features of the message's tokens and slots (after scanGeneric).
func (p *parser) baseFeatures(out []uint32) []uint32 {
	prev := "^"
	first, last := "", ""
	words, emoji, question, plus := 0, false, false, false
	for i, t := range p.toks {
		if words == maxFeatureWords {
			break
		}
		w := p.seqWord(i)
		if t.kind == tkPunct {
			r, _ := utf8.DecodeRuneInString(t.s)
			switch {
			case t.s == "?":
				question = true
			case t.s == "+" && p.adj(i+1) && p.num(i+1) >= 0:
				plus = true
			case r >= 0x2190:
				emoji = true
			}
		}
		if w == "" {
			continue
		}
		out = append(out, newHash(nsWord).str(w).id(nsWord))
		if p.kind[i] != skNone && t.kind == tkWord {
			out = append(out, newHash(nsWord).str(t.s).id(nsWord)) // the word itself too ("завтра")
		}
		out = append(out, newHash(nsBigram).str(prev).sep().str(w).id(nsBigram))
		prev = w
		if t.kind == tkWord {
			words++
			if first == "" {
				first = w
				if p.kind[i] == skNone {
					out = wordEnd(out, w)
				}
			}
			last = w
			if p.kind[i] == skNone {
				out = charGrams(out, t.s)
				out = wordStem(out, t.s)
			}
		}
	}
	out = append(out, newHash(nsBigram).str(prev).sep().str("$").id(nsBigram))
	if first != "" {
		out = append(out, newHash(nsFirst).str(first).id(nsFirst), newHash(nsLast).str(last).id(nsLast))
	}
	shape := func(s string) { out = append(out, newHash(nsShape).str(s).id(nsShape)) }
	if question {
		shape("?")
	}
	if emoji {
		shape("emoji")
	}
	if plus {
		shape("+N")
	}
	if strings.Contains(p.text, "--") && strings.Contains(p.text, ";") || strings.Contains(p.text, "();") {
		shape("code") // a query or a program: "'; DROP TABLE users; --"
	}
	switch {
	case words <= 1:
		shape("len1")
	case words == 2:
		shape("len2")
	case words <= 4:
		shape("len3-4")
	case words <= 8:
		shape("len5-8")
	default:
		shape("len9+")
	}
	p.verbShapes(shape)
	s := &p.s
	for _, f := range [...]struct {
		on   bool
		name string
	}{{s.hasDate, "date"}, {s.hasTime, "time"}, {s.hasSoft, "daypart"}, {s.dur > 0, "dur"},
		{s.prio > 0, "prio"}, {s.rec != nil, "recur"}} {
		if f.on {
			shape(f.name)
		}
	}
	if a, ok := p.findAmount(false); ok {
		shape("amount")
		if a.money {
			shape("money")
		}
	}
	slices.Sort(out) // a bag: a word said forty times says what it says once
	return slices.Compact(out)
}

// maxFeatureWords bounds the words the model reads: the start of a long message says what it wants.
const maxFeatureWords = 100

// ruleFeatures appends what the rules decided: their intent and their kind of evidence.
func ruleFeatures(out []uint32, r Result) []uint32 {
	h := newHash(nsRule).str(string(r.Intent))
	out = append(out, h.id(nsRule))
	var level string
	switch {
	case r.Confidence >= confKeyword:
		level = "kw"
	case r.Confidence >= confSlots:
		level = "pattern"
	default:
		level = "guess"
	}
	return append(out, h.sep().str(level).id(nsRule))
}

// charGrams appends the 3- to 5-grams of runes of "^word$".
func charGrams(out []uint32, w string) []uint32 {
	var rs [66]int // byte offsets of rune starts in "^" + w + "$", bounded for long words
	var arr [256]byte
	buf := arr[:0]
	buf = append(buf, '^')
	buf = append(buf, w...)
	buf = append(buf, '$')
	n := 0
	for i := range string(buf) {
		if n == len(rs)-1 {
			break
		}
		rs[n] = i
		n++
	}
	rs[n] = len(buf)
	if n > len(rs)-2 {
		n = len(rs) - 2
	}
	for g := 3; g <= 5; g++ {
		for i := 0; i+g <= n; i++ {
			out = append(out, newHash(nsChar).bytes(buf[rs[i]:rs[i+g]]).id(nsChar))
		}
	}
	return out
}

// wordStem appends the first five letters of a word of six or more.
func wordStem(out []uint32, w string) []uint32 {
	n := 0
	for i := range w {
		if n == 5 {
			if i < len(w) {
				return append(out, newHash(nsStem).str(w[:i]).id(nsStem))
			}
			break
		}
		n++
	}
	return out
}

// wordEnd appends the last two and three letters of the first word.
func wordEnd(out []uint32, w string) []uint32 {
	r := []rune(w)
	for _, n := range []int{2, 3} {
		if len(r) > n {
			out = append(out, newHash(nsEnd).str(string(r[len(r)-n:])).id(nsEnd))
		}
	}
	return out
}

// verbShapes says what the verbs at the message's edges look like: a past tense ("провели",
// "sent": done), an infinitive ("позвонить": to do), an imperative ("перенеси", "удали": a request).
func (p *parser) verbShapes(shape func(string)) {
	first, last, any := -1, -1, false
	for i, t := range p.toks {
		if t.kind != tkWord || p.kind[i] != skNone {
			continue
		}
		if first < 0 {
			first = i
		}
		last = i
		any = any || pastVerb(t.s)
	}
	if first < 0 {
		return
	}
	if any {
		shape("past")
	}
	for _, edge := range [...]struct {
		i    int
		name string
	}{{first, "first"}, {last, "last"}} {
		w := []rune(p.toks[edge.i].s)
		n := len(w)
		switch {
		case pastVerb(string(w)):
			shape("past@" + edge.name)
		case n >= 4 && (string(w[n-2:]) == "ть" || string(w[n-2:]) == "ти" || string(w[n-2:]) == "чь"):
			shape("inf@" + edge.name)
		case n >= 4 && (w[n-1] == 'й' || w[n-1] == 'и' || w[n-1] == 'ь'):
			shape("imp@" + edge.name)
		}
	}
}

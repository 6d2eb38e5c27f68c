package nlu

import (
	"time"

	"github.com/bizconnect/bizconnect/core"
)

// slotKind tells what a token was recognised as; the title drops the kinds an intent uses.
type slotKind uint8

const (
	skNone slotKind = iota
	skDate
	skTime
	skDur
	skPrio
	skRecur
	skAmount
	skIntent
)

// dateSort distinguishes dates whose meaning depends on the intent.
type dateSort uint8

const (
	dsPlain dateSort = iota
	dsThisWeek
	dsNextWeek
	dsPeriodEnd
	dsRelWeek // "на неделю" / "for a week": a span, used by pause
)

// hit is what one matcher recognised at a position: n tokens and the values found.
type hit struct {
	n        int
	kind     slotKind
	hasDate  bool
	date     core.Date
	sort     dateSort
	hasClock bool
	clock    core.ClockTime
	bare     bool // a bare hour ("в 3") without minutes or am/pm
	hasEnd   bool
	end      core.ClockTime
	soft     bool // a part of day ("утром"): a default time, not an explicit one
	dur      int
	prio     int
	rec      *recurrence
}

// slots collects everything the generic pass found, before the intent is known.
type slots struct {
	hasDate  bool
	date     core.Date
	sort     dateSort
	lastDate core.Date
	hasTime  bool
	time     core.ClockTime
	bare     bool
	lastTime core.ClockTime
	lastBare bool
	hasEnd   bool
	end      core.ClockTime
	hasSoft  bool
	soft     core.ClockTime
	dur      int
	prio     int
	rec      *recurrence
}

// parser holds one message's tokens and what has been recognised in them.
type parser struct {
	text  string
	toks  []token
	kind  []slotKind
	now   time.Time
	today core.Date
	s     slots
	feats []uint32 // the intent model's features (features.go)
}

func newParser(text string, now time.Time) *parser {
	toks := tokenize(text)
	return &parser{text: text, toks: toks, kind: make([]slotKind, len(toks)), now: now, today: core.DateOf(now)}
}

// again returns a parser of the same message with nothing recognised but the generic slots,
// to read it for another intent without tokenizing it again.
func (p *parser) again() *parser {
	q := &parser{text: p.text, toks: p.toks, kind: make([]slotKind, len(p.toks)), now: p.now, today: p.today}
	q.scanGeneric()
	return q
}

// w returns token i's normalised text when it is a word, else "".
func (p *parser) w(i int) string {
	if i < 0 || i >= len(p.toks) || p.toks[i].kind != tkWord {
		return ""
	}
	return p.toks[i].s
}

// num returns token i's value when it is a digit run, else -1.
func (p *parser) num(i int) int {
	if i < 0 || i >= len(p.toks) || p.toks[i].kind != tkNum {
		return -1
	}
	return p.toks[i].n
}

// digits returns the number of digits of token i (0 when it is not a digit run).
func (p *parser) digits(i int) int {
	if i < 0 || i >= len(p.toks) || p.toks[i].kind != tkNum {
		return 0
	}
	return p.toks[i].end - p.toks[i].start
}

// punct reports whether token i is the punctuation s.
func (p *parser) punct(i int, s string) bool {
	return i >= 0 && i < len(p.toks) && p.toks[i].kind == tkPunct && p.toks[i].s == s
}

// adj reports whether token i exists and touches the token before it.
func (p *parser) adj(i int) bool { return i > 0 && i < len(p.toks) && !p.toks[i].sp }

func (p *parser) mark(i, n int, k slotKind) {
	for j := i; j < i+n && j < len(p.kind); j++ {
		p.kind[j] = k
	}
}

// matcher recognises a slot starting at token i.
type matcher func(p *parser, i int) hit

// genericMatchers run before the intent is known, in this order at each position.
var genericMatchers = []matcher{matchRecurrence, matchDate, matchTime, matchDuration, matchPriority}

// scanGeneric walks the message once and records dates, times, durations, priority and recurrence.
func (p *parser) scanGeneric() {
	for i := 0; i < len(p.toks); {
		h := p.firstHit(i)
		if h.n == 0 {
			i++
			continue
		}
		if h.rec != nil && p.s.rec != nil && len(p.s.rec.days) > 0 && h.rec.freq == freqWeekly && len(h.rec.days) == 0 {
			i += h.n // "every friday … send the weekly report": "weekly" describes the task
			continue
		}
		if h.rec != nil && p.s.rec != nil && p.s.rec.freq == freqWeekly && len(p.s.rec.days) == 0 && len(h.rec.days) > 0 {
			p.unmark(skRecur) // "the weekly update every friday": "weekly" describes the task
		}
		p.mark(i, h.n, h.kind)
		p.apply(h)
		i += h.n
	}
}

// unmark forgets the tokens recognised as k.
func (p *parser) unmark(k slotKind) {
	for j, kk := range p.kind {
		if kk == k {
			p.kind[j] = skNone
		}
	}
}

func (p *parser) firstHit(i int) hit {
	for _, m := range genericMatchers {
		if h := m(p, i); h.n > 0 {
			return h
		}
	}
	return hit{}
}

// apply stores a hit: the first of each slot wins, the last date and time are kept too.
func (p *parser) apply(h hit) {
	s := &p.s
	if h.hasDate {
		switch {
		case !s.hasDate:
			s.hasDate, s.date, s.sort = true, h.date, h.sort
		case s.sort == dsThisWeek && h.sort == dsPlain:
			s.date, s.sort = h.date, dsPlain // "на этой неделе в четверг": the Thursday
		}
		s.lastDate = h.date
	}
	if h.hasClock && h.soft {
		if !s.hasSoft {
			s.hasSoft, s.soft = true, h.clock
		}
	} else if h.hasClock {
		if !s.hasTime {
			s.hasTime, s.time, s.bare = true, h.clock, h.bare
		}
		s.lastTime, s.lastBare = h.clock, h.bare
	}
	if h.hasEnd && !s.hasEnd {
		s.hasEnd, s.end = true, h.end
	}
	if h.dur > 0 && s.dur == 0 {
		s.dur = h.dur
	}
	if h.prio > 0 && s.prio == 0 {
		s.prio = h.prio
	}
	if h.rec != nil && (s.rec == nil || s.rec.freq == freqWeekly && len(s.rec.days) == 0 && len(h.rec.days) > 0) {
		s.rec = h.rec // "weekly review every friday": the days said win
	}
}

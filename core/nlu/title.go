package nlu

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// title is the message without intent words and the slot kinds given, with the small words that led
// into them; runs of kept text are copied verbatim and joined by one space.
func (p *parser) title(drop ...slotKind) *string {
	joined := trimTitle(strings.TrimSuffix(trimTitle(p.joinKept(p.removedMask(drop))), "->"))
	s := trimFiller(trimClause(trimBecause(trimRequestTail(mainSentence(joined)))))
	if s == "" {
		return nil
	}
	return &s
}

// joinKept is the text of the tokens not removed: runs of kept tokens copied verbatim, joined
// by one space.
func (p *parser) joinKept(removed []bool) string {
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
	return b.String()
}

// edgeFiller are words that open or close a message without naming anything: "пожалуйста",
// "плз", "давай", "please".
var edgeFiller = set("пожалуйста", "плз", "плиз", "пж", "пжлст", "please", "pls", "plz", "давай", "давайте", "ок", "ok",
	"thanks", "спасибо", "спс", "thx", "срочно", "asap", "уже", "already", "now", "сейчас", "плс", "hey", "ugh", "hmm",
	"слушай", "короче", "блин", "ну", "так", "ок?", "ok?", "okay", "пожалуйсто", "пожалуста", "плиз", "же", "task", "задачу",
	"задача", "задачи")

// trimFiller drops filler words and emoji at either end of a title.
func trimFiller(s string) string {
	for {
		t := trimTitle(s)
		if i := strings.LastIndexByte(t, ' '); i >= 0 && edgeFiller[normWord(t[i+1:])] {
			t = t[:i]
		}
		if i := strings.IndexByte(t, ' '); i >= 0 && edgeFiller[normWord(strings.TrimRight(t[:i], ","))] {
			t = t[i+1:]
		}
		if t == s {
			return s
		}
		s = t
	}
}

// requestWords only ask for what the message says: "…, запишешь?", "…, add it?", "…, можно отмечать".
var requestWords = set("запишешь", "запиши", "добавишь", "добавь", "поставишь", "поставь", "отметишь", "отметь", "отмечай",
	"отмечать", "можно", "можешь", "add", "it", "can", "you", "could", "please", "pls", "ok", "ок", "плз", "пожалуйста",
	"важно", "срочно", "галочку", "ставь", "удаляй", "удали", "закрывай", "закрывать", "отмечаем", "thanks", "спасибо",
	"mark", "done", "tick", "remove", "delete", "а", "и", "and", "плиз", "пж", "пжлст", "ладно", "давай", "update", "fix",
	"them", "that", "this", "will", "you?", "u", "надо", "нужно", "бы", "тоже", "too", "also")

// becauseWords open a clause that gives a reason: "разобрать бэклог а то там завал".
var becauseWords = []string{" а то ", " потому что", " because", " coz "}

// trimBecause cuts a reason off a title.
func trimBecause(s string) string {
	for _, w := range becauseWords {
		if i := strings.Index(s, w); i > 0 {
			return strings.TrimFunc(s[:i], trimRune)
		}
	}
	return s
}

// politeWords make up the sentences around a request: "Hi!", "Thank you so much!", "Much appreciated."
var politeWords = set("hi", "hello", "hey", "thanks", "thank", "you", "so", "much", "very", "a", "lot", "in", "advance",
	"appreciated", "many", "kindly", "ever", "for", "your", "help", "the", "reminder", "good", "morning", "evening",
	"afternoon", "спасибо", "большое", "заранее", "привет", "здравствуйте", "добрый", "день", "вечер", "утро", "доброе",
	"please", "пожалуйста", "cheers", "ok", "ок", "i'd", "be", "grateful", "it", "would", "lifesaver", "you'd", "could",
	"help?", "the", "client", "asked", "sorry", "извините", "простите", "благодарю", "очень", "признателен", "признательна",
	"буду", "благодарен", "благодарна", "вам", "вечера", "дня")

// mainSentence keeps the sentence of a title that says something: "Hi! … the teaser by Friday.
// Thank you so much!" keeps the middle one.
func mainSentence(s string) string {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		if (s[i] == '!' || s[i] == '?' || s[i] == '.' && capitalAt(s, i+2)) && i+1 < len(s) && s[i+1] == ' ' {
			parts = append(parts, s[start:i+1])
			start = i + 2
		}
	}
	if len(parts) == 0 {
		return s
	}
	parts = append(parts, s[start:])
	for _, p := range parts {
		words := strings.FieldsFunc(normWord(p), func(r rune) bool { return !isWordRune(r) && r != '\'' })
		polite := true
		for _, w := range words {
			polite = polite && politeWords[w]
		}
		if len(words) > 0 && !polite {
			return strings.TrimFunc(p, trimRune)
		}
	}
	return s
}

// capitalAt reports whether s has a capital letter at byte i: a sentence starts there (not "отпр. оффер").
func capitalAt(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	next, _ := utf8.DecodeRuneInString(s[i+n:])
	return unicode.IsUpper(r) && !unicode.IsUpper(next) // "Thank you", not "вак. PM"
}

// clauseWords open a clause that comments on the task rather than naming it: "собеседование с
// новым пекарем его зовут артём", "забрать заказ там сказали что коробки сохнут".
var clauseWords = set("он", "она", "они", "мы", "его", "ее", "их", "там", "тогда", "иначе", "пока", "если", "который",
	"которая", "которые", "которую", "так", "he", "she", "they", "we", "there", "otherwise", "if", "which", "so", "since")

// trimClause cuts a long title (more than five words) before a word that opens a new clause, when
// at least two words are left: a to-do is an action and its object.
func trimClause(s string) string {
	words := strings.Fields(s)
	if len(words) <= 5 {
		return s
	}
	for i := 2; i < len(words); i++ {
		if clauseWords[normWord(strings.Trim(words[i], ",.;:!?"))] {
			return strings.TrimFunc(strings.Join(words[:i], " "), trimRune)
		}
	}
	return s
}

// trimRequestTail drops a closing clause that only asks for what the message already says.
func trimRequestTail(s string) string {
	i := strings.LastIndex(s, ",")
	if i <= 0 {
		return s
	}
	tail := strings.FieldsFunc(normWord(s[i+1:]), func(r rune) bool { return !isWordRune(r) && r != '\'' })
	if len(tail) == 0 || len(tail) > 4 {
		return s
	}
	for _, w := range tail {
		if !requestWords[w] {
			return s
		}
	}
	return strings.TrimFunc(s[:i], trimRune)
}

// isDecoration reports whether r is an emoji, a symbol or a joiner that decorates a message.
func isDecoration(r rune) bool {
	return r >= 0x2190 && !unicode.IsLetter(r) && !unicode.IsDigit(r) || r == 0x200d || r == 0xfe0f || r == '«' || r == '»' ||
		r == '"' || r == '“' || r == '”'
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
		multiplier := i > 0 && p.adj(i) && p.toks[i-1].kind == tkNum // "500к", not "к концу"
		if !removed[i] && removed[i+1] && p.kind[i+1] != skIntent && p.toks[i].kind == tkWord && preps[p.toks[i].s] && !multiplier {
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
	case '.', ',', ';', ':', '!', '?', '-', '—', '–', '…', '•', '*', '/', '=', '+', '→':
		return true
	}
	return false
}

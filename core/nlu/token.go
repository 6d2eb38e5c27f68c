package nlu

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind uint8

const (
	tkWord tokKind = iota
	tkNum
	tkPunct
)

// token is one word, digit run or punctuation rune of the message.
type token struct {
	s          string // normalised: lowercase, ё→е, ’→'
	start, end int    // byte offsets into the original text
	kind       tokKind
	sp         bool // whitespace or the start of the text precedes it
	n          int  // value of a digit run (-1 when longer than 9 digits)
}

// tokenize splits text into words, digit runs and single punctuation runes. Apostrophes and
// hyphens between letters stay inside a word ("what's", "чек-ин").
func tokenize(text string) []token {
	toks := make([]token, 0, len(text)/5+2)
	sp := true
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		var j int
		var kind tokKind
		switch {
		case unicode.IsSpace(r):
			sp = true
			i += size
			continue
		case r >= '0' && r <= '9':
			j, kind = scanDigits(text, i), tkNum
		case isWordRune(r):
			j, kind = scanWord(text, i), tkWord
		default:
			j, kind = i+size, tkPunct
		}
		toks = append(toks, newToken(text, i, j, kind, sp))
		sp = false
		i = j
	}
	return toks
}

func newToken(text string, i, j int, kind tokKind, sp bool) token {
	t := token{start: i, end: j, kind: kind, sp: sp, s: text[i:j]}
	switch kind {
	case tkNum:
		t.n = -1
		if j-i <= 9 {
			t.n = atoi(t.s)
		}
	case tkWord:
		t.s = fixTypo(normWord(t.s))
	case tkPunct:
		if t.s == "’" || t.s == "`" {
			t.s = "'"
		}
	}
	return t
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsMark(r) }

func scanDigits(text string, i int) int {
	for i < len(text) && text[i] >= '0' && text[i] <= '9' {
		i++
	}
	return i
}

func scanWord(text string, i int) int {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if isWordRune(r) {
			i += size
			continue
		}
		if r == '\'' || r == '’' || r == '-' {
			r2, _ := utf8.DecodeRuneInString(text[i+size:])
			if i+size < len(text) && isWordRune(r2) {
				i += size
				continue
			}
		}
		break
	}
	return i
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// normWord lowercases a word and folds ё to е and ’ to '.
func normWord(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	return strings.Map(func(r rune) rune {
		r = unicode.ToLower(r)
		switch r {
		case 'ё':
			return 'е'
		case '’':
			return '\''
		}
		return r
	}, s)
}

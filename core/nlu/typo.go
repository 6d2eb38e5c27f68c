package nlu

import "unicode/utf8"

// Dates and times survive one typo: "завтар", "пятнцу", "mondy", "firday", "дикабря". A word
// that is not itself a date word and is one deletion, substitution or transposition from exactly
// one of them reads as that word; a longer word never does ("завтрак" is breakfast), and the first
// letter must be right ("карта" is not "марта").

// typoLexicon are the date and time words corrected.
var typoLexicon = func() map[string]string {
	words := []string{"завтра", "послезавтра", "сегодня", "tomorrow", "today", "tonight", "неделе", "неделю", "недели",
		"месяца", "середине", "концу", "конца", "вечера", "вечером", "утром", "morning", "evening", "следующей",
		"следующий", "следующую", "next", "weekend", "выходные", "выходных", "срочно", "срочная", "срочный", "срочное",
		"срочную", "urgent", "important", "priority", "приоритет", "приоритетом", "every", "каждый", "каждую", "каждое"}
	for w := range weekdayWords {
		words = append(words, w)
	}
	for w := range monthWords {
		words = append(words, w)
	}
	for w := range monthDative {
		words = append(words, w)
	}
	known := map[string]bool{}
	for _, w := range words {
		known[w] = true
	}
	out := map[string]string{}
	add := func(key, w string) {
		if prev, ok := out[key]; ok && prev != w {
			out[key] = "" // two words are this close: don't guess
			return
		}
		out[key] = w
	}
	for _, w := range words {
		if utf8.RuneCountInString(w) < 5 {
			continue
		}
		for _, d := range deletions(w) {
			if !known[d] {
				add(d, w)
			}
		}
	}
	for w := range known {
		out[w] = w
	}
	return out
}()

// deletions are w with one letter left out.
func deletions(w string) []string {
	var out []string
	for i, r := range w {
		out = append(out, w[:i]+w[i+utf8.RuneLen(r):])
	}
	return out
}

// notTypos are words a letter away from a date word that mean something else.
var notTypos = set("вечер", "frida", "sunda", "марка", "марку", "марки", "маркой", "марке")

// fixTypo returns the date word w was meant to be, or w.
func fixTypo(w string) string {
	n := utf8.RuneCountInString(w)
	if n < 5 || n > 12 || notTypos[w] {
		return w
	}
	if c, ok := typoLexicon[w]; ok {
		return orSelf(c, w) // a known word, or one letter short of one
	}
	best := ""
	for _, d := range deletions(w) {
		c, ok := typoLexicon[d]
		if !ok || c == "" || utf8.RuneCountInString(c) != n || !sameFirst(c, w) || !oneEdit(c, w) {
			continue
		}
		if best != "" && best != c {
			return w
		}
		best = c
	}
	return orSelf(best, w)
}

func orSelf(c, w string) string {
	if c == "" || !sameFirst(c, w) {
		return w
	}
	return c
}

func sameFirst(a, b string) bool {
	ra, _ := utf8.DecodeRuneInString(a)
	rb, _ := utf8.DecodeRuneInString(b)
	return ra == rb
}

// oneEdit reports whether a and b, of the same length, differ by one substitution or one
// transposition of neighbours.
func oneEdit(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	var diff []int
	for i := range ra {
		if ra[i] != rb[i] {
			diff = append(diff, i)
		}
	}
	switch len(diff) {
	case 1:
		return true
	case 2:
		i, j := diff[0], diff[1]
		return j == i+1 && ra[i] == rb[j] && ra[j] == rb[i]
	}
	return false
}

// NearWord reports whether w is word or word with one typo of the kinds the parser forgives (a
// letter swapped with its neighbour or replaced, same length): "gaol" for "goal".
func NearWord(w, word string) bool {
	return w == word || (utf8.RuneCountInString(w) == utf8.RuneCountInString(word) && utf8.RuneCountInString(w) >= 4 && oneEdit(w, word))
}

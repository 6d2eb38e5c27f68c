package nlu

import (
	"strings"
	"unicode"
)

// TextLang is "ru" for text with Cyrillic letters, "en" for text with Latin letters only (at
// least two, not a command), "" when the text doesn't tell (digits, emoji, "/start").
func TextLang(text string) string {
	latin := 0
	if strings.HasPrefix(text, "/") {
		return ""
	}
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Cyrillic, r):
			return "ru"
		case r < 128 && unicode.IsLetter(r):
			latin++
		}
	}
	if latin >= 2 {
		return "en"
	}
	return ""
}

// LangOf picks a language for a user: the text's when it tells, else the platform's language
// code (Russian for ru, uk and be, English for any other), else def.
func LangOf(hint, text, def string) string {
	if l := TextLang(text); l != "" {
		return l
	}
	h := strings.ToLower(hint)
	if strings.HasPrefix(h, "ru") || strings.HasPrefix(h, "uk") || strings.HasPrefix(h, "be") {
		return "ru"
	}
	if hint != "" {
		return "en"
	}
	return def
}

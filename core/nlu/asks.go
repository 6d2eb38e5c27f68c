package nlu

import (
	"strings"
	"unicode"
)

// What a question asks about, beyond its intent (Asks).
const (
	AskForecast     = "forecast"     // "успею к сроку?", "will I make it?"
	AskAchievements = "achievements" // "мои достижения", "my badges"
)

// Asks tells the questions the intents don't separate: whether a goal will be reached in time
// (a forecast), and the user's achievements. "" when the text asks neither; a text about the
// load ("прогноз нагрузки") is the load's.
func Asks(text string) string {
	words := strings.FieldsFunc(normWord(text), func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' })
	joined := " " + strings.Join(words, " ") + " "
	has := func(list []string) bool {
		for _, p := range list {
			if strings.HasPrefix(p, " ") && strings.Contains(joined, p) { // a phrase, or a whole word
				return true
			}
		}
		for _, w := range words {
			if stemOf(list, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has(achievementWords):
		return AskAchievements
	case has(askLoadWords):
		return ""
	case has(forecastWords):
		return AskForecast
	}
	return ""
}

// The words of each question: a stem, or a phrase (or whole word) between spaces.
var achievementWords = []string{"достиж", "ачивк", "бейдж", "наград", "значк", "achiev", "badge", "troph", " awards "}

var askLoadWords = []string{"нагрузк", " load ", " workload ", "загрузк"}

var forecastWords = []string{"успею", "успеем", "успеваю", "успеваем", "успеть", "прогноз", " в графике ", " в срок ",
	" к сроку ", " к дедлайну ", " отстаю ", " отстаем ", "forecast", " on track ", " will i make it ", " will we make it ",
	" can i make it ", " gonna make it ", " make it by ", " hit the deadline ", " meet the deadline ", " in time ",
	" behind schedule ", " will i reach ", " will i hit ", " will we reach ", " will we hit ", " am i behind ",
	" are we behind ", " on schedule "}

// AskSubject is what a forecast question is about, its asking words left out: "успею по
// выручке?" → "выручке", "am I on track with revenue" → "revenue".
func AskSubject(text string) string {
	var keep []string
	for _, w := range strings.FieldsFunc(normWord(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		short := len([]rune(w)) <= 2 && !unicode.IsDigit([]rune(w)[0])
		if askFiller[w] || short || stemOf(forecastWords, w) {
			continue
		}
		keep = append(keep, w)
	}
	return strings.Join(keep, " ")
}

// stemOf reports whether w starts with one of the list's stems (its entries without spaces).
func stemOf(list []string, w string) bool {
	for _, p := range list {
		if !strings.Contains(p, " ") && strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

var askFiller = set("ли", "мы", "меня", "цели", "цель", "целям", "срок", "сроку", "дедлайну", "будет", "получится", "графике",
	"will", "make", "track", "with", "the", "for", "goal", "goals", "deadline", "time", "reach", "hit", "are", "behind",
	"schedule", "what", "about", "how", "отстаю", "отстаем", "как", "что")

// LastWeek reports whether text asks about the week before this one: "отчёт за прошлую неделю",
// "last week's report".
func LastWeek(text string) bool {
	words := strings.FieldsFunc(normWord(text), func(r rune) bool { return !unicode.IsLetter(r) })
	for i, w := range words {
		if (strings.HasPrefix(w, "прошл") || strings.HasPrefix(w, "предыдущ") || w == "last" || w == "previous" || w == "past") &&
			i+1 < len(words) && (strings.HasPrefix(words[i+1], "недел") || strings.HasPrefix(words[i+1], "week")) {
			return true
		}
	}
	return false
}

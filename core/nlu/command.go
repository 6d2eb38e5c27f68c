package nlu

import "strings"

var (
	goalsWords      = set("/goals", "goals", "my goals", "цели", "мои цели")
	teamWords       = set("team", "/team", "команда", "team goals", "цели команды", "командные цели")
	reportHereWords = set("report here", "weekly report here", "отчёт сюда", "отчет сюда", "отчёты сюда", "отчеты сюда")
	greetingWords   = set("привет", "здравствуй", "здравствуйте", "добрый", "доброе", "хай", "салют", "hi", "hello", "hey", "good", "yo")
)

// commandWords recognises the whole-message commands: /start, the goals lists and the team's
// report channel, with or without the Slack "/bc" prefix and a Telegram "@bot" suffix.
func commandWords(text string) (Intent, bool) {
	norm := strings.Trim(strings.ToLower(strings.TrimSpace(text)), " .!?")
	norm = strings.TrimPrefix(norm, "/bc ")
	if f := strings.Fields(norm); len(f) > 0 && (f[0] == "/start" || strings.HasPrefix(f[0], "/start@")) {
		return IntentStart, true
	}
	if at := strings.IndexByte(norm, '@'); strings.HasPrefix(norm, "/") && at > 0 {
		norm = norm[:at] // "/goals@bizconnect_bot"
	}
	switch {
	case goalsWords[norm]:
		return IntentShowGoals, true
	case teamWords[norm]:
		return IntentTeamGoals, true
	case reportHereWords[norm]:
		return IntentReportChannel, true
	}
	return "", false
}

// IsGreeting reports whether a short message starts with a greeting ("Привет!", "good morning").
func IsGreeting(text string) bool {
	f := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !isWordRune(r) })
	return len(f) > 0 && len(f) <= 4 && greetingWords[f[0]]
}

package nlu

import (
	"regexp"
	"slices"
	"strings"
)

var (
	goalsWords      = set("/goals", "goals", "my goals", "цели", "мои цели")
	teamWords       = set("team", "/team", "команда", "team goals", "цели команды", "командные цели")
	reportHereWords = set("report here", "weekly report here", "отчёт сюда", "отчет сюда", "отчёты сюда", "отчеты сюда")
	linkWords       = set("/link", "link account", "link my account", "привязать аккаунт", "привяжи аккаунт", "связать аккаунт",
		"связать с сайтом", "привязать сайт", "код для сайта", "link web account")
	thanksWords   = set("спасибо", "спс", "пасиб", "пасибо", "благодарю", "спасибочки", "мерси", "thx", "thanks", "thank", "ty", "thnx", "cheers", "tnx")
	greetingWords = set("привет", "здравствуй", "здравствуйте", "добрый", "доброе", "хай", "салют", "hi", "hello", "hey", "good", "yo")
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
	case linkWords[norm]:
		return IntentLink, true
	}
	return "", false
}

// IsGreeting reports whether a short message starts with a greeting ("Привет!", "good morning").
func IsGreeting(text string) bool {
	f := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !isWordRune(r) })
	return len(f) > 0 && len(f) <= 4 && greetingWords[f[0]]
}

var (
	yesWords = set("да", "ага", "угу", "ок", "окей", "ok", "okay", "yes", "yep", "yeah", "yup", "sure", "конечно", "давай",
		"сохрани", "сохранить", "сохраняй", "save", "верно", "точно", "go", "подтверждаю", "confirm", "y", "д",
		"норм", "нормально", "годится", "подходит", "пойдет", "пойдёт", "согласен", "согласна", "lgtm", "agreed", "perfect", "deal")
	// yesPhrases start a yes of two words: "looks good", "sounds great", "fine by me"
	yesPhrases = set("looks", "sounds", "fine", "all")
	yesSecond  = set("good", "great", "fine", "ok", "okay", "right", "by", "perfect")
	noWords    = set("нет", "неа", "no", "nope", "nah", "отмена", "отмени", "отменить", "cancel", "не")
	// yesNoFiller may come before the answer: "ну да", "oh yes", "а давай"
	yesNoFiller = set("ну", "а", "и", "oh", "well", "so", "ой", "так", "ладно")
)

// YesOrNo reads a short answer to a yes/no question: "да", "ок, сохрани", "yes please" (yes);
// "нет", "не надо", "cancel" (no). Neither for anything else.
func YesOrNo(text string) (yes, no bool) {
	switch strings.TrimSpace(strings.ReplaceAll(text, "\ufe0f", "")) {
	case "👍", "👌", "✅", "✔", "🆗", "💯", "🙆", "👍🏻", "👍🏼", "👍🏽":
		return true, false
	case "👎", "❌", "🙅", "✖":
		return false, true
	}
	f := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !isWordRune(r) })
	if len(f) > 0 && yesNoFiller[f[0]] {
		f = f[1:]
	}
	if len(f) == 0 || len(f) > 3 {
		return false, false
	}
	if len(f) > 1 && yesPhrases[f[0]] && yesSecond[f[1]] {
		return true, false
	}
	return yesWords[f[0]], noWords[f[0]]
}

// IsThanks reports whether a short message is a thank-you ("спасибо!", "thx", "thanks a lot").
func IsThanks(text string) bool {
	f := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !isWordRune(r) })
	return len(f) > 0 && len(f) <= 4 && (thanksWords[f[0]] || (len(f) > 1 && thanksWords[f[1]]))
}

// slackMention is a person as Slack writes them in a message: <@U123> or <@U123|name>.
var slackMention = regexp.MustCompile(`<@([UW][A-Z0-9]+)(?:\|[^>]*)?>`)

// roleWords name the roles a team's owner gives: the word, in any of its forms, and the role.
var roleWords = []struct {
	words []string
	role  string
}{
	{[]string{"owner", "владелец", "владельцем", "владение", "владения", "ownership"}, "owner"},
	{[]string{"admin", "админ", "админом", "администратор", "администратором", "админка"}, "admin"},
	{[]string{"member", "участник", "участником", "unadmin", "разжаловать"}, "member"},
}

// teamRoleCommand recognises "admin @lena", "сделай @lena админом", "передай владение @oleg",
// "/bc owner @oleg": one Slack mention and a role word, nothing else of substance.
func teamRoleCommand(text string) (role, who string, ok bool) {
	ms := slackMention.FindAllStringSubmatch(text, -1)
	if len(ms) != 1 {
		return "", "", false
	}
	rest := strings.ToLower(slackMention.ReplaceAllString(strings.TrimPrefix(strings.TrimSpace(text), "/bc "), " "))
	words := strings.FieldsFunc(rest, func(r rune) bool { return !isWordRune(r) })
	if len(words) == 0 || len(words) > 4 {
		return "", "", false
	}
	for _, w := range words {
		for _, rw := range roleWords {
			if slices.Contains(rw.words, w) {
				return rw.role, ms[0][1], true
			}
		}
	}
	return "", "", false
}

// calendarCommand recognises what a short message asks of the calendar connection: "подключи
// гугл календарь", "connect my calendar" (connect), "отключи календарь" (disconnect), "ставь
// задачи в календарь" / "stop adding tasks to my calendar" (block_on / block_off), "календарь"
// alone (connect, or the connection's state when there is one). A message naming the calendar
// for something else ("добавь в календарь встречу завтра") is not one.
func calendarCommand(text string) (string, bool) {
	norm := strings.Trim(strings.ToLower(strings.TrimSpace(text)), " .!?")
	norm = strings.TrimPrefix(norm, "/bc ")
	f := strings.FieldsFunc(norm, func(r rune) bool { return !isWordRune(r) && r != '/' })
	if len(f) == 0 || len(f) > 10 {
		return "", false
	}
	has := func(stems ...string) bool {
		return slices.ContainsFunc(f, func(w string) bool {
			return slices.ContainsFunc(stems, func(s string) bool { return strings.HasPrefix(w, s) })
		})
	}
	if !has("календар", "calendar", "/calendar", "gcal", "кален") {
		return "", false
	}
	only := true // nothing but the calendar's name: "гугл календарь", "/calendar"
	for _, w := range f {
		if !strings.HasPrefix(w, "календар") && !strings.HasPrefix(w, "calendar") && !strings.HasPrefix(w, "/calendar") &&
			!slices.Contains([]string{"google", "гугл", "гугла", "gcal", "мой", "my", "the", "статус", "status"}, w) {
			only = false
		}
	}
	word := func(ws ...string) bool {
		return slices.ContainsFunc(f, func(w string) bool { return slices.Contains(ws, w) })
	}
	tasks := has("задач", "task", "дел", "блок", "block", "time", "время", "врем")
	off := word("не", "no", "not", "don", "dont", "stop", "off", "без", "without", "хватит", "никогда", "never") ||
		has("перестан", "перестать", "выключ", "отключи блок")
	switch {
	case has("отключ", "отвяж", "disconnect", "unlink", "отсоедин") || has("удали", "remove") && !tasks:
		return "disconnect", true
	case tasks && off && has("став", "добав", "пиш", "занос", "внос", "блок", "block", "add", "put", "writ", "sync", "синхрон", "off", "stop"):
		return "block_off", true
	case tasks && has("став", "добав", "пиш", "занос", "внос", "блок", "block", "add", "put", "writ", "sync", "синхрон", "включ", "turn", "enable"):
		return "block_on", true
	case only || has("подключ", "connect", "привяж", "привязать", "синхрон", "sync", "интеграц", "integrat", "link", "свяж", "связать"):
		return "connect", true
	}
	return "", false
}

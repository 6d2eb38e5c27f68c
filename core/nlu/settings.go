package nlu

import (
	"strconv"
	"strings"
	"time"

	"github.com/bizconnect/bizconnect/core"
)

var (
	tzPhrases = phrases("часовой пояс", "часового пояса", "часовым поясом", "таймзона", "таймзону", "тайм-зона",
		"timezone", "time zone", "tz", "зона", "time-zone")
	wherePhrases = phrases("я в", "я сейчас в", "я теперь в", "сейчас я в", "теперь я в", "i'm in", "im in", "i am in",
		"i'm now in", "i am now in", "now in", "moved to", "i moved to", "i've moved to", "переехал в", "переехала в",
		"живу в", "i live in", "я нахожусь в", "нахожусь в", "прилетел в", "прилетела в", "i'm currently in", "i am currently in",
		"я переехал в", "я переехала в", "i'm at", "we moved to", "я уже в", "i'm based in")
	langKeys = phrases("язык", "language", "lang", "switch to", "переключи на", "переключись на", "говори по", "говори на",
		"speak", "отвечай на", "отвечай по", "reply in", "answer in", "talk to me in", "пиши на", "пиши по", "interface")
	morningPhrases = phrases("утренний план", "утренняя сводка", "утренний дайджест", "утреннее сообщение",
		"утренний брифинг", "утренний", "morning plan", "morning briefing", "morning digest", "morning message",
		"morning summary", "morning time", "план на день присылай", "присылай план", "утреннюю сводку", "утреннюю рассылку",
		"утренний отчет", "утренний дайджест", "morning briefing", "morning update", "утренние сообщения")
	eveningPhrases = phrases("вечерний чек-ин", "вечерний чекин", "вечерний чек ин", "вечерняя проверка", "вечерний опрос",
		"вечерний отчет", "вечерний", "evening check-in", "evening checkin", "evening check in", "evening review",
		"evening time", "check-in time", "чек-ин", "check-in", "check in with me", "checkin", "чекин", "чек ин",
		"check in", "вечернюю проверку", "вечерняя")
	quietPhrases = phrases("тихие часы", "тихий режим", "не беспокоить", "не беспокой", "quiet hours", "do not disturb",
		"don't disturb", "dnd", "quiet time", "режим тишины")
	pausePhrases = phrases("пауза", "на паузу", "поставь на паузу", "поставь паузу", "паузу", "приостанови", "приостановить",
		"pause", "pause reminders", "не напоминай", "don't remind me", "stop reminders", "останови напоминания",
		"pause all", "pause notifications", "выключи напоминания", "turn off reminders", "отключи напоминания")
	resumePhrases = phrases("возобнови", "возобновить", "продолжи", "продолжить", "сними паузу", "сними с паузы",
		"снять паузу", "resume", "unpause", "включи напоминания", "turn reminders on", "turn on reminders", "i'm back",
		"я вернулся", "я вернулась", "resume reminders")
	showPhrases = phrases("настройки", "settings", "preferences", "config", "настройка", "параметры")
)

var langValues = map[string]string{
	"русский": "ru", "русском": "ru", "русски": "ru", "по-русски": "ru", "russian": "ru", "ru": "ru", "рус": "ru", "русскому": "ru",
	"английский": "en", "английском": "en", "английски": "en", "по-английски": "en", "english": "en", "en": "en",
	"англ": "en", "англий": "en", "eng": "en", "английскому": "en", "инглиш": "en",
}

// settingRule tries to read one kind of setting.
type settingRule func(p *parser) (Result, bool)

var settingRules = []settingRule{settingQuiet, settingMorning, settingEvening, settingTimezone, settingWhere,
	settingLanguage, settingPause, settingResume, settingShow, settingWeekends, settingLead, settingWeekly, settingBounds}

var (
	notAfter  = phrases("после", "after", "не позже", "позже", "later than", "past")
	notBefore = phrases("не раньше", "раньше", "before", "not before", "until", "до", "till")
	negations = set("не", "no", "don't", "dont", "never", "нет", "stop", "nothing", "ничего", "not")
	pingWords = set("пиши", "писать", "присылай", "шли", "напоминай", "напоминания", "уведомления", "беспокой",
		"message", "ping", "pings", "text", "texting", "notifications", "notify", "reminders", "remind", "messages", "bother")
)

// pingNouns are the assistant's messages named as things: "no pings after 10", "уведомления не раньше 9".
var pingNouns = set("напоминания", "уведомления", "notifications", "reminders", "pings", "messages", "сообщения")

// negatedPing reports whether the message tells the assistant not to write: a negation right
// before a word for writing ("не пиши", "don't text me", "no pings"), or its messages named and negated
// ("напоминания не раньше 9"). "text Anna not before 10am" is a task.
func (p *parser) negatedPing() bool {
	for i, t := range p.toks {
		if negations[t.s] && (pingWords[p.w(i+1)] || pingWords[p.w(i+2)] && (p.w(i+1) == "мне" || p.w(i+1) == "me")) {
			return true
		}
		if pingNouns[t.s] && p.hasWord(negations) && i == p.leadEnd() {
			return true
		}
	}
	return false
}

// settingBounds reads quiet hours said as a bound on messages: "не пиши после 22" (they start at
// 22:00), "напоминания шли не раньше 9 утра", "no pings before 9am" (they end then). The other end
// is left to the caller (the user's setting or the default).
func settingBounds(p *parser) (Result, bool) {
	if !p.s.hasTime || !p.negatedPing() {
		// "text john after 5pm", "пиши мне после 10", "remind me after 6pm about the report" ask for
		// something, they don't silence anything: only "не пиши после 22", "шли не раньше 9" do
		return Result{}, false
	}
	c := clockPtr(p.s.time)
	if i, _ := p.findPhrase(notAfter); i >= 0 {
		if p.s.bare && c.Hour() <= 11 {
			c = clockPtr(*c + 12*60) // "не пиши после 9": in the evening
		}
		return Result{Setting: SettingQuietHours, Time: c, Confidence: confPattern}, true
	}
	if i, _ := p.findPhrase(notBefore); i >= 0 {
		return Result{Setting: SettingQuietHours, EndTime: c, Confidence: confPattern}, true
	}
	return Result{}, false
}

func classifySettings(p *parser) (Result, bool) {
	for _, rule := range settingRules {
		if r, ok := rule(p); ok {
			r.Intent = IntentSettings
			if r.Confidence == 0 {
				r.Confidence = confKeyword
			}
			return r, true
		}
	}
	return Result{}, false
}

func settingQuiet(p *parser) (Result, bool) {
	i, n := p.findPhrase(quietPhrases)
	if i < 0 {
		return Result{}, false
	}
	r := Result{Setting: SettingQuietHours}
	if c := p.clocksFrom(i + n); len(c) > 0 {
		r.Time = clockPtr(c[0])
		if len(c) > 1 {
			r.EndTime = clockPtr(c[1])
		}
	}
	return r, true
}

func settingMorning(p *parser) (Result, bool) { return p.timeSetting(morningPhrases, SettingMorning) }

func settingEvening(p *parser) (Result, bool) { return p.timeSetting(eveningPhrases, SettingEvening) }

// timeSetting reads "<phrase> [в] 8:30"; a single-word phrase needs a time to count.
func (p *parser) timeSetting(list phraseList, s Setting) (Result, bool) {
	i, n := p.findPhrase(list)
	if i < 0 {
		return Result{}, false
	}
	c := p.clocksFrom(i + n)
	if len(c) == 0 && (n == 1 || i > p.firstContent()+1) {
		return Result{}, false
	}
	r := Result{Setting: s}
	if len(c) > 0 {
		r.Time = clockPtr(c[0])
	}
	return r, true
}

// clocksFrom reads up to two clock times after token j ("с 22 до 8", "22:00-08:00", "at 9pm").
func (p *parser) clocksFrom(j int) []core.ClockTime {
	var out []core.ClockTime
	for k := j; k < len(p.toks) && len(out) < 2; k++ {
		if _, word := spelled[p.w(k)]; p.toks[k].kind != tkNum && !word {
			continue
		}
		h := p.clockAt(k, true)
		if h.n == 0 {
			return out
		}
		out = append(out, h.clock)
		k += h.n - 1
	}
	return out
}

func settingTimezone(p *parser) (Result, bool) {
	i, n := p.findPhrase(tzPhrases)
	if i < 0 || (p.w(i) == "зона" && i > p.firstContent()) {
		return Result{}, false
	}
	j := i + n
	for j < len(p.toks) && (p.toks[j].kind == tkPunct && isSeparator(p.toks[j].s) || zoneSkip[p.w(j)]) {
		j++
	}
	if j >= len(p.toks) {
		return Result{Setting: SettingTimezone}, true
	}
	return Result{Setting: SettingTimezone, SettingValue: p.zoneAt(j)}, true
}

var zoneSkip = set("на", "to", "is", "set", "мой", "my", "в", "in", "поставь", "установи", "change", "поменяй", "теперь", "now", "=")

func settingWhere(p *parser) (Result, bool) {
	i, n := p.findPhrase(wherePhrases)
	if i < 0 || i > p.firstContent()+1 {
		return Result{}, false
	}
	tz, ok := p.cityAt(i + n)
	if !ok {
		return Result{}, false
	}
	return Result{Setting: SettingTimezone, SettingValue: tz}, true
}

// zoneAt resolves the zone written at j: an IANA name, UTC±N, an abbreviation or a city.
func (p *parser) zoneAt(j int) string {
	end := j + 1
	for end < len(p.toks) && p.adj(end) {
		end++
	}
	raw := p.text[p.toks[j].start:p.toks[end-1].end]
	if tz, ok := offsetZone(raw); ok {
		return tz
	}
	if tz, ok := p.cityAt(j); ok {
		return tz
	}
	if strings.Contains(raw, "/") {
		return ianaCase(raw)
	}
	return strings.TrimFunc(p.text[p.toks[j].start:], trimRune)
}

// cityAt resolves one to three words at j as a city.
func (p *parser) cityAt(j int) (string, bool) {
	for n := 3; n >= 1; n-- {
		end := j + n - 1
		if end >= len(p.toks) || p.toks[end].kind == tkPunct && p.toks[end].s != "-" {
			continue
		}
		if tz, ok := CityTimezone(p.text[p.toks[j].start:p.toks[end].end]); ok {
			return tz, true
		}
	}
	return "", false
}

// offsetZone turns "UTC", "UTC+3", "GMT-5" into an IANA Etc zone (whose sign is inverted).
func offsetZone(raw string) (string, bool) {
	s := strings.ToUpper(strings.ReplaceAll(raw, " ", ""))
	if strings.HasPrefix(s, "ГМТ") { // "гмт+4"
		s = "GMT" + s[len("ГМТ"):]
	}
	if s == "UTC" || s == "GMT" || s == "Z" {
		return "UTC", true
	}
	if len(s) < 5 || (s[:3] != "UTC" && s[:3] != "GMT") || (s[3] != '+' && s[3] != '-') {
		return "", false
	}
	n := 0
	for _, c := range s[4:] {
		if c < '0' || c > '9' {
			return "", false
		}
		n = n*10 + int(c-'0')
	}
	if n == 0 {
		return "UTC", true
	}
	if n > 14 {
		return "", false
	}
	sign := "-"
	if s[3] == '-' {
		sign = "+"
	}
	return "Etc/GMT" + sign + itoa(n), true
}

// ianaCase capitalises "europe/moscow" as "Europe/Moscow"; names with capitals stay as written.
func ianaCase(raw string) string {
	if raw != strings.ToLower(raw) {
		return raw
	}
	b := []byte(raw)
	up := true
	for i, c := range b {
		if up && c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		up = c == '/' || c == '_' || c == '-'
	}
	return string(b)
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return string(rune('0'+n/10)) + string(rune('0'+n%10))
}

func settingLanguage(p *parser) (Result, bool) {
	lang := ""
	for _, t := range p.toks {
		if v, ok := langValues[t.s]; ok && t.kind == tkWord {
			lang = v
		}
	}
	if lang == "" {
		return Result{}, false
	}
	i, _ := p.findPhrase(langKeys)
	if i < 0 && p.wordCount() > 3 {
		return Result{}, false
	}
	return Result{Setting: SettingLanguage, SettingValue: lang}, true
}

func (p *parser) wordCount() int {
	n := 0
	for _, t := range p.toks {
		if t.kind != tkPunct {
			n++
		}
	}
	return n
}

func settingPause(p *parser) (Result, bool) {
	i := p.firstContent()
	n := p.prefixAt(i, pausePhrases)
	if n == 0 {
		return Result{}, false
	}
	r := Result{Setting: SettingPause}
	if d, ok := p.pauseUntil(i + n); ok {
		r.Due = &d
	}
	return r, true
}

// pauseUntil is the date a pause ends: a date said, or "на неделю"/"for 2 weeks" from today.
func (p *parser) pauseUntil(j int) (core.Date, bool) {
	for k := j; k < len(p.toks); k++ {
		w := p.w(k)
		if w != "на" && w != "for" {
			continue
		}
		count, m := 1, k+1
		if v := p.num(m); v > 0 {
			count, m = v, m+1
		} else if v, ok := numberWords[p.w(m)]; ok {
			count, m = v, m+1
		}
		t := p.today.In(time.UTC)
		switch u := p.w(m); {
		case dayUnit[u]:
			return core.DateOf(t.AddDate(0, 0, count)), true
		case weekUnit[u]:
			return core.DateOf(t.AddDate(0, 0, 7*count)), true
		case monthUnit[u]:
			return core.DateOf(t.AddDate(0, count, 0)), true
		}
	}
	if p.s.hasDate {
		return p.s.date, true
	}
	return core.Date{}, false
}

func settingResume(p *parser) (Result, bool) {
	if p.prefixAt(p.firstContent(), resumePhrases) == 0 {
		return Result{}, false
	}
	return Result{Setting: SettingResume}, true
}

var (
	weekendWords = set("выходным", "выходные", "выходных", "выхам", "выхи", "выхах", "weekends", "weekend", "weekend's",
		"субботу", "субботам")
	alsoWords = set("тоже", "и", "также", "too", "also", "включая", "including", "even")
	// leadWords are the habitual "remind": "напоминай за 15 минут" is a setting, "напомни за
	// час до встречи" a task.
	leadWords   = set("напоминай", "напоминать", "напоминания", "напоминание", "напоминайте", "reminders", "reminder", "remind")
	onTimeWords = set("ровно", "вовремя", "exactly", "on-time", "sharp")
	leadEnds    = set("before", "ahead", "beforehand", "earlier", "advance", "заранее", "раньше", "до")
	leadObjects = set("", "each", "every", "tasks", "task", "it", "them", "the", "time", "start", "задачи", "задач", "начала", "каждой", "срока",
		"please", "pls", "plz", "пожалуйста", "пж")
)

// settingWeekends reads "по выходным не пиши", "no messages on weekends" (the pushes keep to
// weekdays: SettingValue "12345") and "пиши и по выходным", "weekends too" (every day).
func settingWeekends(p *parser) (Result, bool) {
	if !p.hasWord(weekendWords) || p.wordCount() > 8 || p.s.hasTime {
		return Result{}, false
	}
	if p.negatedPing() || p.hasWord(set("off", "free", "выходной")) && !p.hasWord(alsoWords) {
		return Result{Setting: SettingWorkingDays, SettingValue: "12345", Confidence: confPattern}, true
	}
	if p.hasWord(pingWords) && p.hasWord(alsoWords) {
		return Result{Setting: SettingWorkingDays, SettingValue: "1234567", Confidence: confPattern}, true
	}
	return Result{}, false
}

// settingLead reads how long before a task its reminder comes: "напоминай за 15 минут",
// "remind me 10 minutes before", "reminders half an hour ahead".
func settingLead(p *parser) (Result, bool) {
	if p.hasWord(leadWords) && p.hasWord(onTimeWords) && !p.s.hasDate && !p.s.hasTime && p.wordCount() <= 7 {
		return Result{Setting: SettingReminderLead, DurationMin: intPtr(0), Confidence: confPattern}, true // "напоминай ровно ко времени"
	}
	if p.s.dur <= 0 || p.s.hasDate || p.s.hasTime || !p.hasWord(leadWords) || p.wordCount() > 9 {
		return Result{}, false
	}
	ru := p.hasWord(set("напоминай", "напоминать", "напоминания", "напоминание", "напоминайте")) && p.hasWord(set("за"))
	en := false
	for i, t := range p.toks {
		if leadEnds[t.s] && leadObjects[p.w(i+1)] && (p.w(i+1) == "" || leadObjects[p.w(i+2)]) {
			en = true
		}
	}
	if !ru && !en || p.s.dur > core.MaxReminderLeadMin {
		return Result{}, false
	}
	return Result{Setting: SettingReminderLead, DurationMin: intPtr(p.s.dur), Confidence: confPattern}, true
}

// weeklySendWords ask for the weekly report to come: "присылай отчёт в воскресенье", "send me the
// weekly report at 6pm". "отправить отчёт инвесторам в пятницу" is a task: no word here says it.
var (
	weeklySendWords = set("присылай", "присылайте", "присылать", "шли", "высылай", "отправляй", "отправляйте",
		"приходил", "приходило", "приходит", "приходить", "получать", "хочу", "deliver", "want", "get", "come", "comes",
		"поменяй", "измени", "change", "make", "ставь", "поставь", "set")
	weeklyReportWords = set("отчет", "отчеты", "report", "reports", "summary", "итоги", "сводку", "сводка", "recap", "review")
	// reportTaskWords make a report something to do: "сделать отчёт за неделю в пт в 15".
	reportTaskWords = set("подготовить", "сделать", "написать", "отправить", "доделать", "собрать", "закончить", "составить",
		"сдать", "надо", "нужно", "prepare", "write", "finish", "draft", "submit", "compile", "need", "must", "to")
)

// settingWeekly reads when the weekly report comes: "отчёт присылай в воскресенье в 18:00",
// "weekly report on mondays at 9", "недельный отчёт по пятницам". The day is a weekday named in
// it (SettingValue "1" = Monday … "7" = Sunday), the time its clock; either may be missing.
func settingWeekly(p *parser) (Result, bool) {
	if !p.hasWord(weeklyReportWords) || p.hasWord(reportTaskWords) || p.wordCount() > 11 {
		return Result{}, false
	}
	day, plural := time.Weekday(-1), false
	for i, t := range p.toks {
		if d, ok := weekdayPlural[t.s]; ok {
			day, plural = d, true
		} else if d, ok := weekdayWords[t.s]; ok && t.kind == tkWord && (!weekdayNeedsContext[t.s] || timePreps[p.w(i-1)] || p.w(i-1) == "on") {
			day = d
		}
	}
	if day < 0 && !p.s.hasTime {
		return Result{}, false
	}
	weekly := plural || p.hasWord(weeklyWords) || p.hasWord(everyWords) || p.hasWord(weekUnit)
	send := p.hasWord(weeklySendWords) || p.w(p.firstContent()) == "send" && (p.w(p.firstContent()+1) == "me" || p.w(p.firstContent()+1) == "it")
	if !send && !(weekly && (plural || p.hasWord(everyWords) || p.s.hasTime)) {
		return Result{}, false // "отчёт за неделю к пятнице" is a task, "отчёт за неделю" a view
	}
	r := Result{Setting: SettingWeeklyReport, Confidence: confPattern}
	if day >= 0 {
		r.SettingValue = strconv.Itoa((int(day)+6)%7 + 1)
	}
	if p.s.hasTime {
		r.Time = clockPtr(p.taskTime(p.s.time, p.s.bare))
	}
	return r, true
}

func settingShow(p *parser) (Result, bool) {
	if i, _ := p.findPhrase(showPhrases); i < 0 || p.wordCount() > 4 {
		return Result{}, false
	}
	return Result{Setting: SettingShow}, true
}

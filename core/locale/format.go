package locale

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/bizconnect/bizconnect/core"
)

// ProgressBar draws p (0..1) as eight cells and a percentage: "▓▓▓▓░░░░ 45%".
func ProgressBar(p float64) string {
	p = min(max(p, 0), 1)
	filled := int(math.Round(p * 8))
	return strings.Repeat("▓", filled) + strings.Repeat("░", 8-filled) + " " + strconv.Itoa(int(math.Round(p*100))) + "%"
}

// FormatNumber writes v with thin grouping of thousands and at most two decimals: 1 500 000, 12.5.
func FormatNumber(v float64) string {
	neg := v < 0
	v = math.Abs(v)
	whole := int64(v)
	frac := math.Round((v-float64(whole))*100) / 100
	digits := strconv.FormatInt(whole, 10)
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteRune(' ')
		}
		b.WriteRune(d)
	}
	s := b.String()
	if frac > 0 {
		s += strings.TrimPrefix(strconv.FormatFloat(frac, 'f', -1, 64), "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Amount is a number with its unit: "450 000 ₽", "$10 000", "12 clients", "45%".
func Amount(v float64, unit string) string {
	n := FormatNumber(v)
	switch unit {
	case "RUB":
		return n + " ₽"
	case "USD":
		return "$" + n
	case "EUR":
		return "€" + n
	case "%":
		return n + "%"
	case "":
		return n
	}
	return n + " " + unit
}

// DayWord names a date relative to today: "today", "tomorrow", a weekday this week, or "25 Nov".
func DayWord(lang string, d, today core.Date) string {
	switch today.DaysUntil(d) {
	case 0:
		return T(lang, "today")
	case 1:
		return T(lang, "tomorrow")
	case -1:
		return T(lang, "yesterday")
	}
	if n := today.DaysUntil(d); n > 1 && n < 7 {
		return WeekdayName(lang, d.Weekday()) + ", " + FullDate(lang, d, today)
	}
	return FullDate(lang, d, today)
}

// DayHeader names a day in a heading: "today", "tomorrow" or a plain date ("Plan for 27 Nov").
func DayHeader(lang string, d, today core.Date) string {
	if n := today.DaysUntil(d); n == 0 || n == 1 {
		return DayWord(lang, d, today)
	}
	return FullDate(lang, d, today)
}

// FullDate names a date plainly: "30 Nov" / "30 ноября", with the year when it is not this year.
func FullDate(lang string, d, today core.Date) string {
	s := strconv.Itoa(d.Day) + " " + MonthName(lang, d.Month)
	if d.Year != today.Year {
		s += " " + strconv.Itoa(d.Year)
	}
	return s
}

var weekdays = map[string][7]string{
	"en": {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
	"ru": {"воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"},
}

var months = map[string][12]string{
	"en": {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
	"ru": {"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"},
}

// WeekdayName is the weekday in lang.
func WeekdayName(lang string, w time.Weekday) string { return weekdays[normLang(lang)][w] }

// MonthName is the month in lang, in the form a date takes ("ноября").
func MonthName(lang string, m time.Month) string { return months[normLang(lang)][m-1] }

func normLang(lang string) string {
	if lang == "ru" {
		return "ru"
	}
	return "en"
}

// Duration writes minutes as "45 min", "1.5 h", "1 h 15 min" / "45 мин", "1,5 ч", "1 ч 15 мин".
func Duration(lang string, minutes int) string {
	if minutes < 60 {
		return strconv.Itoa(minutes) + " " + T(lang, "min")
	}
	if minutes%30 != 0 {
		return strconv.Itoa(minutes/60) + " " + T(lang, "hours_short") + " " + strconv.Itoa(minutes%60) + " " + T(lang, "min")
	}
	h := strconv.FormatFloat(float64(minutes)/60, 'f', -1, 64)
	if lang == "ru" {
		h = strings.ReplaceAll(h, ".", ",")
	}
	return h + " " + T(lang, "hours_short")
}

// Shorten cuts s to n runes with an ellipsis, for button labels.
func Shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// Recurrence says a rule in words: "every day", "по будням", "every Monday", "monthly on the 1st".
func Recurrence(lang, rule string) string {
	r, ok := core.ParseRecurrence(rule)
	if !ok {
		return rule
	}
	switch {
	case r.Freq == "DAILY":
		return T(lang, "rec_daily")
	case r.Freq == "WEEKLY" && len(r.Days) == 5 && r.Days[0] == time.Monday && r.Days[4] == time.Friday:
		return T(lang, "rec_weekdays")
	case r.Freq == "WEEKLY" && len(r.Days) > 0:
		names := make([]string, 0, len(r.Days))
		for _, w := range r.Days {
			names = append(names, T(lang, "rec_on_"+strings.ToLower(w.String()[:2])))
		}
		return T(lang, "rec_weekly_on", strings.Join(names, ", "))
	case r.Freq == "WEEKLY":
		return T(lang, "rec_weekly")
	case r.Freq == "MONTHLY" && r.MonthDay > 0:
		return T(lang, "rec_monthly_on", r.MonthDay)
	case r.Freq == "MONTHLY":
		return T(lang, "rec_monthly")
	}
	return T(lang, "rec_yearly")
}

// nouns are the counted nouns, in the form a count takes: English singular and plural; Russian
// for 1, 2–4 and 5–20 ("1 задача", "3 задачи", "12 задач"). Week is in the accusative of "на N
// недель" / "over N weeks".
var nouns = map[string][2][3]string{
	"task":      {{"task", "tasks"}, {"задача", "задачи", "задач"}},
	"week":      {{"week", "weeks"}, {"неделю", "недели", "недель"}},
	"day":       {{"day", "days"}, {"день", "дня", "дней"}},
	"milestone": {{"milestone", "milestones"}, {"этап", "этапа", "этапов"}},
	// task_acc is "task" as the object of a verb: "перенесу 1 задачу", "move 1 task"
	"task_acc": {{"task", "tasks"}, {"задачу", "задачи", "задач"}},
}

// Plural writes a count with its noun in the form the count takes in lang: "1 task", "3 tasks",
// "21 задача", "3 задачи", "12 задач".
func Plural(lang string, n int, noun string) string {
	forms, ok := nouns[noun]
	if !ok {
		return strconv.Itoa(n) + " " + noun
	}
	if normLang(lang) == "en" {
		if n == 1 {
			return "1 " + forms[0][0]
		}
		return strconv.Itoa(n) + " " + forms[0][1]
	}
	ru := forms[1]
	switch m10, m100 := n%10, n%100; {
	case m10 == 1 && m100 != 11:
		return strconv.Itoa(n) + " " + ru[0]
	case m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14):
		return strconv.Itoa(n) + " " + ru[1]
	default:
		return strconv.Itoa(n) + " " + ru[2]
	}
}

// Quote puts a name in the quotes of lang: «…» in Russian, “…” in English.
func Quote(lang, s string) string {
	if normLang(lang) == "ru" {
		return "«" + s + "»"
	}
	return "“" + s + "”"
}

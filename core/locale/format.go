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

// Number writes v with at most two decimals in lang's style: "1,500,000.5" in English,
// "1 500 000,5" in Russian .
func Number(lang string, v float64) string {
	neg := v < 0
	v = math.Abs(v)
	whole := int64(v)
	frac := math.Round((v-float64(whole))*100) / 100
	if frac >= 1 { // 0.999 rounds up into the whole part
		whole, frac = whole+1, 0
	}
	group, point := ",", "."
	if normLang(lang) == "ru" {
		group, point = " ", ","
	}
	digits := strconv.FormatInt(whole, 10)
	var b strings.Builder
	if neg {
		b.WriteString("-")
	}
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(d)
	}
	if frac > 0 {
		b.WriteString(point + strings.TrimPrefix(strconv.FormatFloat(frac, 'f', -1, 64), "0."))
	}
	return b.String()
}

// CountedUnit gives a unit the form a count of v needs, in the unit's own language, when it is
// a noun it knows ("клиентов" for 5, "клиента" for 2 or 2,5; "client" for 1): anything else
// stays as written.
func CountedUnit(v float64, unit string) string {
	forms, ok := unitIndex[strings.ToLower(unit)]
	if !ok {
		return unit
	}
	n := int64(math.Abs(v))
	whole := v == math.Trunc(v)
	if len(forms) == 2 { // English
		if whole && n == 1 {
			return forms[0]
		}
		return forms[1]
	}
	switch m10, m100 := n%10, n%100; {
	case !whole:
		return forms[1] // "2,5 клиента"
	case m10 == 1 && m100 != 11:
		return forms[0]
	case m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14):
		return forms[1]
	}
	return forms[2]
}

// unitNouns are the units goals are counted in, with their forms: English one and many,
// Russian one, few (2–4) and many.
var unitNouns = [][]string{
	{"client", "clients"}, {"клиент", "клиента", "клиентов"}, {"customer", "customers"},
	{"deal", "deals"}, {"сделка", "сделки", "сделок"}, {"user", "users"}, {"пользователь", "пользователя", "пользователей"},
	{"subscriber", "subscribers"}, {"подписчик", "подписчика", "подписчиков"}, {"order", "orders"}, {"заказ", "заказа", "заказов"},
	{"lead", "leads"}, {"лид", "лида", "лидов"}, {"sale", "sales"}, {"продажа", "продажи", "продаж"},
	{"call", "calls"}, {"звонок", "звонка", "звонков"}, {"meeting", "meetings"}, {"встреча", "встречи", "встреч"},
	{"article", "articles"}, {"статья", "статьи", "статей"}, {"post", "posts"}, {"пост", "поста", "постов"},
	{"review", "reviews"}, {"отзыв", "отзыва", "отзывов"}, {"hour", "hours"}, {"час", "часа", "часов"},
	{"book", "books"}, {"книга", "книги", "книг"}, {"project", "projects"}, {"проект", "проекта", "проектов"},
	{"partner", "partners"}, {"партнёр", "партнёра", "партнёров"}, {"партнер", "партнера", "партнеров"},
	{"employee", "employees"}, {"сотрудник", "сотрудника", "сотрудников"}, {"hire", "hires"},
	{"video", "videos"}, {"видео", "видео", "видео"}, {"download", "downloads"}, {"install", "installs"},
	{"signup", "signups"}, {"регистрация", "регистрации", "регистраций"}, {"contract", "contracts"},
	{"договор", "договора", "договоров"}, {"контракт", "контракта", "контрактов"}, {"invoice", "invoices"}, {"счёт", "счёта", "счетов"},
	{"km", "km"}, {"км", "км", "км"}, {"kg", "kg"}, {"кг", "кг", "кг"},
}

// unitIndex finds a unit's forms by any of them.
var unitIndex = func() map[string][]string {
	m := map[string][]string{}
	for _, forms := range unitNouns {
		for _, f := range forms {
			if _, dup := m[f]; !dup {
				m[f] = forms
			}
		}
	}
	return m
}()

// Decimal is Number: a figure such as a ratio or an average, in lang's style.
func Decimal(lang string, v float64) string { return Number(lang, v) }

// Amount is a number with its unit in lang's style: "$10,000", "10 000 $", "450 000 ₽", "45%";
// a counted unit takes the form its count needs, in the unit's own language: "1 client",
// "5 clients", "2 клиента", "5 клиентов".
func Amount(lang string, v float64, unit string) string {
	n := Number(lang, v)
	ru := normLang(lang) == "ru"
	switch unit {
	case "RUB", "₽":
		return n + " ₽"
	case "USD", "$", "EUR", "€":
		sign := "$"
		if unit == "EUR" || unit == "€" {
			sign = "€"
		}
		if ru {
			return n + " " + sign
		}
		return sign + n
	case "%":
		return n + "%"
	case "":
		return n
	}
	return n + " " + CountedUnit(v, unit)
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

// ZoneName is a time zone as people write it: "UTC+3" for "Etc/GMT-3" (whose POSIX sign is the
// other way round), the IANA name otherwise.
func ZoneName(zone string) string {
	rest, ok := strings.CutPrefix(zone, "Etc/GMT")
	if !ok || len(rest) < 2 {
		return zone
	}
	switch rest[0] {
	case '-':
		return "UTC+" + rest[1:]
	case '+':
		return "UTC-" + rest[1:]
	}
	return zone
}

// DayHeader names a day in a heading: "today", "tomorrow" or the weekday and date ("Plan for
// Friday, 27 Nov", "План на пятницу, 27 ноября").
func DayHeader(lang string, d, today core.Date) string {
	if n := today.DaysUntil(d); n == 0 || n == 1 {
		return DayWord(lang, d, today)
	}
	if normLang(lang) == "ru" { // "План на среду, 9 декабря": the accusative
		return weekdaysAcc[d.Weekday()] + ", " + FullDate(lang, d, today)
	}
	return WeekdayName(lang, d.Weekday()) + ", " + FullDate(lang, d, today)
}

// weekdaysAcc are the Russian weekdays after "на": "на среду", "на пятницу".
var weekdaysAcc = [7]string{"воскресенье", "понедельник", "вторник", "среду", "четверг", "пятницу", "субботу"}

// FullDate names a date plainly: "30 Nov" / "30 ноября", with the year when it is not this year.
func FullDate(lang string, d, today core.Date) string {
	s := strconv.Itoa(d.Day) + " " + MonthName(lang, d.Month)
	if d.Year != today.Year {
		s += " " + strconv.Itoa(d.Year)
	}
	return s
}

// DateRange names the days from a to b: "23–29 ноября", "30 Nov – 6 Dec".
func DateRange(lang string, a, b, today core.Date) string {
	if a.Month == b.Month && a.Year == b.Year {
		return strconv.Itoa(a.Day) + "–" + FullDate(lang, b, today)
	}
	return FullDate(lang, a, today) + " – " + FullDate(lang, b, today)
}

var weekdays = map[string][7]string{
	"en": {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
	"ru": {"воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"},
}

var months = map[string][12]string{
	"en": {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
	"ru": {"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"},
}

// WeekdayShort is the weekday's short name in lang: "Thu", "чт".
func WeekdayShort(lang string, w time.Weekday) string { return weekdaysShort[normLang(lang)][w] }

var weekdaysShort = map[string][7]string{
	"en": {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"},
	"ru": {"вс", "пн", "вт", "ср", "чт", "пт", "сб"},
}

// WeekdayEvery is "every such weekday" in lang: "по пятницам", "Fridays".
func WeekdayEvery(lang string, w time.Weekday) string { return weekdaysEvery[normLang(lang)][w] }

var weekdaysEvery = map[string][7]string{
	"en": {"Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays"},
	"ru": {"по воскресеньям", "по понедельникам", "по вторникам", "по средам", "по четвергам", "по пятницам", "по субботам"},
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
	case r.Freq == "DAILY" && r.Interval > 1:
		return T(lang, "rec_every", Plural(lang, r.Interval, "day_every"))
	case r.Freq == "WEEKLY" && r.Interval > 1:
		names := make([]string, 0, len(r.Days))
		for _, w := range r.Days {
			names = append(names, WeekdayName(lang, w))
		}
		s := T(lang, "rec_every_weeks", Plural(lang, r.Interval, "week"))
		if len(names) > 0 {
			s += T(lang, "rec_every_weeks_on", strings.Join(names, ", "))
		}
		return s
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
	"overdue_task": {{"overdue task", "overdue tasks"}, {"просроченная задача", "просроченные задачи", "просроченных задач"}},
	"overload_day": {{"day in overload", "days in overload"}, {"день перегрузки", "дня перегрузки", "дней перегрузки"}},
	"task":         {{"task", "tasks"}, {"задача", "задачи", "задач"}},
	"week":         {{"week", "weeks"}, {"неделю", "недели", "недель"}},
	"day":          {{"day", "days"}, {"день", "дня", "дней"}},
	// day_every counts days after "every" / "каждые": "every 3 days", "каждые 3 дня"
	"day_every": {{"day", "days"}, {"день", "дня", "дней"}},
	"milestone": {{"milestone", "milestones"}, {"этап", "этапа", "этапов"}},
	// task_acc is "task" as the object of a verb: "перенесу 1 задачу", "move 1 task"
	"task_acc": {{"task", "tasks"}, {"задачу", "задачи", "задач"}},
	// minute_acc is a span: "действует 1 минуту", "works for 10 minutes"
	"minute_acc": {{"minute", "minutes"}, {"минуту", "минуты", "минут"}},
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

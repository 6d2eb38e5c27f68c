package core

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
)

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

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

// formatAmount is a number with its unit: "450 000 ₽", "$10 000", "12 clients", "45%".
func formatAmount(v float64, unit string) string {
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

// dayWord names a date relative to today: "today", "tomorrow", a weekday this week, or "25 Nov".
func dayWord(lang string, d, today Date) string {
	switch today.DaysUntil(d) {
	case 0:
		return tr(lang, "today")
	case 1:
		return tr(lang, "tomorrow")
	case -1:
		return tr(lang, "yesterday")
	}
	if n := today.DaysUntil(d); n > 1 && n < 7 {
		return weekdayName(lang, d.Weekday()) + ", " + fullDate(lang, d, today)
	}
	return fullDate(lang, d, today)
}

// dayHeader names a day in a heading: "today", "tomorrow" or a plain date ("Plan for 27 Nov").
func dayHeader(lang string, d, today Date) string {
	if n := today.DaysUntil(d); n == 0 || n == 1 {
		return dayWord(lang, d, today)
	}
	return fullDate(lang, d, today)
}

// fullDate names a date plainly: "30 Nov" / "30 ноября", with the year when it is not this year.
func fullDate(lang string, d, today Date) string {
	s := strconv.Itoa(d.Day) + " " + monthName(lang, d.Month)
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

func weekdayName(lang string, w time.Weekday) string { return weekdays[normLang(lang)][w] }

func monthName(lang string, m time.Month) string { return months[normLang(lang)][m-1] }

func normLang(lang string) string {
	if lang == "ru" {
		return "ru"
	}
	return "en"
}

// mondayOf returns the Monday of d's week (weeks start on Monday).
func mondayOf(d Date) Date {
	return d.AddDays(-((int(d.Weekday()) + 6) % 7))
}

// duration writes minutes as "45 min", "1.5 h", "1 h 15 min" / "45 мин", "1,5 ч", "1 ч 15 мин".
func duration(lang string, minutes int) string {
	if minutes < 60 {
		return strconv.Itoa(minutes) + " " + tr(lang, "min")
	}
	if minutes%30 != 0 {
		return strconv.Itoa(minutes/60) + " " + tr(lang, "hours_short") + " " + strconv.Itoa(minutes%60) + " " + tr(lang, "min")
	}
	h := strconv.FormatFloat(float64(minutes)/60, 'f', -1, 64)
	if lang == "ru" {
		h = strings.ReplaceAll(h, ".", ",")
	}
	return h + " " + tr(lang, "hours_short")
}

// shorten cuts s to n runes with an ellipsis, for button labels.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

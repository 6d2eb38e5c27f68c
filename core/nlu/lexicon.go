package nlu

import "time"

// set builds a lookup set from words.
func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

var monthWords = map[string]time.Month{
	"январь": 1, "января": 1, "янв": 1, "january": 1, "jan": 1,
	"февраль": 2, "февраля": 2, "фев": 2, "february": 2, "feb": 2,
	"март": 3, "марта": 3, "мар": 3, "march": 3, "mar": 3,
	"апрель": 4, "апреля": 4, "апр": 4, "april": 4, "apr": 4,
	"май": 5, "мая": 5, "may": 5,
	"июнь": 6, "июня": 6, "июн": 6, "june": 6, "jun": 6,
	"июль": 7, "июля": 7, "июл": 7, "july": 7, "jul": 7,
	"август": 8, "августа": 8, "авг": 8, "august": 8, "aug": 8,
	"сентябрь": 9, "сентября": 9, "сен": 9, "сент": 9, "september": 9, "sep": 9, "sept": 9,
	"октябрь": 10, "октября": 10, "окт": 10, "october": 10, "oct": 10,
	"ноябрь": 11, "ноября": 11, "ноя": 11, "нояб": 11, "november": 11, "nov": 11,
	"декабрь": 12, "декабря": 12, "дек": 12, "december": 12, "dec": 12,
}

var weekdayWords = map[string]time.Weekday{
	"понедельник": time.Monday, "понедельника": time.Monday, "пн": time.Monday, "monday": time.Monday, "mon": time.Monday,
	"вторник": time.Tuesday, "вторника": time.Tuesday, "вт": time.Tuesday, "tuesday": time.Tuesday, "tue": time.Tuesday, "tues": time.Tuesday,
	"среда": time.Wednesday, "среду": time.Wednesday, "среды": time.Wednesday, "ср": time.Wednesday, "wednesday": time.Wednesday, "wed": time.Wednesday,
	"четверг": time.Thursday, "четверга": time.Thursday, "чт": time.Thursday, "thursday": time.Thursday, "thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday,
	"пятница": time.Friday, "пятницу": time.Friday, "пятницы": time.Friday, "пт": time.Friday, "friday": time.Friday, "fri": time.Friday,
	"суббота": time.Saturday, "субботу": time.Saturday, "субботы": time.Saturday, "сб": time.Saturday, "saturday": time.Saturday, "sat": time.Saturday,
	"понедельнику": time.Monday, "вторнику": time.Tuesday, "среде": time.Wednesday, "четвергу": time.Thursday,
	"пятнице": time.Friday, "субботе": time.Saturday, "воскресенью": time.Sunday,
	"воскресенье": time.Sunday, "воскресенья": time.Sunday, "вс": time.Sunday, "sunday": time.Sunday, "sun": time.Sunday,
}

// weekdayNeedsContext are abbreviations that are also ordinary words.
var weekdayNeedsContext = set("sat", "sun", "mon", "wed")

// weekdayPlural are the "по понедельникам" / "mondays" forms that mean a weekly recurrence.
var weekdayPlural = map[string]time.Weekday{
	"понедельникам": time.Monday, "вторникам": time.Tuesday, "средам": time.Wednesday, "четвергам": time.Thursday,
	"пятницам": time.Friday, "субботам": time.Saturday, "воскресеньям": time.Sunday,
	"mondays": time.Monday, "tuesdays": time.Tuesday, "wednesdays": time.Wednesday, "thursdays": time.Thursday,
	"fridays": time.Friday, "saturdays": time.Saturday, "sundays": time.Sunday,
}

var numberWords = map[string]int{
	"один": 1, "одна": 1, "одну": 1, "одно": 1, "два": 2, "две": 2, "пару": 2, "пара": 2, "три": 3, "четыре": 4,
	"пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9, "десять": 10,
	"a": 1, "an": 1, "one": 1, "two": 2, "couple": 2, "three": 3, "four": 4, "five": 5, "six": 6,
	"seven": 7, "eight": 8, "nine": 9, "ten": 10,
}

var (
	weekUnit    = set("неделе", "неделю", "неделя", "недели", "недель", "week", "weeks", "нед", "wk")
	monthUnit   = set("месяце", "месяц", "месяца", "месяцев", "month", "months", "мес", "mo")
	yearUnit    = set("году", "год", "года", "лет", "year", "years")
	quarterUnit = set("квартале", "квартал", "квартала", "quarter")
	dayUnit     = set("день", "дня", "дней", "сутки", "суток", "day", "days")
	hourUnit    = set("час", "часа", "часов", "ч", "h", "hr", "hrs", "hour", "hours")
	minuteUnit  = set("минут", "минуты", "минуту", "минута", "мин", "m", "min", "mins", "minute", "minutes")
	nextWords   = set("next", "следующий", "следующую", "следующее", "следующей", "следующем", "следующего", "след")
	thisWords   = set("this", "этот", "эту", "это", "этой", "этом", "этого", "текущий", "текущей", "текущем", "текущего", "текущую", "coming", "ближайший", "ближайшую", "ближайшее")
	endWords    = set("end", "конец", "конца", "концу", "конце", "концом")
	ordSuffix   = set("го", "е", "ое", "ого", "й", "м", "ый", "ий", "th", "st", "nd", "rd")
)

// preps are the small words dropped from a title when they lead into a removed slot.
var preps = set("в", "во", "на", "к", "ко", "до", "с", "со", "по", "за", "через", "около", "примерно",
	"on", "at", "in", "by", "for", "to", "until", "till", "from", "the", "around", "before", "within", "and", "и")

package nlu

import (
	"strings"
	"time"

	"github.com/bizconnect/bizconnect/core"
)

// Numbers, times and deadlines said in words: "в семь вечера", "at three thirty", "half past
// nine", "в половине десятого", "ещё две продажи", "к марту", "by mid-May", "до конца апреля",
// "by eod", "on the 5th".

// spelled are the numbers said in words that times and amounts read.
var spelled = map[string]int{
	"один": 1, "одна": 1, "одну": 1, "одного": 1, "два": 2, "две": 2, "двух": 2, "пару": 2, "пара": 2, "три": 3, "трех": 3,
	"четыре": 4, "четырех": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7, "восемь": 8,
	"восьми": 8, "девять": 9, "девяти": 9, "десять": 10, "десяти": 10, "одиннадцать": 11, "одиннадцати": 11,
	"двенадцать": 12, "двенадцати": 12, "пятнадцать": 15, "двадцать": 20, "тридцать": 30, "сорок": 40,
	"пятьдесят": 50, "двоих": 2, "троих": 3, "четверых": 4, "пятерых": 5,
	"one": 1, "two": 2, "couple": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "forty-five": 45,
	"fifty": 50, "another": 1,
}

// numberAt returns the value of token i when it is a digit run or a number said in words, and
// whether it was said in words.
func (p *parser) numberAt(i int) (n int, word bool) {
	if n := p.num(i); n >= 0 {
		return n, false
	}
	if v, ok := spelled[p.w(i)]; ok {
		return v, true
	}
	return -1, false
}

// spokenMinutes reads the minutes of "16 30", "three thirty", "семь тридцать" at k.
func (p *parser) spokenMinutes(k int, hourWord bool) (int, bool) {
	if k >= len(p.toks) || p.adj(k) {
		return 0, false
	}
	m, word := p.numberAt(k)
	switch {
	case word:
		return m, m >= 10 && m < 60
	case hourWord:
		return 0, false
	}
	return m, m >= 0 && m < 60 && p.digits(k) == 2 && p.bareHourOK(k+1)
}

// ordinalHours are the genitive ordinals of "в половине десятого" (half past nine).
var ordinalHours = map[string]int{
	"первого": 1, "второго": 2, "третьего": 3, "четвертого": 4, "пятого": 5, "шестого": 6, "седьмого": 7,
	"восьмого": 8, "девятого": 9, "десятого": 10, "одиннадцатого": 11, "двенадцатого": 12,
}

// spokenTime reads "half past nine", "quarter to five", "в половине десятого" at i.
func (p *parser) spokenTime(i int) hit {
	switch w := p.w(i); w {
	case "half", "quarter":
		rel := p.w(i + 1)
		h, _ := p.numberAt(i + 2)
		if (rel != "past" && rel != "to") || h < 1 || h > 12 {
			return hit{}
		}
		m := 30
		if w == "quarter" {
			m = 15
		}
		if rel == "to" {
			if w == "half" {
				return hit{}
			}
			h, m = h-1, 45
			if h == 0 {
				h = 12
			}
		}
		n := 3
		mer, k := p.meridiem(i + 3)
		hh, ok := applyMeridiem(h, mer)
		if !ok {
			return hit{}
		}
		return hit{n: n + k, kind: skTime, hasClock: true, clock: core.NewClockTime(hh, m), bare: mer == ""}
	case "половине", "пол":
		h, ok := ordinalHours[p.w(i+1)]
		if !ok {
			return hit{}
		}
		mer, k := p.meridiem(i + 2)
		hh, ok := applyMeridiem(h-1, mer)
		if h == 1 {
			hh, ok = applyMeridiem(12, mer)
		}
		if !ok {
			return hit{}
		}
		return hit{n: 2 + k, kind: skTime, hasClock: true, clock: core.NewClockTime(hh, 30), bare: mer == ""}
	}
	return hit{}
}

// monthDative are the "к марту" forms of the months.
var monthDative = map[string]time.Month{
	"январю": 1, "февралю": 2, "марту": 3, "апрелю": 4, "маю": 5, "июню": 6, "июлю": 7, "августу": 8,
	"сентябрю": 9, "октябрю": 10, "ноябрю": 11, "декабрю": 12,
}

// seasonStart are the months seasons start in: "к лету" is by 1 June.
var seasonStart = map[string]time.Month{
	"лету": 6, "summer": 6, "осени": 9, "autumn": 9, "fall": 9, "зиме": 12, "winter": 12, "весне": 3, "spring": 3,
}

// byWords introduce a deadline: "к марту", "by March", "до апреля".
var byWords = set("к", "ко", "by", "до", "until", "till", "before")

// nextMonthStart is the first day of the next month m (this year's if it is still ahead).
func (p *parser) nextMonthStart(m time.Month) core.Date {
	y := p.today.Year
	if m <= p.today.Month {
		y++
	}
	return core.Date{Year: y, Month: m, Day: 1}
}

// nextMonthEnd is the last day of month m, this year's unless it has passed.
func (p *parser) nextMonthEnd(m time.Month) core.Date {
	y := p.today.Year
	if m < p.today.Month {
		y++
	}
	return endOfMonth(core.Date{Year: y, Month: m, Day: 1})
}

// monthDeadline reads "к марту", "by March" at i: the first of that month.
func (p *parser) monthDeadline(i int) hit {
	w := p.w(i)
	if m, ok := seasonStart[w]; ok && byWords[p.w(i-1)] {
		return dateHit(1, p.nextMonthStart(m), dsPeriodEnd)
	}
	m, ok := monthDative[w]
	if !ok {
		m, ok = monthWords[w]
	}
	if !ok || !byWords[p.w(i-1)] || p.num(i+1) >= 0 {
		return hit{} // "поздравить Марту", "отправить Маю": names, not deadlines
	}
	return dateHit(1, p.nextMonthStart(m), dsPeriodEnd)
}

// midMonth reads "mid-May", "mid May", "к середине мая" at i: the 15th.
func (p *parser) midMonth(i int) hit {
	w := p.w(i)
	if m, ok := monthWords[strings.TrimPrefix(w, "mid-")]; ok && strings.HasPrefix(w, "mid-") {
		return dateHit(1, p.midOf(m), dsPeriodEnd)
	}
	if w != "mid" && w != "середине" && w != "середины" && w != "середина" && w != "middle" {
		return hit{}
	}
	j := i + 1
	if p.w(j) == "of" {
		j++
	}
	m, ok := monthWords[p.w(j)]
	if !ok {
		return hit{}
	}
	return dateHit(j-i+1, p.midOf(m), dsPeriodEnd)
}

func (p *parser) midOf(m time.Month) core.Date {
	d := p.nextMonthEnd(m)
	d.Day = 15
	if d.Before(p.today) {
		d.Year++
	}
	return d
}

// dayOrdinal reads a day of the month said alone: "on the 5th", "the 3rd", "5-го": the next
// such day on or after today.
func (p *parser) dayOrdinal(i, n, j int) hit {
	if j == i+1 || n < 1 || n > 31 {
		return hit{}
	}
	ru := p.w(j-1) == "го"
	if !ru && !byWords[p.w(i-1)] && p.w(i-1) != "the" && p.w(i-1) != "on" && p.w(i-1) != "на" {
		return hit{} // "3rd party", "2nd floor"
	}
	return dateHit(j-i, p.nextMonthDay(n), dsPlain)
}

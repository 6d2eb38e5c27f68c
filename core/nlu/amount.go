package nlu

import "math"

// amount is a number with its unit as written in the message.
type amount struct {
	value float64
	unit  *string
	inc   bool // written with a leading "+" (or "-", which takes back: value is then negative)
	money bool // had a multiplier, a currency or a percent sign
	start int
	end   int
}

var multipliers = map[string]float64{
	"к": 1e3, "k": 1e3, "тыс": 1e3, "тысяч": 1e3, "тысячи": 1e3, "тысяча": 1e3, "тысячу": 1e3, "thousand": 1e3, "thousands": 1e3, "тр": 1e3,
	"млн": 1e6, "миллион": 1e6, "миллиона": 1e6, "миллионов": 1e6, "million": 1e6, "millions": 1e6, "mln": 1e6, "m": 1e6, "mm": 1e6, "mio": 1e6, "лям": 1e6, "ляма": 1e6, "лямов": 1e6,
	"млрд": 1e9, "миллиард": 1e9, "миллиарда": 1e9, "миллиардов": 1e9, "billion": 1e9, "bn": 1e9, "b": 1e9,
}

var currencyWords = map[string]string{
	"₽": "RUB", "р": "RUB", "руб": "RUB", "рублей": "RUB", "рубля": "RUB", "рубль": "RUB", "rub": "RUB", "rur": "RUB",
	"$": "USD", "usd": "USD", "долларов": "USD", "доллара": "USD", "доллар": "USD", "dollars": "USD", "dollar": "USD", "bucks": "USD", "баксов": "USD",
	"€": "EUR", "eur": "EUR", "евро": "EUR", "euro": "EUR", "euros": "EUR",
	"%": "%", "процентов": "%", "процента": "%", "процент": "%", "percent": "%",
}

// unitAdjectives are skipped when looking for the unit noun ("50 новых клиентов").
var unitAdjectives = set("new", "more", "paying", "active", "additional", "extra", "новых", "новые", "новый",
	"платящих", "активных", "постоянных", "regular")

// notUnits are words after a number that are not its unit.
var notUnits = set("к", "до", "в", "на", "by", "to", "in", "until", "for", "и", "and", "за", "per", "по", "с", "from", "или", "or",
	"now", "already", "today", "уже", "сейчас", "сегодня", "so", "far", "total", "всего", "итого")

// spelledAmountOK reports whether a number said in words at j is an amount: a count of a metric
// ("ещё две продажи", "two more clients"), not a phrase ("one day", "пару слов").
func (p *parser) spelledAmountOK(j int) bool {
	for k := max(j-4, 0); k <= j+3 && k < len(p.toks); k++ {
		if metricOf(p.w(k)) != "" {
			return true
		}
	}
	return p.w(j-1) == "ещё" || p.w(j-1) == "еще" || p.w(j+1) == "more" || p.w(j+1) == "new"
}

// findAmount returns the first number in the message that is not part of a date or time; with
// mark it records its tokens as an amount.
func (p *parser) findAmount(mark bool) (amount, bool) {
	for i := range p.toks {
		if p.kind[i] == skDate || p.kind[i] == skTime || p.kind[i] == skIntent {
			continue
		}
		a, ok := p.amountAt(i)
		if !ok {
			continue
		}
		if mark {
			p.mark(a.start, a.end-a.start, skAmount)
		}
		return a, true
	}
	return amount{}, false
}

// amountAt reads "+50к", "$10k", "1,5 млн руб", "300 тыс.", "50 клиентов", "20%" at i.
func (p *parser) amountAt(i int) (amount, bool) {
	a := amount{start: i}
	j := i
	sign := 1.0
	if p.punct(j, "+") && p.adj(j+1) && (p.num(j+1) >= 0 || p.punct(j+1, "$") || p.punct(j+1, "€") || p.punct(j+1, "₽")) {
		a.inc, j = true, j+1
	} else if (p.punct(j, "-") || p.punct(j, "−")) && p.adj(j+1) && p.num(j+1) >= 0 && (j == 0 || !p.adj(j) || p.toks[j-1].kind != tkNum) {
		a.inc, sign, j = true, -1, j+1 // "клиентов -1" takes one back; "10-20" stays a range
	}
	if p.toks[i].kind == tkNum && p.adj(i) && p.toks[i-1].kind == tkWord {
		return amount{}, false // "v2", "mp3"
	}
	cur := ""
	if t := p.toks[j]; t.kind == tkPunct && (t.s == "$" || t.s == "€" || t.s == "₽") {
		cur, j = currencyWords[t.s], j+1
	}
	n, word := p.numberAt(j)
	if n < 0 || p.kind[j] == skDate || p.kind[j] == skTime {
		return amount{}, false
	}
	if word && !p.spelledAmountOK(j) {
		return amount{}, false
	}
	v, k := p.bigNumberAt(j)
	if word {
		v, k = float64(n), j+1
	}
	if m, ok := multipliers[p.w(k)]; ok && (p.adj(k) || p.w(k) != "m" && p.w(k) != "b" && p.w(k) != "k" && p.w(k) != "к") {
		v, k, a.money = v*m, k+1, true
		if p.punct(k, ".") && p.adj(k) {
			k++
		}
	}
	if c, n := p.currencyAt(k); n > 0 {
		cur, k = c, k+n
	}
	a.value = sign * math.Round(v*100) / 100
	if cur != "" {
		a.unit, a.money = strPtr(cur), true
	} else if u, n := p.unitAt(k); n > 0 {
		a.unit, k = strPtr(u), k+n
	}
	a.end = k
	return a, true
}

// currencyAt reads a currency or percent after a number.
func (p *parser) currencyAt(k int) (string, int) {
	if k >= len(p.toks) {
		return "", 0
	}
	c, ok := currencyWords[p.toks[k].s]
	if !ok || (p.toks[k].s == "р" && !p.adj(k) && !p.punct(k+1, ".")) {
		return "", 0
	}
	if p.punct(k+1, ".") && p.adj(k+1) && p.toks[k].kind == tkWord {
		return c, 2
	}
	return c, 1
}

// unitAt reads the noun after a number as its unit, skipping an adjective.
func (p *parser) unitAt(k int) (string, int) {
	w := p.w(k)
	if w == "" || notUnits[w] || p.kind[k] != skNone {
		return "", 0
	}
	if unitAdjectives[w] {
		if w2 := p.w(k + 1); w2 != "" && !notUnits[w2] && p.kind[k+1] == skNone {
			return w2, 2
		}
	}
	return w, 1
}

// groupEnds reports whether a group of three digits ends before token i: a space, the end, a
// sign, a comma or point ending the sentence ("1,200$", "1,200, then"), or cents ("1,250.50");
// not more digits, a letter, or another group ("1,200,000" reads on).
func (p *parser) groupEnds(i int) bool {
	if !p.adj(i) {
		return true
	}
	t := p.toks[i]
	return t.kind == tkPunct && (t.s != "," && t.s != "." || !p.adj(i+1) || t.s == "." && p.digits(i+1) > 0 && p.digits(i+1) <= 2)
}

// bigNumberAt reads digits with thousands separators ("1 000 000", "1,000") or a decimal part.
func (p *parser) bigNumberAt(j int) (float64, int) {
	v := float64(p.num(j))
	k := j + 1
	if p.digits(j) <= 3 {
		for p.punct(k, ",") && p.adj(k) && p.adj(k+1) && p.digits(k+1) == 3 &&
			(p.groupEnds(k+2) || p.punct(k+2, ",") && p.adj(k+2) && p.adj(k+3) && p.digits(k+3) == 3) {
			v, k = v*1000+float64(p.num(k+1)), k+2
		}
		for k > j && p.digits(k) == 3 && !p.adj(k) && p.kind[k] == skNone {
			v, k = v*1000+float64(p.num(k)), k+1
		}
	}
	if (k == j+1 && p.punct(k, ",") || p.punct(k, ".")) && p.adj(k) && p.adj(k+1) && p.num(k+1) >= 0 && p.digits(k+1) <= 6 { // "1,5", "1.5", "1,250.50"
		f := float64(p.num(k + 1))
		for d := p.digits(k + 1); d > 0; d-- {
			f /= 10
		}
		v, k = v+f, k+2
	}
	return v, k
}

package nlu

import "math"

// matchDuration recognises how long a task takes: "30 минут", "1,5 часа", "3h", "полчаса", "1h30m".
func matchDuration(p *parser, i int) hit {
	if p.toks[i].kind == tkNum {
		return p.numericDuration(i)
	}
	w := p.w(i)
	if (w == "часа" || w == "часов" || w == "минут") && !p.adj(i+1) { // "часа на 3", "часа 2": about that long
		j := i + 1
		if p.w(j) == "на" {
			j++
		}
		if p.w(j) == "полтора" || p.w(j) == "полторы" {
			return durHit(j-i+1, 90)
		}
		n, _ := p.numberAt(j)
		next := p.w(j + 1)
		last := j+1 >= len(p.toks) || p.toks[j+1].kind == tkPunct
		// "минут на 40 ответить на заявки", not "часа 2 млн", "часов 5 вечера" (a time), "минут сорок пять"
		free := last || p.toks[j+1].kind == tkWord && multipliers[next] == 0 && !minuteUnit[next] && !hourUnit[next] &&
			!dayPartWords[next] && !isSpelled(next)
		switch {
		case !free || p.digits(j) > 3:
		case w == "минут" && (n >= 5 || last && n >= 1) && n <= 240:
			return durHit(j-i+1, n)
		case w != "минут" && n > 0 && n <= 12:
			return durHit(j-i+1, 60*n)
		}
	}
	switch w {
	case "полчаса":
		return durHit(1, 30)
	case "полтора", "полторы":
		if hourUnit[p.w(i+1)] {
			return durHit(2, 90)
		}
	case "час", "hour":
		if w == "hour" && !(p.w(i-1) == "an" || p.w(i-1) == "one" || p.w(i-1) == "a") {
			return hit{}
		}
		return durHit(1, 60)
	case "half":
		if (p.w(i+1) == "an" || p.w(i+1) == "a") && p.w(i+2) == "hour" {
			return durHit(3, 30)
		}
	case "an", "a":
		if p.w(i+1) == "hour" && p.w(i+2) == "and" && p.w(i+3) == "a" && p.w(i+4) == "half" { // "for an hour and a half"
			return durHit(5, 90)
		}
	}
	if n, ok := numberWords[w]; ok && w != "a" && w != "an" {
		j := i + 1
		if p.w(j) == "of" {
			j++
		}
		switch u := p.w(j); {
		case hourUnit[u] && len(u) > 2:
			return durHit(j-i+1, 60*n)
		case minuteUnit[u] && len(u) > 3:
			return durHit(j-i+1, n)
		}
	}
	return hit{}
}

func durHit(n, minutes int) hit { return hit{n: n, kind: skDur, dur: minutes} }

// numericDuration reads a number, a unit and an optional minutes part after hours.
func (p *parser) numericDuration(i int) hit {
	v, j := p.decimalAt(i)
	if j == i {
		return hit{}
	}
	u := p.w(j)
	switch {
	case minuteUnit[u]:
		if v < 1 || v > 100000 {
			return hit{}
		}
		return durHit(j-i+1, int(math.Round(v)))
	case hourUnit[u]:
		if v <= 0 || v > 1000 {
			return hit{}
		}
		mins := int(math.Round(v * 60))
		k := j + 1
		if m := p.num(k); m > 0 && m < 60 && minuteUnit[p.w(k+1)] {
			mins += m
			k += 2
		}
		return durHit(k-i, mins)
	}
	return hit{}
}

// decimalAt reads "12", "1,5" or "2.5" at i and returns the value and the index after it.
func (p *parser) decimalAt(i int) (float64, int) {
	n := p.num(i)
	if n < 0 {
		return 0, i
	}
	v := float64(n)
	if (p.punct(i+1, ",") || p.punct(i+1, ".")) && p.adj(i+1) && p.adj(i+2) && p.num(i+2) >= 0 && p.digits(i+2) <= 2 {
		f := float64(p.num(i + 2))
		for d := p.digits(i + 2); d > 0; d-- {
			f /= 10
		}
		return v + f, i + 3
	}
	return v, i + 1
}

// dayPartWords say which part of the day an hour is in: "часов 5 вечера" is a time.
var dayPartWords = set("утра", "дня", "вечера", "ночи", "am", "pm")

func isSpelled(w string) bool {
	_, ok := spelled[w]
	return ok
}

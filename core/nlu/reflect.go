package nlu

var reflectPrefix = phrases("рефлексия", "reflect", "reflection", "дневник", "journal", "настроение", "mood",
	"итог дня", "мой день", "my day", "check-in", "чек-ин", "самочувствие")

var tiredPrefix = phrases("устал", "устала", "устали", "tired", "exhausted", "выгорел", "выгорела", "выгораю",
	"burned out", "burnt out", "i'm tired", "im tired", "i am tired", "я устал", "я устала", "stressed", "в стрессе")

var stressWords = set("стресс", "stress", "стресса")
var energyWords = set("энергия", "energy", "энергии", "сил", "силы")

// classifyReflect recognises a reflection: a keyword, "стресс 4", "energy 2" or "устал".
func classifyReflect(p *parser) (Result, bool) {
	i := p.firstContent()
	n := p.prefixAt(i, reflectPrefix)
	r := Result{Intent: IntentReflect, Confidence: confKeyword}
	found := p.scanLevels(&r)
	tired := p.prefixAt(i, tiredPrefix) > 0
	if n == 0 && !found && !tired {
		return Result{}, false
	}
	if n > 0 {
		p.markLead(i, n, nil)
	}
	if !found && n == 0 {
		r.Confidence = confGuess
	}
	if t := p.title(); t != nil {
		r.Notes = t
	}
	return r, true
}

// scanLevels finds "стресс 4", "energy: 2/5" and marks them so the notes leave them out.
func (p *parser) scanLevels(r *Result) bool {
	found := false
	for i := 0; i < len(p.toks); i++ {
		w := p.w(i)
		if !stressWords[w] && !energyWords[w] {
			continue
		}
		v, n := p.levelAt(i + 1)
		if n == 0 {
			continue
		}
		if stressWords[w] && r.Stress == nil {
			r.Stress = intPtr(v)
		} else if energyWords[w] && r.Energy == nil {
			r.Energy = intPtr(v)
		}
		p.mark(i, n+1, skIntent)
		i += n
		found = true
	}
	return found
}

// levelAt reads "4", ": 4", "- 4/5", "8/10" at j and scales it to 1..5.
func (p *parser) levelAt(j int) (int, int) {
	k := j
	if p.punct(k, ":") || p.punct(k, "-") || p.punct(k, "=") || p.punct(k, "—") {
		k++
	}
	v := p.num(k)
	if v < 0 || p.digits(k) > 2 {
		return 0, 0
	}
	k++
	if p.punct(k, "/") && p.adj(k) && p.num(k+1) == 10 {
		v, k = (v+1)/2, k+2
	} else if p.punct(k, "/") && p.adj(k) && p.num(k+1) > 0 {
		k += 2
	} else if p.kind != nil && k-1 < len(p.kind) && p.kind[k-1] == skTime {
		p.kind[k-1] = skNone
	}
	return clampLevel(v), k - j
}

func clampLevel(v int) int {
	switch {
	case v < 1:
		return 1
	case v > 5:
		return 5
	}
	return v
}

package nlu

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// matchStop are words that do not identify a task: function words and "done"/"сделал" verbs.
var matchStop = set("и", "в", "во", "на", "с", "со", "к", "ко", "по", "за", "для", "о", "об", "у", "от", "до", "из",
	"а", "но", "не", "что", "это", "мне", "я", "мой", "моя", "мою", "задачу", "задача", "задачи",
	"сделал", "сделала", "сделали", "сделано", "готово", "выполнил", "выполнила", "выполнено", "закончил", "закончила",
	"завершил", "завершила", "закрыл", "закрыла",
	"the", "a", "an", "to", "of", "for", "with", "and", "on", "in", "at", "by", "my", "is", "i", "task", "done", "did",
	"finished", "completed", "complete", "mark", "as", "with")

// ruEndings are Russian inflection endings, longest first; stripping one gives a rough stem.
var ruEndings = []string{"иться", "ыться", "аться", "яться", "еться", "ться", "ить", "ать", "ять", "еть", "уть", "ти",
	"ами", "ями", "ого", "его", "ому", "ему", "ыми", "ими", "ешь", "ишь", "ет", "ит", "ут", "ют", "ат", "ят",
	"ой", "ей", "ий", "ый", "ая", "яя", "ое", "ее", "ые", "ие", "ую", "юю", "ом", "ем", "ах", "ях", "ов", "ев",
	"ок", "ек", "ла", "ли", "ло", "а", "я", "о", "е", "у", "ю", "ы", "и", "ь", "й", "л"}

// ruPrefixes are verb prefixes removed to compare roots ("позвонить" and "звонок" share "звон").
var ruPrefixes = []string{"пере", "при", "по", "за", "от", "вы", "до", "об", "раз", "рас", "про", "под", "на", "с", "у"}

// MatchScore scores from 0 to 1 how well a user's words name a task title: lowercased, ё→е, stop
// words dropped, words reduced to light RU/EN stems and compared by shared stem prefixes.
func MatchScore(query, title string) float64 {
	q, t := matchTokens(query), matchTokens(title)
	if len(q) == 0 || len(t) == 0 {
		return 0
	}
	said, rest, missed := 0.0, 0.0, 0
	for _, a := range q {
		s := bestSim(a, t)
		said += s
		if s < 0.2 {
			missed++
		}
	}
	for _, b := range t {
		rest += bestSim(b, q)
	}
	// how much of what the user said the title has counts more than how much of a long title
	// they repeated: "выручка" names "выйти на выручку 3 млн рублей в месяц"; a word said that the
	// title lacks counts against it: "звонок поставщику" is not "созвон с юристом"
	score := 0.7*said/float64(len(q)) + 0.3*rest/float64(len(t))
	return score * (1 - 0.5*float64(missed)/float64(len(q)))
}

type matchWord struct{ stem, root string }

// metrics are the words a business metric goes by, in both languages: a word starting with a
// stem of four letters or more, or equal to a shorter one, matches any other of its group
// ("customers +3" logs on "100 клиентов").
var metrics = [][]string{
	{"клиент", "client", "customer", "покупател", "заказчик"},
	{"выручк", "revenue", "оборот", "доход", "income", "turnover"},
	{"сделк", "сделок", "deal"},
	{"лид", "лиды", "лидов", "лида", "лидам", "lead"},
	{"подписчик", "subscriber", "follower", "фолловер"},
	{"заказ", "order"},
	{"пользовател", "user"},
	{"продаж", "sale"},
	{"встреч", "meeting"},
	{"демо", "demo"},
	{"mrr"}, {"arr"},
}

// metricOf returns the group of a word that names a metric, "" for any other word.
func metricOf(w string) string {
	best, n := "", 0
	for _, group := range metrics {
		for _, stem := range group {
			runes := utf8.RuneCountInString(stem)
			if runes > n && (w == stem || runes >= 4 && strings.HasPrefix(w, stem)) {
				best, n = group[0], runes
			}
		}
	}
	return best
}

func matchTokens(s string) []matchWord {
	words := strings.FieldsFunc(normWord(strings.ToValidUTF8(s, "")), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) > maxMatchWords {
		words = words[:maxMatchWords] // a title is a few words; comparing is quadratic
	}
	out := make([]matchWord, 0, len(words))
	for _, w := range words {
		if matchStop[w] || isDigits(w) { // a figure names no task or goal: "100 клиентов" is about clients
			continue
		}
		if m := metricOf(w); m != "" {
			out = append(out, matchWord{stem: "§" + m, root: "§" + m})
			continue
		}
		if base, ok := irregular[w]; ok {
			w = base // "sent the invoice" names "send invoice"
		}
		st := stem(w)
		out = append(out, matchWord{stem: st, root: deprefix(st)})
	}
	return out
}

// maxMatchWords bounds the words of each side MatchScore compares.
const maxMatchWords = 24

// irregular are English past forms whose stem is not the verb's.
var irregular = map[string]string{"sent": "send", "paid": "pay", "bought": "buy", "wrote": "write", "written": "write",
	"made": "make", "met": "meet", "went": "go", "got": "get", "sold": "sell", "built": "build", "brought": "bring",
	"took": "take", "gave": "give", "spoke": "speak", "told": "tell", "thought": "think", "ran": "run", "read": "read"}

func isDigits(w string) bool {
	return strings.TrimFunc(w, unicode.IsDigit) == ""
}

func bestSim(a matchWord, list []matchWord) float64 {
	best := 0.0
	for _, b := range list {
		if s := wordSim(a, b); s > best {
			best = s
		}
	}
	return best
}

// wordSim is 1 for equal stems, 0.85 when stems or roots share a 4-letter prefix (or one is a
// 3-letter prefix of the other), else 0.
func wordSim(a, b matchWord) float64 {
	if a.stem == b.stem {
		return 1
	}
	for _, x := range [...]string{a.stem, a.root} {
		for _, y := range [...]string{b.stem, b.root} {
			n, short := commonPrefix(x, y)
			if n >= 4 || (n >= 3 && n == short) {
				return 0.85
			}
		}
	}
	return 0
}

// commonPrefix returns the shared prefix length in runes and the shorter length.
func commonPrefix(a, b string) (int, int) {
	ra, rb := []rune(a), []rune(b)
	short := min(len(ra), len(rb))
	n := 0
	for n < short && ra[n] == rb[n] {
		n++
	}
	return n, short
}

// stem strips one Russian ending or an English suffix, keeping at least three letters.
func stem(w string) string {
	r := []rune(w)
	if len(r) <= 3 {
		return w
	}
	if r[0] < 0x80 {
		for _, suf := range []string{"ing", "ed", "es", "s", "ly"} {
			if strings.HasSuffix(w, suf) && len(w)-len(suf) >= 3 {
				return w[:len(w)-len(suf)]
			}
		}
		return w
	}
	for _, e := range ruEndings {
		if strings.HasSuffix(w, e) && len(r)-len([]rune(e)) >= 3 {
			return w[:len(w)-len(e)]
		}
	}
	return w
}

// deprefix removes one Russian verb prefix when at least three letters remain.
func deprefix(w string) string {
	for _, pre := range ruPrefixes {
		if strings.HasPrefix(w, pre) && len([]rune(w))-len([]rune(pre)) >= 3 {
			return w[len(pre):]
		}
	}
	return w
}

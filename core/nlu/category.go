package nlu

import (
	"strings"
	"unicode/utf8"
)

// categoryStems map word beginnings to a goal category; the first match in the message wins.
var categoryStems = []struct {
	stem, category string
}{
	{"выручк", "revenue"}, {"доход", "revenue"}, {"оборот", "revenue"}, {"revenue", "revenue"}, {"income", "revenue"},
	{"turnover", "revenue"}, {"mrr", "revenue"}, {"arr", "revenue"}, {"заработ", "revenue"}, {"earn", "revenue"},
	{"клиент", "clients"}, {"client", "clients"}, {"customer", "clients"}, {"покупател", "clients"}, {"заказчик", "clients"},
	{"пользовател", "clients"}, {"users", "clients"}, {"абонент", "clients"},
	{"продаж", "sales"}, {"sales", "sales"}, {"сделк", "sales"}, {"deals", "sales"}, {"лид", "sales"}, {"lead", "sales"},
	{"заказ", "sales"}, {"order", "sales"}, {"конверси", "sales"}, {"conversion", "sales"}, {"продат", "sales"}, {"sell", "sales"},
	{"продукт", "product"}, {"product", "product"}, {"фич", "product"}, {"feature", "product"}, {"mvp", "product"},
	{"релиз", "product"}, {"release", "product"}, {"запуст", "product"}, {"launch", "product"}, {"приложени", "product"},
	{"app", "product"}, {"сайт", "product"}, {"website", "product"},
	{"маркетинг", "marketing"}, {"marketing", "marketing"}, {"реклам", "marketing"}, {"ads", "marketing"},
	{"подписчик", "marketing"}, {"followers", "marketing"}, {"subscribers", "marketing"}, {"охват", "marketing"},
	{"блог", "marketing"}, {"blog", "marketing"}, {"контент", "marketing"}, {"content", "marketing"}, {"seo", "marketing"},
	{"бренд", "marketing"}, {"brand", "marketing"}, {"трафик", "marketing"}, {"traffic", "marketing"},
	{"команд", "team"}, {"team", "team"}, {"нанять", "team"}, {"найм", "team"}, {"hire", "team"}, {"hiring", "team"},
	{"сотрудник", "team"}, {"employee", "team"}, {"recruit", "team"}, {"разработчик", "team"}, {"developers", "team"},
	{"финанс", "finance"}, {"finance", "finance"}, {"прибыл", "finance"}, {"profit", "finance"}, {"бюджет", "finance"},
	{"budget", "finance"}, {"расход", "finance"}, {"expense", "finance"}, {"cost", "finance"}, {"затрат", "finance"},
	{"накоп", "finance"}, {"saving", "finance"}, {"инвест", "finance"}, {"invest", "finance"}, {"долг", "finance"},
	{"debt", "finance"}, {"маржа", "finance"}, {"margin", "finance"}, {"cash", "finance"}, {"кэш", "finance"},
	{"здоров", "health"}, {"health", "health"}, {"спорт", "health"}, {"sport", "health"}, {"бег", "health"},
	{"пробеж", "health"}, {"running", "health"}, {"marathon", "health"}, {"марафон", "health"}, {"похуд", "health"},
	{"вес", "health"}, {"weight", "health"}, {"gym", "health"}, {"зал", "health"}, {"трениров", "health"},
	{"workout", "health"}, {"fitness", "health"}, {"фитнес", "health"}, {"сон", "health"}, {"sleep", "health"},
	{"шаг", "health"}, {"steps", "health"}, {"км", "health"}, {"km", "health"}, {"кг", "health"}, {"kg", "health"},
	{"учеб", "learning"}, {"выучить", "learning"}, {"изучить", "learning"}, {"learn", "learning"}, {"study", "learning"},
	{"курс", "learning"}, {"course", "learning"}, {"книг", "learning"}, {"book", "learning"}, {"прочитать", "learning"},
	{"read", "learning"}, {"английск", "learning"}, {"english", "learning"}, {"язык", "learning"}, {"language", "learning"},
	{"экзамен", "learning"}, {"exam", "learning"}, {"сертифик", "learning"}, {"certif", "learning"},
	{"семья", "personal"}, {"семьи", "personal"}, {"семью", "personal"}, {"семьей", "personal"}, {"family", "personal"}, {"отпуск", "personal"}, {"vacation", "personal"}, {"travel", "personal"},
	{"путешеств", "personal"}, {"хобби", "personal"}, {"hobby", "personal"}, {"дом", "personal"}, {"house", "personal"},
	{"personal", "personal"}, {"лично", "personal"}, {"дети", "personal"}, {"kids", "personal"},
}

// inferCategory guesses a goal category from the words of the message and the unit; "" when none fits.
func inferCategory(p *parser, unit *string) string {
	if unit != nil {
		switch *unit {
		case "RUB", "USD", "EUR":
			if c := categoryOfWords(p); c != "" {
				return c
			}
			return "revenue"
		}
	}
	return categoryOfWords(p)
}

func categoryOfWords(p *parser) string {
	for _, t := range p.toks {
		if t.kind != tkWord || len(t.s) < 2 {
			continue
		}
		if c := categoryOf(t.s); c != "" {
			return c
		}
	}
	return ""
}

func categoryOf(w string) string {
	for _, cs := range categoryStems {
		if !strings.HasPrefix(w, cs.stem) {
			continue
		}
		if n := utf8.RuneCountInString(cs.stem); n > 3 || utf8.RuneCountInString(w) <= n+2 {
			return cs.category
		}
	}
	return ""
}

package nlu

import "strings"

// effortWords are stems that suggest how demanding a task is: cognitive load 1..10.
var effortWords = []struct {
	stems []string
	load  int
}{
	{[]string{"стратег", "strateg", "архитект", "architect", "инвест", "invest", "pitch", "питч", "бюджет", "budget", "модел", "model", "анализ", "analy", "исследов", "research"}, 8},
	{[]string{"отчёт", "отчет", "report", "презентац", "present", "план", "plan", "договор", "contract", "предложен", "proposal", "дизайн", "design", "код", "code", "статья", "article", "собесед", "interview"}, 6},
	{[]string{"встреч", "meeting", "созвон", "звонок", "позвон", "call", "обсуд", "discuss", "ревью", "review"}, 4},
	{[]string{"купить", "buy", "оплат", "pay", "отправ", "send", "письм", "email", "почт", "mail", "напомн", "remind", "заказ", "order"}, 2},
}

// EstimateEffort guesses a task's complexity and cognitive load (1..10) from its words and length.
func EstimateEffort(title string, minutes int) (complexity string, cognitive int) {
	lower := strings.ToLower(title)
	cognitive = 5
	for _, w := range effortWords {
		for _, s := range w.stems {
			if strings.Contains(lower, s) {
				cognitive = w.load
				goto found
			}
		}
	}
found:
	switch {
	case minutes >= 240:
		cognitive = min(10, cognitive+2)
	case minutes >= 120:
		cognitive = min(10, cognitive+1)
	}
	switch {
	case cognitive >= 9:
		complexity = "extreme"
	case cognitive >= 7:
		complexity = "hard"
	case cognitive >= 4:
		complexity = "medium"
	case cognitive >= 2:
		complexity = "easy"
	default:
		complexity = "trivial"
	}
	return complexity, cognitive
}

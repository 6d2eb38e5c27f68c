package plan

// The offline planner's templates: for each kind of goal, four phases along its timeline, each
// with concrete first tasks (a verb and an object) and their estimate, complexity and cognitive
// load, in Russian and English. "%d" in a task is a quantity from the goal's target (step.n).

// Kind is the template a goal is planned with.
type Kind string

// The template kinds.
const (
	KindRevenue   Kind = "revenue"
	KindCustomers Kind = "customers"
	KindLaunch    Kind = "launch"
	KindHiring    Kind = "hiring"
	KindCosts     Kind = "costs"
	KindAudience  Kind = "audience"
	KindCustom    Kind = "custom"
)

// Kinds are all the template kinds.
var Kinds = []Kind{KindRevenue, KindCustomers, KindLaunch, KindHiring, KindCosts, KindAudience, KindCustom}

type text struct{ en, ru string }

func (t text) in(lang string) string {
	if lang == "ru" {
		return t.ru
	}
	return t.en
}

// step is one task of a template.
type step struct {
	title      text
	minutes    int
	complexity string // one of core.Complexities
	load       int    // 1..10
	// n says what "%d" in the title counts: 0 none; otherwise the target's remainder times n/100,
	// at least min.
	n, min int
}

// template is a kind's plan: its phases' names (for goals without a target) and tasks.
type template struct {
	phases   [4]text
	steps    [4][]step
	deadline int // days a goal without a deadline gets
}

var templates = map[Kind]template{
	KindRevenue: {
		deadline: 90,
		phases:   [4]text{{"sources of growth chosen", "выбраны источники роста"}, {"first extra sales", "первые дополнительные продажи"}, {"growth on track", "рост идёт по плану"}, {"revenue reached", "выручка достигнута"}},
		steps: [4][]step{
			{
				{title: text{"break down the last 3 months' revenue by product and client", "разобрать выручку за 3 месяца по продуктам и клиентам"}, minutes: 90, complexity: "medium", load: 6},
				{title: text{"pick 2 levers: new clients, average order or repeat sales", "выбрать 2 рычага: новые клиенты, средний чек или повторные продажи"}, minutes: 60, complexity: "medium", load: 7},
				{title: text{"list 20 past clients for a repeat offer", "составить список 20 прошлых клиентов для повторного предложения"}, minutes: 45, complexity: "easy", load: 4},
			},
			{
				{title: text{"call 10 past clients with the offer", "позвонить 10 прошлым клиентам с предложением"}, minutes: 120, complexity: "medium", load: 5},
				{title: text{"raise the price of one product or bundle it", "поднять цену одного продукта или собрать из него пакет"}, minutes: 60, complexity: "hard", load: 7},
			},
			{
				{title: text{"launch a repeat-purchase offer", "запустить акцию для повторных покупок"}, minutes: 90, complexity: "medium", load: 6},
				{title: text{"check revenue against the plan and adjust the levers", "сверить выручку с планом и поправить рычаги"}, minutes: 45, complexity: "medium", load: 6},
			},
			{
				{title: text{"close the open deals before the deadline", "закрыть открытые сделки до срока"}, minutes: 120, complexity: "medium", load: 6},
				{title: text{"review which lever brought the most revenue", "разобрать, какой рычаг дал больше всего выручки"}, minutes: 45, complexity: "easy", load: 4},
			},
		},
	},
	KindCustomers: {
		deadline: 90,
		phases:   [4]text{{"pipeline built", "воронка собрана"}, {"first clients signed", "первые клиенты подписаны"}, {"most of the way", "большая часть пути"}, {"clients reached", "клиенты набраны"}},
		steps: [4][]step{
			{
				{title: text{"describe the ideal client in five lines", "описать идеального клиента в пяти строках"}, minutes: 60, complexity: "medium", load: 7},
				{title: text{"build a list of %d potential clients", "составить список из %d потенциальных клиентов"}, minutes: 120, complexity: "medium", load: 5, n: 300, min: 10},
				{title: text{"write a short offer and a call script", "написать короткое предложение и скрипт звонка"}, minutes: 90, complexity: "hard", load: 7},
			},
			{
				{title: text{"reach out to %d leads from the list", "написать или позвонить %d потенциальным клиентам из списка"}, minutes: 120, complexity: "medium", load: 5, n: 150, min: 5},
				{title: text{"hold %d calls with interested leads", "провести %d встреч с заинтересованными"}, minutes: 120, complexity: "medium", load: 6, n: 50, min: 2},
			},
			{
				{title: text{"send proposals to everyone who replied", "отправить предложения всем, кто ответил"}, minutes: 60, complexity: "medium", load: 5},
				{title: text{"ask 3 happy clients for a referral", "попросить 3 довольных клиентов о рекомендации"}, minutes: 30, complexity: "easy", load: 3},
			},
			{
				{title: text{"follow up with the leads still deciding", "дожать тех, кто ещё думает"}, minutes: 90, complexity: "medium", load: 5},
				{title: text{"review which channel brought the most clients", "разобрать, какой канал привёл больше клиентов"}, minutes: 45, complexity: "easy", load: 4},
			},
		},
	},
	KindLaunch: {
		deadline: 60,
		phases:   [4]text{{"idea checked with users", "идея проверена на пользователях"}, {"first version ready", "первая версия готова"}, {"tested with beta users", "проверено на тестовых пользователях"}, {"launched", "запущено"}},
		steps: [4][]step{
			{
				{title: text{"write who it is for and which problem it solves", "описать, для кого продукт и какую задачу он решает"}, minutes: 60, complexity: "hard", load: 8},
				{title: text{"interview 5 potential users", "поговорить с 5 потенциальными пользователями"}, minutes: 150, complexity: "medium", load: 6},
				{title: text{"list the features of the first version", "составить список функций первой версии"}, minutes: 60, complexity: "medium", load: 7},
			},
			{
				{title: text{"build the first working version", "собрать первую рабочую версию"}, minutes: 240, complexity: "hard", load: 9},
				{title: text{"set up a landing page that collects sign-ups", "сделать лендинг со сбором заявок"}, minutes: 120, complexity: "medium", load: 6},
			},
			{
				{title: text{"give the first version to 5 beta users", "дать первую версию 5 тестовым пользователям"}, minutes: 60, complexity: "medium", load: 5},
				{title: text{"fix the top 3 issues from their feedback", "исправить 3 главные проблемы из отзывов"}, minutes: 180, complexity: "hard", load: 8},
			},
			{
				{title: text{"write the launch announcement", "написать анонс запуска"}, minutes: 60, complexity: "medium", load: 6},
				{title: text{"launch and send the announcement to the sign-ups", "запустить и разослать анонс по заявкам"}, minutes: 90, complexity: "medium", load: 6},
			},
		},
	},
	KindHiring: {
		deadline: 45,
		phases:   [4]text{{"role described and posted", "вакансия описана и опубликована"}, {"first interviews held", "первые собеседования проведены"}, {"finalists chosen", "финалисты выбраны"}, {"hired", "сотрудник нанят"}},
		steps: [4][]step{
			{
				{title: text{"write the role, its tasks and requirements", "описать роль, задачи и требования"}, minutes: 60, complexity: "medium", load: 7},
				{title: text{"set the salary range and terms", "определить вилку зарплаты и условия"}, minutes: 45, complexity: "medium", load: 6},
				{title: text{"post the job on 2 job boards", "опубликовать вакансию на 2 площадках"}, minutes: 45, complexity: "easy", load: 4},
			},
			{
				{title: text{"screen the CVs and message %d candidates", "разобрать резюме и написать %d кандидатам"}, minutes: 90, complexity: "medium", load: 5, n: 1000, min: 10},
				{title: text{"hold the first interviews", "провести первые собеседования"}, minutes: 180, complexity: "medium", load: 7},
			},
			{
				{title: text{"give the finalists a short test task", "дать финалистам короткое тестовое задание"}, minutes: 45, complexity: "easy", load: 4},
				{title: text{"check the best candidate's references", "проверить рекомендации лучшего кандидата"}, minutes: 45, complexity: "easy", load: 4},
			},
			{
				{title: text{"make the offer", "сделать оффер"}, minutes: 30, complexity: "medium", load: 6},
				{title: text{"prepare a first-week onboarding plan", "подготовить план адаптации на первую неделю"}, minutes: 60, complexity: "medium", load: 6},
			},
		},
	},
	KindCosts: {
		deadline: 60,
		phases:   [4]text{{"expenses mapped", "расходы разобраны"}, {"first cuts made", "первые расходы урезаны"}, {"suppliers renegotiated", "условия с поставщиками пересмотрены"}, {"costs down", "расходы снижены"}},
		steps: [4][]step{
			{
				{title: text{"export all expenses of the last 3 months", "выгрузить все расходы за 3 месяца"}, minutes: 45, complexity: "easy", load: 4},
				{title: text{"group the expenses and find the 5 largest", "разбить расходы по статьям и найти 5 самых крупных"}, minutes: 90, complexity: "medium", load: 6},
			},
			{
				{title: text{"cancel unused subscriptions and services", "отменить неиспользуемые подписки и сервисы"}, minutes: 45, complexity: "easy", load: 3},
				{title: text{"ask the 3 main suppliers for a discount", "запросить скидку у 3 главных поставщиков"}, minutes: 90, complexity: "medium", load: 6},
			},
			{
				{title: text{"compare prices of 2 alternative suppliers", "сравнить цены 2 альтернативных поставщиков"}, minutes: 90, complexity: "medium", load: 6},
				{title: text{"set a monthly limit on discretionary spending", "установить месячный лимит на необязательные траты"}, minutes: 30, complexity: "easy", load: 4},
			},
			{
				{title: text{"check spending against the goal", "сверить расходы с целью"}, minutes: 45, complexity: "easy", load: 4},
				{title: text{"write down the new spending rules for the team", "записать новые правила трат для команды"}, minutes: 45, complexity: "medium", load: 5},
			},
		},
	},
	KindAudience: {
		deadline: 90,
		phases:   [4]text{{"content plan ready", "контент-план готов"}, {"regular posting", "регулярные публикации"}, {"growth channels tested", "каналы роста проверены"}, {"audience reached", "аудитория набрана"}},
		steps: [4][]step{
			{
				{title: text{"pick 3 topics your audience needs", "выбрать 3 темы, которые нужны аудитории"}, minutes: 60, complexity: "medium", load: 7},
				{title: text{"draft a 4-week content plan", "составить контент-план на 4 недели"}, minutes: 90, complexity: "medium", load: 6},
			},
			{
				{title: text{"prepare 8 posts in advance", "подготовить 8 публикаций заранее"}, minutes: 240, complexity: "medium", load: 6},
				{title: text{"publish the first 6 posts on schedule", "опубликовать первые 6 постов по графику"}, minutes: 60, complexity: "easy", load: 3},
			},
			{
				{title: text{"do a collab with one creator in your niche", "договориться о коллаборации с одним автором своей ниши"}, minutes: 90, complexity: "medium", load: 6},
				{title: text{"review which posts brought the most followers", "разобрать, какие публикации привели больше подписчиков"}, minutes: 45, complexity: "easy", load: 4},
			},
			{
				{title: text{"repeat the 2 formats that worked best", "повторить 2 формата, которые сработали лучше всего"}, minutes: 120, complexity: "medium", load: 5},
				{title: text{"review the audience growth and plan the next quarter", "подвести итоги роста и наметить следующий квартал"}, minutes: 45, complexity: "easy", load: 4},
			},
		},
	},
	KindCustom: {
		deadline: 60,
		phases:   [4]text{{"plan made", "план составлен"}, {"first steps done", "первые шаги сделаны"}, {"halfway reviewed", "середина пути проверена"}, {"goal reached", "цель достигнута"}},
		steps: [4][]step{
			{
				{title: text{"write down what reaching the goal looks like", "записать, как выглядит достигнутая цель"}, minutes: 30, complexity: "medium", load: 6},
				{title: text{"break the goal into 3–5 concrete steps", "разбить цель на 3–5 конкретных шагов"}, minutes: 45, complexity: "medium", load: 7},
			},
			{
				{title: text{"do the first step of the list", "сделать первый шаг из списка"}, minutes: 90, complexity: "medium", load: 6},
				{title: text{"block time in the calendar for the next steps", "забронировать в календаре время под следующие шаги"}, minutes: 15, complexity: "easy", load: 2},
			},
			{
				{title: text{"check progress and drop what doesn't help", "проверить прогресс и убрать то, что не помогает"}, minutes: 30, complexity: "easy", load: 4},
				{title: text{"ask someone you trust for feedback", "попросить обратную связь у человека, которому доверяете"}, minutes: 30, complexity: "easy", load: 4},
			},
			{
				{title: text{"finish the remaining steps", "завершить оставшиеся шаги"}, minutes: 120, complexity: "medium", load: 6},
				{title: text{"review what worked for the next goal", "разобрать, что сработало, для следующей цели"}, minutes: 30, complexity: "easy", load: 3},
			},
		},
	},
}

package core

import (
	"slices"
	"strings"
)

// Prioritize orders tasks the way lists show them and replanning keeps them:
//  1. deadline: earlier scheduled days first (overdue work leads);
//  2. priority: 1 (urgent) before 4 (low);
//  3. goal importance: tasks serving an active goal before others, nearer goal deadlines first;
//  4. cognitive load: demanding work first, while attention is fresh;
//  5. then the fixed time of day, then creation order.
//
// Done tasks sink below open ones of the same day. The input is not modified.
func Prioritize(tasks []Task, goals []Goal, today Date) []Task {
	deadline := make(map[[16]byte]Date, len(goals))
	for _, g := range goals {
		if g.Status == GoalActive {
			d := g.EndDate
			if d.IsZero() {
				d = today.AddDays(3650)
			}
			deadline[g.ID] = d
		}
	}
	goalRank := func(t *Task) Date {
		if t.GoalID != nil {
			if d, ok := deadline[*t.GoalID]; ok {
				return d
			}
		}
		return today.AddDays(100000)
	}
	out := slices.Clone(tasks)
	slices.SortStableFunc(out, func(a, b Task) int {
		ad, bd := a.ScheduledDate, b.ScheduledDate
		if ad.IsZero() {
			ad = today
		}
		if bd.IsZero() {
			bd = today
		}
		if c := ad.Compare(bd); c != 0 {
			return c
		}
		if a.Open() != b.Open() {
			if a.Open() {
				return -1
			}
			return 1
		}
		if a.Priority != b.Priority {
			return a.Priority - b.Priority
		}
		if c := goalRank(&a).Compare(goalRank(&b)); c != 0 {
			return c
		}
		if a.CognitiveLoad != b.CognitiveLoad {
			return b.CognitiveLoad - a.CognitiveLoad
		}
		return compareClock(a.ScheduledTime, b.ScheduledTime)
	})
	return out
}

func compareClock(a, b *ClockTime) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return int(*a) - int(*b)
}

// Move is a task and the day replanning moves it to.
type Move struct {
	Task Task
	To   Date
}

// Replan fits prioritized open tasks into days from today to horizon without exceeding capacity
// minutes a day. Overdue tasks come to today or later; a task keeps its day when it fits there;
// tasks with a fixed time never move (they count against their day). What fits nowhere stays.
func Replan(tasks []Task, today, horizon Date, capacity int) []Move {
	used := map[Date]int{}
	for _, t := range tasks {
		if t.ScheduledTime != nil && !t.ScheduledDate.Before(today) {
			used[t.ScheduledDate] += t.Minutes()
		}
	}
	var moves []Move
	for _, t := range tasks {
		if !t.Open() || (t.ScheduledTime != nil && !t.ScheduledDate.Before(today)) {
			continue
		}
		day := t.ScheduledDate
		if day.IsZero() || day.Before(today) {
			day = today
		}
		for !day.After(horizon) && used[day]+t.Minutes() > capacity && used[day] > 0 {
			day = day.AddDays(1)
		}
		if day.After(horizon) {
			continue
		}
		used[day] += t.Minutes()
		if day != t.ScheduledDate {
			moves = append(moves, Move{Task: t, To: day})
		}
	}
	return moves
}

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

package plan

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/locale"
)

// Draft is a plan proposed for a goal, before the user accepts it: milestones along the way to
// the deadline and the tasks that lead to each.
type Draft struct {
	Source        string    `json:"source"`                   // "offline" or "llm"
	PromptVersion string    `json:"prompt_version,omitempty"` // the LLM prompt's, for an LLM plan
	Kind          Kind      `json:"kind"`
	Deadline      core.Date `json:"deadline"`
	// ProposedDeadline is set when the goal had no deadline and the plan proposes Deadline;
	// NewDeadline when the user asked for Deadline (Adjust). Only then does accepting set it.
	ProposedDeadline bool `json:"proposed_deadline,omitempty"`
	NewDeadline      bool `json:"new_deadline,omitempty"`
	// Fewer means the user asked for less work (Adjust): about half the tasks are kept.
	Fewer bool `json:"fewer,omitempty"`
	// Made is the day the plan was made for: its tasks start then.
	Made       core.Date   `json:"made"`
	Milestones []Milestone `json:"milestones"`
	Tasks      []PlanTask  `json:"tasks"`
}

// Milestone is a checkpoint of a draft.
type Milestone struct {
	Title  string    `json:"title"`
	Target *float64  `json:"target,omitempty"`
	Due    core.Date `json:"due"`
}

// PlanTask is a task of a draft, leading to its milestone (an index into Milestones).
type PlanTask struct {
	Title      string    `json:"title"`
	Milestone  int       `json:"milestone"`
	Minutes    int       `json:"minutes"`
	Complexity string    `json:"complexity"`
	Load       int       `json:"load"`
	Due        core.Date `json:"due"` // the day it is planned on
}

// kindWords pick a template from a goal's title where its category says little.
var kindWords = []struct {
	kind  Kind
	stems []string
}{
	{KindHiring, []string{"нан", "найм", "сотрудник", "hire", "hiring", "recruit", "вакан"}},
	{KindCosts, []string{"расход", "затрат", "издерж", "cost", "expens", "spend"}},
	{KindLaunch, []string{"запуст", "запуск", "выпуст", "launch", "release", "ship", "mvp", "приложен", "app"}},
	{KindAudience, []string{"подписчик", "аудитор", "охват", "follower", "subscriber", "audience", "views", "просмотр"}},
	{KindCustomers, []string{"клиент", "покупател", "client", "customer", "user", "пользовател", "сделк", "deal"}},
	{KindRevenue, []string{"выручк", "доход", "оборот", "прибыл", "revenue", "income", "mrr", "arr", "profit", "sales", "продаж"}},
}

// KindOf is the template a goal is planned with: its category where that says (revenue, clients,
// product, team, marketing), unless its words speak of costs; else its words, matched at the
// start of a word ("нанять", not "финансовая"); a finance goal is revenue, anything else custom.
func KindOf(g core.Goal) Kind {
	words := strings.FieldsFunc(strings.ToLower(g.Title+" "+g.Unit), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	said := func(k Kind) bool {
		for _, kw := range kindWords {
			if kw.kind != k {
				continue
			}
			for _, w := range words {
				for _, stem := range kw.stems {
					if strings.HasPrefix(w, stem) {
						return true
					}
				}
			}
		}
		return false
	}
	if said(KindCosts) {
		return KindCosts
	}
	switch g.Category {
	case "revenue":
		return KindRevenue
	case "clients", "sales":
		return KindCustomers
	case "product":
		return KindLaunch
	case "team":
		return KindHiring
	case "marketing":
		return KindAudience
	}
	for _, kw := range kindWords {
		if said(kw.kind) {
			return kw.kind
		}
	}
	if g.Category == "finance" {
		return KindRevenue
	}
	return KindCustom
}

// Offline is the offline planner: goal g broken into up to four milestones along the way from
// today to its deadline (25/50/75/100% of the target for a goal with one), and the template's
// concrete tasks for each, due by their milestone, titled in lang. A goal without a future
// deadline gets one proposed, by its kind. Tasks are not yet placed on days (Schedule does).
func Offline(g core.Goal, today core.Date, lang string) Draft {
	kind := KindOf(g)
	tpl := templates[kind]
	d := Draft{Source: "offline", Kind: kind, Deadline: g.EndDate, Made: today}
	if d.Deadline.IsZero() || !d.Deadline.After(today) {
		d.Deadline, d.ProposedDeadline = workday(today.AddDays(tpl.deadline), today), true
	}
	days := today.DaysUntil(d.Deadline)
	n := min(4, max(1, days/7))
	delta, remaining := 0.0, 0.0 // the way to the target, signed (a cost cut goes down), and its size
	if g.TargetValue != nil {
		delta = *g.TargetValue - g.CurrentValue
		remaining = math.Abs(delta)
		if whole := remaining == math.Trunc(remaining); whole && remaining >= 1 && remaining < float64(n) {
			n = int(remaining) // "hire two baristas": two checkpoints, not "reach 1" twice
		}
	}
	for i := 1; i <= n; i++ {
		m := Milestone{Due: workday(today.AddDays(days*i/n), today)}
		if i == n {
			m.Due = d.Deadline
		}
		phase := (4*i+n-1)/n - 1 // the template's phase this milestone ends
		if g.TargetValue != nil && remaining > 0 {
			v := *g.TargetValue // the last one is the target itself
			m.Title = locale.T(lang, "milestone_value", locale.Amount(lang, v, g.Unit))
			if i < n {
				v = round(g.CurrentValue + delta*float64(i)/float64(n))
				m.Title = locale.T(lang, "milestone_value", locale.Amount(lang, v, g.Unit))
				if strings.IndexFunc(g.Unit, unicode.IsLetter) >= 0 { // "reach 1 of 2 baristas": a word unit goes with the target, whose form fits it
					m.Title = locale.T(lang, "milestone_value_of", locale.Number(lang, v), locale.Amount(lang, *g.TargetValue, g.Unit))
				}
			}
			m.Target = &v
		} else {
			m.Title = tpl.phases[phase].in(lang)
		}
		d.Milestones = append(d.Milestones, m)
	}
	for p, steps := range tpl.steps {
		ms := min(p*n/4, n-1) // the milestone the phase's tasks lead to
		for _, s := range steps {
			title := s.title.in(lang)
			if s.n > 0 {
				title = fmt.Sprintf(title, quantity(g, kind, remaining, s))
			}
			d.Tasks = append(d.Tasks, PlanTask{Title: title, Milestone: ms, Minutes: s.minutes, Complexity: s.complexity,
				Load: s.load, Due: d.Milestones[ms].Due})
		}
	}
	return d
}

// quantity is how many a step's "%d" counts: from the target where its unit counts people
// or clients (20 clients: a list of 60), else the step's own minimum; never more than 1 000.
func quantity(g core.Goal, kind Kind, remaining float64, s step) int {
	if countsPeople(g.Unit) || g.Unit == "" && (kind == KindCustomers || kind == KindHiring) && remaining <= 1000 {
		return min(max(s.min, int(math.Ceil(remaining*float64(s.n)/100))), 1000)
	}
	return s.min
}

// countsPeople reports whether a unit counts people: clients, customers, hires, users.
func countsPeople(unit string) bool {
	u := strings.ToLower(unit)
	for _, stem := range []string{"клиент", "покупател", "сотрудник", "человек", "бариста", "пользовател", "client", "customer",
		"hire", "people", "user", "barista", "employee", "lead", "лид"} {
		if strings.Contains(u, stem) {
			return true
		}
	}
	return false
}

// workday moves a checkpoint off a weekend to the Friday before, never before from.
func workday(d, from core.Date) core.Date {
	for wd := d.Weekday(); (wd == 0 || wd == 6) && d.After(from.AddDays(1)); wd = d.Weekday() {
		d = d.AddDays(-1)
	}
	return d
}

// round keeps a milestone's target readable: whole numbers, and two significant figures
// past a thousand ("2 500 000", not "2 487 512").
func round(v float64) float64 {
	if math.Abs(v) < 1000 {
		return math.Round(v)
	}
	p := math.Pow(10, math.Floor(math.Log10(math.Abs(v)))-1)
	return math.Round(v/p) * p
}

// Schedule places d's tasks on the user's working days from today, within their daily capacity,
// around the work already planned (busy: the open tasks, which keep their days) and the
// calendar's meetings (minutes by day, which take from the day's capacity); each task after the
// previous milestone and by its own. It returns the schedule's summary.
func (d *Draft) Schedule(today core.Date, settings core.Settings, busy []core.Task, meetings map[core.Date]int) Summary {
	cal := Calendar{Start: today, End: d.Deadline, Capacity: settings.Capacity(), WorkingDays: settings.WorkingDays, Limits: map[core.Date]int{}}
	for day, m := range meetings {
		cal.Limits[day] = settings.FreeMinutes(m)
	}
	var items []Item
	for i, t := range busy {
		if t.Open() && !t.ScheduledDate.IsZero() && !t.ScheduledDate.Before(today) {
			items = append(items, Item{Key: -1 - i, Minutes: t.Minutes(), Load: t.CognitiveLoad, Fixed: true, Day: t.ScheduledDate})
		}
	}
	for i, t := range d.Tasks {
		start, due := today, d.Milestones[t.Milestone].Due
		if t.Milestone > 0 {
			start = d.Milestones[t.Milestone-1].Due.AddDays(1)
		}
		j, k := 0, 0 // the task is the j-th of the k leading to its milestone: spread them over its first half
		for o, u := range d.Tasks {
			if u.Milestone == t.Milestone {
				if o < i {
					j++
				}
				k++
			}
		}
		it := Item{Key: i, Minutes: t.Minutes, Load: t.Load, Priority: 3, Deadline: due,
			Earliest: start.AddDays(start.DaysUntil(due) * j / (2 * k))}
		items = append(items, it)
	}
	s := Place(items, cal)
	sum := Summary{Tasks: len(d.Tasks), Days: today.DaysUntil(d.Deadline) + 1}
	for i := range d.Tasks {
		if at, ok := s.At[i]; ok {
			d.Tasks[i].Due = at
		}
	}
	slices.SortStableFunc(d.Tasks, func(a, b PlanTask) int { return a.Due.Compare(b.Due) }) // the first to do first
	sum.Late, sum.Unplaced = len(s.Late), len(s.Unplaced)
	for _, day := range s.Days { // the busiest of the days the plan puts work on, all its work counted
		if day.Minutes > sum.BusiestMin && slices.ContainsFunc(d.Tasks, func(t PlanTask) bool { return t.Due == day.Date }) {
			sum.Busiest, sum.BusiestMin = day.Date, day.Minutes
		}
	}
	return sum
}

// Summary says what a schedule came to: "12 tasks over 3 weeks, the busiest day is Tue, 5 h".
type Summary struct {
	Tasks, Days    int
	Busiest        core.Date
	BusiestMin     int
	Late, Unplaced int // tasks that could not fit before their milestone, or at all
}

// Explain is the summary in words, in lang.
func (s Summary) Explain(lang string) string {
	out := locale.T(lang, "plan_summary", locale.Plural(lang, s.Tasks, "task"), locale.Plural(lang, max(1, (s.Days+6)/7), "week"))
	if !s.Busiest.IsZero() {
		out += locale.T(lang, "plan_busiest", locale.WeekdayName(lang, s.Busiest.Weekday()), locale.Duration(lang, s.BusiestMin))
	}
	if !strings.HasSuffix(out, ".") {
		out += "."
	}
	if s.Late+s.Unplaced > 0 {
		out += " " + locale.T(lang, "plan_tight", s.Late+s.Unplaced)
	}
	return out
}

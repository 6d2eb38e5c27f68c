package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/locale"
	"github.com/bizconnect/bizconnect/core/progress"
)

func (r *Weekly) tr(key string, args ...any) string { return locale.T(r.Lang, key, args...) }

// Title names the week by its dates: "Неделя 30 ноября – 6 декабря", "Week of 7–13 Dec".
func (r *Weekly) Title() string {
	dates := locale.DateRange(r.Lang, r.Monday, r.Sunday, r.Today)
	if r.Team != "" {
		return r.tr("report_title_team", r.Team, dates)
	}
	return r.tr("report_title", dates)
}

// Text is the report as a message: Progress, Load, Problems, Plans.
func (r *Weekly) Text() core.Text {
	text := core.Text{{Text: "📊 " + r.Title(), Style: core.Bold}}
	add := func(s string) { text = append(text, core.Span{Text: s}) }
	head := func(key string) { text = append(text, core.Span{Text: "\n\n" + r.tr(key), Style: core.Bold}) }

	head("report_progress")
	ws := r.Week
	if r.Team != "" {
		add("\n✅ " + r.tr("report_team_tasks", locale.Plural(r.Lang, ws.TasksCompleted, "task")) + r.compare(ws.TasksCompleted, r.Prev.TasksCompleted))
		for _, m := range r.Members {
			add("\n• " + m.Name + " — " + locale.Plural(r.Lang, m.Tasks, "task"))
		}
	} else {
		rate := 0
		if ws.TasksPlanned > 0 {
			rate = int(math.Round(100 * float64(ws.TasksCompleted) / float64(ws.TasksPlanned)))
		}
		if ws.TasksPlanned == 0 && ws.TasksCompleted == 0 {
			add("\n✅ " + r.tr("report_no_tasks") + r.compare(0, r.Prev.TasksCompleted))
		} else {
			add("\n✅ " + r.tr("report_tasks", ws.TasksCompleted, ws.TasksPlanned, rate) + r.compare(ws.TasksCompleted, r.Prev.TasksCompleted))
			add("\n⏱ " + r.tr("report_time", locale.Duration(r.Lang, ws.CompletedMinutes), locale.Duration(r.Lang, ws.PlannedMinutes)))
		}
	}
	for _, g := range r.Goals {
		text = append(text, r.goalLines(g, false)...)
	}
	if len(r.Achievements) > 0 {
		names := make([]string, 0, len(r.Achievements))
		for _, a := range r.Achievements {
			names = append(names, AchievementName(r.Lang, a))
		}
		add("\n🏅 " + r.tr("report_achievements", strings.Join(names, " · ")))
	}

	if r.Team == "" && r.AvgLoad > 0 {
		head("report_load_head")
		line := "\n⚡ " + r.tr("report_load", r.AvgLoad, r.PeakLoad, locale.WeekdayShort(r.Lang, r.PeakDay.Weekday()))
		if r.OverloadDays > 0 {
			line += ", " + locale.Plural(r.Lang, r.OverloadDays, "overload_day")
		}
		add(line)
		if ws.AvgStress != nil || ws.AvgEnergy != nil {
			add("\n🧘 " + r.tr("report_wellbeing", r.decimal(ws.AvgStress), r.decimal(ws.AvgEnergy)))
		}
	}

	head("report_problems")
	problems := r.problems()
	if len(problems) == 0 {
		problems = []string{r.tr("report_no_problems")}
	}
	for _, p := range problems {
		add("\n" + p)
	}

	head("report_plans")
	if r.NextTasks > 0 {
		add("\n🗓 " + r.tr("report_next_week", locale.Plural(r.Lang, r.NextTasks, "task"), locale.Duration(r.Lang, r.NextMinutes)))
	}
	text = append(text, core.Span{Text: "\n💡 " + r.tr(r.Tip), Style: core.Note})
	return text
}

// compare says how a count stands against the week before: " (+3 к прошлой неделе)".
func (r *Weekly) compare(now, before int) string {
	switch {
	case now == before && now == 0:
		return ""
	case now == before:
		return " · " + r.tr("report_same")
	}
	return " · " + r.tr("report_vs_prev", fmt.Sprintf("%+d", now-before))
}

// GoalText says a goal's progress and forecast: "🎯 Revenue — $45,000 / $100,000 ▓▓▓░░ 45% ·
// on track: by 31 Dec ≈ $104,000", with the pace needed and kept when withPace.
func GoalText(lang string, today core.Date, g GoalLine, withPace bool) core.Text {
	r := &Weekly{Lang: lang, Today: today}
	return r.goalLines(g, withPace)
}

func (r *Weekly) goalLines(g GoalLine, withPace bool) core.Text {
	emoji := "🎯 "
	if g.Reached {
		emoji = "🏆 "
	}
	out := core.Text{{Text: "\n" + emoji}, {Text: g.Goal.Title, Style: core.Bold}}
	f := g.Forecast
	unit := g.Goal.Unit
	amount := func(v float64) string { return locale.Amount(r.Lang, v, unit) }
	approx := func(v float64) string { return locale.Amount(r.Lang, roundPace(v), unit) } // a forecast is no exact figure
	if g.Goal.TargetValue == nil {
		amount = func(v float64) string { return locale.Plural(r.Lang, int(math.Round(v)), "task") }
	}
	if f.Target > 0 {
		line := " — " + amount(f.Current) + " / " + amount(f.Target)
		if g.Goal.TargetValue == nil {
			line = " — " + r.tr("report_tasks_of", int(math.Round(f.Current)), int(math.Round(f.Target)))
		}
		out = append(out, core.Span{Text: line})
	}
	if g.Moved != 0 && !g.Reached {
		out = append(out, core.Span{Text: " (" + r.tr("report_moved", signed(amount, g.Moved)) + ")"})
	}
	var status string
	deadline := ""
	if !g.Goal.EndDate.IsZero() { // a goal without a deadline has none to name
		deadline = locale.FullDate(r.Lang, g.Goal.EndDate, r.Today)
	}
	switch f.Status {
	case progress.Achieved:
		status = r.tr("fc_achieved")
	case progress.OnTrack:
		status = r.tr("fc_on_track", deadline, approx(f.AtDeadline))
	case progress.AtRisk:
		status = r.tr("fc_at_risk", deadline, approx(f.AtDeadline))
	case progress.OffTrack:
		status = r.tr("fc_off_track", deadline, approx(f.AtDeadline))
	case progress.NoDeadline:
		if !f.Completion.IsZero() {
			status = r.tr("fc_no_deadline", locale.FullDate(r.Lang, f.Completion, r.Today))
		}
	}
	line := "\n"
	if f.Target > 0 {
		line += locale.ProgressBar(min(1, f.Current/f.Target))
	}
	if status != "" {
		line += " · " + status
	}
	if line != "\n" {
		out = append(out, core.Span{Text: line})
	}
	if withPace && f.NeededPace > 0 && f.Status != progress.Achieved {
		pace := func(v float64) string { return locale.Amount(r.Lang, roundPace(v), unit) }
		if g.Goal.TargetValue == nil {
			pace = func(v float64) string { return locale.Plural(r.Lang, int(math.Ceil(v)), "task") }
		}
		note := r.tr("fc_needed", pace(f.NeededPace*7), deadline) // too early to know the pace
		if f.Pace > 0 {
			note = r.tr("fc_pace", pace(f.NeededPace*7), pace(f.Pace*7))
		}
		out = append(out, core.Span{Text: "\n" + note, Style: core.Note})
	}
	return out
}

// signed writes a change with its sign: "+120 000 ₽", "−2 clients".
func signed(amount func(float64) string, v float64) string {
	if v < 0 {
		return "−" + amount(-v)
	}
	return "+" + amount(v)
}

// problems are what needs attention: the backlog, goals falling behind with the pace they need,
// days in overload.
func (r *Weekly) problems() []string {
	var out []string
	if r.Overdue > 0 {
		out = append(out, "⚠️ "+r.tr("report_overdue", locale.Plural(r.Lang, r.Overdue, "overdue_task")))
	}
	for _, g := range r.Goals {
		f := g.Forecast
		if f.Status != progress.OffTrack && f.Status != progress.AtRisk {
			continue
		}
		unit := g.Goal.Unit
		pace := func(v float64) string { return locale.Amount(r.Lang, roundPace(v), unit) }
		if g.Goal.TargetValue == nil {
			pace = func(v float64) string { return r.decimalOf(v) }
		}
		if f.DaysLeft == 0 {
			out = append(out, "⏰ "+r.tr("report_deadline_passed", locale.Quote(r.Lang, g.Goal.Title)))
			continue
		}
		out = append(out, "📉 "+r.tr("report_behind", locale.Quote(r.Lang, g.Goal.Title), pace(f.NeededPace*7), pace(max(f.Pace, 0)*7)))
	}
	if r.Team == "" && r.OverloadDays >= 2 {
		out = append(out, "🔥 "+r.tr("report_overload_problem", locale.Plural(r.Lang, r.OverloadDays, "overload_day")))
	}
	return out
}

// roundPace keeps two significant figures of a weekly pace: 12 345 → 12 000.
func roundPace(v float64) float64 {
	if v < 10 {
		return math.Round(v*10) / 10
	}
	p := math.Pow(10, math.Floor(math.Log10(v))-1)
	return math.Round(v/p) * p
}

func (r *Weekly) decimal(p *float64) string {
	if p == nil {
		return "—"
	}
	return r.decimalOf(*p)
}

// decimalOf writes v with at most one decimal and the language's separator: "3,5", "3.5", "4".
func (r *Weekly) decimalOf(v float64) string {
	return locale.Decimal(r.Lang, math.Round(v*10)/10)
}

// AchievementName names an achievement: "🥇 First goal", "🏆 Goal reached: “10 clients”".
func AchievementName(lang string, a core.Achievement) string {
	s := locale.T(lang, "ach_"+a.Kind)
	if a.Title != "" {
		s += ": " + locale.Quote(lang, a.Title)
	}
	return s
}

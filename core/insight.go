package core

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/bizconnect/bizconnect/core/load"
)

func (t *turn) reflect(ctx context.Context, u Understanding) error {
	notes := deref(u.Notes)
	if u.Stress == nil && u.Energy == nil && notes == "" {
		t.say(t.tr("reflect_ask"))
		return nil
	}
	if err := t.tx.SaveReflection(ctx, t.today, u.Stress, u.Energy, notes); err != nil {
		return err
	}
	msg := "📝 " + t.tr("reflect_saved")
	switch {
	case u.Stress != nil && *u.Stress >= 4:
		msg += "\n" + t.tr("reflect_high_stress")
	case u.Energy != nil && *u.Energy <= 2:
		msg += "\n" + t.tr("reflect_low_energy")
	}
	t.say(msg)
	return nil
}

// dayLoad computes today's Business Load from today's and overdue tasks and today's reflection.
func (t *turn) dayLoad(ctx context.Context, tasks []Task) (load.Score, load.Day, error) {
	d := load.Day{CapacityMin: t.user.Settings.Capacity()}
	for _, task := range tasks {
		overdue := task.ScheduledDate.Before(t.today)
		if overdue && !task.Open() || task.Status == TaskCancelled {
			continue
		}
		d.PlannedMin += task.Minutes()
		d.CognitiveMin += task.Minutes() * task.CognitiveLoad
		if task.Open() && task.Priority == 1 {
			d.UrgentTasks++
		}
		if overdue {
			d.OverdueTasks++
		}
	}
	if r, err := t.tx.Reflection(ctx, t.today); err != nil {
		return load.Score{}, d, err
	} else {
		d.Stress, d.Energy = derefOr(r.Stress, 0), derefOr(r.Energy, 0)
	}
	s := load.Compute(d)
	return s, d, t.tx.SaveLoad(ctx, t.today, s.Value)
}

func (t *turn) showLoad(ctx context.Context) error {
	tasks, err := t.tx.FindTasks(ctx, TaskFilter{From: t.today, To: t.today, Overdue: true})
	if err != nil {
		return err
	}
	s, d, err := t.dayLoad(ctx, tasks)
	if err != nil {
		return err
	}
	text := Text{
		{Text: "⚡ Business Load: "}, {Text: fmt.Sprintf("%d/100", s.Value), Style: Bold},
		{Text: " — " + t.tr("zone_"+string(s.Zone)) + "\n" + loadBar(s.Value)},
		{Text: "\n" + t.tr("load_breakdown", duration(t.lang, d.PlannedMin), duration(t.lang, d.CapacityMin), d.UrgentTasks, d.OverdueTasks)},
		{Text: "\n\n💡 " + t.tr("advice_"+string(s.Zone)), Style: Italic},
	}
	var buttons []Button
	if s.Zone == load.High || s.Zone == load.Overload || d.OverdueTasks > 0 {
		buttons = append(buttons, Button{Label: t.tr("btn_replan"), Payload: "x:replan"})
	}
	t.sayText(text, buttons...)
	return nil
}

// loadBar draws a load value as ten cells.
func loadBar(v int) string {
	n := int(math.Round(float64(v) / 10))
	return strings.Repeat("■", n) + strings.Repeat("□", 10-n)
}

func (t *turn) showReport(ctx context.Context) error {
	monday := mondayOf(t.today)
	ws, err := t.tx.WeekStats(ctx, monday)
	if err != nil {
		return err
	}
	goals, err := t.tx.FindGoals(ctx, GoalFilter{Status: GoalActive})
	if err != nil {
		return err
	}
	rate := 0
	if ws.TasksPlanned > 0 {
		rate = int(math.Round(100 * float64(ws.TasksCompleted) / float64(ws.TasksPlanned)))
	}
	text := Text{{Text: "📊 " + t.tr("report_title", dayWord(t.lang, monday, t.today)), Style: Bold},
		{Text: "\n" + t.tr("report_tasks", ws.TasksCompleted, ws.TasksPlanned, rate)},
		{Text: "\n" + t.tr("report_time", duration(t.lang, ws.CompletedMinutes), duration(t.lang, ws.PlannedMinutes))}}
	if ws.AvgLoad != nil {
		text = append(text, Span{Text: "\n" + t.tr("report_load", int(math.Round(*ws.AvgLoad)))})
	}
	if ws.AvgStress != nil || ws.AvgEnergy != nil {
		text = append(text, Span{Text: "\n" + t.tr("report_wellbeing", optNum(ws.AvgStress), optNum(ws.AvgEnergy))})
	}
	for _, g := range goals[:min(len(goals), 5)] {
		text = append(text, Span{Text: "\n\n🎯 "}, Span{Text: g.Title, Style: Bold}, Span{Text: "\n" + t.goalProgressLine(g)})
	}
	t.sayText(text)
	return nil
}

func optNum(p *float64) string {
	if p == nil {
		return "—"
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", *p), ".0")
}

// replan spreads open work that no longer fits (overdue tasks, and days over capacity) over the
// coming days in priority order. Tasks with a fixed time stay where they are.
func (t *turn) replan(ctx context.Context) error {
	horizon := t.today.AddDays(13)
	tasks, err := t.tx.FindTasks(ctx, TaskFilter{OpenOnly: true, From: t.today, To: horizon, Overdue: true})
	if err != nil {
		return err
	}
	goals, err := t.tx.FindGoals(ctx, GoalFilter{Status: GoalActive})
	if err != nil {
		return err
	}
	moves := Replan(Prioritize(tasks, goals, t.today), t.today, horizon, t.user.Settings.Capacity())
	if len(moves) == 0 {
		t.say("🗓 " + t.tr("replan_nothing"))
		return nil
	}
	text := Text{{Text: "🗓 " + t.tr("replan_done"), Style: Bold}}
	for _, m := range moves {
		d := m.To
		if _, err := t.tx.UpdateTask(ctx, m.Task.ID, TaskUpdate{ScheduledDate: &d}); err != nil {
			return err
		}
		text = append(text, Span{Text: "\n• "}, Span{Text: m.Task.Title}, Span{Text: " → " + dayWord(t.lang, m.To, t.today)})
	}
	t.sayText(text, Button{Label: t.tr("btn_today"), Payload: "l:today"}, Button{Label: t.tr("btn_week"), Payload: "l:week"})
	return nil
}

package chat

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/load"
	"github.com/bizconnect/bizconnect/core/locale"
	"github.com/bizconnect/bizconnect/core/nlu"
	"github.com/bizconnect/bizconnect/core/plan"
	"github.com/bizconnect/bizconnect/core/progress"
	"github.com/bizconnect/bizconnect/core/report"
)

func (t *turn) reflect(ctx context.Context, u core.Understanding) error {
	notes := deref(u.Notes)
	if u.Stress == nil && u.Energy == nil && notes == "" {
		t.say(t.tr("reflect_ask"))
		return nil
	}
	err := progress.Reflect(ctx, t.tx, t.user, u.Stress, u.Energy, notes)
	if core.ErrorCode(err) == core.EINVALID {
		t.say(t.tr("reflect_ask"))
		return nil
	}
	if err != nil {
		return err
	}
	msg := "📝 " + t.tr("reflect_saved")
	switch {
	case u.Stress != nil && *u.Stress >= 4:
		msg += "\n" + t.tr("reflect_high_stress")
	case u.Energy != nil && *u.Energy <= 2:
		msg += "\n" + t.tr("reflect_low_energy")
	}
	if offered, err := t.offerCarryOver(ctx, msg); offered || err != nil {
		return err
	}
	t.say(msg)
	return nil
}

func (t *turn) showLoad(ctx context.Context) error {
	s, d, _, err := load.Today(ctx, t.tx, t.user)
	if err != nil {
		return err
	}
	t.sayLoad(s, d)
	return nil
}

// sayLoad shows today's figure s of day d: its band, contributors, trend and a suggestion.
func (t *turn) sayLoad(s load.Score, d load.Day) {
	text := core.Text{
		{Text: "⚡ Business Load: "}, {Text: fmt.Sprintf("%d/100", s.Value), Style: core.Bold},
		{Text: " — " + t.tr("zone_"+string(s.Zone)) + "\n" + loadBar(s.Value)},
		{Text: "\n" + t.tr("load_breakdown", locale.Duration(t.lang, d.PlannedMin), locale.Duration(t.lang, d.CapacityMin), d.UrgentTasks, d.OverdueTasks)},
	}
	if d.BusyMin > 0 {
		text = append(text, core.Span{Text: "\n📅 " + t.tr("load_meetings", locale.Duration(t.lang, d.BusyMin))})
	}
	if parts := t.contributors(s); parts != "" {
		text = append(text, core.Span{Text: "\n" + t.tr("load_contributors", parts)})
	}
	if tr := d.Trend; tr.Ratio > 0 {
		key := "load_ratio_ok"
		switch {
		case tr.Ratio > load.RatioHigh:
			key = "load_ratio_high"
		case tr.Ratio < load.RatioLow:
			key = "load_ratio_low"
		}
		text = append(text, core.Span{Text: "\n" + t.tr(key, t.decimal(tr.Ratio))})
	}
	if tr := d.Trend; tr.Days >= 3 {
		text = append(text, core.Span{Text: "\n" + t.tr("load_recent", sparkline(tr.Recent[:], float64(d.CapacityMin)))})
	}
	tip := "advice_" + string(s.Zone)
	if d.Stress >= 4 && (s.Zone == load.Light || s.Zone == load.Optimal) {
		tip = "advice_stressed" // a light day after stress is for rest, not strategy
	}
	text = append(text, core.Span{Text: "\n\n💡 " + t.tr(tip), Style: core.Note})
	var buttons []core.Button
	if s.Zone == load.High || s.Zone == load.Overload || d.OverdueTasks > 0 {
		buttons = append(buttons, button(t.tr("btn_replan"), core.Action{Kind: core.ActionReplan}))
	}
	t.sayText(text, buttons...)
}

// showLoadDay shows the load of another day than today: as recorded for a day behind, projected
// from what is planned (and the calendar's meetings) for a day ahead.
func (t *turn) showLoadDay(ctx context.Context, day core.Date) error {
	days, err := load.Range(ctx, t.tx, t.user, day, day)
	if err != nil {
		return err
	}
	s, d := days[0].Score, days[0].Score.Day
	key := "load_day_projected"
	if days[0].Past {
		key = "load_day_past"
	}
	text := core.Text{
		{Text: "⚡ " + t.tr("load_day_title", locale.DayWord(t.lang, day, t.today)) + " "}, {Text: fmt.Sprintf("%d/100", s.Value), Style: core.Bold},
		{Text: " — " + t.tr("zone_"+string(s.Zone)) + "\n" + loadBar(s.Value)},
		{Text: "\n" + t.tr("load_day_planned", locale.Duration(t.lang, d.PlannedMin), locale.Duration(t.lang, t.user.Settings.Capacity()))},
	}
	if d.BusyMin > 0 {
		text = append(text, core.Span{Text: "\n📅 " + t.tr("load_meetings", locale.Duration(t.lang, d.BusyMin))})
	}
	text = append(text, core.Span{Text: "\n" + t.tr(key), Style: core.Note})
	var buttons []core.Button
	if !days[0].Past && (s.Zone == load.High || s.Zone == load.Overload) {
		buttons = append(buttons, button(t.tr("btn_replan"), core.Action{Kind: core.ActionReplan}))
	}
	t.sayText(text, buttons...)
	return nil
}

// showLoadWeek shows the load of the week from monday, day by day: the days behind as they
// were, today, and the days ahead projected from what is planned for them.
func (t *turn) showLoadWeek(ctx context.Context, monday core.Date) error {
	week, err := load.Week(ctx, t.tx, t.user, monday)
	if err != nil {
		return err
	}
	sunday := monday.AddDays(6)
	text := core.Text{{Text: "⚡ " + t.tr("load_week_title", locale.DateRange(t.lang, monday, sunday, t.today)), Style: core.Bold}}
	var peak load.DayLoad // the heaviest of today and the days ahead: what can still be changed
	for _, d := range week {
		mark := ""
		switch {
		case d.Date == t.today:
			mark = " · " + t.tr("load_today_mark")
		case d.Projected:
			mark = " · " + t.tr("load_projected_mark")
		}
		text = append(text, core.Span{Text: fmt.Sprintf("\n%s %s %d — %s%s", locale.WeekdayName(t.lang, d.Date.Weekday()),
			sparkline([]float64{float64(d.Score.Value)}, 100/1.5), d.Score.Value, t.tr("zone_"+string(d.Score.Zone)), mark)})
		if !d.Past && d.Score.Value > peak.Score.Value {
			peak = d
		}
	}
	var buttons []core.Button // rebalancing offered only for a heavy day still ahead
	if peak.Score.Zone == load.Overload || peak.Score.Zone == load.High {
		text = append(text, core.Span{Text: "\n\n💡 " + t.tr("load_week_peak", locale.DayWord(t.lang, peak.Date, t.today), peak.Score.Value), Style: core.Note})
		buttons = append(buttons, button(t.tr("btn_replan"), core.Action{Kind: core.ActionReplan}))
	}
	t.sayText(text, buttons...)
	return nil
}

// contributors names the parts of the figure that weigh most, with their points: "6 ч работы в
// плане +43 · стресс 4/5 +4 · неделя ×1,6 к обычной +12".
func (t *turn) contributors(s load.Score) string {
	var parts []string
	for _, c := range s.Contributors() {
		if len(parts) == 4 {
			break
		}
		var what string
		switch c.Kind {
		case "volume":
			what = t.tr("lc_volume", locale.Duration(t.lang, c.Count))
		case "intensity":
			what = t.tr("lc_intensity")
		case "urgent":
			what = t.tr("lc_urgent", c.Count)
		case "overdue":
			what = t.tr("lc_overdue", c.Count)
		case "stress":
			what = t.tr("lc_stress", c.Count)
		case "energy":
			what = t.tr("lc_energy", c.Count)
		case "ratio":
			what = t.tr("lc_ratio", t.decimal(c.Ratio))
		case "rest":
			what = t.tr("lc_rest", locale.Plural(t.lang, c.Count, "day"))
		default:
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %+d", what, c.Points))
	}
	return strings.Join(parts, " · ")
}

// decimal writes v with one decimal, with the language's separator: "1.6", "1,6".
func (t *turn) decimal(v float64) string {
	s := strconv.FormatFloat(math.Round(v*10)/10, 'f', 1, 64)
	if t.lang == "ru" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// sparkline draws days of strain against the capacity, eight levels: "▁▃▅█".
func sparkline(days []float64, capacity float64) string {
	if capacity <= 0 {
		capacity = 360
	}
	levels := []rune("▁▂▃▄▅▆▇█")
	var b strings.Builder
	for _, s := range days {
		i := int(math.Round(s / (1.5 * capacity) * float64(len(levels)-1)))
		b.WriteRune(levels[max(0, min(len(levels)-1, i))])
	}
	return b.String()
}

// loadBar draws a load value as ten cells.
func loadBar(v int) string {
	n := int(math.Round(float64(v) / 10))
	return strings.Repeat("■", n) + strings.Repeat("□", 10-n)
}

// asksAbout are the readings a forecast question may get ("успею к сроку?" reads as focus): Asks
// decides for them.
var asksAbout = map[core.Intent]bool{core.IntentShowGoals: true, core.IntentFocus: true, core.IntentUnknown: true,
	core.IntentSmallTalk: true, core.IntentShowReport: true, core.IntentShowLoad: true, core.IntentHelp: true}

// makesSomething are the intents that make what they name ("задача: заказать бейджи"): the words
// of achievements in them are a title, not a question.
var makesSomething = map[core.Intent]bool{core.IntentCreateTask: true, core.IntentCreateGoal: true, core.IntentEdit: true,
	core.IntentDelete: true, core.IntentRescheduleTask: true}

// showReport sends the weekly report of this week, or of the week a date names ("за прошлую
// неделю"), with its chart; in a team's channel, the team's report.
// todaysSummary reports whether a report asked for is today's rather than the week's.
func (t *turn) todaysSummary(u core.Understanding) bool {
	text := strings.ToLower(t.in.Text)
	if strings.Contains(text, "недел") || strings.Contains(text, "week") || t.inTeamChannel() {
		return false
	}
	return u.Due != nil && *u.Due == t.today || strings.Contains(text, "итоги дня") || strings.Contains(text, "итог дня") ||
		strings.Contains(text, "today") || strings.Contains(text, "сегодня")
}

func (t *turn) showReport(ctx context.Context, u core.Understanding) error {
	monday := t.today.Monday()
	switch {
	case nlu.LastWeek(t.in.Text):
		monday = monday.AddDays(-7)
	case u.Due != nil && u.Due.Before(monday):
		monday = u.Due.Monday()
	}
	var r *report.Weekly
	var err error
	if t.inTeamChannel() {
		r, err = report.BuildTeam(ctx, t.tx, t.user, *t.team, monday)
	} else {
		r, err = report.Build(ctx, t.tx, t.user, monday)
	}
	if err != nil {
		return err
	}
	r.Lang = t.lang
	t.replies = append(t.replies, t.a.reportReply(r))
	return nil
}

// reportReply is the weekly report r as a message with its chart; a team's report is team
// content.
func (a *Assistant) reportReply(r *report.Weekly) core.Reply {
	reply := core.Reply{Text: r.Text(), Team: r.Team != ""}
	if png, err := r.Chart(); err != nil {
		a.logger.Error("chat: report chart", "error", err) // the text goes alone
	} else {
		reply.Image = &core.Image{PNG: png}
	}
	return reply
}

// forecast answers "успею к сроку?": each goal the question names (or every active one) with
// where its pace leads by its deadline.
func (t *turn) forecast(ctx context.Context, u core.Understanding) error {
	query := deref(u.Title)
	if query == "" {
		query = nlu.AskSubject(t.in.Text) // "успею по выручке?": the goal is among the question's words
	}
	g, all, err := t.matchGoal(ctx, query)
	if err != nil {
		return err
	}
	if g != nil {
		all = []core.Goal{*g}
	}
	if len(all) == 0 {
		t.say(t.tr("progress_no_goals"))
		return nil
	}
	lines, err := report.Forecasts(ctx, t.tx, all[:min(len(all), report.MaxGoals)], t.today)
	if err != nil {
		return err
	}
	text := core.Text{{Text: "🔮 " + t.tr("forecast_title"), Style: core.Bold}}
	for _, l := range lines {
		text = append(text, report.GoalText(t.lang, t.today, l, true)...)
	}
	t.sayText(text)
	return nil
}

// replan proposes spreading the open work that no longer fits over the coming days
// (plan.Rebalance); Apply makes it.
func (t *turn) replan(ctx context.Context) error {
	_, err := t.proposeReplan(ctx)
	return err
}

// proposeReplan shows a rebalancing and returns it, pending; nil when it moves nothing.
func (t *turn) proposeReplan(ctx context.Context) (*PendingReplan, error) {
	t.dialog.Replan = nil // an older proposal is replaced by this one, or by none
	r, err := plan.ProposeRebalance(ctx, t.tx, t.user)
	if err != nil {
		return nil, err
	}
	if len(r.Moves) == 0 && len(r.AtRisk) == 0 && !r.Stuck {
		t.say("🗓 " + t.tr("replan_nothing"))
		return nil, nil
	}
	text := core.Text{{Text: "🗓 " + t.tr("replan_proposal"), Style: core.Bold}}
	if r.After.Value != r.Before.Value {
		text = append(text, core.Span{Text: "\n" + t.tr("replan_load", r.Before.Value, r.After.Value)})
	}
	t.dialog.Proposals++
	pending := &PendingReplan{Seq: t.dialog.Proposals, Before: r.Before.Value, After: r.After.Value}
	for _, m := range r.Moves {
		text = append(text, core.Span{Text: "\n• "}, core.Span{Text: m.Task.Title}, core.Span{Text: " → " + locale.DayWord(t.lang, m.To, t.today)})
		pending.Moves = append(pending.Moves, TaskMove{ID: m.Task.ID, From: m.Task.ScheduledDate, To: m.To})
	}
	if len(r.AtRisk) > 0 {
		names := make([]string, 0, len(r.AtRisk))
		for _, task := range r.AtRisk {
			names = append(names, locale.Quote(t.lang, task.Title))
		}
		key := "replan_at_risk"
		if len(names) == 1 {
			key = "replan_at_risk_one"
		}
		text = append(text, core.Span{Text: "\n\n⚠️ " + t.tr(key, strings.Join(names, ", "))})
	}
	if r.Stuck {
		key := "replan_stuck"
		if float64(r.After.Value)-r.After.Trend < 80 { // today is lighter; the weeks behind keep the figure up
			key = "replan_stuck_trend"
		}
		text = append(text, core.Span{Text: "\n\n" + t.tr(key)})
	}
	if len(pending.Moves) == 0 {
		t.sayText(text, button(t.tr("btn_today"), core.Action{Kind: core.ActionListToday}))
		return nil, nil
	}
	t.dialog.Replan = pending
	apply := core.Action{Kind: core.ActionReplanApply, Entry: pending.Seq}
	row := []core.Button{button(t.tr("btn_replan_apply"), apply), button(t.tr("btn_week"), core.Action{Kind: core.ActionListWeek})}
	if t.llmFor() { // the LLM says why in a few words, when asked
		row = append(row, button(t.tr("btn_replan_why"), core.Action{Kind: core.ActionReplanExplain, Entry: pending.Seq}))
	}
	t.choose(text, row...)
	t.dialog.Confirm = apply.Encode() // "да" applies it
	return pending, nil
}

// applyReplan makes the rebalancing proposed with number seq: each task still where it was
// goes where it was proposed to, and "undo" puts them back.
func (t *turn) applyReplan(ctx context.Context, seq int64) error {
	p := t.dialog.Replan
	if p == nil || p.Seq != seq {
		t.refuse("stale_button")
		return nil
	}
	t.dialog.Replan = nil
	if t.dialog.Confirm == (core.Action{Kind: core.ActionReplanApply, Entry: seq}).Encode() {
		t.dialog.Confirm = "" // answered
	}
	var done []TaskMove
	text := core.Text{{Text: "🗓 " + t.tr("replan_done"), Style: core.Bold}}
	for _, m := range p.Moves {
		task, err := t.tx.FindTaskByID(ctx, m.ID)
		if core.ErrorCode(err) == core.ENOTFOUND || err == nil && (task.ScheduledDate != m.From || !task.Open()) {
			continue // done, deleted or moved since: the user's word stands
		}
		if err != nil {
			return err
		}
		to := m.To
		if _, err := t.tx.UpdateTask(ctx, m.ID, core.TaskUpdate{ScheduledDate: &to}); err != nil {
			return err
		}
		done = append(done, m)
		text = append(text, core.Span{Text: "\n• "}, core.Span{Text: task.Title}, core.Span{Text: " → " + locale.DayWord(t.lang, to, t.today)})
	}
	if len(done) == 0 {
		t.refuse("replan_stale")
		return nil
	}
	t.changed = true
	t.remember(Change{Kind: ChangeReplanned, Moves: done})
	t.choose(text, t.undoButton(), button(t.tr("btn_today"), core.Action{Kind: core.ActionListToday}))
	return nil
}

// announce tells the user of the achievements the turn earned, once: the database keeps each
// one once, and only a new one is announced. It goes to the user alone.
func (t *turn) announce() {
	earned := t.tx.Earned()
	if len(earned) == 0 {
		return
	}
	names := make([]string, len(earned))
	for i, a := range earned {
		names[i] = report.AchievementName(t.lang, a)
	}
	key := "ach_new"
	if len(names) > 1 {
		key = "ach_new_many"
	}
	note := core.Span{Text: "🏅 " + t.tr(key, strings.Join(names, " · ")), Style: core.Note}
	for i := len(t.replies) - 1; i >= 0; i-- { // with the reply it was earned by, unless that is the team's
		if r := &t.replies[i]; !r.Team && !r.Home && r.Image == nil && len(r.Text) > 0 {
			r.Text = append(r.Text, core.Span{Text: "\n\n"}, note)
			return
		}
	}
	t.sayText(core.Text{note})
}

// showAchievements lists all the user's achievements, newest last.
func (t *turn) showAchievements(ctx context.Context) error {
	all, err := t.tx.Achievements(ctx, time.Time{})
	if err != nil {
		return err
	}
	if len(all) == 0 {
		t.say("🏅 " + t.tr("ach_none"))
		return nil
	}
	text := core.Text{{Text: "🏅 " + t.tr("ach_title", len(all)), Style: core.Bold}}
	for _, a := range all {
		text = append(text, core.Span{Text: "\n" + report.AchievementName(t.lang, a) + " — " + locale.FullDate(t.lang, core.DateOf(a.AchievedAt.In(t.now.Location())), t.today)})
	}
	t.sayText(text)
	return nil
}

// checkAchievements awards what the days behind earned (streaks, deep-work weeks, consistency,
// recovery), from one read of their history; the turn announces the new ones. The day's first
// message runs it (firstOfDay): what the days behind earned doesn't change until the next day.
func (t *turn) checkAchievements(ctx context.Context) error {
	history, err := t.tx.WorkHistory(ctx, t.today.AddDays(-load.Window-7), t.today.AddDays(-1))
	if err != nil {
		return err
	}
	week := make([]load.DayLoad, 7) // the last seven days, from the same read
	for i := range week {
		day := t.today.AddDays(i - 7)
		week[i] = load.DayLoad{Date: day, Past: true, Score: load.ScoreDay(history, day, t.user.Settings.Capacity())}
	}
	return progress.AwardAll(ctx, t.tx, append(progress.FromHistory(history, t.today), report.Recovered(week)...))
}

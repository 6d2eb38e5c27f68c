package chat

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/load"
	"github.com/bizconnect/bizconnect/core/locale"
	"github.com/bizconnect/bizconnect/core/plan"
	"github.com/bizconnect/bizconnect/core/report"
)

// PushKind names what the assistant sends unasked.
type PushKind string

// The pushes.
const (
	PushMorning     PushKind = "morning"      // today's plan, on working days
	PushEvening     PushKind = "evening"      // the check-in: what got done, stress and energy, the rest
	PushWeekly      PushKind = "weekly"       // the weekly report
	PushLoadWarning PushKind = "load_warning" // the day's load is high or overload, with a relief proposal
	PushReminder    PushKind = "reminder"     // a task's time has come
	PushTeamWeekly  PushKind = "team_weekly"  // a team's weekly report, in its report channel
)

// PushKinds are the pushes, in the order metrics list them.
var PushKinds = []PushKind{PushMorning, PushEvening, PushWeekly, PushLoadWarning, PushReminder, PushTeamWeekly}

// PushJob is one scheduled push of a user's local day: the scheduler plans it a little ahead of
// Due, so that its content is ready and its message waits in the outbox to go out on the minute. Its key is the
// user, the kind and the date: planned twice, it runs once; written twice, the outbox keeps one.
type PushJob struct {
	User uuid.UUID `json:"user" river:"unique"`
	What PushKind  `json:"what" river:"unique"`
	Date core.Date `json:"date" river:"unique"`
	Due  time.Time `json:"due"`
	// Until is when it stops being worth sending: after downtime, later than that it is skipped.
	Until time.Time `json:"until"`
}

// Kind implements core.Job.
func (PushJob) Kind() string { return "push" }

// PushOutcome is what became of a push, for the scheduler's metrics.
type PushOutcome string

// The outcomes.
const (
	PushSent        PushOutcome = "sent"        // written to the outbox, on time
	PushLate        PushOutcome = "late"        // written to the outbox after its time, and marked so
	PushSkipped     PushOutcome = "skipped"     // too late to be worth sending
	PushDuplicate   PushOutcome = "duplicate"   // written before: exactly once
	PushUnreachable PushOutcome = "unreachable" // no private chat to write to, or the bot is blocked
	PushQuiet       PushOutcome = "quiet"       // paused meanwhile, or nothing to say
)

// lateAfter is how far behind its time a push is marked late.
const lateAfter = time.Minute

// RunPushJob writes the push: as the user, from what their data says at this moment, to their
// private chat. A push run again writes nothing twice.
func (a *Assistant) RunPushJob(ctx context.Context, j PushJob) (PushOutcome, error) {
	out := PushQuiet
	err := a.store.InUser(ctx, j.User, func(ctx context.Context, tx core.Tx, u *core.User) error {
		now := tx.Now()
		if !j.Until.IsZero() && now.After(j.Until) {
			out = PushSkipped
			return nil
		}
		if u.Settings.Paused(core.DateOf(now.In(u.Location()))) {
			return nil
		}
		var err error
		var s load.Score
		var d load.Day
		out, err = a.push(ctx, tx, u, j.What, j.Date.String(), j.Due, func(ctx context.Context, t *turn) error {
			switch j.What {
			case PushMorning:
				var e error
				s, d, e = t.morningPlan(ctx)
				return e
			case PushEvening:
				return t.eveningCheckin(ctx)
			case PushWeekly:
				if err := t.showReport(ctx, core.Understanding{}); err != nil {
					return err
				}
				if !u.MailConfirmed {
					return nil
				}
				// and by mail to the confirmed address (the job checks it again, and the unsubscribes)
				_, err := t.tx.Later(ctx, report.MailJob{User: u.ID, Week: t.today.Monday(), Until: now.Add(24 * time.Hour)})
				if errors.Is(err, core.ErrNoJobs) {
					return nil
				}
				return err
			}
			return fmt.Errorf("chat: unknown push %q", j.What)
		})
		if err != nil || j.What != PushMorning {
			return err
		}
		// a heavy day ahead is said at once, with the relief to accept: at most once a day
		_, err = a.push(ctx, tx, u, PushLoadWarning, j.Date.String(), j.Due, func(ctx context.Context, t *turn) error {
			t.loadWarning(s, d)
			return nil
		})
		if errors.Is(err, errWrittenBefore) {
			return nil // (written with its morning plan, which was new: it can't be)
		}
		return err
	})
	return pushOutcome(out, err)
}

// TeamReportJob is a team's weekly report for its report channel, built in its reporter's
// transaction (core.TeamReporter) at the reporter's weekly report time. Its key is the team and
// the week.
type TeamReportJob struct {
	Team     uuid.UUID `json:"team" river:"unique"`
	Week     core.Date `json:"week" river:"unique"` // its Monday
	Reporter uuid.UUID `json:"reporter"`
	Due      time.Time `json:"due"`
	Until    time.Time `json:"until"`
}

// Kind implements core.Job.
func (TeamReportJob) Kind() string { return "team_report" }

// RunTeamReportJob writes the team's report of the week to its report channel: team content
// only, what every member may see, in the reporter's language. Written before, it writes
// nothing; a team without a live channel gets nothing.
func (a *Assistant) RunTeamReportJob(ctx context.Context, j TeamReportJob) (PushOutcome, error) {
	out := PushQuiet
	err := a.store.InUser(ctx, j.Reporter, func(ctx context.Context, tx core.Tx, u *core.User) error {
		now := tx.Now()
		if !j.Until.IsZero() && now.After(j.Until) {
			out = PushSkipped
			return nil
		}
		r, err := report.BuildTeam(ctx, tx, u, j.Team, j.Week)
		if err != nil {
			return err
		}
		reply := a.reportReply(r)
		out = PushSent
		if now.Sub(j.Due) > lateAfter {
			out = PushLate
			reply.Text = append(reply.Text, core.Span{Text: "\n\n" + locale.T(u.Locale, "push_late", j.Due.In(u.Location()).Format("15:04")), Style: core.Note})
		}
		fresh, err := tx.PushTeamReport(ctx, j.Team, j.Week.String(), j.Due, []core.Outgoing{{Reply: reply}})
		if err == nil && !fresh {
			out = PushDuplicate
		}
		return err
	})
	return pushOutcome(out, err)
}

// RunReminderJob reminds of a task, if it is still open and still at the time the reminder was
// made for (a task moved has a reminder of its own).
func (a *Assistant) RunReminderJob(ctx context.Context, j core.ReminderJob, grace time.Duration) (PushOutcome, error) {
	out := PushQuiet
	err := a.store.InUser(ctx, j.User, func(ctx context.Context, tx core.Tx, u *core.User) error {
		task, err := tx.FindTaskByID(ctx, j.Task)
		if core.ErrorCode(err) == core.ENOTFOUND {
			return nil
		}
		if err != nil {
			return err
		}
		if !task.Open() || task.ScheduledDate.IsZero() || task.ScheduledTime == nil || !task.ScheduledDate.At(*task.ScheduledTime, u.Location()).Equal(j.Due) {
			return nil // done, deleted or moved meanwhile
		}
		if tx.Now().After(j.Due.Add(grace)) {
			out = PushSkipped
			return nil
		}
		out, err = a.push(ctx, tx, u, PushReminder, task.ID.String()+"@"+j.Due.UTC().Format("20060102T1504"), j.Due,
			func(ctx context.Context, t *turn) error {
				t.remindOf(task)
				return nil
			})
		return err
	})
	return pushOutcome(out, err)
}

// push says what fn says as a turn in the user's private chat and writes it as push kind of
// occurrence, to be delivered at due (or at once when due has passed, marked late).
func (a *Assistant) push(ctx context.Context, tx core.Tx, u *core.User, kind PushKind, occurrence string, due time.Time,
	fn func(ctx context.Context, t *turn) error) (PushOutcome, error) {
	addr, err := tx.PushAddress(ctx)
	if core.ErrorCode(err) == core.ENOTFOUND {
		return PushUnreachable, nil
	}
	if err != nil {
		return "", err
	}
	chat := dialogKey(addr)
	state, err := tx.LoadDialog(ctx, chat)
	if err != nil {
		return "", err
	}
	t := a.newTurn(tx, &core.Session{User: u, Dialog: state}, addr)
	t.later = true // a push schedules no LLM work
	if err := fn(ctx, t); err != nil {
		return "", err
	}
	if len(t.replies) == 0 {
		return PushQuiet, nil
	}
	out := PushSent
	if late := tx.Now().Sub(due); late > lateAfter {
		out = PushLate
		first := &t.replies[0]
		first.Text = append(first.Text, core.Span{Text: "\n\n" + t.tr("push_late", due.In(u.Location()).Format("15:04")), Style: core.Note})
	}
	msgs := core.Addressed(addr, t.replies)
	fresh, err := tx.Push(ctx, string(kind), occurrence, due, msgs)
	if err != nil {
		return "", err
	}
	if !fresh {
		return PushDuplicate, errWrittenBefore
	}
	t.rememberButtons()
	return out, t.saveDialog(ctx, chat)
}

// errWrittenBefore rolls back a push found written before: what building it again stored (a
// recommendation, the dialog) goes with it.
var errWrittenBefore = errors.New("chat: the push was written before")

// pushOutcome is the outcome of a push job's transaction.
func pushOutcome(out PushOutcome, err error) (PushOutcome, error) {
	switch {
	case errors.Is(err, errWrittenBefore):
		return PushDuplicate, nil
	case core.ErrorCode(err) == core.ENOTFOUND:
		return PushUnreachable, nil // the user is gone
	}
	return out, err
}

// morningPlan is the day's plan: its tasks in priority order with their estimates and ✅, the
// day's load, one recommendation, and "replan my day". Each thing it needs is read once (a
// fan-out prepares thousands); it returns the day's load for the warning that may follow.
func (t *turn) morningPlan(ctx context.Context) (load.Score, load.Day, error) {
	var s load.Score
	var d load.Day
	ahead, err := t.tx.FindTasks(ctx, core.TaskFilter{From: t.today, To: t.today.AddDays(plan.ReplanHorizon), Overdue: true})
	if err != nil {
		return s, d, err
	}
	goals, err := t.tx.FindGoals(ctx, core.GoalFilter{Status: core.GoalActive})
	if err != nil {
		return s, d, err
	}
	in := plan.AdviceInput{Today: t.today, Settings: t.user.Settings, Tasks: ahead, Goals: goals}
	if in.Reflection, err = t.tx.Reflection(ctx, t.today); err != nil {
		return s, d, err
	}
	if in.Trend, err = load.TrendFor(ctx, t.tx, t.user, t.today); err != nil {
		return s, d, err
	}
	var today []core.Task // today's and the overdue: what the day's list and load are about
	for _, task := range ahead {
		if !task.ScheduledDate.After(t.today) {
			today = append(today, task)
		}
	}
	busy, err := t.tx.BusyMinutes(ctx, t.today, t.today.AddDays(plan.ReplanHorizon))
	if err != nil {
		return s, d, err
	}
	in.Meetings = busy
	s, d = t.dayLoad(today, in.Reflection, in.Trend, busy[t.today])

	t.sayDay(core.ListRef{Day: t.today}, today, goals, busy[t.today])
	r := &t.replies[len(t.replies)-1]
	r.Text = append(core.Text{{Text: "☀️ " + t.tr("push_morning_hello") + "\n"}}, r.Text...)
	r.Text = append(r.Text, core.Span{Text: "\n⚡ " + t.tr("push_morning_load", s.Value, t.tr("zone_"+string(s.Zone)))})
	if len(ahead) > 0 || len(goals) > 0 {
		tip, _, err := t.adviseFrom(ctx, in)
		if err != nil {
			return s, d, err
		}
		if tip != "" {
			r.Text = append(r.Text, core.Span{Text: "\n" + tip, Style: core.Note})
		}
	}
	r.Buttons = append(r.Buttons, []core.Button{button(t.tr("btn_replan_day"), core.Action{Kind: core.ActionReplan})})
	return s, d, nil
}

// dayLoad is the load of today's tasks (and the overdue) and its meetings (busy minutes), with
// the day's reflection and the trend of the days before.
func (t *turn) dayLoad(today []core.Task, r core.DailyProgress, trend load.Trend, busy int) (load.Score, load.Day) {
	d := load.DayOf(today, t.today, t.user.Settings.Capacity(), r)
	d.Trend, d.BusyMin = trend, busy
	return load.Compute(d), d
}

// watchLoad warns when what the turn changed puts today's load in high or overload: in the user's
// private chat, whoever asked where, and at most once a day (the morning plan's warning counts).
// It says nothing while the user is paused or in quiet hours.
func (t *turn) watchLoad(ctx context.Context) error {
	if !t.changed || t.later || t.user.Settings.Paused(t.today) || t.user.Settings.Quiet(core.NewClockTime(t.now.Hour(), t.now.Minute())) {
		return nil
	}
	today, err := t.tx.FindTasks(ctx, core.TaskFilter{From: t.today, To: t.today, Overdue: true})
	if err != nil {
		return err
	}
	r, err := t.tx.Reflection(ctx, t.today)
	if err != nil {
		return err
	}
	trend, busy, err := load.TrendAndBusy(ctx, t.tx, t.user, t.today)
	if err != nil {
		return err
	}
	s, d := t.dayLoad(today, r, trend, busy)
	if s.Zone != load.High && s.Zone != load.Overload {
		return nil
	}
	_, err = t.a.push(ctx, t.tx, t.user, PushLoadWarning, t.today.String(), t.tx.Now(), func(_ context.Context, w *turn) error {
		w.loadWarning(s, d)
		return nil
	})
	if errors.Is(err, errWrittenBefore) {
		return nil // warned already today: nothing of this one was stored
	}
	return err
}

// loadWarning warns of a day in high or overload, with what makes it so and the rebalancing to
// accept; it says nothing on a lighter day.
func (t *turn) loadWarning(s load.Score, d load.Day) {
	if s.Zone != load.High && s.Zone != load.Overload {
		return
	}
	t.sayLoad(s, d)
	r := &t.replies[len(t.replies)-1]
	r.Text = append(core.Text{{Text: "⚠️ " + t.tr("push_load_warning") + "\n", Style: core.Bold}}, r.Text...)
}

// eveningCheckin is the day's close: what got done, the stress and energy of the day to press,
// and the unfinished tasks to move to tomorrow, to next week, or to drop.
func (t *turn) eveningCheckin(ctx context.Context) error {
	tasks, err := t.tx.FindTasks(ctx, core.TaskFilter{From: t.today, To: t.today})
	if err != nil {
		return err
	}
	var done, open []core.Task
	for _, task := range tasks {
		switch {
		case task.Status == core.TaskDone:
			done = append(done, task)
		case task.Open():
			open = append(open, task)
		}
	}
	text := core.Text{{Text: "🌙 " + t.tr("push_evening_title"), Style: core.Heading}}
	if len(done)+len(open) == 0 {
		text = append(text, core.Span{Text: "\n" + t.tr("push_evening_nothing")})
	} else {
		text = append(text, core.Span{Text: "\n✅ " + t.tr("push_evening_done", len(done), len(done)+len(open))})
	}
	for i, task := range done {
		if i == 5 {
			text = append(text, core.Span{Text: "\n…"})
			break
		}
		text = append(text, core.Span{Text: "\n• " + task.Title})
	}
	var rows [][]core.Button
	if len(open) > 0 {
		text = append(text, core.Span{Text: "\n\n" + t.tr("push_evening_open", locale.Plural(t.lang, len(open), "task"))})
		rows = append(rows, t.carryButtons())
	}
	text = append(text, core.Span{Text: "\n\n" + t.tr("push_evening_ask")})
	stress, energy := make([]core.Button, 5), make([]core.Button, 5)
	for i := range 5 {
		stress[i] = button(fmt.Sprintf("%s %d", t.tr("btn_stress"), i+1), core.Action{Kind: core.ActionCheckinStress, Entry: int64(i + 1)})
		energy[i] = button(fmt.Sprintf("%s %d", t.tr("btn_energy"), i+1), core.Action{Kind: core.ActionCheckinEnergy, Entry: int64(i + 1)})
	}
	rows = append(rows, stress, energy)
	t.replies = append(t.replies, core.Reply{Text: text, Buttons: rows})
	return nil
}

// carryButtons offer the day's unfinished tasks for tomorrow, next week, or to drop.
func (t *turn) carryButtons() []core.Button {
	return []core.Button{
		button(t.tr("btn_carry_tomorrow"), core.Action{Kind: core.ActionCarryOver, Entry: carryTomorrow}),
		button(t.tr("btn_carry_week"), core.Action{Kind: core.ActionCarryOver, Entry: carryNextWeek}),
		button(t.tr("btn_carry_drop"), core.Action{Kind: core.ActionCarryOver, Entry: carryDrop}),
	}
}

// offerCarryOver follows an evening reflection (at or after the user's check-in time) with the
// day's unfinished tasks to move, as the check-in does: answering its question in words, the
// user still has its buttons.
func (t *turn) offerCarryOver(ctx context.Context, msg string) (bool, error) {
	if core.NewClockTime(t.now.Hour(), t.now.Minute()) < t.user.Settings.Evening() {
		return false, nil
	}
	tasks, err := t.tx.FindTasks(ctx, core.TaskFilter{From: t.today, To: t.today})
	if err != nil {
		return false, err
	}
	open := 0
	for _, task := range tasks {
		if task.Open() {
			open++
		}
	}
	if open == 0 {
		return false, nil
	}
	t.choose(core.Text{{Text: msg + "\n\n" + t.tr("push_evening_open", locale.Plural(t.lang, open, "task"))}}, t.carryButtons()...)
	return true, nil
}

// remindOf is a task's reminder, with ✅ and "in an hour".
func (t *turn) remindOf(task core.Task) {
	text := core.Text{{Text: "⏰ " + t.tr("push_reminder") + " "}, {Text: task.Title, Style: core.Bold}}
	if task.ScheduledTime != nil {
		text = append(text, core.Span{Text: " · " + task.ScheduledTime.String()})
	}
	t.choose(text, button(t.tr("btn_done_short"), core.Action{Kind: core.ActionTaskDone, ID: task.ID}),
		button(t.tr("btn_snooze"), core.Action{Kind: core.ActionTaskSnooze, ID: task.ID}))
}

// The choices for the day's unfinished tasks (ActionCarryOver's Entry, which is positive).
const (
	carryTomorrow = iota + 1
	carryNextWeek
	carryDrop
)

// carryOver moves the day's unfinished tasks to tomorrow or to next Monday, or drops them.
func (t *turn) carryOver(ctx context.Context, how int64) error {
	tasks, err := t.tx.FindTasks(ctx, core.TaskFilter{From: t.today, To: t.today})
	if err != nil {
		return err
	}
	n := 0
	to := t.today.AddDays(1)
	if how == carryNextWeek {
		to = t.today.Monday().AddDays(7)
	}
	for _, task := range tasks {
		if !task.Open() {
			continue
		}
		if how == carryDrop {
			status := core.TaskCancelled
			_, err = t.tx.UpdateTask(ctx, task.ID, core.TaskUpdate{Status: &status})
		} else {
			_, err = plan.MoveTask(ctx, t.tx, task.ID, &to, nil)
		}
		if err != nil {
			return err
		}
		n++
	}
	if n == 0 {
		t.refuse("carry_nothing")
		return nil
	}
	t.changed = true
	tasksN := locale.Plural(t.lang, n, "task_acc")
	switch how {
	case carryDrop:
		t.say("🗑 " + t.tr("carried_drop", tasksN))
	case carryNextWeek:
		t.say("🗓 " + t.tr("carried_to", tasksN, locale.FullDate(t.lang, to, t.today)))
	default:
		t.say("➡️ " + t.tr("carried_to", tasksN, locale.DayWord(t.lang, to, t.today)))
	}
	return nil
}

// checkin records a pressed level of the day's stress or energy.
func (t *turn) checkin(ctx context.Context, kind core.ActionKind, level int64) error {
	n := int(level)
	var stress, energy *int
	key := "checkin_energy"
	if kind == core.ActionCheckinStress {
		stress, key = &n, "checkin_stress"
	} else {
		energy = &n
	}
	if err := core.ValidateReflection(stress, energy, ""); err != nil {
		t.refuse("stale_button")
		return nil
	}
	if err := t.tx.SaveReflection(ctx, t.today, stress, energy, ""); err != nil {
		return err
	}
	t.say("📝 " + t.tr(key, n))
	return nil
}

// snooze moves a task an hour from now, which gives it a new reminder.
func (t *turn) snooze(ctx context.Context, id uuid.UUID) error {
	task, err := t.tx.FindTaskByID(ctx, id)
	if t.notFound(err, "task_not_found") {
		return nil
	}
	if err != nil {
		return err
	}
	if !task.Open() {
		t.refuse("stale_button")
		return nil
	}
	at := t.now.Add(time.Hour).Truncate(time.Minute)
	day, clock := core.DateOf(at), core.NewClockTime(at.Hour(), at.Minute())
	if _, err := plan.MoveTask(ctx, t.tx, task.ID, &day, &clock); err != nil {
		return err
	}
	t.changed = true
	t.sayText(core.Text{{Text: "⏰ " + t.tr("snoozed", clock.String()) + " "}, {Text: task.Title, Style: core.Bold}})
	return nil
}

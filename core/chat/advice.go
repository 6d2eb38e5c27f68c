package chat

import (
	"context"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/load"
	"github.com/bizconnect/bizconnect/core/locale"
	"github.com/bizconnect/bizconnect/core/plan"
)

// advise returns the most useful piece of advice for the user now (plan.Advise) on the work and
// goals given (the open work from overdue to two weeks ahead, the active goals), stored as a
// recommendation, with its row of buttons: ✅ where it can be done for them, 👍 and 👎; "" when
// there is none.
func (t *turn) advise(ctx context.Context, tasks []core.Task, goals []core.Goal) (string, []core.Button, error) {
	in := plan.AdviceInput{Today: t.today, Settings: t.user.Settings, Tasks: tasks, Goals: goals}
	var err error
	if in.Reflection, err = t.tx.Reflection(ctx, t.today); err != nil {
		return "", nil, err
	}
	if in.Trend, err = load.TrendFor(ctx, t.tx, t.user, t.today); err != nil {
		return "", nil, err
	}
	return t.adviseFrom(ctx, in)
}

// adviseFrom is advise with the day's reflection and trend read already.
func (t *turn) adviseFrom(ctx context.Context, in plan.AdviceInput) (string, []core.Button, error) {
	var err error
	if in.Feedback, err = t.tx.AdviceScores(ctx); err != nil {
		return "", nil, err
	}
	if in.Meetings == nil {
		if in.Meetings, err = t.tx.BusyMinutes(ctx, t.today, t.today.AddDays(plan.ReplanHorizon)); err != nil {
			return "", nil, err
		}
	}
	all := plan.Advise(in)
	if len(all) == 0 {
		return "", nil, nil
	}
	a := all[0]
	r := core.Recommendation{Kind: a.Kind, Content: t.adviceText(a)}
	if a.Task != nil {
		r.TaskID = &a.Task.ID
	}
	if a.Goal != nil {
		r.GoalID = &a.Goal.ID
	}
	if err := t.tx.SaveRecommendation(ctx, &r); err != nil {
		return "", nil, err
	}
	return r.Content, t.adviceRow(r), nil
}

// adviceRow is a stored recommendation's buttons: ✅ where it can be done for the user (a
// rebalancing, a rest block, a plan for a goal behind, a quick task first), 👍 and 👎.
func (t *turn) adviceRow(r core.Recommendation) []core.Button {
	row := []core.Button{}
	switch {
	case r.Kind == plan.AdviceReschedule, r.Kind == plan.AdviceRest,
		r.Kind == plan.AdviceGoalAtRisk && r.GoalID != nil, r.Kind == plan.AdviceQuickWin && r.TaskID != nil:
		row = append(row, button(t.tr("btn_advice_do"), core.Action{Kind: core.ActionAdviceApply, ID: r.ID}))
	}
	return append(row, button(t.tr("btn_advice_up"), core.Action{Kind: core.ActionAdviceUp, ID: r.ID}),
		button(t.tr("btn_advice_down"), core.Action{Kind: core.ActionAdviceDown, ID: r.ID}))
}

// adviceText is a piece of advice in words.
func (t *turn) adviceText(a plan.Advice) string {
	switch a.Kind {
	case plan.AdviceReschedule:
		key := "advice_reschedule"
		if load.ZoneOf(a.Before) != load.Overload {
			key = "advice_reschedule_high" // the band the load view names: high, not overloaded
		}
		return t.tr(key, a.Before, locale.Plural(t.lang, len(a.Moves), "task_acc"), a.After)
	case plan.AdviceRest:
		return t.tr("advice_rest")
	case plan.AdviceGoalAtRisk:
		return t.tr("advice_goal_at_risk", a.Goal.Title, locale.Amount(t.lang, a.Pace.NeedPerWeek, a.Goal.Unit))
	case plan.AdviceQuickWin:
		return t.tr("advice_quick_win", a.Task.Title, a.Task.Minutes())
	case plan.AdviceDelegate:
		return t.tr("advice_delegate", a.Task.Title, locale.Plural(t.lang, a.Task.ScheduledDate.DaysUntil(t.today), "day"))
	}
	return t.tr("advice_focus", a.Task.Title)
}

// rateAdvice records 👍 or 👎 on a recommendation; a kind disliked enough stops appearing.
func (t *turn) rateAdvice(ctx context.Context, id uuid.UUID, rating string) error {
	err := t.tx.RateRecommendation(ctx, id, rating)
	if t.notFound(err, "stale_button") {
		return nil
	}
	if err != nil {
		return err
	}
	key := "advice_thanks"
	if rating == core.FeedbackNotHelpful {
		key = "advice_fewer"
	}
	if t.in.Payload != "" {
		t.replies = append(t.replies, core.Reply{Notice: t.tr(key)}) // a toast on the pressed button
	} else {
		t.say(t.tr(key))
	}
	return nil
}

// applyAdvice does what a recommendation suggests: moves the work off today, puts a rest block
// in the plan, proposes a plan for a goal behind, or puts a quick task first.
func (t *turn) applyAdvice(ctx context.Context, id uuid.UUID) error {
	r, err := t.tx.FindRecommendation(ctx, id)
	if t.notFound(err, "stale_button") {
		return nil
	}
	if err != nil {
		return err
	}
	if first, err := t.tx.MarkRecommendationApplied(ctx, id); err != nil || r.Applied || !first {
		if err == nil {
			t.refuse("advice_done_already")
		}
		return err
	}
	switch r.Kind {
	case plan.AdviceReschedule:
		before := len(t.replies)
		pending, err := t.proposeReplan(ctx)
		if err != nil || pending == nil {
			return err // nothing to move now: the proposal says so
		}
		t.replies = t.replies[:before] // the proposal is what was just agreed to: make it
		return t.applyReplan(ctx, pending.Seq)
	case plan.AdviceRest:
		minutes := 30
		at := core.NewClockTime(min(t.now.Hour()+1, 21), 0)
		task, err := plan.CreateTask(ctx, t.tx, t.user, core.Task{Title: t.tr("advice_rest_task"), ScheduledDate: t.today, ScheduledTime: &at,
			EstimatedMin: &minutes, CognitiveLoad: 1, Complexity: "trivial"})
		if err != nil {
			return err
		}
		t.sayCreated(task)
		return nil
	case plan.AdviceGoalAtRisk:
		if r.GoalID == nil {
			break
		}
		g, err := t.tx.FindGoalByID(ctx, *r.GoalID)
		if t.notFound(err, "stale_button") {
			return nil
		}
		if err != nil {
			return err
		}
		return t.proposePlan(ctx, g, plan.Adjust{})
	case plan.AdviceQuickWin:
		if r.TaskID == nil {
			break
		}
		before, err := t.tx.FindTaskByID(ctx, *r.TaskID)
		if t.notFound(err, "stale_button") {
			return nil
		}
		if err != nil {
			return err
		}
		prio := 1
		task, err := t.tx.UpdateTask(ctx, before.ID, core.TaskUpdate{Priority: &prio, ScheduledDate: &t.today})
		if err != nil {
			return err
		}
		t.changed = true
		t.remember(Change{Kind: ChangeTaskEdited, ID: task.ID, Title: before.Title, Priority: &before.Priority, Estimate: before.EstimatedMin})
		t.say(t.tr("advice_first", task.Title))
		return nil
	}
	t.refuse("stale_button")
	return nil
}

package chat

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/load"
	"github.com/bizconnect/bizconnect/core/openai"
	"github.com/bizconnect/bizconnect/core/plan"
)

// AdviceJob asks the LLM for a piece of advice from the user's recent data, when they ask for
// one more than the rules gave (the 🤖 button under "what matters now"). It is stored and rated
// like the rules' advice, and its kind fades the same way when disliked.
type AdviceJob struct {
	User uuid.UUID `json:"user" river:"unique"`
	Chat string    `json:"chat"`
	From Route     `json:"from"`
}

// Kind implements core.Job.
func (AdviceJob) Kind() string { return "llm_advice" }

// adviceLater schedules an AdviceJob and says it is coming.
func (t *turn) adviceLater(ctx context.Context) error {
	if !t.llmFor() {
		return t.focus(ctx) // no LLM for them (any more): the rules' advice
	}
	return t.scheduleLater(ctx, AdviceJob{User: t.user.ID, Chat: dialogKey(t.in), From: routeOf(t.in)}, "⏳ "+t.tr("advice_working"))
}

// adviceInput is what the LLM is told: the open work and the goals under keys of their own (no
// ids), the day's load, nothing of anyone else.
type adviceInput struct {
	Today string       `json:"today"`
	Load  int          `json:"business_load"`
	Tasks []adviceTask `json:"tasks"`
	Goals []adviceGoal `json:"goals"`
	Muted []string     `json:"types_the_person_dislikes,omitempty"`
	Day   []string     `json:"todays_plan"`
}

type adviceTask struct {
	Key      string `json:"key"`
	Title    string `json:"title"`
	Due      string `json:"due,omitempty"`
	Minutes  int    `json:"minutes"`
	Priority int    `json:"priority"`
	Overdue  bool   `json:"overdue,omitempty"`
}

type adviceGoal struct {
	Key      string  `json:"key"`
	Title    string  `json:"title"`
	Progress float64 `json:"progress_percent"`
	Deadline string  `json:"deadline,omitempty"`
}

// adviceAnswer is the LLM's advice (the schema the answer must follow).
type adviceAnswer struct {
	Recommendations []struct {
		Type    string  `json:"type" enum:"focus,reschedule,delegate,rest,goal_at_risk,quick_win"`
		Text    string  `json:"text"`
		TaskKey *string `json:"task_key,omitempty"`
		GoalKey *string `json:"goal_key,omitempty"`
	} `json:"recommendations"`
}

// RunAdviceJob does an AdviceJob: it reads the user's open work (overdue to two weeks ahead, at
// most 20 tasks), goals, load and feedback, asks the LLM outside any transaction, takes the
// first recommendation that passes the checks (a known type the user hasn't muted, 10 to 400
// characters, keys that exist, a task for quick_win and delegate, a goal for goal_at_risk),
// stores it and sends it with ✅ / 👍 / 👎. With no usable answer the rules' advice goes instead.
func (a *Assistant) RunAdviceJob(ctx context.Context, j AdviceJob) error {
	var in adviceInput
	tasks := map[string]core.Task{}
	goals := map[string]core.Goal{}
	muted := map[string]bool{}
	var user core.User
	useLLM := false
	err := a.store.InUser(ctx, j.User, func(ctx context.Context, tx core.Tx, u *core.User) error {
		user = *u
		today := core.Today(tx, u)
		ahead, err := tx.FindTasks(ctx, core.TaskFilter{From: today, To: today.AddDays(plan.ReplanHorizon), Overdue: true})
		if err != nil {
			return err
		}
		active, err := tx.FindGoals(ctx, core.GoalFilter{Status: core.GoalActive})
		if err != nil {
			return err
		}
		refl, err := tx.Reflection(ctx, today)
		if err != nil {
			return err
		}
		scores, err := tx.AdviceScores(ctx)
		if err != nil {
			return err
		}
		tr, err := load.TrendFor(ctx, tx, u, today)
		if err != nil {
			return err
		}
		meetings, err := tx.BusyMinutes(ctx, today, today.AddDays(plan.ReplanHorizon))
		if err != nil {
			return err
		}
		in = adviceInput{Today: today.String(), Load: plan.Rebalance(ahead, active, today, u.Settings, refl, tr, meetings).Before.Value}
		for kind, net := range scores {
			if net <= -3 {
				muted[kind] = true
				in.Muted = append(in.Muted, kind)
			}
		}
		open := plan.Prioritize(openOnly(ahead), active, today)
		for i, task := range open[:min(len(open), 20)] {
			key := fmt.Sprintf("t%d", i+1)
			tasks[key] = task
			at := adviceTask{Key: key, Title: task.Title, Minutes: task.Minutes(), Priority: task.Priority, Overdue: task.ScheduledDate.Before(today)}
			if !task.ScheduledDate.IsZero() {
				at.Due = task.ScheduledDate.String()
			}
			in.Tasks = append(in.Tasks, at)
			if task.ScheduledDate == today {
				in.Day = append(in.Day, key)
			}
		}
		for i, g := range active[:min(len(active), 10)] {
			key := fmt.Sprintf("g%d", i+1)
			goals[key] = g
			ag := adviceGoal{Key: key, Title: g.Title, Progress: 100 * g.Progress()}
			if !g.EndDate.IsZero() {
				ag.Deadline = g.EndDate.String()
			}
			in.Goals = append(in.Goals, ag)
		}
		useLLM, err = a.mayCallLLM(ctx, tx, u)
		return err
	})
	if core.ErrorCode(err) == core.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	var pick *core.Recommendation
	var res openai.Result
	var llmErr error = errBudgetSpent
	if useLLM {
		var ans adviceAnswer
		res, llmErr = a.llm.Call(ctx, openai.JobRecommend, user.Locale, in, &ans, func() error {
			if len(ans.Recommendations) > 3 {
				return fmt.Errorf("%d recommendations, want at most 3", len(ans.Recommendations))
			}
			for _, r := range ans.Recommendations {
				rec, err := checkAdvice(r.Type, r.Text, r.TaskKey, r.GoalKey, tasks, goals)
				if err != nil {
					return err
				}
				if pick == nil && !muted[rec.Kind] {
					pick = &rec
				}
			}
			return nil
		})
		if err := a.afterCall(ctx, j, res, llmErr); err != nil {
			return err
		}
		if llmErr != nil {
			pick = nil
		}
	}
	return a.followUp(ctx, j.User, j.Chat, j.From, func(ctx context.Context, t *turn) (bool, error) {
		if pick == nil {
			t.say(t.tr("advice_llm_none"))
			return true, t.focus(ctx)
		}
		if err := t.tx.SaveRecommendation(ctx, pick); err != nil {
			return false, err
		}
		t.choose(core.Text{{Text: "💡 " + pick.Content}}, t.adviceRow(*pick)...)
		return true, nil
	})
}

// checkAdvice turns one of the LLM's recommendations into a recommendation, or says why not.
func checkAdvice(kind, text string, taskKey, goalKey *string, tasks map[string]core.Task, goals map[string]core.Goal) (core.Recommendation, error) {
	r := core.Recommendation{Kind: kind, Content: strings.Join(strings.Fields(text), " ")}
	switch kind {
	case plan.AdviceFocus, plan.AdviceReschedule, plan.AdviceDelegate, plan.AdviceRest, plan.AdviceGoalAtRisk, plan.AdviceQuickWin:
	default:
		return r, fmt.Errorf("type %q", kind)
	}
	if n := utf8.RuneCountInString(r.Content); n < 10 || n > 400 {
		return r, fmt.Errorf("%s: text of %d characters, want 10 to 400", kind, n)
	}
	if taskKey != nil && *taskKey != "" {
		task, ok := tasks[*taskKey]
		if !ok {
			return r, fmt.Errorf("%s: no task %q", kind, *taskKey)
		}
		r.TaskID = &task.ID
	}
	if goalKey != nil && *goalKey != "" {
		g, ok := goals[*goalKey]
		if !ok {
			return r, fmt.Errorf("%s: no goal %q", kind, *goalKey)
		}
		r.GoalID = &g.ID
	}
	switch {
	case (kind == plan.AdviceQuickWin || kind == plan.AdviceDelegate || kind == plan.AdviceFocus) && r.TaskID == nil:
		return r, fmt.Errorf("%s without a task", kind)
	case kind == plan.AdviceGoalAtRisk && r.GoalID == nil:
		return r, errors.New("goal_at_risk without a goal")
	}
	return r, nil
}

func openOnly(tasks []core.Task) []core.Task {
	var out []core.Task
	for _, t := range tasks {
		if t.Open() {
			out = append(out, t)
		}
	}
	return out
}

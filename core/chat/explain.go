package chat

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/openai"
	"github.com/bizconnect/bizconnect/core/plan"
)

// ExplainJob asks the LLM to put a rebalancing proposal into words (the 🤖 Why? button under it).
// It carries the proposal's number; the moves stay in the dialog.
type ExplainJob struct {
	User uuid.UUID `json:"user" river:"unique"`
	Chat string    `json:"chat"`
	Seq  int64     `json:"seq" river:"unique"`
	From Route     `json:"from"`
}

// Kind implements core.Job.
func (ExplainJob) Kind() string { return "llm_replan_explain" }

func (j ExplainJob) user() uuid.UUID { return j.User }

// explainLater schedules an ExplainJob for rebalancing proposal seq, while it is the one pending.
func (t *turn) explainLater(ctx context.Context, seq int64) error {
	if p := t.dialog.Replan; p == nil || p.Seq != seq || !t.llmFor() {
		t.refuse("stale_button")
		return nil
	}
	return t.scheduleLater(ctx, ExplainJob{User: t.user.ID, Chat: dialogKey(t.in), Seq: seq, From: routeOf(t.in)}, "⏳ "+t.tr("replan_why_working"))
}

// explainInput is what the LLM is told of a rebalancing: the moves with their titles and dates,
// the day's load without and with them.
type explainInput struct {
	Today  string        `json:"today"`
	Reason string        `json:"reason"`
	Before int           `json:"business_load_today"`
	After  int           `json:"business_load_today_after"`
	Moves  []explainMove `json:"moves"`
}

type explainMove struct {
	Title string `json:"title"`
	From  string `json:"from"`
	To    string `json:"to"`
}

type explainAnswer struct {
	Explanation string `json:"explanation"`
}

// RunExplainJob does an ExplainJob: while the proposal is still the one pending, the LLM explains
// it in a few sentences that name at least one of its tasks (20 to 600 characters); the
// explanation comes with the proposal's Apply button again. Otherwise a plain sentence does.
func (a *Assistant) RunExplainJob(ctx context.Context, j ExplainJob) error {
	var in explainInput
	var lang string
	var titles []string
	useLLM := false
	err := a.store.InUser(ctx, j.User, func(ctx context.Context, tx core.Tx, u *core.User) error {
		state, err := tx.LoadDialog(ctx, j.Chat)
		if err != nil {
			return err
		}
		d, _ := loadDialog(state)
		if d.Replan == nil || d.Replan.Seq != j.Seq {
			return nil
		}
		today := core.Today(tx, u)
		lang = u.Locale
		in = explainInput{Today: today.String(), Reason: "today's load is above what the day holds", Before: d.Replan.Before, After: d.Replan.After}
		// the moved tasks in one read: the open work a rebalancing moves (overdue to two weeks ahead)
		open, err := tx.FindTasks(ctx, core.TaskFilter{OpenOnly: true, From: today, To: today.AddDays(plan.ReplanHorizon), Overdue: true})
		if err != nil {
			return err
		}
		byID := make(map[uuid.UUID]core.Task, len(open))
		for _, task := range open {
			byID[task.ID] = task
		}
		for _, m := range d.Replan.Moves[:min(len(d.Replan.Moves), 20)] {
			task, ok := byID[m.ID]
			if !ok {
				continue // done or deleted since
			}
			in.Moves = append(in.Moves, explainMove{Title: task.Title, From: m.From.String(), To: m.To.String()})
			titles = append(titles, strings.ToLower(task.Title))
		}
		useLLM, err = a.mayCallLLM(ctx, tx, u)
		return err
	})
	if core.ErrorCode(err) == core.ENOTFOUND || err == nil && len(in.Moves) == 0 {
		return nil // the user, or the proposal, is gone
	}
	if err != nil {
		return err
	}
	text := ""
	if useLLM {
		var ans explainAnswer
		res, llmErr := a.llm.Call(ctx, openai.JobReplanExplain, lang, in, &ans, func() error {
			e := strings.Join(strings.Fields(ans.Explanation), " ")
			if n := utf8.RuneCountInString(e); n < 20 || n > 600 {
				return errors.New("an explanation of 20 to 600 characters is wanted")
			}
			low := strings.ToLower(e)
			for _, title := range titles {
				if strings.Contains(low, title) {
					ans.Explanation = e
					return nil
				}
			}
			return errors.New("the explanation names none of the tasks that move")
		})
		if err := a.afterCall(ctx, j, res, llmErr); err != nil {
			return err
		}
		if llmErr == nil {
			text = ans.Explanation
		}
	}
	return a.followUp(ctx, j.User, j.Chat, j.From, func(ctx context.Context, t *turn) (bool, error) {
		p := t.dialog.Replan
		if p == nil || p.Seq != j.Seq { // applied or replaced meanwhile
			return false, nil
		}
		if text == "" {
			text = t.tr("replan_why_none")
		}
		apply := core.Action{Kind: core.ActionReplanApply, Entry: p.Seq}
		t.choose(core.Text{{Text: "🤖 " + text}}, button(t.tr("btn_replan_apply"), apply))
		t.dialog.Confirm = apply.Encode()
		return true, nil
	})
}

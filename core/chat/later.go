package chat

import (
	"context"
	"errors"
	"time"
	"unicode"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/openai"
	"github.com/bizconnect/bizconnect/core/plan"
)

// PlanJob asks the LLM for a goal's plan after the message that wanted it: the user is told
// "⏳ making the plan" at once, and the plan (the offline one, with a note, when the LLM fails,
// is slow or the day's budget is spent) follows in the same chat. It carries ids and where to
// answer, never the user's words.
type PlanJob struct {
	User   uuid.UUID   `json:"user" river:"unique"`
	Goal   uuid.UUID   `json:"goal" river:"unique"`
	Adjust plan.Adjust `json:"adjust" river:"unique"`
	Chat   string      `json:"chat"` // the dialog the proposal goes into
	From   Route       `json:"from"`
}

// Kind implements core.Job.
func (PlanJob) Kind() string { return "llm_goal_plan" }

// Route is where an update came from, all a later reply needs to follow it up.
type Route struct {
	Key            string        `json:"key"`
	Provider       core.Provider `json:"provider"`
	Workspace      string        `json:"workspace,omitempty"`
	ExternalUserID string        `json:"external_user_id"`
	ChatID         string        `json:"chat_id"`
	ChatType       core.ChatType `json:"chat_type,omitempty"`
	ThreadID       string        `json:"thread_id,omitempty"`
}

func routeOf(in core.Inbound) Route {
	return Route{Key: in.Key, Provider: in.Provider, Workspace: in.Workspace, ExternalUserID: in.ExternalUserID,
		ChatID: in.ChatID, ChatType: in.ChatType, ThreadID: in.ThreadID}
}

// inbound is the update as far as the route knows it: where its replies go.
func (r Route) inbound() core.Inbound {
	return core.Inbound{Key: r.Key, Provider: r.Provider, Workspace: r.Workspace, ExternalUserID: r.ExternalUserID,
		ChatID: r.ChatID, ChatType: r.ChatType, ThreadID: r.ThreadID}
}

// llmFor reports whether the LLM works for the user: it is configured, their tier has a budget,
// and the message can be followed up (it has an update key); a job's own turn asks it nothing.
func (t *turn) llmFor() bool {
	// (a Telegram group member who never wrote privately can't get the answer that follows)
	return !t.later && !t.noPrivate && t.in.Key != "" && t.a.llm.DailyTokens(t.user.Tier) > 0
}

// scheduleLater schedules job and says key ("⏳ …"); a job already waiting or running for the same thing
// is said so instead of scheduled twice.
func (t *turn) scheduleLater(ctx context.Context, job core.Job, key string) error {
	fresh, err := t.tx.Later(ctx, job)
	if err != nil {
		return err
	}
	if !fresh {
		t.refuse("working_already")
		return nil
	}
	t.say(key)
	return nil
}

// planLater schedules the LLM's plan of g in the message's transaction and says it is coming.
func (t *turn) planLater(ctx context.Context, g core.Goal, adj plan.Adjust) error {
	if err := plan.MayPlan(ctx, t.tx, t.user, g); errors.Is(err, plan.ErrPlanTeamGoal) {
		t.say(t.tr("plan_team_forbidden"))
		return nil
	} else if err != nil {
		return err
	}
	return t.scheduleLater(ctx, PlanJob{User: t.user.ID, Goal: g.ID, Adjust: adj, Chat: dialogKey(t.in), From: routeOf(t.in)},
		"⏳ "+t.tr("plan_working"))
}

// errBudgetSpent is why a plan is the offline one when the user's tokens for the day are spent.
var errBudgetSpent = errors.New("the day's LLM budget is spent")

// RunPlanJob does a PlanJob: it reads the goal as the user, asks the LLM outside any transaction
// (bounded by the LLM client's timeout), then, in a follow-up transaction, records the tokens,
// stores the proposal — the LLM's, or the offline one with a note — and sends it to the chat
// that asked, where "да" accepts it. A goal deleted meanwhile is said so. Run again after a
// failure, it proposes again: a proposal replaces the one before it.
func (a *Assistant) RunPlanJob(ctx context.Context, j PlanJob) error {
	var g core.Goal
	var today core.Date
	var user core.User
	gone, useLLM := false, false
	err := a.store.InUser(ctx, j.User, func(ctx context.Context, tx core.Tx, u *core.User) error {
		var err error
		user, today = *u, core.Today(tx, u)
		if g, err = tx.FindGoalByID(ctx, j.Goal); core.ErrorCode(err) == core.ENOTFOUND {
			gone = true
			return nil
		} else if err != nil {
			return err
		}
		useLLM, err = a.mayCallLLM(ctx, tx, u)
		return err
	})
	if core.ErrorCode(err) == core.ENOTFOUND {
		return nil // the user is gone: nothing to answer
	}
	if err != nil {
		return err
	}

	var d plan.Draft
	var res openai.Result
	llmErr := errBudgetSpent
	if !gone && useLLM {
		d, res, llmErr = plan.LLMPlan(ctx, a.llm, plan.AdjustGoal(g, today, j.Adjust), today, user.Settings, user.Locale)
		if err := a.afterCall(ctx, j, res, llmErr); err != nil {
			return err
		}
	}

	return a.followUp(ctx, j.User, j.Chat, j.From, func(ctx context.Context, t *turn) (bool, error) {
		tx, u := t.tx, t.user
		if !gone { // deleted or changed while the LLM thought: what it is now counts
			var err error
			if g, err = tx.FindGoalByID(ctx, j.Goal); core.ErrorCode(err) == core.ENOTFOUND {
				gone = true
			} else if err != nil {
				return false, err
			}
		}
		if gone {
			t.say(t.tr("plan_goal_gone"))
			return true, nil
		}
		var p plan.Proposal
		var err error
		note := ""
		if llmErr == nil {
			p, err = plan.ProposeDraft(ctx, tx, u, g, j.Adjust, d, plan.Maker{Provider: "llm", Model: res.Model,
				PromptTokens: res.PromptTokens, CompletionTokens: res.CompletionTokens})
		} else {
			note = t.tr("plan_offline_failed")
			if errors.Is(llmErr, errBudgetSpent) {
				note = t.tr("plan_offline_budget")
			}
			p, err = plan.ProposePlan(ctx, tx, u, g, j.Adjust)
		}
		switch {
		case errors.Is(err, plan.ErrPlanTeamGoal):
			t.say(t.tr("plan_team_forbidden"))
		case err != nil:
			return false, err
		default:
			t.showProposal(p, note)
		}
		return true, nil
	})
}

// followUp runs fn as the turn of a job following up an update of user's (from), in the dialog
// of chat, then sends what it said there and saves the dialog; fn returns false to say nothing.
func (a *Assistant) followUp(ctx context.Context, user uuid.UUID, chat string, from Route, fn func(ctx context.Context, t *turn) (bool, error)) error {
	return a.store.FollowUp(ctx, user, from.Key, func(ctx context.Context, tx core.Tx, u *core.User) error {
		state, err := tx.LoadDialog(ctx, chat)
		if err != nil {
			return err
		}
		t := a.newTurn(tx, &core.Session{User: u, Dialog: state}, from.inbound())
		t.later = true
		if say, err := fn(ctx, t); err != nil || !say {
			return err
		}
		t.rememberButtons()
		if err := t.saveDialog(ctx, chat); err != nil {
			return err
		}
		return tx.Enqueue(ctx, core.Addressed(t.in, t.replies))
	})
}

// mayCallLLM reports whether the user's tokens of the day (since their midnight) leave room for
// another call.
func (a *Assistant) mayCallLLM(ctx context.Context, tx core.Tx, u *core.User) (bool, error) {
	budget := a.llm.DailyTokens(u.Tier)
	if budget <= 0 {
		return false, nil
	}
	used, err := tx.LLMTokensSince(ctx, core.Today(tx, u).In(u.Location()))
	return err == nil && used < budget, err
}

// afterCall records what an LLM call of job cost, at once and in a transaction of its own (a
// follow-up that fails and is retried doesn't take the tokens off the budget), and logs a
// failure by its kind only (its text may quote the answer). It returns an error only when the job
// must stop: the database failed, or the worker is stopping (River runs the job again).
func (a *Assistant) afterCall(ctx context.Context, job interface {
	core.Job
	user() uuid.UUID
}, res openai.Result, callErr error) error {
	if res.PromptTokens+res.CompletionTokens > 0 {
		err := a.store.InUser(context.WithoutCancel(ctx), job.user(), func(ctx context.Context, tx core.Tx, _ *core.User) error {
			return tx.RecordLLMUsage(ctx, core.LLMUsage{Job: string(res.Job), Model: res.Model, PromptVersion: res.PromptVersion,
				PromptTokens: res.PromptTokens, CompletionTokens: res.CompletionTokens, OK: callErr == nil})
		})
		if err != nil {
			return err
		}
	}
	if errors.Is(callErr, context.Canceled) {
		return callErr
	}
	if callErr != nil {
		a.logger.Warn("llm call failed; answering offline", "job", job.Kind(), "kind", openai.Kind(callErr))
		a.logger.Debug("llm call failed", "job", job.Kind(), "err", callErr)
	}
	return nil
}

func (j PlanJob) user() uuid.UUID       { return j.User }
func (j UnderstandJob) user() uuid.UUID { return j.User }
func (j AdviceJob) user() uuid.UUID     { return j.User }

// UnderstandJob asks the LLM what a message the offline model could not read means (the
// dialog's message in doubt, whose hash it carries: the words stay in the dialog, not the job).
// Its reading is offered as a button to confirm, never acted on unasked.
type UnderstandJob struct {
	User uuid.UUID `json:"user" river:"unique"`
	Chat string    `json:"chat"`
	Hash int64     `json:"hash" river:"unique"`
	From Route     `json:"from"`
}

// Kind implements core.Job.
func (UnderstandJob) Kind() string { return "llm_understand" }

// letters counts the letters of s.
func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// understandLater asks the LLM about text, in doubt, and says it is thinking.
func (t *turn) understandLater(ctx context.Context, text string) error {
	t.dialog.Pending = text
	return t.scheduleLater(ctx, UnderstandJob{User: t.user.ID, Chat: dialogKey(t.in), Hash: textHash(text), From: routeOf(t.in)},
		"🤔 "+t.tr("understand_working"))
}

// llmInput is what the LLM is told of a message in doubt: the words, the moment and the
// parser's readings, nothing of the user's other data.
type llmInput struct {
	Message      string       `json:"message"`
	Now          string       `json:"now"`
	TimeZone     string       `json:"time_zone"`
	Alternatives []llmReading `json:"alternatives"`
}

type llmReading struct {
	Intent     core.Intent `json:"intent"`
	Confidence float64     `json:"confidence"`
	Title      *string     `json:"title,omitempty"`
	Due        *core.Date  `json:"due,omitempty"`
}

// llmAnswer is the LLM's reading of a message: one of the intents the assistant can confirm.
type llmAnswer struct {
	Intent string `json:"intent" enum:"create_task,create_goal,complete_task,reschedule_task,log_progress,delete,edit,undo,list_tasks,show_load,show_report,show_goals,focus,plan_goal,replan,reflect,settings,help,unknown"`
}

// RunUnderstandJob does an UnderstandJob: when the message is still the one in doubt, it asks
// the LLM for its intent and offers that reading, read by the parser as that intent, to confirm
// (a button; "да" presses it). When the LLM can't tell, fails or the budget is spent, the
// offline answer goes instead. A message the user has moved on from gets nothing.
func (a *Assistant) RunUnderstandJob(ctx context.Context, j UnderstandJob) error {
	var text string
	var in llmInput
	var user core.User
	useLLM := false
	err := a.store.InUser(ctx, j.User, func(ctx context.Context, tx core.Tx, u *core.User) error {
		state, err := tx.LoadDialog(ctx, j.Chat)
		if err != nil {
			return err
		}
		d, _ := loadDialog(state)
		if d.Pending == "" || textHash(d.Pending) != j.Hash {
			return nil
		}
		text, user = d.Pending, *u
		now := tx.Now().In(u.Location())
		in = llmInput{Message: text, Now: now.Format(time.RFC3339), TimeZone: u.Timezone}
		parsed := a.nlu.Understand(text, now, u.Locale)
		for _, alt := range parsed.Alternatives {
			r := a.nlu.UnderstandAs(text, alt.Intent, now, u.Locale)
			in.Alternatives = append(in.Alternatives, llmReading{Intent: alt.Intent, Confidence: alt.Confidence, Title: r.Title, Due: r.Due})
		}
		useLLM, err = a.mayCallLLM(ctx, tx, u)
		return err
	})
	if core.ErrorCode(err) == core.ENOTFOUND {
		return nil
	}
	if err != nil || text == "" {
		return err
	}
	intent := core.IntentUnknown
	var res openai.Result
	var llmErr error = errBudgetSpent
	if useLLM {
		var ans llmAnswer
		res, llmErr = a.llm.Call(ctx, openai.JobUnderstand, user.Locale, in, &ans, func() error {
			if !readable[core.Intent(ans.Intent)] && ans.Intent != string(core.IntentUnknown) {
				return errors.New("not an intent the assistant confirms: " + ans.Intent)
			}
			return nil
		})
		if err := a.afterCall(ctx, j, res, llmErr); err != nil {
			return err
		}
		if llmErr == nil {
			intent = core.Intent(ans.Intent)
		}
	}
	return a.followUp(ctx, j.User, j.Chat, j.From, func(ctx context.Context, t *turn) (bool, error) {
		if t.dialog.Pending != text { // the user moved on while the LLM thought
			return false, nil
		}
		if intent == core.IntentUnknown {
			t.notUnderstood(a.nlu.Understand(text, t.now, t.lang), text)
			return true, nil
		}
		r := a.nlu.UnderstandAs(text, intent, t.now, t.lang)
		yes := core.Action{Kind: core.ActionInterpret, Entry: textHash(text), Intent: intent}
		t.sayText(core.Text{{Text: "🤔 " + t.tr("understand_guess")}},
			button(t.readingLabel(r), yes), button(t.tr("btn_neither_one"), core.Action{Kind: core.ActionCancel}))
		t.dialog.Confirm = yes.Encode() // "да" takes it
		return true, nil
	})
}

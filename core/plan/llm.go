package plan

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/openai"
)

// LLMPlanInput is what the LLM is told of a goal to plan: the minimum the job needs, no ids,
// tokens or other users' data.
type LLMPlanInput struct {
	Title    string   `json:"title"`
	Target   *float64 `json:"target,omitempty"`
	Current  float64  `json:"current"`
	Unit     string   `json:"unit,omitempty"`
	Category string   `json:"category"`
	Today    string   `json:"today"`
	Deadline string   `json:"deadline"`
	// CapacityMin is how many minutes of work the person has a day.
	CapacityMin int `json:"capacity_min"`
}

// LLMPlanAnswer is the structured answer the LLM gives (its JSON schema is generated from it).
type LLMPlanAnswer struct {
	Milestones []struct {
		Title  string   `json:"title"`
		Due    string   `json:"due"`
		Target *float64 `json:"target,omitempty"`
	} `json:"milestones"`
	Tasks []struct {
		Title      string `json:"title"`
		Milestone  int    `json:"milestone"` // 1-based, as people count
		Minutes    int    `json:"minutes"`
		Complexity string `json:"complexity" enum:"trivial,easy,medium,hard,extreme"`
		Load       int    `json:"load"`
	} `json:"tasks"`
}

// LLMPlan asks the LLM for a plan of goal g and returns it as a draft, scheduled by the caller
// like an offline one. The answer is checked against the domain (FromLLM); any failure — the LLM
// disabled, unreachable, slow, refusing or wrong — is an error, and the caller plans offline.
func LLMPlan(ctx context.Context, llm *openai.Client, g core.Goal, today core.Date, s core.Settings, lang string) (Draft, openai.Result, error) {
	base := Offline(g, today, lang) // the deadline, proposed where the goal has none, and the kind
	in := LLMPlanInput{Title: g.Title, Target: g.TargetValue, Current: g.CurrentValue, Unit: g.Unit, Category: g.Category,
		Today: today.String(), Deadline: base.Deadline.String(), CapacityMin: s.Capacity()}
	var ans LLMPlanAnswer
	var d Draft
	res, err := llm.Call(ctx, openai.JobGoalPlan, lang, in, &ans, func() error {
		var err error
		d, err = FromLLM(ans, g, today, base.Deadline)
		return err
	})
	if err != nil {
		return Draft{}, res, err
	}
	d.Kind, d.ProposedDeadline, d.PromptVersion = base.Kind, base.ProposedDeadline, strconv.Itoa(res.PromptVersion)
	return d, res, nil
}

// FromLLM checks an LLM's plan against the domain and turns it into a draft: 1 to 6 milestones
// in date order inside [today, deadline], targets (if any) moving toward the goal's, 1 to 30 tasks
// whose titles are distinct, a verb phrase of 2 to 200 characters, with estimates of 5 to 480
// minutes, a known complexity, a load of 1 to 10, and a milestone that exists. Anything else is
// an error that says what is wrong: the answer is rejected, never repaired.
func FromLLM(ans LLMPlanAnswer, g core.Goal, today, deadline core.Date) (Draft, error) {
	d := Draft{Source: "llm", Deadline: deadline, Made: today}
	if n := len(ans.Milestones); n < 1 || n > 6 {
		return Draft{}, fmt.Errorf("%d milestones, want 1 to 6", n)
	}
	prev := today.AddDays(-1)
	for i, m := range ans.Milestones {
		due, err := core.ParseDate(m.Due)
		switch {
		case err != nil:
			return Draft{}, fmt.Errorf("milestone %d: date %q: %w", i+1, m.Due, err)
		case due.Before(today) || due.After(deadline):
			return Draft{}, fmt.Errorf("milestone %d on %s, outside %s…%s", i+1, due, today, deadline)
		case !due.After(prev):
			return Draft{}, fmt.Errorf("milestone %d on %s, not after the one before", i+1, due)
		case !titleOK(m.Title):
			return Draft{}, fmt.Errorf("milestone %d: title %q", i+1, m.Title)
		}
		if m.Target != nil && g.TargetValue != nil {
			lo, hi := min(g.CurrentValue, *g.TargetValue), max(g.CurrentValue, *g.TargetValue)
			if *m.Target < lo || *m.Target > hi {
				return Draft{}, fmt.Errorf("milestone %d: target %v outside %v…%v", i+1, *m.Target, lo, hi)
			}
		}
		prev = due
		d.Milestones = append(d.Milestones, Milestone{Title: strings.TrimSpace(m.Title), Target: m.Target, Due: due})
	}
	if n := len(ans.Tasks); n < 1 || n > 30 {
		return Draft{}, fmt.Errorf("%d tasks, want 1 to 30", n)
	}
	seen := map[string]bool{}
	for i, t := range ans.Tasks {
		key := strings.ToLower(strings.TrimSpace(t.Title))
		switch {
		case !titleOK(t.Title) || len(strings.Fields(t.Title)) < 2:
			return Draft{}, fmt.Errorf("task %d: title %q", i+1, t.Title)
		case seen[key]:
			return Draft{}, fmt.Errorf("task %d: %q twice", i+1, t.Title)
		case t.Milestone < 1 || t.Milestone > len(d.Milestones):
			return Draft{}, fmt.Errorf("task %d: milestone %d of %d", i+1, t.Milestone, len(d.Milestones))
		case t.Minutes < 5 || t.Minutes > 480:
			return Draft{}, fmt.Errorf("task %d: %d minutes, want 5 to 480", i+1, t.Minutes)
		case !slices.Contains(core.Complexities, t.Complexity):
			return Draft{}, fmt.Errorf("task %d: complexity %q", i+1, t.Complexity)
		case t.Load < 1 || t.Load > 10:
			return Draft{}, fmt.Errorf("task %d: load %d, want 1 to 10", i+1, t.Load)
		}
		seen[key] = true
		ms := t.Milestone - 1
		d.Tasks = append(d.Tasks, PlanTask{Title: strings.TrimSpace(t.Title), Milestone: ms, Minutes: t.Minutes,
			Complexity: t.Complexity, Load: t.Load, Due: d.Milestones[ms].Due})
	}
	return d, nil
}

func titleOK(s string) bool {
	n := utf8.RuneCountInString(strings.TrimSpace(s))
	return n >= 2 && n <= 200 && !strings.ContainsAny(s, "\n\r\t")
}

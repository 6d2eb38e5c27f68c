package plan_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/openai"
	"github.com/bizconnect/bizconnect/core/openai/openaitest"
	"github.com/bizconnect/bizconnect/core/plan"
)

var wedLLM = core.Date{Year: 2026, Month: 11, Day: 25}

func llmClient(s *openaitest.Server) *openai.Client {
	return openai.New(openai.Config{APIKey: s.Key(), BaseURL: s.URL(), Model: "gpt-test", Timeout: 2 * time.Second, MaxRetries: 1, RetryWait: time.Millisecond})
}

const goodPlan = `{"milestones": [
  {"title": "10 клиентов", "due": "2026-12-20", "target": 10},
  {"title": "20 клиентов", "due": "2027-01-20", "target": 20}],
 "tasks": [
  {"title": "Составить список 60 компаний", "milestone": 1, "minutes": 120, "complexity": "medium", "load": 5},
  {"title": "Позвонить 20 компаниям из списка", "milestone": 1, "minutes": 180, "complexity": "medium", "load": 6},
  {"title": "Провести 5 презентаций", "milestone": 2, "minutes": 240, "complexity": "hard", "load": 7}]}`

// TestLLMPlanFromAStructuredAnswer: a plan from the fake's structured answer becomes a draft,
// placed like an offline one; the request carries only the goal's own data and the strict schema.
func TestLLMPlanFromAStructuredAnswer(t *testing.T) {
	s := openaitest.New(t)
	s.Answer(goodPlan)
	target := 20.0
	g := core.Goal{Title: "20 клиентов", Category: "clients", TargetValue: &target, EndDate: wedLLM.AddDays(60)}
	d, res, err := plan.LLMPlan(context.Background(), llmClient(s), g, wedLLM, core.Settings{}, "ru")
	if err != nil {
		t.Fatal(err)
	}
	if d.Source != "llm" || d.PromptVersion != "1" || len(d.Milestones) != 2 || len(d.Tasks) != 3 || res.PromptTokens == 0 {
		t.Fatalf("draft %+v, result %+v", d, res)
	}
	sum := d.Schedule(wedLLM, core.Settings{}, nil, nil)
	if sum.Late+sum.Unplaced != 0 || d.Tasks[0].Due.Before(wedLLM) || d.Tasks[2].Due.After(d.Milestones[1].Due) {
		t.Fatalf("scheduled: %+v %+v", d.Tasks, sum)
	}
	req := s.Requests()[0]
	if req.Model != "gpt-test" || req.ResponseFormat == nil || req.ResponseFormat.JSONSchema == nil || !req.ResponseFormat.JSONSchema.Strict {
		t.Fatalf("request: %+v", req)
	}
	if user := req.Messages[len(req.Messages)-1].Content; !strings.Contains(user, `"title":"20 клиентов"`) || strings.Contains(user, "user_id") {
		t.Errorf("the goal sent: %s", user)
	}
}

// TestLLMPlanRejectsWhatTheDomainRefuses: an answer with a date outside the goal's span, a task of
// a milestone that doesn't exist, an estimate of a day and a half, or repeated tasks is rejected
// (and the caller plans offline); so is a 500 after its retry.
func TestLLMPlanRejectsWhatTheDomainRefuses(t *testing.T) {
	target := 20.0
	g := core.Goal{Title: "20 клиентов", Category: "clients", TargetValue: &target, EndDate: wedLLM.AddDays(60)}
	for name, answer := range map[string]string{
		"date outside":  strings.Replace(goodPlan, "2027-01-20", "2027-06-01", 1),
		"no milestone":  strings.Replace(goodPlan, `"milestone": 2`, `"milestone": 3`, 1),
		"too long":      strings.Replace(goodPlan, `"minutes": 240`, `"minutes": 720`, 1),
		"repeated task": strings.Replace(goodPlan, "Провести 5 презентаций", "Составить список 60 компаний", 1),
		"bad target":    strings.Replace(goodPlan, `"target": 10`, `"target": 500`, 1),
		"out of order":  strings.Replace(goodPlan, "2026-12-20", "2027-01-25", 1),
	} {
		s := openaitest.New(t)
		s.Answer(answer)
		if _, res, err := plan.LLMPlan(context.Background(), llmClient(s), g, wedLLM, core.Settings{}, "ru"); !errors.Is(err, openai.ErrInvalid) || res.PromptTokens == 0 {
			t.Errorf("%s: %v (tokens %d), want ErrInvalid with the tokens counted", name, err, res.PromptTokens)
		}
	}
	s := openaitest.New(t)
	s.Fail(500, "")
	s.Fail(500, "")
	if _, _, err := plan.LLMPlan(context.Background(), llmClient(s), g, wedLLM, core.Settings{}, "ru"); !errors.Is(err, openai.ErrUnavailable) {
		t.Errorf("a 500: %v, want ErrUnavailable", err)
	}
	if _, _, err := plan.LLMPlan(context.Background(), openai.New(openai.Config{}), g, wedLLM, core.Settings{}, "ru"); !errors.Is(err, openai.ErrDisabled) {
		t.Errorf("no key: %v, want ErrDisabled", err)
	}
}

// FuzzFromLLM: whatever an LLM answers, checking it never panics, and what passes keeps its
// promises (dates inside the span, milestones that exist).
func FuzzFromLLM(f *testing.F) {
	f.Add(goodPlan)
	f.Add(`{"milestones": [], "tasks": []}`)
	f.Add(`{"milestones": [{"title": "x", "due": "2026-13-40"}], "tasks": [{"milestone": -1}]}`)
	target := 20.0
	g := core.Goal{Title: "20 клиентов", TargetValue: &target, EndDate: wedLLM.AddDays(60)}
	f.Fuzz(func(t *testing.T, answer string) {
		var ans plan.LLMPlanAnswer
		if json.Unmarshal([]byte(answer), &ans) != nil {
			return
		}
		d, err := plan.FromLLM(ans, g, wedLLM, g.EndDate)
		if err != nil {
			return
		}
		for _, m := range d.Milestones {
			if m.Due.Before(wedLLM) || m.Due.After(g.EndDate) {
				t.Fatalf("a milestone on %s passed", m.Due)
			}
		}
		for _, task := range d.Tasks {
			if task.Milestone < 0 || task.Milestone >= len(d.Milestones) || task.Minutes < 5 || task.Minutes > 480 {
				t.Fatalf("a task %+v passed", task)
			}
		}
	})
}

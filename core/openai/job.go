package openai

import (
	"embed"
	"fmt"
	"strconv"
	"strings"
)

// Job is a kind of question the assistant asks the LLM; it picks the prompt and the model.
type Job string

// The jobs, each with its prompt in prompts/<job>.md.
const (
	JobGoalPlan      Job = "goal_plan"      // milestones and tasks for a goal
	JobReplanExplain Job = "replan_explain" // a short explanation of a proposed schedule diff
	JobRecommend     Job = "recommend"      // up to three typed recommendations
	JobUnderstand    Job = "understand"     // the intent and slots of a message the offline parser doubts
)

// modelFor is the routing table: the model serving each job. Planning and explaining get the
// main model; the frequent, small jobs get the fast one.
func (c Config) modelFor(job Job) (string, bool) {
	switch job {
	case JobGoalPlan, JobReplanExplain:
		return c.Model, true
	case JobRecommend, JobUnderstand:
		return c.FastModel, true
	}
	return "", false
}

//go:embed prompts/*.md
var promptFS embed.FS

// prompt is a job's system prompt and its version, stored with results so a plan can be traced
// to the words that produced it.
type prompt struct {
	Version int
	Text    string // with {{lang}} where the user's language goes
}

// loadPrompt reads prompts/<job>.md, whose first line is "version: N".
func loadPrompt(job Job) (prompt, error) {
	b, err := promptFS.ReadFile("prompts/" + string(job) + ".md")
	if err != nil {
		return prompt{}, fmt.Errorf("no prompt for job %q", job)
	}
	first, rest, _ := strings.Cut(string(b), "\n")
	v, ok := strings.CutPrefix(strings.TrimSpace(first), "version:")
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if !ok || err != nil || n < 1 {
		return prompt{}, fmt.Errorf("prompt %s: first line must be \"version: N\"", job)
	}
	return prompt{Version: n, Text: strings.TrimSpace(rest)}, nil
}

// system renders the prompt for a user writing in lang ("ru" or "en").
func (p prompt) system(lang string) string { return strings.ReplaceAll(p.Text, "{{lang}}", lang) }

// validLang reports whether lang is a language the assistant speaks.
func validLang(lang string) bool { return lang == "ru" || lang == "en" }

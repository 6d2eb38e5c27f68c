package openai

import (
	"strings"
	"testing"
)

func TestPrompts(t *testing.T) {
	cfg := Config{Model: "main", FastModel: "fast"}
	for _, job := range []Job{JobGoalPlan, JobReplanExplain, JobRecommend, JobUnderstand} {
		p, err := loadPrompt(job)
		if err != nil {
			t.Fatal(err)
		}
		if p.Version < 1 {
			t.Errorf("%s: version %d", job, p.Version)
		}
		if !strings.Contains(p.Text, `"{{lang}}"`) {
			t.Errorf("%s: the prompt does not name the language", job)
		}
		if strings.Contains(p.Text, "version:") {
			t.Errorf("%s: the version line is part of the text", job)
		}
		if model, ok := cfg.modelFor(job); !ok || model == "" {
			t.Errorf("%s: no model", job)
		}
	}
	if _, err := loadPrompt("nope"); err == nil {
		t.Error("a prompt for an unknown job")
	}
	if _, ok := cfg.modelFor("nope"); ok {
		t.Error("a model for an unknown job")
	}
}

package locale

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/bizconnect/bizconnect/core"
)

// TestCatalogIsComplete checks that every text the code asks for exists in both languages with
// the same formatting verbs, so no user ever sees a key or a broken sentence. It reads the
// packages that speak to users: this one, the chat, and the services that write texts.
func TestCatalogIsComplete(t *testing.T) {
	verbs := regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)
	for key, m := range catalog {
		if strings.TrimSpace(m[0]) == "" || strings.TrimSpace(m[1]) == "" {
			t.Errorf("%s: empty text", key)
		}
		if en, ru := verbs.FindAllString(m[0], -1), verbs.FindAllString(m[1], -1); strings.Join(en, " ") != strings.Join(ru, " ") {
			t.Errorf("%s: verbs differ: en %v, ru %v", key, en, ru)
		}
	}
	used := regexp.MustCompile(`\b(?:locale\.)?T\([^,()]*(?:\([^()]*\))?[^,()]*, "([a-z_]+)"|\b[tr]\.tr\("([a-z_]+)"`)
	prefixed := map[string][]string{
		"cat_": core.Categories, "zone_": {"light", "optimal", "high", "overload"}, "advice_": {"light", "optimal", "high", "overload"},
		"priority_": {"1", "2", "3", "4"}, "rec_on_": {"mo", "tu", "we", "th", "fr", "sa", "su"},
		"role_set_": {core.TeamOwner, core.TeamAdmin, core.TeamMember},
		"unknown_":  {"1", "2", "3"},
		"ach_": {core.AchFirstGoal, core.AchFirstPlan, core.AchMilestone, core.AchGoalAchieved, core.AchStreak3, core.AchStreak7,
			core.AchStreak30, core.AchDeepWork, core.AchRecovered, core.AchConsistency},
		"undone_": {"task_created", "task_done", "task_moved", "task_deleted", "task_edited", "goal_created", "goal_deleted",
			"goal_edited", "progress"},
		"as_": {"create_task", "create_goal", "complete_task", "reschedule_task", "delete", "edit", "plan_goal", "log_progress",
			"undo", "replan", "list_tasks", "show_load", "show_report", "show_goals", "focus", "settings", "help", "reflect",
			"create_task_title", "create_goal_title", "complete_task_title", "reschedule_task_title", "delete_title",
			"edit_title", "plan_goal_title"},
	}
	var files []string
	for _, dir := range []string{".", "../chat", "../plan", "../progress", "../account", "../load", "../report"} {
		fs, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		files = append(files, fs...)
	}
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range used.FindAllStringSubmatch(string(src), -1) {
			seen++
			key := m[1] + m[2]
			if rest, ok := prefixed[key]; ok {
				for _, r := range rest {
					if _, ok := catalog[key+r]; !ok {
						t.Errorf("%s: %s%s missing from the catalog", f, key, r)
					}
				}
				continue
			}
			if _, ok := catalog[key]; !ok {
				t.Errorf("%s: %q missing from the catalog", f, key)
			}
		}
	}
	if seen < 100 {
		t.Fatalf("found only %d uses of the catalog: the pattern no longer matches the code", seen)
	}
}

package core

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCatalogIsComplete checks that every text the code asks for exists in both languages with
// the same formatting verbs, so no user ever sees a key or a broken sentence.
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
	used := regexp.MustCompile(`\btr\((?:[a-zA-Z.]+|langOf\([^)]*\)), "([a-z_]+)"|t\.tr\("([a-z_]+)"`)
	prefixed := map[string][]string{
		"cat_": categories, "zone_": {"light", "optimal", "high", "overload"}, "advice_": {"light", "optimal", "high", "overload"},
		"priority_": {"1", "2", "3", "4"}, "rec_on_": {"mo", "tu", "we", "th", "fr", "sa", "su"},
	}
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range used.FindAllStringSubmatch(string(src), -1) {
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
}

func TestLanguageFollowsTheMessage(t *testing.T) {
	for _, c := range []struct{ hint, text, want string }{
		{"", "купить молоко", "ru"},
		{"ru", "buy milk", "en"},
		{"ru", "🔥🔥", "ru"},
		{"en-US", "/start", "en"},
		{"", "", "en"},
		{"uk", "", "ru"},
	} {
		if got := langOf(c.hint, c.text, "en"); got != c.want {
			t.Errorf("langOf(%q, %q) = %s, want %s", c.hint, c.text, got, c.want)
		}
	}
}

func TestGreetingIsAnsweredWarmly(t *testing.T) {
	for text, want := range map[string]bool{"Привет!": true, "hello there": true, "good morning": true, "привет, добавь задачу позвонить Ивану завтра в 10": false, "купить хлеб": false} {
		if isGreeting(text) != want {
			t.Errorf("isGreeting(%q) = %v", text, !want)
		}
	}
}

package telegram

import (
	"strings"
	"testing"

	"github.com/bizconnect/bizconnect/bots/telegram/telegramtest"
	"github.com/bizconnect/bizconnect/core"
)

func TestRenderPartsEscapes(t *testing.T) {
	tests := []struct {
		name string
		text core.Text
		want string
	}{
		{"html in a title", core.Text{{Text: "Task: "}, {Text: "<b>x</b>", Style: core.Bold}}, "Task: <b>&lt;b&gt;x&lt;/b&gt;</b>"},
		{"ampersand and entity lookalike", core.Text{{Text: "R&D &amp; more"}}, "R&amp;D &amp;amp; more"},
		{"styles", core.Text{{Text: "a", Style: core.Italic}, {Text: "b", Style: core.Code}, {Text: "c"}}, "<i>a</i><code>b</code>c"},
		{"same style merged", core.Text{{Text: "a", Style: core.Bold}, {Text: "b", Style: core.Bold}}, "<b>ab</b>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := renderParts(tt.text, maxTextLen, maxTextLen)
			if len(got) != 1 || got[0] != tt.want {
				t.Fatalf("renderParts = %q, want %q", got, tt.want)
			}
			if visible, err := telegramtest.ParseHTML(got[0]); err != nil || visible != tt.text.String() {
				t.Errorf("Telegram would show %q (%v), want %q", visible, err, tt.text.String())
			}
		})
	}
}

func TestRenderPartsSplits(t *testing.T) {
	line := core.Text{{Text: "• "}, {Text: "Call <supplier> & agree", Style: core.Bold}, {Text: " — due "}, {Text: "Fri", Style: core.Italic}, {Text: "\n"}}
	var lines core.Text
	for range 250 {
		lines = append(lines, line...)
	}
	tests := []struct {
		name      string
		text      core.Text
		minParts  int
		lineBreak bool // every part but the last ends at a newline
	}{
		{"many lines", lines, 3, true},
		{"one long bold line", core.Text{{Text: strings.Repeat("word ", 2000), Style: core.Bold}}, 3, false},
		{"emoji count twice", core.Text{{Text: strings.Repeat("🎯", 5000)}}, 3, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts := renderParts(tt.text, maxTextLen, maxTextLen)
			if len(parts) < tt.minParts {
				t.Fatalf("%d parts, want ≥ %d", len(parts), tt.minParts)
			}
			var all strings.Builder
			for i, p := range parts {
				visible, err := telegramtest.ParseHTML(p)
				if err != nil {
					t.Fatalf("part %d: %v", i, err)
				}
				if n := telegramtest.VisibleLen(visible); n > maxTextLen {
					t.Errorf("part %d: %d visible characters", i, n)
				}
				if tt.lineBreak && i < len(parts)-1 && !strings.HasSuffix(visible, "\n") {
					t.Errorf("part %d doesn't end at a line break", i)
				}
				all.WriteString(visible)
			}
			if all.String() != tt.text.String() {
				t.Error("the parts together don't show the original text")
			}
		})
	}
}

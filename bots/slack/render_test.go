package slack

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bizconnect/bizconnect/core"
	"github.com/slack-go/slack"
)

func TestRenderSections(t *testing.T) {
	tests := []struct {
		name string
		text core.Text
		want string
	}{
		{"plain escaped", core.Text{{Text: "a < b && c > d"}}, "a &lt; b &amp;&amp; c &gt; d"},
		{"styles", core.Text{{Text: "x "}, {Text: "bold", Style: core.Bold}, {Text: " "}, {Text: "it", Style: core.Italic}, {Text: " "}, {Text: "code", Style: core.Code}},
			"x *bold* _it_ `code`"},
		{"whitespace kept outside markers", core.Text{{Text: "a"}, {Text: " b ", Style: core.Bold}, {Text: "c"}}, "a *b* c"},
		{"markers inside a styled span", core.Text{{Text: "2*3=6", Style: core.Bold}, {Text: " "}, {Text: "snake_case", Style: core.Italic}},
			"*2∗3=6* _snakeˍcase_"},
		{"glued to a word", core.Text{{Text: "total:"}, {Text: "5", Style: core.Bold}, {Text: "h"}}, "total:\u200b*5*\u200bh"},
		{"bold over lines", core.Text{{Text: "one\ntwo", Style: core.Bold}}, "*one*\n*two*"},
		{"plain asterisks escaped only", core.Text{{Text: "a*b_c"}}, "a*b_c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := renderSections(tt.text)
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("renderSections = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRenderSplitsLongText(t *testing.T) {
	var text core.Text
	for utf8.RuneCountInString(text.String()) < 10000 {
		text = append(text, core.Span{Text: "Milestone "}, core.Span{Text: "<ship & v2>", Style: core.Bold}, core.Span{Text: " by Friday\n"})
	}
	parts := renderSections(text)
	if len(parts) < 5 {
		t.Fatalf("%d sections, want ≥ 5 (escaping grows the text)", len(parts))
	}
	for i, p := range parts {
		if n := utf8.RuneCountInString(p); n > maxSectionText {
			t.Errorf("section %d: %d characters", i, n)
		}
		if !strings.HasPrefix(p, "Milestone") || strings.Count(p, "*")%2 != 0 {
			t.Errorf("section %d doesn't start at a line or has unbalanced markers: %q…", i, p[:40])
		}
	}
}

func TestRenderCutsOneHugeLine(t *testing.T) {
	parts := renderSections(core.Text{{Text: strings.Repeat("&", 7000)}})
	total := 0
	for _, p := range parts {
		if utf8.RuneCountInString(p) > maxSectionText {
			t.Errorf("section of %d characters", utf8.RuneCountInString(p))
		}
		if strings.Contains(strings.ReplaceAll(p, "&amp;", ""), "&") {
			t.Error("an entity was cut")
		}
		total += strings.Count(p, "&amp;")
	}
	if total != 7000 {
		t.Errorf("%d ampersands survived, want 7000", total)
	}
}

func TestButtonsWrapAtFive(t *testing.T) {
	var row []core.Button
	for i := range 7 {
		row = append(row, core.Button{Label: "b", Payload: string(rune('a' + i))})
	}
	bs, err := actionBlocks([][]core.Button{row})
	if err != nil || len(bs) != 2 {
		t.Fatalf("%d blocks, %v; want 2", len(bs), err)
	}
}

// TestBlocksLayout: a reply's title is a header, its closing note context under the text, people
// in user text stay mentions while any other markup is escaped, and buttons come last.
func TestBlocksLayout(t *testing.T) {
	r := core.Reply{Text: core.Text{
		{Text: "Plan for today, Tue 1 Dec", Style: core.Heading},
		{Text: "\n☐ call <@U02ABC|lena> about <https://evil|the deal> & <!channel>"},
		{Text: "\n\n2 tasks · 1 h", Style: core.Note},
	}}
	r.Buttons = [][]core.Button{{{Label: "✅ 1. call", Payload: "t:done:1"}}}
	bs, err := blocks(r, maxMessageBlocks)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, b := range bs {
		kinds = append(kinds, string(b.BlockType()))
	}
	if strings.Join(kinds, " ") != "header section context actions" {
		t.Fatalf("blocks %v", kinds)
	}
	if h := bs[0].(*slack.HeaderBlock).Text; h.Type != slack.PlainTextType || h.Text != "Plan for today, Tue 1 Dec" {
		t.Errorf("header %+v", h)
	}
	want := "☐ call <@U02ABC|lena> about &lt;https://evil|the deal&gt; &amp; &lt;!channel&gt;"
	if s := bs[1].(*slack.SectionBlock).Text.Text; s != want {
		t.Errorf("section %q, want %q", s, want)
	}
	if c := bs[2].(*slack.ContextBlock).ContextElements.Elements[0].(*slack.TextBlockObject); c.Text != "2 tasks · 1 h" {
		t.Errorf("context %q", c.Text)
	}

	long := core.Reply{Text: core.Text{{Text: strings.Repeat("я", 400), Style: core.Heading}, {Text: "\nbody"}}}
	if bs, err := blocks(long, maxMessageBlocks); err != nil || utf8.RuneCountInString(bs[0].(*slack.HeaderBlock).Text.Text) > maxHeader {
		t.Errorf("a long title is not cut to a header's %d characters: %v", maxHeader, err)
	}
	if s := renderSections(core.Text{{Text: "<@U1> ", Style: core.Bold}, {Text: "<@lena> <@U1|x<y>"}}); s[0] != "*<@U1>* &lt;@lena&gt; &lt;@U1|x&lt;y&gt;" {
		t.Errorf("mentions %q", s[0])
	}
}

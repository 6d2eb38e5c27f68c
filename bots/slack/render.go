package slack

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bizconnect/bizconnect/core"
)

// Slack's limits, in characters.
const (
	maxSectionText = 3000 // a section block's text
	maxFallback    = 3000 // our cut of the notification text (Slack truncates at 40 000)
	maxChunk       = 500  // a piece of raw text rendered at once: escaped it stays under maxSectionText
)

// escaper escapes the three characters Slack's mrkdwn requires escaped.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// markers are the mrkdwn delimiters of each style, and what replaces the delimiter inside a span
// so user text can't close it early (Slack has no escape for them).
var markers = map[core.Style]struct{ mark, lookalike string }{
	core.Bold:    {"*", "∗"},
	core.Heading: {"*", "∗"},
	core.Italic:  {"_", "ˍ"},
	core.Note:    {"_", "ˍ"},
	core.Code:    {"`", "ˋ"},
}

// slackUserID is what a Mention span may hold: only this reaches the message unescaped.
var slackUserID = regexp.MustCompile(`^[UW][A-Z0-9]{1,20}$`)

// zwsp separates a delimiter from a neighbouring letter, so Slack still sees a word boundary.
const zwsp = "\u200b"

// chunk is a piece of a span, on one line, rendered as a unit.
// chunk is a piece of reply text in one style.
type chunk = core.Span

// renderSections renders t as mrkdwn texts of at most maxSectionText characters each, split
// after a line end when possible and always between chunks, so every delimiter is closed.
func renderSections(t core.Text) []string {
	cs := chunks(t)
	var (
		out  []string
		cur  strings.Builder
		size int
		nl   = -1 // cur[:nl] ends with a newline
	)
	flush := func(upto int) {
		s := cur.String()
		if upto < 0 || upto > len(s) {
			upto = len(s)
		}
		if part := strings.TrimSpace(s[:upto]); part != "" {
			out = append(out, part)
		}
		rest := s[upto:]
		cur.Reset()
		cur.WriteString(rest)
		size, nl = utf8.RuneCountInString(rest), -1
	}
	for i, c := range cs {
		piece := renderChunk(cs, i)
		n := utf8.RuneCountInString(piece)
		if size+n > maxSectionText && nl > 0 {
			flush(nl)
		}
		if size+n > maxSectionText {
			flush(-1)
		}
		cur.WriteString(piece)
		size += n
		if strings.HasSuffix(c.Text, "\n") {
			nl = cur.Len()
		}
	}
	flush(-1)
	return out
}

// chunks cuts spans after each newline and into pieces of at most maxChunk characters.
func chunks(t core.Text) []chunk {
	return t.Pieces(maxChunk, func(rune) int { return 1 })
}

// renderChunk renders cs[i] as mrkdwn. A styled chunk keeps its surrounding whitespace outside
// the delimiters (Slack ignores "* x *"), swaps delimiter characters in its text for lookalikes
// and is set apart from neighbouring letters by a zero-width space.
func renderChunk(cs []chunk, i int) string {
	c := cs[i]
	if c.Style == core.Mention {
		if slackUserID.MatchString(c.Text) {
			return "<@" + c.Text + ">"
		}
		return escaper.Replace(c.Text)
	}
	m, styled := markers[c.Style]
	body := strings.TrimSpace(c.Text)
	if !styled || body == "" {
		return escapeKeepingMentions(c.Text)
	}
	lead := c.Text[:strings.Index(c.Text, body)]
	trail := c.Text[len(lead)+len(body):]
	var b strings.Builder
	b.WriteString(lead)
	if lead == "" && i > 0 && endsInWord(cs[i-1].Text) {
		b.WriteString(zwsp)
	}
	b.WriteString(m.mark)
	b.WriteString(escapeKeepingMentions(strings.ReplaceAll(body, m.mark, m.lookalike)))
	b.WriteString(m.mark)
	if trail == "" && i+1 < len(cs) && startsInWord(cs[i+1].Text) {
		b.WriteString(zwsp)
	}
	b.WriteString(trail)
	return b.String()
}

// userMention is a mention as Slack writes it in a user's own text (<@U123>, <@U123|lena>).
var userMention = regexp.MustCompile(`<@[UW][A-Z0-9]{1,20}(\|[^<>&]{0,80})?>`)

// escapeKeepingMentions escapes user text for mrkdwn but keeps the people it mentions: a title
// like "созвон с <@U02ABC>" shows the person, while no other markup gets through.
func escapeKeepingMentions(s string) string {
	if !strings.Contains(s, "<@") {
		return escaper.Replace(s)
	}
	var b strings.Builder
	last := 0
	for _, loc := range userMention.FindAllStringIndex(s, -1) {
		b.WriteString(escaper.Replace(s[last:loc[0]]))
		b.WriteString(s[loc[0]:loc[1]])
		last = loc[1]
	}
	b.WriteString(escaper.Replace(s[last:]))
	return b.String()
}

func endsInWord(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return s != "" && !unicode.IsSpace(r)
}

func startsInWord(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return s != "" && !unicode.IsSpace(r)
}

// fallback is the plain notification text of a reply: escaped, without markup, cut short.
func fallback(t core.Text) string {
	s := strings.TrimSpace(t.String())
	if utf8.RuneCountInString(s) > maxFallback {
		r := []rune(s)
		s = string(r[:maxFallback-1]) + "…"
	}
	return escaper.Replace(s)
}

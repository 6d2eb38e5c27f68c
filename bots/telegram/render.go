package telegram

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/bizconnect/bizconnect/core"
)

// Telegram's limits on visible text, measured in UTF-16 code units after entity parsing.
const (
	maxTextLen    = 4096
	maxCaptionLen = 1024
)

// escaper escapes what Telegram's HTML parse mode requires: '<', '>' and '&'.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// chunk is a piece of a span that is never split further.
// chunk is a piece of reply text in one style.
type chunk = core.Span

// renderParts renders t as Telegram HTML split into messages: the first of at most first visible
// characters, the others of at most rest. Splits fall on line ends when possible and always
// between chunks, so every part has balanced tags.
func renderParts(t core.Text, first, rest int) []string {
	var out []string
	for _, p := range pack(chunks(t, min(first, rest)), first, rest) {
		if html := renderHTML(p); strings.TrimSpace(html) != "" {
			out = append(out, html)
		}
	}
	return out
}

// chunks cuts spans after each newline and into pieces of at most limit visible characters.
func chunks(t core.Text, limit int) []chunk {
	return t.Pieces(limit, utf16.RuneLen)
}

// pack groups chunks into parts within the limits, breaking after the last newline that fits.
func pack(cs []chunk, first, rest int) [][]chunk {
	var (
		parts  [][]chunk
		cur    []chunk
		size   int
		lastNL = -1 // cur[:lastNL] ends with a newline
	)
	for _, c := range cs {
		n := visibleLen(c.Text)
		limit := first
		if len(parts) > 0 {
			limit = rest
		}
		if size+n > limit && lastNL > 0 {
			parts = append(parts, cur[:lastNL])
			cur, lastNL = append([]chunk(nil), cur[lastNL:]...), -1
			size = chunksLen(cur)
		}
		if size+n > limit && len(cur) > 0 {
			parts = append(parts, cur)
			cur, size, lastNL = nil, 0, -1
		}
		cur = append(cur, c)
		size += n
		if strings.HasSuffix(c.Text, "\n") {
			lastNL = len(cur)
		}
	}
	if len(cur) > 0 {
		parts = append(parts, cur)
	}
	return parts
}

// renderHTML writes chunks as HTML, merging neighbours of the same style.
func renderHTML(cs []chunk) string {
	var b strings.Builder
	for i := 0; i < len(cs); {
		j := i
		var text strings.Builder
		for ; j < len(cs) && cs[j].Style == cs[i].Style; j++ {
			text.WriteString(cs[j].Text)
		}
		open, closing := tags(cs[i].Style)
		b.WriteString(open)
		b.WriteString(escaper.Replace(text.String()))
		b.WriteString(closing)
		i = j
	}
	return b.String()
}

func tags(s core.Style) (string, string) {
	switch s {
	case core.Bold, core.Heading:
		return "<b>", "</b>"
	case core.Italic, core.Note:
		return "<i>", "</i>"
	case core.Code:
		return "<code>", "</code>"
	}
	return "", ""
}

func chunksLen(cs []chunk) int {
	n := 0
	for _, c := range cs {
		n += visibleLen(c.Text)
	}
	return n
}

// visibleLen counts UTF-16 code units, the unit of Telegram's length limits.
func visibleLen(s string) int {
	n := 0
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		n += max(utf16.RuneLen(r), 1)
		s = s[size:]
	}
	return n
}

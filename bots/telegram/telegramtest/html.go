package telegramtest

import (
	"fmt"
	"html"
	"strings"
	"unicode/utf16"
)

// htmlTags are the tags Telegram's HTML parse mode supports.
var htmlTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true, "s": true,
	"strike": true, "del": true, "span": true, "tg-spoiler": true, "a": true, "code": true,
	"pre": true, "blockquote": true, "tg-emoji": true,
}

// ParseHTML checks s the way the Bot API parses parse_mode=HTML and returns the visible text.
// It is stricter than Telegram about a bare '&' and '<', which must be escaped.
func ParseHTML(s string) (string, error) {
	var (
		out   strings.Builder
		stack []string
	)
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				return "", fmt.Errorf("can't parse entities: unclosed start tag at byte offset %d", i)
			}
			var err error
			if stack, err = parseTag(s[i+1:i+end], stack, i); err != nil {
				return "", err
			}
			i += end + 1
		case '&':
			end := strings.IndexByte(s[i:], ';')
			if end < 0 || !validEntity(s[i:i+end+1]) {
				return "", fmt.Errorf("can't parse entities: unsupported HTML entity at byte offset %d", i)
			}
			out.WriteString(html.UnescapeString(s[i : i+end+1]))
			i += end + 1
		default:
			out.WriteByte(s[i])
			i++
		}
	}
	if len(stack) > 0 {
		return "", fmt.Errorf("can't parse entities: can't find end tag corresponding to start tag %q", stack[len(stack)-1])
	}
	return out.String(), nil
}

func parseTag(tag string, stack []string, offset int) ([]string, error) {
	if name, ok := strings.CutPrefix(tag, "/"); ok {
		if len(stack) == 0 || stack[len(stack)-1] != name {
			return nil, fmt.Errorf("can't parse entities: unexpected end tag at byte offset %d", offset)
		}
		return stack[:len(stack)-1], nil
	}
	name, _, _ := strings.Cut(tag, " ")
	if !htmlTags[name] {
		return nil, fmt.Errorf("can't parse entities: unsupported start tag %q at byte offset %d", name, offset)
	}
	return append(stack, name), nil
}

func validEntity(e string) bool {
	switch e {
	case "&lt;", "&gt;", "&amp;", "&quot;":
		return true
	}
	return strings.HasPrefix(e, "&#") && html.UnescapeString(e) != e
}

// VisibleLen is the length Telegram's limits measure: UTF-16 code units of the visible text.
func VisibleLen(visible string) int {
	return len(utf16.Encode([]rune(visible)))
}

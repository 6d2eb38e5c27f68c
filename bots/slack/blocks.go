package slack

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/bizconnect/bizconnect/core"
	"github.com/slack-go/slack"
)

// Block Kit limits.
const (
	maxButtonsPerBlock = 5    // ours: Slack allows 25, but rows wider than 5 read badly
	maxButtonValue     = 2000 // bytes of a button's value
	maxButtonLabel     = 75   // characters of a button's text
	maxMessageBlocks   = 50
	maxHeader          = 150 // characters of a header block
	maxHomeBlocks      = 100
)

// blocks lays a reply out as Block Kit: a leading Heading as a header, mrkdwn sections, a
// trailing Note as a context line, then one actions block per button row (rows wider than
// maxButtonsPerBlock are wrapped). Button action ids are "b0", "b1"… in order.
func blocks(r core.Reply, limit int) ([]slack.Block, error) {
	var out []slack.Block
	text := r.Text
	if r.Image != nil && r.Image.Caption != "" {
		text = append(core.Text{{Text: r.Image.Caption + "\n"}}, text...)
	}
	// a leading Heading is the header; a closing Note (a summary, a hint) is context
	if len(text) > 0 && text[0].Style == core.Heading && strings.TrimSpace(text[0].Text) != "" {
		title := strings.TrimSpace(text[0].Text)
		if r := []rune(title); len(r) > maxHeader {
			title = string(r[:maxHeader-1]) + "…"
		}
		out = append(out, slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, title, true, false)))
		text = text[1:]
	}
	var note []string
	if n := len(text); n > 1 && text[n-1].Style == core.Note {
		note = renderSections(core.Text{{Text: strings.TrimSpace(text[n-1].Text)}})
		text = text[:n-1]
	}
	for _, s := range renderSections(text) {
		out = append(out, slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, s, false, false), nil, nil))
	}
	for _, s := range note {
		out = append(out, slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, s, false, false)))
	}
	actions, err := actionBlocks(r.Buttons)
	if err != nil {
		return nil, err
	}
	out = append(out, actions...)
	if len(out) > limit {
		return nil, fmt.Errorf("slack: render: %d blocks, at most %d allowed: %w", len(out), limit, core.ErrPermanent)
	}
	return out, nil
}

func actionBlocks(rows [][]core.Button) ([]slack.Block, error) {
	var (
		out []slack.Block
		n   int
	)
	for _, row := range rows {
		for start := 0; start < len(row); start += maxButtonsPerBlock {
			var els []slack.BlockElement
			for _, b := range row[start:min(start+maxButtonsPerBlock, len(row))] {
				el, err := button(b, n)
				if err != nil {
					return nil, err
				}
				els = append(els, el)
				n++
			}
			out = append(out, slack.NewActionBlock("", els...))
		}
	}
	return out, nil
}

// button builds the n-th button; payloads Slack would refuse are programming errors.
func button(b core.Button, n int) (*slack.ButtonBlockElement, error) {
	label := strings.TrimSpace(b.Label)
	if l := len(b.Payload); l == 0 || l > maxButtonValue || label == "" {
		return nil, fmt.Errorf("slack: render: button %q: payload of %d bytes (1–%d allowed) or empty label: %w",
			b.Label, l, maxButtonValue, core.ErrPermanent)
	}
	if r := []rune(label); len(r) > maxButtonLabel {
		label = string(r[:maxButtonLabel-1]) + "…"
	}
	return slack.NewButtonBlockElement("b"+strconv.Itoa(n), b.Payload,
		slack.NewTextBlockObject(slack.PlainTextType, label, true, false)), nil
}

// Package console is the terminal adapter: `bizconnect chat` talks to the assistant line by
// line, with buttons shown as numbered choices. It reads until EOF, so it can be scripted, and
// keeps no state of its own: one process per message carries the same dialog on.
package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/chat"
)

// Handler is the part of the assistant the chat needs.
type Handler interface {
	Handle(ctx context.Context, in core.Inbound) ([]core.Reply, error)
}

// Chat is one terminal conversation.
type Chat struct {
	Handler  Handler
	User     string // the user's name, also their console identity
	TimeZone string // the machine's zone, for a new user
	LangHint string // the machine's language ($LANG, e.g. "ru_RU.UTF-8"), for a new user
	In       io.Reader
	Out      io.Writer
	// Prompt shows "> " before each line, for people at a terminal.
	Prompt bool
}

// Run reads messages until EOF or ctx ends and prints the replies.
func (c *Chat) Run(ctx context.Context) error {
	sc := bufio.NewScanner(c.In)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for {
		if c.Prompt {
			fmt.Fprint(c.Out, "> ")
		}
		if !sc.Scan() {
			return sc.Err()
		}
		if ctx.Err() != nil {
			return nil
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		in := core.Inbound{
			Provider: core.ProviderConsole, ExternalUserID: c.User, UserName: c.User, ChatID: c.User,
			ChatType: core.ChatPrivate, Text: line, TimeZone: c.TimeZone, LangHint: c.LangHint, ReceivedAt: time.Now(),
		}
		replies, err := c.Handler.Handle(ctx, in)
		if err != nil {
			replies = []core.Reply{chat.FailureReply(in, err)}
		}
		for _, r := range replies {
			fmt.Fprint(c.Out, Render(r))
		}
	}
}

// Render writes a reply as terminal text: the text, then its buttons numbered from 1.
func Render(r core.Reply) string {
	var b strings.Builder
	b.WriteString(r.Text.String())
	b.WriteString("\n")
	n := 0
	for _, row := range r.Buttons {
		for _, btn := range row {
			n++
			fmt.Fprintf(&b, "  [%d] %s\n", n, btn.Label)
		}
	}
	b.WriteString("\n")
	return b.String()
}

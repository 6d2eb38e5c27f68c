// Package console is the terminal adapter: `bizconnect chat` talks to the assistant line by
// line, with buttons shown as numbered choices. It reads until EOF, so it can be scripted, and
// keeps no state of its own: one process per message carries the same dialog on. Replies that
// come later (an LLM plan made by a job) reach it as a core.Sender.
package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
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

	mu  sync.Mutex // Out is written by Run and by Send
	seq atomic.Int64
}

// Run reads messages until EOF or ctx ends and prints the replies.
func (c *Chat) Run(ctx context.Context) error {
	sc := bufio.NewScanner(c.In)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for {
		if c.Prompt {
			c.mu.Lock()
			fmt.Fprint(c.Out, "> ")
			c.mu.Unlock()
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
			Key:      fmt.Sprintf("console:%s:%d.%d", c.User, time.Now().UnixNano(), c.seq.Add(1)),
			Provider: core.ProviderConsole, ExternalUserID: c.User, UserName: c.User, ChatID: c.User,
			ChatType: core.ChatPrivate, Text: line, TimeZone: c.TimeZone, LangHint: c.LangHint, ReceivedAt: time.Now(),
		}
		replies, err := c.Handler.Handle(ctx, in)
		if err != nil {
			replies = []core.Reply{chat.FailureReply(in, err)}
		}
		c.mu.Lock()
		for _, r := range replies {
			fmt.Fprint(c.Out, Render(r))
		}
		c.mu.Unlock()
	}
}

// Send implements core.Sender: a reply that comes later is printed between the lines typed.
func (c *Chat) Send(_ context.Context, msg core.Outgoing) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.Prompt {
		fmt.Fprint(c.Out, "\r")
	}
	fmt.Fprint(c.Out, Render(msg.Reply))
	if c.Prompt {
		fmt.Fprint(c.Out, "> ")
	}
	return fmt.Sprint(msg.ID), nil
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

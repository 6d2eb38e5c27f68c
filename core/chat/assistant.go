// Package chat is the conversation: the Assistant answers each message or button press in one
// transaction — it understands the text, calls the operation it asks for (core/plan,
// core/progress, core/load, core/account) and renders the result as replies in the user's
// language. It keeps what it asked in the dialog between messages, and never decides a domain
// rule itself.
package chat

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/locale"
	"github.com/bizconnect/bizconnect/core/nlu"
	"github.com/bizconnect/bizconnect/core/openai"
)

// Assistant is the conversational core: one entry point for every platform.
type Assistant struct {
	store     core.Store
	nlu       core.Understander
	defaultTZ string
	logger    *slog.Logger
	llm       *openai.Client // nil or disabled: everything offline
	// calendarLinks makes Google Calendar connect links; nil: no calendar here
	calendarLinks CalendarLinks
}

// AssistantOptions configures an Assistant. The clock is the store's: one reading per
// transaction, for everything the turn computes and stamps.
type AssistantOptions struct {
	Store        core.Store
	Understander core.Understander
	// DefaultTZ is the time zone of new users whose platform gives none.
	DefaultTZ string
	Logger    *slog.Logger
	// LLM makes the plans of users whose tier has a token budget, as jobs (PlanJob) the store
	// schedules; nil plans offline.
	LLM *openai.Client
}

// NewAssistant returns an Assistant.
func NewAssistant(opts AssistantOptions) *Assistant {
	a := &Assistant{store: opts.Store, nlu: opts.Understander, defaultTZ: opts.DefaultTZ, logger: opts.Logger, llm: opts.LLM}
	if a.defaultTZ == "" {
		a.defaultTZ = "UTC"
	}
	if a.logger == nil {
		a.logger = slog.New(slog.DiscardHandler)
	}
	return a
}

// MaxTextLen bounds what the assistant reads of one message; longer text is cut, not refused.
const MaxTextLen = 4000

// Handle answers one inbound message or button press and returns the replies. It writes nothing
// to the outbox: the caller shows the replies itself (the terminal chat). A redelivered update
// (same key) returns no replies.
func (a *Assistant) Handle(ctx context.Context, in core.Inbound) ([]core.Reply, error) {
	return a.handle(ctx, in, false)
}

// Process answers one inbound message like Handle, but writes the replies to the outbox in the
// same transaction as the effects, for the delivery worker to send.
func (a *Assistant) Process(ctx context.Context, in core.Inbound) error {
	_, err := a.handle(ctx, in, true)
	return err
}

func (a *Assistant) handle(ctx context.Context, in core.Inbound, enqueue bool) ([]core.Reply, error) {
	in = in.Clean()
	in.Text = cleanText(in.Text)
	sc := core.InboundScope{
		Key:          in.Key,
		Identity:     core.IdentityRef{Provider: in.Provider, Workspace: in.Workspace, ExternalID: in.ExternalUserID, DisplayName: in.UserName},
		Chat:         dialogKey(in),
		ChatID:       in.ChatID,
		Defaults:     core.User{Name: in.UserName, Timezone: a.zoneFor(in), Locale: nlu.LangOf(in.LangHint, in.Text, "en")},
		PlatformRole: in.PlatformRole,
		Private:      in.ChatType == core.ChatPrivate,
	}
	var replies []core.Reply
	_, err := a.store.Inbound(ctx, sc, func(ctx context.Context, tx core.Tx, s *core.Session) error {
		if s.User.Suspended { // a notice, and nothing of theirs is read or changed
			replies = []core.Reply{{Text: core.Text{{Text: locale.T(s.User.Locale, "suspended")}}}}
			if enqueue {
				return tx.Enqueue(ctx, core.Addressed(in, replies))
			}
			return nil
		}
		t := a.newTurn(tx, s, in)
		if err := t.respond(ctx); err != nil {
			return err
		}
		if err := t.saveDialog(ctx, sc.Chat); err != nil {
			return err
		}
		if err := t.watchLoad(ctx); err != nil {
			return err
		}
		replies = t.replies
		if enqueue {
			return tx.Enqueue(ctx, core.Addressed(in, replies))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("assistant: %w", err)
	}
	return replies, nil
}

// FailureReply is what a user gets when their message could not be handled at all: for a
// refusal (err is EFORBIDDEN) that it isn't theirs to do, otherwise (the database is down, a bug,
// err nil) to try again, in their language.
func FailureReply(in core.Inbound, err error) core.Reply {
	key := "failure"
	if core.ErrorCode(err) == core.EFORBIDDEN {
		key = "forbidden"
	}
	return core.Reply{Text: core.Text{{Text: locale.T(nlu.LangOf(in.LangHint, in.Text, "en"), key)}}}
}

// UnreadableReply is what a user gets when their update could not even be stored: they are
// asked, in their language, to send it again in other words.
func UnreadableReply(in core.Inbound) core.Reply {
	return core.Reply{Text: core.Text{{Text: locale.T(nlu.LangOf(in.LangHint, in.Text, "en"), "unreadable")}}}
}

func (a *Assistant) zoneFor(in core.Inbound) string {
	if in.TimeZone != "" {
		if _, err := time.LoadLocation(in.TimeZone); err == nil {
			return in.TimeZone
		}
	}
	return a.defaultTZ
}

// chatKey names the conversation: the dialog state is kept per user and chat.
func chatKey(in core.Inbound) string {
	return string(in.Provider) + ":" + in.Workspace + ":" + in.ChatID
}

// dialogKey names the conversation whose dialog a message continues. A Telegram group has no
// messages for one person: what the assistant asks or offers someone there goes to their private
// chat (whose id is theirs), so that is where its answer comes from and where the dialog lives.
// Slack answers the asker alone in the channel itself, which keeps its own.
func dialogKey(in core.Inbound) string {
	if in.Provider == core.ProviderTelegram && in.ChatType == core.ChatGroup && in.ExternalUserID != "" {
		in.ChatID = in.ExternalUserID
	}
	return chatKey(in)
}

// cleanText makes a message's text (already storable: core.Inbound.Clean) one line without
// control characters, bounded by MaxTextLen.
func cleanText(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return ' '
		}
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, core.Truncate(s, MaxTextLen))
	return strings.TrimSpace(s)
}

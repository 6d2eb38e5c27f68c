package core

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Assistant is the conversational core: one entry point for every platform.
type Assistant struct {
	store     Store
	nlu       Understander
	nowFunc   func() time.Time
	defaultTZ string
	logger    *slog.Logger
}

// AssistantOptions configures an Assistant.
type AssistantOptions struct {
	Store        Store
	Understander Understander
	// NowFunc is the clock; time.Now when nil.
	NowFunc func() time.Time
	// DefaultTZ is the time zone of new users whose platform gives none.
	DefaultTZ string
	Logger    *slog.Logger
}

// NewAssistant returns an Assistant.
func NewAssistant(opts AssistantOptions) *Assistant {
	a := &Assistant{store: opts.Store, nlu: opts.Understander, nowFunc: opts.NowFunc, defaultTZ: opts.DefaultTZ, logger: opts.Logger}
	if a.nowFunc == nil {
		a.nowFunc = time.Now
	}
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
func (a *Assistant) Handle(ctx context.Context, in Inbound) ([]Reply, error) {
	return a.handle(ctx, in, false)
}

// Process answers one inbound message like Handle, but writes the replies to the outbox in the
// same transaction as the effects, for the delivery worker to send.
func (a *Assistant) Process(ctx context.Context, in Inbound) error {
	_, err := a.handle(ctx, in, true)
	return err
}

func (a *Assistant) handle(ctx context.Context, in Inbound, enqueue bool) ([]Reply, error) {
	in = in.Clean()
	in.Text = cleanText(in.Text)
	sc := InboundScope{
		Key:      in.Key,
		Identity: IdentityRef{Provider: in.Provider, Workspace: in.Workspace, ExternalID: in.ExternalUserID, DisplayName: in.UserName},
		Chat:     chatKey(in),
		ChatID:   in.ChatID,
		Defaults: User{Name: in.UserName, Timezone: a.zoneFor(in), Locale: a.localeFor(in)},
	}
	var replies []Reply
	_, err := a.store.Inbound(ctx, sc, func(ctx context.Context, tx Tx, s *Session) error {
		t := a.newTurn(tx, s, in)
		if err := t.respond(ctx); err != nil {
			return err
		}
		if t.dialogChanged {
			if err := tx.SaveDialog(ctx, sc.Chat, t.dialog); err != nil {
				return err
			}
		}
		replies = t.replies
		if enqueue {
			return tx.Enqueue(ctx, Addressed(in, replies))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("assistant: %w", err)
	}
	return replies, nil
}

// Addressed turns replies into outgoing messages back to where in came from.
func Addressed(in Inbound, replies []Reply) []Outgoing {
	out := make([]Outgoing, 0, len(replies))
	for i, r := range replies {
		o := Outgoing{Provider: in.Provider, Workspace: in.Workspace, ChatID: in.ChatID, ThreadID: in.ThreadID, UserID: in.ExternalUserID, Reply: r}
		if i == 0 {
			o.CallbackID = in.CallbackID
		}
		if r.Direct && in.ChatType == ChatGroup {
			// Slack shows it to the user alone in the channel; elsewhere it goes to the user's
			// private chat, whose id is the user's id (Telegram).
			if in.Provider == ProviderSlack {
				o.Reply.Ephemeral = true
			} else {
				o.ChatID, o.ThreadID, o.Reply.EditRef = in.ExternalUserID, "", ""
			}
		}
		out = append(out, o)
	}
	return out
}

// FailureReply is what a user gets when their message could not be handled at all (the database
// is down, a bug): they are told, in their language, to try again.
func FailureReply(in Inbound) Reply {
	return Reply{Text: Text{{Text: tr(langOf(in.LangHint, in.Text, "en"), "failure")}}}
}

// UnreadableReply is what a user gets when their update could not even be stored: they are
// asked, in their language, to send it again in other words.
func UnreadableReply(in Inbound) Reply {
	return Reply{Text: Text{{Text: tr(langOf(in.LangHint, in.Text, "en"), "unreadable")}}}
}

func (a *Assistant) zoneFor(in Inbound) string {
	if in.TimeZone != "" {
		if _, err := time.LoadLocation(in.TimeZone); err == nil {
			return in.TimeZone
		}
	}
	return a.defaultTZ
}

func (a *Assistant) localeFor(in Inbound) string { return langOf(in.LangHint, in.Text, "en") }

// langOf picks a language: the text's when it has letters, else the platform's hint, else def.
func langOf(hint, text, def string) string {
	if l := textLang(text); l != "" {
		return l
	}
	if strings.HasPrefix(strings.ToLower(hint), "ru") || strings.HasPrefix(strings.ToLower(hint), "uk") || strings.HasPrefix(strings.ToLower(hint), "be") {
		return "ru"
	}
	if hint != "" {
		return "en"
	}
	return def
}

// textLang is "ru" for text with Cyrillic letters, "en" for text with Latin letters only (at
// least two, not a command), "" otherwise.
func textLang(text string) string {
	latin := 0
	if strings.HasPrefix(text, "/") {
		return ""
	}
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Cyrillic, r):
			return "ru"
		case r < 128 && unicode.IsLetter(r):
			latin++
		}
	}
	if latin >= 2 {
		return "en"
	}
	return ""
}

// chatKey names the conversation: the dialog state is kept per user and chat.
func chatKey(in Inbound) string {
	return string(in.Provider) + ":" + in.Workspace + ":" + in.ChatID
}

// cleanText makes any input safe to work with: valid UTF-8, no control characters, bounded.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) > MaxTextLen {
		cut := MaxTextLen
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return ' '
		}
		if unicode.IsControl(r) || r == 0 {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

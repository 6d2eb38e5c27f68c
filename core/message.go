package core

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Provider names a messaging platform (and the identity provider of its users).
type Provider string

// Platforms the assistant talks on.
const (
	ProviderTelegram Provider = "telegram"
	ProviderSlack    Provider = "slack"
	ProviderConsole  Provider = "console"
)

// ChatType tells a one-to-one chat from a group or channel, where private data must not be shown.
type ChatType string

// Chat types.
const (
	ChatPrivate ChatType = "private"
	ChatGroup   ChatType = "group"
)

// Inbound is one verified, decoded message or button press from any platform.
type Inbound struct {
	// Key is the platform's update key, unique per platform and bot ("telegram:<bot>:<update_id>").
	// Recording it with the effects makes redelivery a no-op. Empty means "don't deduplicate".
	Key            string    `json:"key,omitempty"`
	Provider       Provider  `json:"provider"`
	Workspace      string    `json:"workspace,omitempty"` // the Slack team id; "" elsewhere
	ExternalUserID string    `json:"external_user_id"`
	UserName       string    `json:"user_name,omitempty"`
	ChatID         string    `json:"chat_id"`
	ChatType       ChatType  `json:"chat_type,omitempty"`
	ThreadID       string    `json:"thread_id,omitempty"` // Slack thread ts to reply in
	Text           string    `json:"text,omitempty"`
	Payload        string    `json:"payload,omitempty"`     // a pressed button's payload
	MessageRef     string    `json:"message_ref,omitempty"` // the message whose button was pressed
	CallbackID     string    `json:"callback_id,omitempty"` // Telegram callback query id to answer
	LangHint       string    `json:"lang_hint,omitempty"`   // the platform's language code, e.g. "ru", "en-US"
	Location       *Location `json:"location,omitempty"`    // a shared location
	TimeZone       string    `json:"time_zone,omitempty"`   // the platform's or machine's zone, for new users
	// ResponseURL is Slack's response_url of a command or an interaction: it answers the user
	// alone (ephemeral), even where the bot is not a member, and changes ephemeral messages.
	ResponseURL string `json:"response_url,omitempty"`
	// EphemeralRef means MessageRef is an ephemeral message (Slack): it can't be edited with
	// chat.update, only through ResponseURL.
	EphemeralRef bool `json:"ephemeral_ref,omitempty"`
	// PlatformRole is the sender's standing in their workspace ("owner", "admin" or ""), from
	// the platform (Slack's users.info), for their role when they join its team.
	PlatformRole string `json:"platform_role,omitempty"`
	// Goal is a goal filled in on a form (Slack's "new goal" modal): saved as it stands, in the
	// chat it was opened from.
	Goal       *GoalForm `json:"goal,omitempty"`
	ReceivedAt time.Time `json:"received_at"`
}

// GoalForm is a goal as a form gives it, each field on its own: nothing is guessed from the title.
type GoalForm struct {
	Title  string   `json:"title"`
	Target *float64 `json:"target,omitempty"`
	Unit   string   `json:"unit,omitempty"`
	Due    Date     `json:"due,omitzero"`
}

// Bounds of a goal form's fields, in characters.
const (
	MaxGoalTitle = 200
	MaxGoalUnit  = 25 // two bytes a Cyrillic letter: within MaxUnitLen
)

// Location is a point on Earth.
type Location struct {
	Latitude  float64 `json:"lat"`
	Longitude float64 `json:"lon"`
}

// Style is how a span of reply text is shown.
type Style uint8

// Styles of the small formatting subset every platform can render.
const (
	Plain Style = iota
	Bold
	Italic
	Code
	// Mention is a person, the span's text their platform user id: Slack shows it as a mention,
	// elsewhere it is the text as it is.
	Mention
	// Heading is a reply's title: Slack shows a leading one as a header, others show it bold.
	Heading
	// Note is a reply's closing remark (a summary, a hint): Slack shows a trailing one as a
	// context line under the text, others in italics.
	Note
)

// Span is a run of text in one style. Text is verbatim user-visible text: adapters escape it for
// their markup, so a task called "<b>x</b>" is shown as those characters.
type Span struct {
	Text  string `json:"t"`
	Style Style  `json:"s,omitempty"`
}

// Text is formatted reply text.
type Text []Span

// String returns the text without formatting.
func (t Text) String() string {
	var b strings.Builder
	for _, s := range t {
		b.WriteString(s.Text)
	}
	return b.String()
}

// Button is a choice offered with a reply; pressing it sends Payload back as Inbound.Payload.
type Button struct {
	Label   string `json:"label"`
	Payload string `json:"payload"`
}

// Image is a picture sent with a reply (charts).
type Image struct {
	PNG     []byte `json:"png"`
	Caption string `json:"caption,omitempty"`
}

// Reply is one platform-neutral message to the user.
type Reply struct {
	Text    Text       `json:"text"`
	Buttons [][]Button `json:"buttons,omitempty"` // rows of buttons
	Image   *Image     `json:"image,omitempty"`
	// EditRef, when set, asks the adapter to edit that earlier message instead of sending a new one
	// (e.g. a ✅ on the task whose done button was pressed).
	EditRef string `json:"edit_ref,omitempty"`
	// Ephemeral replies are shown only to the user who asked (Slack), where the platform can.
	Ephemeral bool `json:"ephemeral,omitempty"`
	// Team replies are the team's content (its goals, progress with credit, its report): the
	// only replies a group may see. In a group every other reply goes to its user alone.
	Team bool `json:"team,omitempty"`
	// Alert asks the platform to show Notice as a dialog rather than a passing toast (a
	// refusal of a pressed button).
	Alert bool `json:"alert,omitempty"`
	// Notice is a short toast for a pressed button (Telegram's answerCallbackQuery text).
	Notice string `json:"notice,omitempty"`
	// Home replies are a personal dashboard: Slack publishes them as the App Home tab.
	Home bool `json:"home,omitempty"`
}

// Outgoing is a reply addressed to a chat, as the delivery worker hands it to a Sender.
type Outgoing struct {
	ID         int64    // outbox row id; stable across retries
	Provider   Provider //
	Workspace  string
	ChatID     string
	ThreadID   string
	UserID     string // the external user id, for ephemeral messages
	CallbackID string // answer this callback query first, when set
	// ResponseURL answers through Slack's response_url of the command or interaction, when set.
	ResponseURL string
	Reply       Reply
	// PartsSent is how many parts of a reply too long for one message an earlier attempt
	// delivered; a Sender resumes after them. LastID is the platform's id of the last of them.
	PartsSent int
	LastID    string
	// Sending and Progress, when set, record durably what the Sender does. Sending is called
	// just before a message that would duplicate if sent twice is handed to the platform (after
	// any rate-limit wait; edits and answers are safe to repeat and need none); Progress after each
	// part of a multi-part reply but the last, with the platform's id of that part. A retry then
	// resumes after the delivered parts, and a crash can repeat at most the part in flight.
	Sending  func(ctx context.Context) error
	Progress func(ctx context.Context, parts int, externalID string) error
}

// MarkSending calls m.Sending when it is set.
func (m Outgoing) MarkSending(ctx context.Context) error {
	if m.Sending == nil {
		return nil
	}
	return m.Sending(ctx)
}

// Sender delivers replies on one platform, keeping to its rate limits (it may block until a send
// is allowed). It returns the platform's id of the message it sent or edited.
type Sender interface {
	Send(ctx context.Context, msg Outgoing) (externalID string, err error)
}

// RetryAfterError is returned by a Sender when the platform asked to wait (HTTP 429).
type RetryAfterError struct {
	After time.Duration
}

// Error implements the error interface.
func (e *RetryAfterError) Error() string { return fmt.Sprintf("rate limited: retry after %s", e.After) }

// ErrUnreachable is returned by a Sender when the user can't be written to any more (blocked the
// bot, deactivated): nothing more is sent until they write again.
var ErrUnreachable = errors.New("recipient unreachable")

// ErrWithdrawn is Sending's answer for a message withdrawn before it went (a cancelled
// broadcast): it is not sent, and that is its outcome.
var ErrWithdrawn = errors.New("the message was withdrawn before it went")

// ErrPermanent wraps a send error that retrying can't fix (a malformed message, a deleted chat).
var ErrPermanent = errors.New("permanent delivery failure")

// Pieces cuts t after each newline and into spans of at most limit units, as runeLen measures a
// character (1 for most platforms, UTF-16 units for Telegram), cutting after a space in the second
// half of a piece when there is one. Adapters use it to split long replies at safe places without
// breaking formatting: every piece keeps its span's style.
func (t Text) Pieces(limit int, runeLen func(rune) int) Text {
	var out Text
	for _, s := range t {
		for _, line := range strings.SplitAfter(s.Text, "\n") {
			for line != "" {
				var head string
				head, line = cutText(line, limit, runeLen)
				out = append(out, Span{Text: head, Style: s.Style})
			}
		}
	}
	return out
}

func cutText(s string, limit int, runeLen func(rune) int) (string, string) {
	n, lastSpace := 0, -1
	for i, r := range s {
		if n += runeLen(r); n > limit {
			if lastSpace > 0 {
				return s[:lastSpace], s[lastSpace:]
			}
			return s[:i], s[i:]
		}
		if r == ' ' && n > limit/2 {
			lastSpace = i + 1
		}
	}
	return s, ""
}

// Bounds on what an accepted update may carry into the database.
const (
	maxStoredText  = 64 << 10 // the assistant reads MaxTextLen of it; platforms send less
	maxStoredField = 512      // ids, names, payloads, language codes
)

// Clean returns in with every string made storable: valid UTF-8 without NUL (PostgreSQL refuses
// U+0000 in text and jsonb, so one such character would make an update fail forever) and within
// bounds. Adapters' updates pass through it before they are stored or processed.
func (in Inbound) Clean() Inbound {
	for _, f := range []*string{&in.Key, &in.Workspace, &in.ExternalUserID, &in.UserName, &in.ChatID,
		&in.ThreadID, &in.Payload, &in.MessageRef, &in.CallbackID, &in.LangHint, &in.TimeZone, &in.ResponseURL, &in.PlatformRole} {
		*f = storable(*f, maxStoredField)
	}
	in.Provider = Provider(storable(string(in.Provider), maxStoredField))
	in.ChatType = ChatType(storable(string(in.ChatType), maxStoredField))
	in.Text = storable(in.Text, maxStoredText)
	if in.Goal != nil {
		g := *in.Goal
		g.Title, g.Unit = storable(g.Title, maxStoredField), storable(g.Unit, maxStoredField)
		in.Goal = &g
	}
	return in
}

// storable drops NULs and invalid bytes and cuts s to at most limit bytes on a rune boundary.
func storable(s string, limit int) string {
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return Truncate(s, limit)
}

// Truncate cuts s to at most limit bytes without splitting a character.
func Truncate(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// Addressed turns replies into outgoing messages back to where in came from. In a group, a reply
// that is not Team content goes to its user alone: Slack shows it to them only, in the channel
// (ephemeral); elsewhere it goes to their private chat, whose id is their user id (Telegram).
func Addressed(in Inbound, replies []Reply) []Outgoing {
	out := make([]Outgoing, 0, len(replies))
	for i, r := range replies {
		o := Outgoing{Provider: in.Provider, Workspace: in.Workspace, ChatID: in.ChatID, ThreadID: in.ThreadID,
			UserID: in.ExternalUserID, ResponseURL: in.ResponseURL, Reply: r}
		if i == 0 {
			o.CallbackID = in.CallbackID
		}
		if in.ChatType == ChatGroup && !r.Team && !r.Home { // a Home reply is the user's own tab
			if in.Provider == ProviderSlack {
				o.Reply.Ephemeral = true
				if !in.EphemeralRef {
					o.Reply.EditRef = "" // a public message pressed is not replaced by a private answer
				}
			} else {
				o.ChatID, o.ThreadID, o.Reply.EditRef = in.ExternalUserID, "", ""
			}
		}
		if in.EphemeralRef && o.Reply.EditRef != "" {
			o.Reply.Ephemeral = true // an ephemeral message is only changed through response_url
		}
		out = append(out, o)
	}
	return out
}

// Installation is a Slack workspace's installation of the app, as the OAuth exchange returns it.
type Installation struct {
	TeamID, TeamName, BotToken, BotUserID, InstallerUserID, InstallerName string
	InstallerTimeZone                                                     string // IANA, from users.info; UTC when empty
}

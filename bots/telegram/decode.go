package telegram

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/bizconnect/bizconnect/core"
	"github.com/go-telegram/bot/models"
)

// Decode turns an update into an Inbound. It reports false for updates the assistant ignores:
// anything but new messages and button presses, messages from bots, group messages not addressed
// to the bot (by @mention, a reply to the bot or a command) and textless group messages. A
// textless private message (a sticker, a voice note) is passed on with empty text, so the user
// still gets an answer.
func (a *Adapter) Decode(u *models.Update) (core.Inbound, bool) {
	switch {
	case u == nil:
		return core.Inbound{}, false
	case u.Message != nil:
		return a.decodeMessage(u.ID, u.Message)
	case u.CallbackQuery != nil:
		return a.decodeCallback(u.ID, u.CallbackQuery)
	}
	return core.Inbound{}, false
}

// errUsernameUnknown means an update can't be decoded yet: a group message mentions a bot by
// @username, and getMe has not told us ours. It is delivered again later instead of ignored.
var errUsernameUnknown = errors.New("telegram: bot username not known yet")

// undecidable reports whether u must wait for the bot's username: a group message with an
// @mention or a /command@bot, before getMe succeeded.
func (a *Adapter) undecidable(u *models.Update) bool {
	if u == nil || u.Message == nil || u.Message.Chat.Type == models.ChatTypePrivate || a.Username() != "" {
		return false
	}
	m := u.Message
	text, ents := m.Text, m.Entities
	if text == "" {
		text, ents = m.Caption, m.CaptionEntities
	}
	for _, e := range ents {
		if e.Type == models.MessageEntityTypeMention || (e.Type == models.MessageEntityTypeBotCommand && strings.Contains(text, "@")) {
			return true
		}
	}
	return false
}

func (a *Adapter) decodeMessage(updateID int64, m *models.Message) (core.Inbound, bool) {
	if m.From == nil || m.From.IsBot {
		return core.Inbound{}, false
	}
	text, ents := m.Text, m.Entities
	if text == "" {
		text, ents = m.Caption, m.CaptionEntities
	}
	text, addressed, ok := a.address(text, ents)
	if r := m.ReplyToMessage; r != nil && r.From != nil && r.From.ID == a.botID {
		addressed = true
	}
	if !ok || (m.Chat.Type != models.ChatTypePrivate && !addressed) || (text == "" && m.Location == nil && m.Chat.Type != models.ChatTypePrivate) {
		return core.Inbound{}, false
	}
	in := a.inbound(updateID, m.From, m.Chat)
	in.Text = text
	in.ReceivedAt = time.Unix(int64(m.Date), 0).UTC()
	if l := m.Location; l != nil {
		in.Location = &core.Location{Latitude: l.Latitude, Longitude: l.Longitude}
	}
	return in, true
}

func (a *Adapter) decodeCallback(updateID int64, q *models.CallbackQuery) (core.Inbound, bool) {
	var (
		chat  models.Chat
		msgID int
	)
	switch {
	case q.Message.Message != nil:
		chat, msgID = q.Message.Message.Chat, q.Message.Message.ID
	case q.Message.InaccessibleMessage != nil:
		chat, msgID = q.Message.InaccessibleMessage.Chat, q.Message.InaccessibleMessage.MessageID
	default:
		return core.Inbound{}, false // inline-mode messages: the bot sends none
	}
	in := a.inbound(updateID, &q.From, chat)
	in.Payload = q.Data
	in.CallbackID = q.ID
	in.MessageRef = strconv.Itoa(msgID)
	in.ReceivedAt = a.now().UTC()
	return in, true
}

func (a *Adapter) inbound(updateID int64, from *models.User, chat models.Chat) core.Inbound {
	chatType := core.ChatGroup
	if chat.Type == models.ChatTypePrivate {
		chatType = core.ChatPrivate
	}
	return core.Inbound{
		Key:            fmt.Sprintf("telegram:%d:%d", a.botID, updateID),
		Provider:       core.ProviderTelegram,
		ExternalUserID: strconv.FormatInt(from.ID, 10),
		UserName:       strings.TrimSpace(from.FirstName + " " + from.LastName),
		ChatID:         strconv.FormatInt(chat.ID, 10),
		ChatType:       chatType,
		LangHint:       from.LanguageCode,
	}
}

// edit replaces length UTF-16 units at offset with repl.
type textEdit struct {
	offset, length int
	repl           string
}

// address strips the bot's @mentions and the @suffix of a command addressed to it, and reports
// whether the text addresses the bot. ok is false for a command addressed to another bot.
func (a *Adapter) address(text string, ents []models.MessageEntity) (clean string, addressed, ok bool) {
	u16 := utf16.Encode([]rune(text))
	username := a.Username()
	var edits []textEdit
	for _, e := range ents {
		if e.Offset < 0 || e.Length <= 0 || e.Offset+e.Length > len(u16) {
			continue
		}
		word := string(utf16.Decode(u16[e.Offset : e.Offset+e.Length]))
		switch e.Type {
		case models.MessageEntityTypeBotCommand:
			if e.Offset != 0 {
				continue
			}
			cmd, target, hasTarget := strings.Cut(word, "@")
			if hasTarget && username != "" && !strings.EqualFold(target, username) {
				return "", false, false
			}
			addressed = true
			edits = append(edits, textEdit{e.Offset, e.Length, cmd})
		case models.MessageEntityTypeMention:
			if username != "" && strings.EqualFold(strings.TrimPrefix(word, "@"), username) {
				addressed = true
				edits = append(edits, mentionEdit(u16, e))
			}
		case models.MessageEntityTypeTextMention:
			if e.User != nil && e.User.ID == a.botID {
				addressed = true
				edits = append(edits, mentionEdit(u16, e))
			}
		}
	}
	return tidy(applyEdits(u16, edits)), addressed, true
}

// mentionEdit removes a mention and the space after it.
func mentionEdit(u16 []uint16, e models.MessageEntity) textEdit {
	n := e.Length
	if end := e.Offset + n; end < len(u16) && u16[end] == ' ' {
		n++
	}
	return textEdit{offset: e.Offset, length: n}
}

// applyEdits applies edits given in increasing, non-overlapping order of offset.
func applyEdits(u16 []uint16, edits []textEdit) string {
	var b strings.Builder
	pos := 0
	for _, e := range edits {
		if e.offset < pos {
			continue
		}
		b.WriteString(string(utf16.Decode(u16[pos:e.offset])))
		b.WriteString(e.repl)
		pos = e.offset + e.length
	}
	b.WriteString(string(utf16.Decode(u16[pos:])))
	return b.String()
}

// tidy drops what a removed leading mention leaves behind ("@bot, what's today" → "what's today").
func tidy(s string) string {
	return strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(s), ",:;"))
}

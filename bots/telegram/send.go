package telegram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/bizconnect/bizconnect/core"
	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// maxCallbackData is Telegram's limit on callback_data, in bytes.
const maxCallbackData = 64

// part is one message of a reply: an HTML text, or a photo with an HTML caption.
type part struct {
	html  string
	photo []byte
}

// Send implements core.Sender: it answers the callback query, then edits msg.Reply.EditRef or
// sends the reply as one or more messages, and returns the id of the last message.
func (a *Adapter) Send(ctx context.Context, msg core.Outgoing) (string, error) {
	chat, err := chatRef(msg.ChatID)
	if err != nil {
		return "", err
	}
	markup, err := keyboard(msg.Reply.Buttons)
	if err != nil {
		return "", err
	}
	if msg.CallbackID != "" {
		a.answerCallback(ctx, msg.CallbackID, msg.Reply.Notice, msg.Reply.Alert)
	}
	parts := plan(msg.Reply)
	if len(parts) == 0 {
		if msg.CallbackID != "" {
			return "", nil // a notice alone
		}
		return "", fmt.Errorf("telegram: send message: empty reply: %w", core.ErrPermanent)
	}
	if msg.Reply.EditRef != "" && len(parts) == 1 && parts[0].photo == nil {
		if id, done, err := a.edit(ctx, chat, msg.Reply.EditRef, parts[0].html, markup); done || err != nil {
			return id, err
		}
	}
	return a.sendParts(ctx, chat, msg, parts, markup)
}

// plan lays a reply out as messages: the photo first, captioned with as much text as fits.
func plan(r core.Reply) []part {
	if r.Image == nil {
		var parts []part
		for _, html := range renderParts(r.Text, maxTextLen, maxTextLen) {
			parts = append(parts, part{html: html})
		}
		return parts
	}
	text := r.Text
	if r.Image.Caption != "" {
		text = append(core.Text{{Text: r.Image.Caption + "\n"}}, text...)
	}
	htmls := renderParts(text, maxCaptionLen, maxTextLen)
	if len(htmls) == 0 {
		htmls = []string{""}
	}
	parts := []part{{html: htmls[0], photo: r.Image.PNG}}
	for _, html := range htmls[1:] {
		parts = append(parts, part{html: html})
	}
	return parts
}

// sendParts sends the parts an earlier attempt didn't deliver (msg.PartsSent), the keyboard with
// the last one, recording each delivered part through msg.Progress before the next goes out.
func (a *Adapter) sendParts(ctx context.Context, chat chatID, msg core.Outgoing, parts []part, markup *inlineKeyboard) (string, error) {
	lastID := msg.LastID
	for i := min(msg.PartsSent, len(parts)); i < len(parts); i++ {
		var kb *inlineKeyboard
		if i == len(parts)-1 {
			kb = markup
		}
		msgID, err := a.sendPart(ctx, chat, msg, parts[i], kb)
		if err != nil {
			return "", err
		}
		lastID = msgID
		if i < len(parts)-1 && msg.Progress != nil {
			if err := msg.Progress(ctx, i+1, msgID); err != nil {
				return "", fmt.Errorf("telegram: record delivered part: %w", err)
			}
		}
	}
	a.log.Debug("telegram: sent reply", "chat_id", chat.key, "parts", len(parts))
	return lastID, nil
}

func (a *Adapter) sendPart(ctx context.Context, chat chatID, msg core.Outgoing, p part, kb *inlineKeyboard) (string, error) {
	inFlight := func(ctx context.Context) error {
		if err := msg.MarkSending(ctx); err != nil {
			return fmt.Errorf("record part in flight: %w", err)
		}
		return nil
	}
	done, err := a.wait(ctx, chat.key, chat.group, inFlight)
	if err != nil {
		return "", fmt.Errorf("telegram: send message: %w", err)
	}
	defer done()
	var sent *models.Message
	if p.photo != nil {
		params := &bot.SendPhotoParams{ChatID: chat.value, Caption: p.html, ParseMode: models.ParseModeHTML,
			Photo: &models.InputFileUpload{Filename: "chart.png", Data: bytes.NewReader(p.photo)}}
		if kb != nil {
			params.ReplyMarkup = kb
		}
		err := a.call(ctx, "send photo", func(ctx context.Context) (err error) {
			sent, err = a.bot.SendPhoto(ctx, params)
			return err
		})
		if err != nil {
			return "", err
		}
		return strconv.Itoa(sent.ID), nil
	}
	params := &bot.SendMessageParams{ChatID: chat.value, Text: p.html, ParseMode: models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: bot.True()}}
	if kb != nil {
		params.ReplyMarkup = kb
	}
	err = a.call(ctx, "send message", func(ctx context.Context) (err error) {
		sent, err = a.bot.SendMessage(ctx, params)
		return err
	})
	if err != nil {
		return "", err
	}
	return strconv.Itoa(sent.ID), nil
}

// edit replaces the text and keyboard of message ref. done is false when the message can't be
// edited (too old, deleted, a photo…) and a new message should be sent instead.
func (a *Adapter) edit(ctx context.Context, chat chatID, ref, html string, kb *inlineKeyboard) (id string, done bool, err error) {
	msgID, convErr := strconv.Atoi(ref)
	if convErr != nil {
		return "", false, nil
	}
	sent, err := a.wait(ctx, chat.key, chat.group, nil)
	if err != nil {
		return "", false, fmt.Errorf("telegram: edit message: %w", err)
	}
	defer sent()
	params := &bot.EditMessageTextParams{ChatID: chat.value, MessageID: msgID, Text: html, ParseMode: models.ParseModeHTML}
	if kb != nil {
		params.ReplyMarkup = kb
	}
	err = a.call(ctx, "edit message", func(ctx context.Context) error {
		_, err := a.bot.EditMessageText(ctx, params)
		return err
	})
	switch {
	case err == nil, isNotModified(err):
		return ref, true, nil
	case errors.Is(err, core.ErrPermanent):
		a.log.Debug("telegram: edit failed, sending a new message", "chat_id", chat.key, "error", err)
		return "", false, nil
	}
	return "", false, err
}

// answerCallback stops the button's spinner; failures don't matter (the query may be too old).
func (a *Adapter) answerCallback(ctx context.Context, id, notice string, alert bool) {
	if r := []rune(notice); len(r) > 200 {
		notice = string(r[:200])
	}
	_, err := a.bot.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: id, Text: notice, ShowAlert: alert && notice != ""})
	if err != nil {
		a.log.Debug("telegram: answer callback query failed", "error", err)
	}
}

// inlineKeyboard is the Bot API's InlineKeyboardMarkup with only the button fields we set. The
// library's InlineKeyboardButton holds copy_text as a struct, which omitempty never omits, so
// every button would carry two kinds and Telegram may refuse it (BUTTON_COPY_TEXT_INVALID).
type inlineKeyboard struct {
	InlineKeyboard [][]inlineButton `json:"inline_keyboard"`
}

// inlineButton is a callback button: exactly one optional field, as the Bot API requires.
type inlineButton struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data"`
}

// keyboard builds the inline keyboard; payloads Telegram would refuse are programming errors.
func keyboard(rows [][]core.Button) (*inlineKeyboard, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	kb := &inlineKeyboard{InlineKeyboard: make([][]inlineButton, 0, len(rows))}
	for _, row := range rows {
		var out []inlineButton
		for _, b := range row {
			if n := len(b.Payload); n == 0 || n > maxCallbackData || strings.TrimSpace(b.Label) == "" {
				return nil, fmt.Errorf("telegram: send message: button %q: payload of %d bytes (1–%d allowed) or empty label: %w",
					b.Label, n, maxCallbackData, core.ErrPermanent)
			}
			out = append(out, inlineButton{Text: b.Label, CallbackData: b.Payload})
		}
		if len(out) > 0 {
			kb.InlineKeyboard = append(kb.InlineKeyboard, out)
		}
	}
	return kb, nil
}

// chatID is a chat as the Bot API takes it (a number or "@channel") and as the limiter keys it.
type chatID struct {
	value any
	key   string
	group bool
}

func chatRef(s string) (chatID, error) {
	if strings.HasPrefix(s, "@") && len(s) > 1 {
		return chatID{value: s, key: s, group: true}, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id == 0 {
		return chatID{}, fmt.Errorf("telegram: send message: bad chat id %q: %w", s, core.ErrPermanent)
	}
	return chatID{value: id, key: s, group: id < 0}, nil
}

package telegramtest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Limits the real Bot API enforces.
const (
	MaxTextLen      = 4096 // visible characters of a message
	MaxCaptionLen   = 1024 // visible characters of a caption
	MaxCallbackData = 64   // bytes of callback_data
)

type sentMessage struct {
	id     int
	chatID string
	text   string // as sent, with markup
	markup string
}

type chatJSON struct {
	ID       int64  `json:"id"`
	Type     string `json:"type"`
	Username string `json:"username,omitempty"`
}

type photoSize struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
}

type messageJSON struct {
	MessageID int         `json:"message_id"`
	From      User        `json:"from"`
	Chat      chatJSON    `json:"chat"`
	Date      int64       `json:"date"`
	EditDate  int64       `json:"edit_date,omitempty"`
	Text      string      `json:"text,omitempty"`
	Caption   string      `json:"caption,omitempty"`
	Photo     []photoSize `json:"photo,omitempty"`
}

func (s *Server) sendMessage(c Call) (any, *Failure) {
	visible, f := checkText(c.Params["text"], c.Params["parse_mode"], MaxTextLen, "message is too long")
	if f != nil {
		return nil, f
	}
	if strings.TrimSpace(visible) == "" {
		return nil, failure(BadRequest("message text is empty"))
	}
	if f := checkMarkup(c.Params["reply_markup"]); f != nil {
		return nil, f
	}
	m := s.store(c.ChatID(), c.Params["text"], c.Params["reply_markup"])
	return s.messageJSON(m, visible, ""), nil
}

func (s *Server) sendPhoto(c Call) (any, *Failure) {
	visible, f := checkText(c.Params["caption"], c.Params["parse_mode"], MaxCaptionLen, "message caption is too long")
	if f != nil {
		return nil, f
	}
	if len(c.Files["photo"]) == 0 && !strings.HasPrefix(c.Params["photo"], "http") {
		return nil, failure(BadRequest("there is no photo in the request"))
	}
	if f := checkMarkup(c.Params["reply_markup"]); f != nil {
		return nil, f
	}
	m := s.store(c.ChatID(), "", c.Params["reply_markup"])
	out := s.messageJSON(m, "", visible)
	out.Photo = []photoSize{{FileID: fmt.Sprintf("photo-%d", m.id), FileUniqueID: fmt.Sprintf("u%d", m.id), Width: 800, Height: 600}}
	return out, nil
}

func (s *Server) editMessageText(c Call) (any, *Failure) {
	visible, f := checkText(c.Params["text"], c.Params["parse_mode"], MaxTextLen, "message is too long")
	if f != nil {
		return nil, f
	}
	if f := checkMarkup(c.Params["reply_markup"]); f != nil {
		return nil, f
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.messages[c.ChatID()+"/"+c.Params["message_id"]]
	switch {
	case !ok:
		return nil, failure(BadRequest("message to edit not found"))
	case m.text == "":
		return nil, failure(BadRequest("there is no text in the message to edit"))
	case m.text == c.Params["text"] && m.markup == c.Params["reply_markup"]:
		return nil, failure(BadRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"))
	}
	m.text, m.markup = c.Params["text"], c.Params["reply_markup"]
	out := s.messageJSON(m, visible, "")
	out.EditDate = time.Now().Unix()
	return out, nil
}

func (s *Server) setWebhook(c Call) (any, *Failure) {
	if !strings.HasPrefix(c.Params["url"], "https://") && !strings.HasPrefix(c.Params["url"], "http://") && c.Params["url"] != "" {
		return nil, failure(BadRequest("bad webhook: An HTTPS URL must be provided for webhook"))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhook = webhook{url: c.Params["url"], secret: c.Params["secret_token"]}
	return true, nil
}

func (s *Server) setMyCommands(c Call) (any, *Failure) {
	var cmds []struct{ Command, Description string }
	if err := json.Unmarshal([]byte(c.Params["commands"]), &cmds); err != nil {
		return nil, failure(BadRequest("can't parse commands JSON object"))
	}
	for _, cmd := range cmds {
		if cmd.Command == "" || len(cmd.Command) > 32 || cmd.Description == "" || len(cmd.Description) > 256 {
			return nil, failure(BadRequest("BOT_COMMAND_INVALID"))
		}
	}
	return true, nil
}

// store records a sent message under a new id.
func (s *Server) store(chatID, text, markup string) *sentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := &sentMessage{id: s.nextMsg, chatID: chatID, text: text, markup: markup}
	s.nextMsg++
	s.messages[chatID+"/"+strconv.Itoa(m.id)] = m
	return m
}

func (s *Server) messageJSON(m *sentMessage, text, caption string) messageJSON {
	id, _ := strconv.ParseInt(m.chatID, 10, 64)
	chat := chatJSON{ID: id, Type: "private"}
	switch {
	case id == 0:
		chat.Type, chat.Username = "channel", strings.TrimPrefix(m.chatID, "@")
	case id < 0:
		chat.Type = "supergroup"
	}
	return messageJSON{MessageID: m.id, From: s.Bot(), Chat: chat, Date: time.Now().Unix(), Text: text, Caption: caption}
}

func checkText(text, parseMode string, limit int, tooLong string) (string, *Failure) {
	visible := text
	if strings.EqualFold(parseMode, "HTML") {
		v, err := ParseHTML(text)
		if err != nil {
			return "", failure(BadRequest(err.Error()))
		}
		visible = v
	}
	if VisibleLen(visible) > limit {
		return "", failure(BadRequest(tooLong))
	}
	return visible, nil
}

// buttonKinds are the optional fields of an InlineKeyboardButton, of which exactly one is used.
var buttonKinds = []string{"url", "callback_data", "web_app", "login_url", "switch_inline_query",
	"switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text", "callback_game", "pay"}

// checkMarkup refuses an inline keyboard the way the Bot API does: a button needs a text and
// exactly one kind; callback_data is 1–64 bytes; copy_text needs a text of 1–256 characters.
func checkMarkup(markup string) *Failure {
	if markup == "" {
		return nil
	}
	var m struct {
		InlineKeyboard [][]map[string]json.RawMessage `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(markup), &m); err != nil {
		return failure(BadRequest("can't parse reply keyboard markup JSON object"))
	}
	for _, row := range m.InlineKeyboard {
		for _, b := range row {
			var text string
			if json.Unmarshal(b["text"], &text) != nil || text == "" {
				return failure(BadRequest("inline keyboard button text must be non-empty"))
			}
			var kinds []string
			for _, k := range buttonKinds {
				if v, ok := b[k]; ok && string(v) != "null" && string(v) != "false" {
					kinds = append(kinds, k)
				}
			}
			if len(kinds) != 1 {
				return failure(BadRequest(fmt.Sprintf("can't parse inline keyboard button: exactly one of the optional fields must be used, got %v", kinds)))
			}
			switch kinds[0] {
			case "callback_data":
				var data string
				if json.Unmarshal(b["callback_data"], &data) != nil || len(data) == 0 || len(data) > MaxCallbackData {
					return failure(BadRequest("BUTTON_DATA_INVALID"))
				}
			case "copy_text":
				var ct struct{ Text string }
				if json.Unmarshal(b["copy_text"], &ct) != nil || ct.Text == "" || len([]rune(ct.Text)) > 256 {
					return failure(BadRequest("BUTTON_COPY_TEXT_INVALID"))
				}
			}
		}
	}
	return nil
}

func failure(f Failure) *Failure { return &f }

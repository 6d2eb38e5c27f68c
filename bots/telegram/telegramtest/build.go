package telegramtest

import (
	"encoding/json"
	"regexp"
	"strings"
	"time"
	"unicode/utf16"
)

// User is a Telegram user as updates and getMe describe it.
type User struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name,omitempty"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

// Message describes an incoming message; Update builds the update JSON Telegram would send.
type Message struct {
	UpdateID  int64     // 0 lets Server.PushUpdate pick one
	MessageID int       // 1 when 0
	From      User      // ID 1001 "Anna" with language "ru" when zero
	ChatID    int64     // From.ID (a private chat) when 0; negative ids are groups
	ChatType  string    // "private" for positive ids, "supergroup" for negative ones when ""
	Text      string    // bot_command and mention entities are computed from it
	Date      time.Time // now when zero
	ReplyTo   *Message  // the message replied to, e.g. one of the bot's (its From is the bot)
	Location  *[2]float64
}

// Callback describes a pressed inline button; Update builds the update JSON.
type Callback struct {
	UpdateID  int64
	ID        string // callback query id; "cbq-1" when ""
	From      User   // as in Message
	ChatID    int64  // From.ID when 0
	MessageID int    // the bot's message holding the button; 1 when 0
	Data      string // callback_data
}

// Update returns the update JSON for m.
func (m Message) Update() []byte {
	return marshalUpdate(m.UpdateID, "message", m.json())
}

// Update returns the update JSON for c.
func (c Callback) Update() []byte {
	from := defaultUser(c.From)
	msg := Message{MessageID: c.MessageID, ChatID: c.ChatID, From: User{ID: 1, IsBot: true, FirstName: "Bot"}, Text: "…"}
	if msg.ChatID == 0 {
		msg.ChatID = from.ID
	}
	id := c.ID
	if id == "" {
		id = "cbq-1"
	}
	return marshalUpdate(c.UpdateID, "callback_query", map[string]any{
		"id": id, "from": from, "message": msg.json(), "chat_instance": "-42", "data": c.Data,
	})
}

func marshalUpdate(id int64, kind string, body any) []byte {
	b, err := json.Marshal(map[string]any{"update_id": id, kind: body})
	if err != nil {
		panic(err)
	}
	return b
}

func defaultUser(u User) User {
	if u.ID == 0 {
		return User{ID: 1001, FirstName: "Anna", LastName: "Petrova", Username: "anna", LanguageCode: "ru"}
	}
	return u
}

func (m Message) json() map[string]any {
	from := defaultUser(m.From)
	chat := map[string]any{"id": m.ChatID, "type": m.ChatType}
	if m.ChatID == 0 {
		chat["id"] = from.ID
	}
	if m.ChatType == "" {
		chat["type"] = "private"
		if m.ChatID < 0 {
			chat["type"], chat["title"] = "supergroup", "Team"
		}
	}
	date := m.Date
	if date.IsZero() {
		date = time.Now()
	}
	out := map[string]any{"message_id": max(m.MessageID, 1), "from": from, "chat": chat, "date": date.Unix()}
	if m.Text != "" {
		out["text"] = m.Text
		if ents := entities(m.Text); len(ents) > 0 {
			out["entities"] = ents
		}
	}
	if m.ReplyTo != nil {
		r := *m.ReplyTo
		if r.ChatID == 0 {
			r.ChatID = chat["id"].(int64)
		}
		out["reply_to_message"] = r.json()
	}
	if m.Location != nil {
		out["location"] = map[string]float64{"latitude": m.Location[0], "longitude": m.Location[1]}
	}
	return out
}

var entityRE = regexp.MustCompile(`(^/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?)|(@[A-Za-z0-9_]{5,})`)

// entities finds the bot_command and mention entities Telegram would report, in UTF-16 offsets.
func entities(text string) []map[string]any {
	var out []map[string]any
	for _, loc := range entityRE.FindAllStringIndex(text, -1) {
		kind := "mention"
		if strings.HasPrefix(text[loc[0]:loc[1]], "/") {
			kind = "bot_command"
		}
		out = append(out, map[string]any{
			"type": kind, "offset": utf16Len(text[:loc[0]]), "length": utf16Len(text[loc[0]:loc[1]]),
		})
	}
	return out
}

func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }

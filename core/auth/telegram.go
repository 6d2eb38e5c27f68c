package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bizconnect/bizconnect/core"
)

// The Telegram Login Widget (core.telegram.org/widgets/login) sends the browser back with the
// user's id, names, photo, auth_date and hash: the HMAC-SHA-256, keyed by the SHA-256 of the
// bot's token, of the other fields as "key=value" lines in key order. A sign-in by it is the
// same user as the bot's chats with that Telegram account: its identity is the chat's.

// telegramFields are the widget's fields; nothing else takes part in the check.
var telegramFields = []string{"auth_date", "first_name", "id", "last_name", "photo_url", "username"}

// telegramTTL is how old a widget's answer may be; each works once within it.
const telegramTTL = time.Hour

// ErrBadTelegramLogin refuses widget data that is not Telegram's, is old, or was used before.
var ErrBadTelegramLogin = core.Errorf(core.EINVALID, "the Telegram login is invalid, expired or used")

// Telegram reports whether the Telegram Login Widget is configured (TELEGRAM_BOT_TOKEN).
func (s *Service) Telegram() bool { return s.cfg.TelegramBotToken != "" && s.cfg.Flows != nil }

// TelegramSignIn checks the widget's data and opens a session of the user of that Telegram
// account: the one who chats with the bot, else a new one.
func (s *Service) TelegramSignIn(ctx context.Context, data map[string]string, userAgent string) (*Session, error) {
	if !s.Telegram() {
		return nil, ErrUnknownProvider
	}
	hash, err := s.checkTelegram(data)
	if err != nil {
		return nil, err
	}
	fresh, err := s.cfg.Flows.UseOnce(ctx, hashToken("telegram:"+hash), s.now().Add(telegramTTL))
	if err != nil {
		return nil, err
	}
	if !fresh {
		return nil, ErrBadTelegramLogin
	}
	name := strings.TrimSpace(data["first_name"] + " " + data["last_name"])
	user, err := s.cfg.Flows.IdentityUser(ctx, Identity{Provider: "telegram", Subject: data["id"], Name: core.Truncate(name, 200)})
	if err != nil {
		return nil, err
	}
	return s.SessionFor(ctx, user, "telegram", userAgent)
}

// checkTelegram verifies data's hash and age and returns the hash.
func (s *Service) checkTelegram(data map[string]string) (string, error) {
	hash := data["hash"]
	if len(hash) != 64 {
		return "", ErrBadTelegramLogin
	}
	id, err := strconv.ParseInt(data["id"], 10, 64)
	if err != nil || id <= 0 {
		return "", ErrBadTelegramLogin
	}
	at, err := strconv.ParseInt(data["auth_date"], 10, 64)
	if err != nil {
		return "", ErrBadTelegramLogin
	}
	if age := s.now().Sub(time.Unix(at, 0)); age > telegramTTL || age < -time.Minute {
		return "", fmt.Errorf("%w: auth_date is %v old", ErrBadTelegramLogin, age.Round(time.Second))
	}
	got, err := hex.DecodeString(hash)
	if err != nil || !hmac.Equal(got, TelegramHash(s.cfg.TelegramBotToken, data)) {
		return "", ErrBadTelegramLogin
	}
	return hash, nil
}

// TelegramHash is the widget's hash of data for the bot token (the fake Bot API signs with it).
func TelegramHash(botToken string, data map[string]string) []byte {
	var lines []string
	for _, k := range telegramFields {
		if v, ok := data[k]; ok {
			if len(v) > 1024 {
				return nil
			}
			lines = append(lines, k+"="+v)
		}
	}
	slices.Sort(lines)
	key := sha256.Sum256([]byte(botToken))
	m := hmac.New(sha256.New, key[:])
	m.Write([]byte(strings.Join(lines, "\n")))
	return m.Sum(nil)
}

package telegramtest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// LoginWidget is what the Telegram Login Widget sends the browser back with after user id
// (named first, with username) authorized at at, signed as Telegram signs it for this bot:
// data-check-string of the sorted fields, HMAC-SHA-256 keyed by SHA-256 of the bot token.
func (s *Server) LoginWidget(id int64, first, username string, at time.Time) url.Values {
	v := url.Values{"id": {strconv.FormatInt(id, 10)}, "first_name": {first}, "auth_date": {strconv.FormatInt(at.Unix(), 10)}}
	if username != "" {
		v.Set("username", username)
	}
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	lines := make([]string, len(keys))
	for i, k := range keys {
		lines[i] = k + "=" + v.Get(k)
	}
	secret := sha256.Sum256([]byte(s.Token()))
	m := hmac.New(sha256.New, secret[:])
	m.Write([]byte(strings.Join(lines, "\n")))
	v.Set("hash", hex.EncodeToString(m.Sum(nil)))
	return v
}

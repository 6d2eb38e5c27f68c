package mail

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// Unsubscriber makes and checks the tokens of unsubscribe links: an address and a category,
// signed (HMAC-SHA-256), so that a link stops mail to its own address only and needs no stored
// state. They don't expire: a link in a mail from last year still works.
type Unsubscriber struct{ key []byte }

// NewUnsubscriber signs with a key derived from secret (the JWT secret: one secret to keep).
func NewUnsubscriber(secret []byte) *Unsubscriber {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("bizconnect mail unsubscribe"))
	return &Unsubscriber{key: m.Sum(nil)}
}

// Token is the token of email and category.
func (u *Unsubscriber) Token(email, category string) string {
	payload := base64.RawURLEncoding.EncodeToString([]byte(category + "\x00" + strings.ToLower(email)))
	return payload + "." + base64.RawURLEncoding.EncodeToString(u.sign(payload))
}

// Check returns the address and category of a token it made.
func (u *Unsubscriber) Check(token string) (email, category string, ok bool) {
	if len(token) > 1024 {
		return "", "", false
	}
	payload, sig, found := strings.Cut(token, ".")
	if !found {
		return "", "", false
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, u.sign(payload)) {
		return "", "", false
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return "", "", false
	}
	category, email, found = strings.Cut(string(raw), "\x00")
	return email, category, found && email != ""
}

func (u *Unsubscriber) sign(payload string) []byte {
	m := hmac.New(sha256.New, u.key)
	m.Write([]byte(payload))
	return m.Sum(nil)
}

package chat

import (
	"context"
	"crypto/rand"
	"strings"
	"time"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/locale"
)

// LinkCodeTTL is how long a /link code works.
const LinkCodeTTL = 10 * time.Minute

// linkAlphabet leaves out the letters and digits people confuse (0/O, 1/I/L).
const linkAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// NormalizeLinkCode is a code as stored: upper case, without the dash and spaces people type.
func NormalizeLinkCode(code string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(code)))
}

// linkCode answers /link with a one-time code to enter on the web: it links this chat's user to
// the web account, whose data they share from then on. The code is the user's alone: in a group
// it goes to their private chat.
func (t *turn) linkCode(ctx context.Context) error {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	for i := range b {
		b[i] = linkAlphabet[int(b[i])%len(linkAlphabet)]
	}
	code := string(b)
	if err := t.tx.CreateLinkCode(ctx, code, t.tx.Now().Add(LinkCodeTTL)); err != nil {
		return err
	}
	t.say(t.tr("link_code", code[:4]+"-"+code[4:], locale.Plural(t.lang, int(LinkCodeTTL/time.Minute), "minute_acc")))
	return nil
}

// LinkedReply tells the chat that it is now linked to a web account.
func LinkedReply(lang string) core.Reply {
	return core.Reply{Text: core.Text{{Text: "🔗 " + locale.T(lang, "link_done")}}}
}

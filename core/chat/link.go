package chat

import (
	"context"
	"time"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/locale"
)

// LinkCodeTTL is how long a /link code works.
const LinkCodeTTL = 10 * time.Minute

// NormalizeLinkCode is a code as stored: upper case, without the dash and spaces people type.
func NormalizeLinkCode(code string) string { return core.NormalizeCode(code) }

// linkCode answers /link with a one-time code to enter on the web: it links this chat's user to
// the web account, whose data they share from then on. The code is the user's alone: in a group
// it goes to their private chat.
func (t *turn) linkCode(ctx context.Context) error {
	code, err := core.NewCode()
	if err != nil {
		return err
	}
	if err := t.tx.CreateLinkCode(ctx, code, t.tx.Now().Add(LinkCodeTTL)); err != nil {
		return err
	}
	t.say(t.tr("link_code", core.ShowCode(code), locale.Plural(t.lang, int(LinkCodeTTL/time.Minute), "minute_acc")))
	return nil
}

// LinkedReply tells the chat that it is now linked to a web account.
func LinkedReply(lang string) core.Reply {
	return core.Reply{Text: core.Text{{Text: "🔗 " + locale.T(lang, "link_done")}}}
}

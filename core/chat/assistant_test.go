package chat_test

import (
	"context"
	"strings"

	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/chat"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/locale"
	"github.com/bizconnect/bizconnect/core/nlu"
	"github.com/bizconnect/bizconnect/core/postgres"
)

// now is the fixed clock of the dialog tests: Wednesday 25 November 2026, 10:00 in Moscow.
var now = time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("MSK", 3*3600))

type testBundle struct {
	db *coretest.TestDB
	a  *chat.Assistant
}

func setup(t testing.TB) *testBundle {
	t.Helper()
	db := coretest.NewDB(t)
	db.NowFunc = func() time.Time { return now } // the store's clock is the turn's clock
	return &testBundle{db: db, a: newAssistant(db)}
}

// newAssistant is a fresh assistant on db, like another process or instance would be.
func newAssistant(db *coretest.TestDB) *chat.Assistant {
	return chat.NewAssistant(chat.AssistantOptions{
		Store: postgres.NewStore(db.DB), Understander: nlu.Understander{}, DefaultTZ: "Europe/Moscow",
	})
}

func inbound(user, text string) core.Inbound {
	return core.Inbound{Provider: core.ProviderConsole, ExternalUserID: user, UserName: user, ChatID: user, ChatType: core.ChatPrivate, Text: text}
}

// say sends text as user and returns the replies, failing the test on error.
func (b *testBundle) say(t *testing.T, user, text string) []core.Reply {
	t.Helper()
	replies, err := b.a.Handle(context.Background(), inbound(user, text))
	if err != nil {
		t.Fatalf("%s: %q: %v", user, text, err)
	}
	if len(replies) == 0 {
		t.Fatalf("%s: %q: no reply", user, text)
	}
	return replies
}

// press presses a button as user.
func (b *testBundle) press(t *testing.T, user, payload string) []core.Reply {
	t.Helper()
	in := inbound(user, "")
	in.Payload, in.MessageRef = payload, "msg-1"
	replies, err := b.a.Handle(context.Background(), in)
	if err != nil {
		t.Fatalf("%s: press %q: %v", user, payload, err)
	}
	return replies
}

func text(replies []core.Reply) string {
	var parts []string
	for _, r := range replies {
		parts = append(parts, r.Text.String())
	}
	return strings.Join(parts, "\n---\n")
}

func buttons(replies []core.Reply) []core.Button {
	var out []core.Button
	for _, r := range replies {
		for _, row := range r.Buttons {
			out = append(out, row...)
		}
	}
	return out
}

func buttonWith(t *testing.T, replies []core.Reply, prefix string) core.Button {
	t.Helper()
	for _, b := range buttons(replies) {
		if strings.HasPrefix(b.Payload, prefix) {
			return b
		}
	}
	t.Fatalf("no button %q in %+v", prefix, buttons(replies))
	return core.Button{}
}

func contains(t *testing.T, replies []core.Reply, want ...string) {
	t.Helper()
	got := text(replies)
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("reply lacks %q:\n%s", w, got)
		}
	}
}

// notUnderstood fails unless the reply says, in lang, that the message was not understood (in
// any of the ways it varies).
func notUnderstood(t *testing.T, replies []core.Reply, lang string) {
	t.Helper()
	got := text(replies)
	for _, k := range []string{"unknown_1", "unknown_2", "unknown_3"} {
		if strings.Contains(got, locale.T(lang, k)) {
			return
		}
	}
	t.Errorf("reply does not say it did not understand (%s):\n%s", lang, got)
}

// row reads one value with the superuser, bypassing RLS, to check what was stored.
func row[T any](t *testing.T, b *testBundle, sql string, args ...any) T {
	t.Helper()
	var v T
	if err := b.db.Super.QueryRow(context.Background(), sql, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return v
}

func newAssistantStore(b *testBundle) *postgres.Store { return postgres.NewStore(b.db.DB) }

func userID(t *testing.T, b *testBundle, externalID string) uuid.UUID {
	t.Helper()
	return mustUUID(t, row[string](t, b, `SELECT user_id::text FROM identities WHERE external_id = $1`, externalID))
}

func mustUUID(t *testing.T, s string) uuid.UUID {
	t.Helper()
	id, err := uuid.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

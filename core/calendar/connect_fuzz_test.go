package calendar

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// FuzzTicket: whatever arrives as a link's t= or a callback's state, open never panics and
// accepts only what was signed, for its purpose.
func FuzzTicket(f *testing.F) {
	c := &Connector{Secret: []byte("0123456789abcdef0123456789abcdef")}
	user := uuid.MustParse("3f1c2a6e-8b7d-4c1e-9f0a-2b3c4d5e6f70")
	good := c.sign(ticket{user: user, expires: time.Now().Add(time.Hour), blocking: true, ru: true}, "link")
	f.Add(good)
	f.Add("")
	f.Add(".")
	f.Add(good[:len(good)-1])
	f.Fuzz(func(t *testing.T, s string) {
		tk, ok := c.open(s, "link")
		// the only tickets signed are the seed's (a worker signs its own, with another nonce)
		p, m, _ := strings.Cut(s, ".")
		payload, _ := base64.RawURLEncoding.DecodeString(p)
		canonical := base64.RawURLEncoding.EncodeToString(payload)+"."+base64.RawURLEncoding.EncodeToString(c.mac("link", payload)) == s && m != ""
		if ok && (!canonical || tk.user != user || !tk.blocking || !tk.ru) {
			t.Fatalf("accepted %q as %+v", s, tk)
		}
		if _, ok := c.open(s, "state"); ok {
			t.Fatalf("a link accepted as a state: %q", s)
		}
	})
}

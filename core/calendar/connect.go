package calendar

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"golang.org/x/oauth2"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/locale"
	"github.com/bizconnect/bizconnect/core/vault"
)

// The connect flow's paths, under the public URL.
const (
	ConnectPath  = "/calendar/google/connect"
	CallbackPath = "/calendar/google/callback"
)

// LinkTTL is how long a connect link from the chat works; StateTTL how long the consent may take.
const (
	LinkTTL  = 30 * time.Minute
	StateTTL = 10 * time.Minute
)

// cookieName binds the flow to the browser that started it and keeps its PKCE verifier.
const cookieName = "gcal_oauth"

// Connector runs the OAuth flow: a signed link from the chat opens ConnectPath, which sends the
// browser to Google's consent with a signed state and a PKCE challenge whose verifier stays in an
// HttpOnly cookie; CallbackPath checks both, exchanges the code and stores the sealed grant.
// Nothing is stored before the callback, and each state works once.
type Connector struct {
	Google    *Google
	Store     Store
	Vault     *vault.Vault
	Secret    []byte // signs links and states
	PublicURL string
	// UseState records a state as used and reports false when it was used before.
	UseState func(ctx context.Context, state string, expires time.Time) (bool, error)
	// Name is the name of the account a link is for, shown before the consent; nil: none.
	Name func(ctx context.Context, user uuid.UUID) (string, error)
	// Sync asks for the first sync of a new connection.
	Sync    func(ctx context.Context, user uuid.UUID) error
	NowFunc func() time.Time
	Logger  *slog.Logger
}

func (c *Connector) now() time.Time { return clock(c.NowFunc) }

// Link is the chat's connect link for user, in lang; blocking asks for time blocking too.
func (c *Connector) Link(user uuid.UUID, lang string, blocking bool) string {
	return c.PublicURL + ConnectPath + "?t=" + c.sign(ticket{user, c.now().Add(LinkTTL), blocking, lang == "ru"}, "link")
}

// ticket is what links and states carry.
type ticket struct {
	user     uuid.UUID
	expires  time.Time
	blocking bool
	ru       bool
}

// sign encodes t with 16 random bytes, signed for purpose: base64url(payload).base64url(mac).
func (c *Connector) sign(t ticket, purpose string) string {
	p := make([]byte, 0, 42)
	p = append(p, t.user[:]...)
	p = binary.BigEndian.AppendUint64(p, uint64(t.expires.Unix()))
	flags := byte(0)
	if t.blocking {
		flags |= 1
	}
	if t.ru {
		flags |= 2
	}
	p = append(p, flags)
	nonce := make([]byte, 16)
	rand.Read(nonce)
	p = append(p, nonce...)
	return base64.RawURLEncoding.EncodeToString(p) + "." + base64.RawURLEncoding.EncodeToString(c.mac(purpose, p))
}

// open checks a signed ticket for purpose and its expiry.
func (c *Connector) open(s, purpose string) (ticket, bool) {
	p, m, ok := strings.Cut(s, ".")
	strict := base64.RawURLEncoding.Strict() // one spelling per ticket: a used state can't come back respelt
	payload, err1 := strict.DecodeString(p)
	mac, err2 := strict.DecodeString(m)
	if !ok || err1 != nil || err2 != nil || len(payload) != 41 || !hmac.Equal(mac, c.mac(purpose, payload)) {
		return ticket{}, false
	}
	t := ticket{expires: time.Unix(int64(binary.BigEndian.Uint64(payload[16:24])), 0), blocking: payload[24]&1 != 0, ru: payload[24]&2 != 0}
	copy(t.user[:], payload[:16])
	return t, c.now().Before(t.expires)
}

func (c *Connector) mac(purpose string, payload []byte) []byte {
	h := hmac.New(sha256.New, c.Secret)
	h.Write([]byte("bizconnect calendar " + purpose + "\x00"))
	h.Write(payload)
	return h.Sum(nil)
}

// ServeConnect is GET ConnectPath?t=…: to Google's consent screen.
func (c *Connector) ServeConnect(w http.ResponseWriter, r *http.Request) {
	t, ok := c.open(r.URL.Query().Get("t"), "link")
	lang := t.lang()
	if !ok {
		page(w, http.StatusForbidden, lang, "calendar_page_expired")
		return
	}
	if r.URL.Query().Get("go") != "1" { // say whose account the calendar joins: a link forwarded is seen for what it is
		name := ""
		if c.Name != nil {
			name, _ = c.Name(r.Context(), t.user)
		}
		confirm(w, lang, name, r.URL.Path+"?"+r.URL.RawQuery+"&go=1")
		return
	}
	t.expires = c.now().Add(StateTTL)
	state, verifier := c.sign(t, "state"), oauth2.GenerateVerifier()
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: state + "~" + verifier, Path: "/calendar/google/", MaxAge: int(StateTTL / time.Second),
		HttpOnly: true, Secure: strings.HasPrefix(c.PublicURL, "https://"), SameSite: http.SameSiteLaxMode})
	scopes := []string{FreeBusyScope}
	if t.blocking {
		scopes = append(scopes, EventsScope)
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, c.Google.ConsentURL(state, verifier, scopes), http.StatusFound)
}

func (t ticket) lang() string {
	if t.ru {
		return "ru"
	}
	return "en"
}

// ServeCallback is GET CallbackPath?code=…&state=…: the grant stored, the first sync asked for.
func (c *Connector) ServeCallback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	state := q.Get("state")
	t, ok := c.open(state, "state")
	lang := t.lang()
	http.SetCookie(w, &http.Cookie{Name: cookieName, Path: "/calendar/google/", MaxAge: -1, HttpOnly: true})
	cookie, err := r.Cookie(cookieName)
	var verifier string
	if err == nil {
		var cs string
		cs, verifier, _ = strings.Cut(cookie.Value, "~")
		ok = ok && subtle.ConstantTimeCompare([]byte(cs), []byte(state)) == 1
	}
	switch {
	case q.Get("error") != "":
		page(w, http.StatusOK, lang, "calendar_page_cancelled")
		return
	case !ok || err != nil || verifier == "":
		page(w, http.StatusForbidden, lang, "calendar_page_expired")
		return
	}
	if fresh, err := c.UseState(r.Context(), state, t.expires); err != nil || !fresh {
		if err != nil {
			c.log().Error("calendar: state", "err", err)
		}
		page(w, http.StatusForbidden, lang, "calendar_page_expired")
		return
	}
	tok, scopes, err := c.Google.Exchange(r.Context(), q.Get("code"), verifier)
	if err != nil {
		c.log().Warn("calendar: exchange", "user", t.user, "err", err)
		page(w, http.StatusBadGateway, lang, "calendar_page_failed")
		return
	}
	if !slices.Contains(scopes, FreeBusyScope) { // the events scope alone doesn't read free/busy
		page(w, http.StatusOK, lang, "calendar_page_no_scope")
		return
	}
	err = c.Store.Connect(r.Context(), t.user, t.blocking && slices.Contains(scopes, EventsScope), func(id uuid.UUID) (Connection, error) {
		conn := Connection{ID: id, User: t.user, Status: core.CalendarActive, Scopes: scopes}
		return conn, Seal(c.Vault, &conn, tok)
	})
	if err == nil && c.Sync != nil {
		err = c.Sync(r.Context(), t.user)
	}
	if err != nil {
		c.log().Error("calendar: connect", "user", t.user, "err", err)
		page(w, http.StatusInternalServerError, lang, "calendar_page_failed")
		return
	}
	c.log().Info("calendar: connected", "user", t.user, "scopes", len(scopes))
	page(w, http.StatusOK, lang, "calendar_page_connected")
}

func (c *Connector) log() *slog.Logger { return orDiscard(c.Logger) }

// clock is now's time, or the wall clock's without one.
func clock(now func() time.Time) time.Time {
	if now != nil {
		return now()
	}
	return time.Now()
}

// orDiscard is l, or a logger that says nothing.
func orDiscard(l *slog.Logger) *slog.Logger {
	if l != nil {
		return l
	}
	return slog.New(slog.DiscardHandler)
}

// page answers a small HTML page in lang: the title and text are the locale's key and key_text.
func page(w http.ResponseWriter, status int, lang, key string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	title := locale.T(lang, key)
	fmt.Fprintf(w, "<!doctype html><html lang=%s><meta charset=utf-8><meta name=viewport content=\"width=device-width\"><title>%s</title><h1>%s</h1><p>%s</p>\n",
		lang, html.EscapeString(title), html.EscapeString(title), html.EscapeString(locale.T(lang, key+"_text")))
}

// confirm asks, in lang, whether to connect the calendar to the account of name, with a button
// that goes on to next.
func confirm(w http.ResponseWriter, lang, name, next string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	title := locale.T(lang, "calendar_page_confirm")
	fmt.Fprintf(w, "<!doctype html><html lang=%s><meta charset=utf-8><meta name=viewport content=\"width=device-width\"><title>%s</title><h1>%s</h1><p>%s</p><p><a href=\"%s\">%s</a></p>\n",
		lang, html.EscapeString(title), html.EscapeString(title), html.EscapeString(locale.T(lang, "calendar_page_confirm_text", name)),
		html.EscapeString(next), html.EscapeString(locale.T(lang, "calendar_page_continue")))
}

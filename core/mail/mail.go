// Package mail sends the product's email over SMTP with go-mail: every message has a plain-text
// part and, when it has one, an HTML part with its images inline (by Content-ID), and the
// List-Unsubscribe headers of RFC 2369 and RFC 8058 when it can be unsubscribed from.
package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Config is where the mail goes out (SMTP_*).
type Config struct {
	Host     string
	Port     int    // 587 when 0
	Username string // no authentication when empty
	Password string
	From     string // "Business Connect <noreply@example.com>"
	// TLS is "starttls" (required; the default), "tls" (implicit, port 465) or "none" (a local
	// relay or a test server only).
	TLS     string
	Timeout time.Duration // one connection and its messages; 30 s when 0
}

// Check reports what is wrong with c, when it is set at all.
func (c Config) Check() error {
	if c.Host == "" {
		return nil
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		return fmt.Errorf("SMTP_FROM %q is not an address: %w", c.From, err)
	}
	switch c.TLS {
	case "", "starttls", "tls", "none":
	default:
		return fmt.Errorf("SMTP_TLS is starttls, tls or none, not %q", c.TLS)
	}
	if c.Port < 0 || c.Port > 65535 {
		return fmt.Errorf("SMTP_PORT %d is not a port", c.Port)
	}
	return nil
}

// Message is one email to one address.
type Message struct {
	To      string
	Subject string
	Text    string // the plain-text part, always sent
	HTML    string // the HTML alternative; none when empty
	Inline  []Inline
	// Unsubscribe is the https URL that unsubscribes the address from this kind of mail with one
	// POST (RFC 8058); no such headers when empty.
	Unsubscribe string
	Lang        string // Content-Language: "ru", "en"
}

// Inline is a part the HTML shows by its Content-ID ("cid:chart").
type Inline struct {
	ContentID string
	Name      string // a file name, "chart.png"
	Type      string // "image/png"
	Data      []byte
}

// The bounds of a message: no mail server takes more, and nothing of ours needs it.
const (
	MaxSubject = 200
	MaxBody    = 1 << 20
	MaxInline  = 4 << 20
)

// ErrRefused wraps the server's refusal of a message (a 5xx reply: a bad address, a message too
// large): sending it again is no use.
var ErrRefused = errors.New("mail: refused")

// Sender sends messages through one SMTP server.
type Sender struct {
	cfg  Config
	from *mail.Address
}

// New returns a Sender for cfg (Check it first).
func New(cfg Config) (*Sender, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if cfg.Host == "" {
		return nil, errors.New("mail: no SMTP host")
	}
	from, _ := mail.ParseAddress(cfg.From)
	if cfg.Port == 0 {
		cfg.Port = 587
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	return &Sender{cfg: cfg, from: from}, nil
}

// Send delivers msgs in one SMTP session. A refusal of the server is ErrRefused; anything else
// (the server unreachable, a timeout) may be tried again.
func (s *Sender) Send(ctx context.Context, msgs ...Message) error {
	built := make([]*gomail.Msg, 0, len(msgs))
	for _, m := range msgs {
		b, err := s.Build(m)
		if err != nil {
			return err
		}
		built = append(built, b)
	}
	c, err := s.client()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	if err := c.DialAndSendWithContext(ctx, built...); err != nil {
		var se *gomail.SendError
		if errors.As(err, &se) && se.IsTemp() {
			return fmt.Errorf("mail: %w", err)
		}
		if errors.As(err, &se) && isPermanent(se) {
			return fmt.Errorf("%w: %v", ErrRefused, err)
		}
		return fmt.Errorf("mail: %w", err)
	}
	return nil
}

// isPermanent is whether the server refused the message itself (its envelope or its data) with
// a 5xx answer, rather than the connection failing.
func isPermanent(se *gomail.SendError) bool {
	switch se.Reason {
	case gomail.ErrSMTPMailFrom, gomail.ErrSMTPRcptTo, gomail.ErrSMTPData, gomail.ErrSMTPDataClose:
		return se.ErrorCode() >= 500
	}
	return false
}

func (s *Sender) client() (*gomail.Client, error) {
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(s.cfg.Timeout)}
	switch s.cfg.TLS {
	case "", "starttls":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case "tls":
		opts = append(opts, gomail.WithSSL())
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if s.cfg.Username != "" {
		mech := gomail.SMTPAuthAutoDiscover // the strongest the server offers, never PLAIN in the clear
		if s.cfg.TLS == "none" {
			mech = gomail.SMTPAuthPlainNoEnc // a local relay: said so by SMTP_TLS=none
		}
		opts = append(opts, gomail.WithSMTPAuth(mech),
			gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	return gomail.NewClient(s.cfg.Host, opts...)
}

// Build is m as go-mail's message: text, then HTML as its alternative with the inline parts
// related to it.
func (s *Sender) Build(m Message) (*gomail.Msg, error) {
	if len(m.Text) > MaxBody || len(m.HTML) > MaxBody {
		return nil, fmt.Errorf("%w: the body is over %d bytes", ErrRefused, MaxBody)
	}
	msg := gomail.NewMsg()
	msg.FromMailAddress(s.from)
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrRefused, err)
	}
	msg.Subject(trim(m.Subject, MaxSubject))
	msg.SetMessageID()
	msg.SetDate()
	if m.Lang != "" {
		msg.SetGenHeader(gomail.HeaderContentLang, m.Lang)
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	size := 0
	for _, in := range m.Inline {
		if size += len(in.Data); size > MaxInline {
			return nil, fmt.Errorf("%w: the inline parts are over %d bytes", ErrRefused, MaxInline)
		}
		if err := msg.EmbedReader(in.Name, bytes.NewReader(in.Data), gomail.WithFileContentID(in.ContentID),
			gomail.WithFileContentType(gomail.ContentType(in.Type))); err != nil {
			return nil, err
		}
	}
	if m.Unsubscribe != "" {
		// one click (RFC 8058) needs https; a development server's http URL is only advertised
		if err := msg.SetListUnsubscribeOneClick(m.Unsubscribe); errors.Is(err, gomail.ErrNoHTTPSUnsubURL) {
			msg.SetListUnsubscribe(m.Unsubscribe)
		} else if err != nil {
			return nil, err
		}
	}
	return msg, nil
}

// trim keeps a header on one line and within n bytes.
func trim(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8Start(s[n]) {
		n--
	}
	return s[:n]
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

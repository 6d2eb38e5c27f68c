// Package mailtest is an SMTP server in the test process (emersion/go-smtp) that keeps what it is
// sent and refuses what a real submission server refuses: mail before authentication (530),
// wrong credentials (535), a recipient it doesn't know (550 5.1.1, any address at a domain
// ending in .invalid), too many recipients, too big a message (552); and while Down, every
// message (421, temporary).
package mailtest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Server is the fake submission server.
type Server struct {
	Host     string
	Port     int
	Username string
	Password string

	srv  *smtp.Server
	mu   sync.Mutex
	got  []Received
	down bool
	wake chan struct{}
}

// Received is one message the server accepted.
type Received struct {
	From   string
	To     []string
	Raw    []byte
	Header mail.Header
	Text   string            // the text/plain part
	HTML   string            // the text/html part
	Inline map[string][]byte // related parts by Content-ID (without <>)
}

// Start runs a server on a free local port until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{Username: "bizconnect", Password: "smtp-secret", wake: make(chan struct{})}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true // the test's connection is local; a real server demands TLS first
	s.srv.MaxMessageBytes = 10 << 20
	s.srv.MaxRecipients = 50
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().(*net.TCPAddr)
	s.Host, s.Port = "127.0.0.1", addr.Port
	go func() { _ = s.srv.Serve(l) }()
	t.Cleanup(func() { _ = s.srv.Close() })
	return s
}

// Down makes the server refuse every message for a while (421), as one does under maintenance.
func (s *Server) Down(down bool) {
	s.mu.Lock()
	s.down = down
	s.mu.Unlock()
}

// Messages is what the server has accepted so far.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.got...)
}

// Wait returns the messages once there are at least n, or fails the test after within.
func (s *Server) Wait(t testing.TB, n int, within time.Duration) []Received {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	for {
		s.mu.Lock()
		got, wake := append([]Received(nil), s.got...), s.wake
		s.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-wake:
		case <-ctx.Done():
			t.Fatalf("mailtest: %d messages within %v, want %d", len(got), within, n)
		}
	}
}

// To is the last message to addr, or false.
func (s *Server) To(addr string) (Received, bool) {
	got := s.Messages()
	for i := len(got) - 1; i >= 0; i-- {
		for _, to := range got[i].To {
			if strings.EqualFold(to, addr) {
				return got[i], true
			}
		}
	}
	return Received{}, false
}

type session struct {
	s      *Server
	authed bool
	from   string
	to     []string
}

var _ smtp.AuthSession = (*session)(nil)

func (se *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (se *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != se.s.Username || pass != se.s.Password {
			return smtp.ErrAuthFailed
		}
		se.authed = true
		return nil
	}), nil
}

func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	if !se.authed {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	}
	se.s.mu.Lock()
	down := se.s.down
	se.s.mu.Unlock()
	if down {
		return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "Service not available, try again later"}
	}
	se.from = from
	return nil
}

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if strings.HasSuffix(strings.ToLower(to), ".invalid") {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user here"}
	}
	se.to = append(se.to, to)
	return nil
}

func (se *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err // too big: go-smtp answers 552
	}
	m, err := parse(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "Malformed message: " + err.Error()}
	}
	m.From, m.To = se.from, append([]string(nil), se.to...)
	se.s.mu.Lock()
	se.s.got = append(se.s.got, m)
	close(se.s.wake)
	se.s.wake = make(chan struct{})
	se.s.mu.Unlock()
	return nil
}

func (se *session) Reset()        { se.from, se.to = "", nil }
func (se *session) Logout() error { return nil }

// parse reads the message's parts, however deep their multiparts nest.
func parse(raw []byte) (Received, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Received{}, err
	}
	m := Received{Raw: raw, Header: msg.Header, Inline: map[string][]byte{}}
	return m, walk(&m, msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), "", msg.Body)
}

func walk(m *Received, contentType, encoding, contentID string, body io.Reader) error {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return err
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			if err := walk(m, p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"),
				strings.Trim(p.Header.Get("Content-Id"), "<>"), p); err != nil {
				return err
			}
		}
	}
	data, err := decode(encoding, body)
	if err != nil {
		return err
	}
	switch {
	case contentID != "":
		m.Inline[contentID] = data
	case mt == "text/plain":
		m.Text = string(data)
	case mt == "text/html":
		m.HTML = string(data)
	}
	return nil
}

package mail_test

import (
	"context"
	"errors"
	"mime"
	"strings"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/core/mail"
	"github.com/bizconnect/bizconnect/core/mail/mailtest"
)

func sender(t *testing.T, srv *mailtest.Server, user, pass string) *mail.Sender {
	t.Helper()
	s, err := mail.New(mail.Config{Host: srv.Host, Port: srv.Port, Username: user, Password: pass,
		From: "Business Connect <noreply@bizconnect.test>", TLS: "none", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSendsTextHTMLInlineAndUnsubscribe(t *testing.T) {
	srv := mailtest.Start(t)
	s := sender(t, srv, srv.Username, srv.Password)
	png := []byte("\x89PNG\r\n\x1a\nnot really a chart")
	err := s.Send(context.Background(), mail.Message{To: "anna@example.com", Subject: "Итоги недели: 5 задач",
		Text: "Привет!\nВот итоги.", HTML: `<p>Привет!</p><img src="cid:chart">`,
		Inline:      []mail.Inline{{ContentID: "chart", Name: "chart.png", Type: "image/png", Data: png}},
		Unsubscribe: "https://bizconnect.test/mail/unsubscribe?t=abc", Lang: "ru"})
	if err != nil {
		t.Fatal(err)
	}
	m := srv.Wait(t, 1, 5*time.Second)[0]
	if m.To[0] != "anna@example.com" || !strings.Contains(m.From, "noreply@bizconnect.test") {
		t.Errorf("envelope %s → %v", m.From, m.To)
	}
	if subj, _ := new(mimeDecoder).DecodeHeader(m.Header.Get("Subject")); subj != "Итоги недели: 5 задач" {
		t.Errorf("subject %q", subj)
	}
	if m.Text != "Привет!\nВот итоги." && m.Text != "Привет!\r\nВот итоги." {
		t.Errorf("text part %q", m.Text)
	}
	if !strings.Contains(m.HTML, `src="cid:chart"`) || string(m.Inline["chart"]) != string(png) {
		t.Errorf("html %q, inline %q", m.HTML, m.Inline)
	}
	if got := m.Header.Get("List-Unsubscribe"); got != "<https://bizconnect.test/mail/unsubscribe?t=abc>" {
		t.Errorf("List-Unsubscribe %q", got)
	}
	if m.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" || m.Header.Get("Content-Language") != "ru" {
		t.Errorf("headers %v", m.Header)
	}
}

func TestRefusalsAreTold(t *testing.T) {
	srv := mailtest.Start(t)
	ctx := context.Background()
	msg := mail.Message{To: "anna@example.com", Subject: "x", Text: "x"}
	if err := sender(t, srv, "", "").Send(ctx, msg); err == nil {
		t.Error("sent without authenticating")
	}
	if err := sender(t, srv, srv.Username, "wrong").Send(ctx, msg); err == nil {
		t.Error("sent with a wrong password")
	}
	s := sender(t, srv, srv.Username, srv.Password)
	if err := s.Send(ctx, mail.Message{To: "nobody@nowhere.invalid", Subject: "x", Text: "x"}); !errors.Is(err, mail.ErrRefused) {
		t.Errorf("unknown recipient: %v, want ErrRefused", err)
	}
	srv.Down(true)
	if err := s.Send(ctx, msg); err == nil || errors.Is(err, mail.ErrRefused) {
		t.Errorf("server down: %v, want a temporary error", err)
	}
	srv.Down(false)
	if err := s.Send(ctx, msg); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d messages accepted, want 1", n)
	}
	if err := s.Send(ctx, mail.Message{To: "a@example.com", Subject: "x", Text: strings.Repeat("x", mail.MaxBody+1)}); !errors.Is(err, mail.ErrRefused) {
		t.Errorf("a body over the bound: %v", err)
	}
}

func TestConfigCheck(t *testing.T) {
	for _, c := range []mail.Config{
		{Host: "smtp.example.com", From: "not an address"},
		{Host: "smtp.example.com", From: "a@example.com", TLS: "maybe"},
		{Host: "smtp.example.com", From: "a@example.com", Port: 70000},
	} {
		if c.Check() == nil {
			t.Errorf("%+v passed", c)
		}
	}
	if (mail.Config{}).Check() != nil || (mail.Config{Host: "smtp.example.com", From: "Bot <a@example.com>"}).Check() != nil {
		t.Error("a good config refused")
	}
}

type mimeDecoder = mime.WordDecoder

func TestUnsubscribeTokens(t *testing.T) {
	u := mail.NewUnsubscriber([]byte("a secret of at least thirty-two bytes!"))
	tok := u.Token("Anna@Example.com", "report")
	if email, cat, ok := u.Check(tok); !ok || email != "anna@example.com" || cat != "report" {
		t.Fatalf("Check(%q) = %q %q %v", tok, email, cat, ok)
	}
	other := mail.NewUnsubscriber([]byte("another secret of thirty-two bytes!!"))
	forged := other.Token("anna@example.com", "report")
	for _, bad := range []string{"", "x", tok + "x", forged, strings.Replace(tok, ".", "", 1), strings.Repeat("a", 2000)} {
		if _, _, ok := u.Check(bad); ok {
			t.Errorf("Check(%q) passed", bad)
		}
	}
}

package main

import (
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/core/mail/mailtest"
)

// mailEnv is the auth API with confirmation by mail through smtp.
func mailEnv(smtp *mailtest.Server) map[string]string {
	return map[string]string{"BC_JWT_SECRET": authEnv["BC_JWT_SECRET"], "AUTH_AUTOCONFIRM": "false", "PUBLIC_URL": "auto",
		"SMTP_HOST": smtp.Host, "SMTP_PORT": fmt.Sprint(smtp.Port), "SMTP_USERNAME": smtp.Username, "SMTP_PASSWORD": smtp.Password,
		"SMTP_FROM": "Business Connect <noreply@bizconnect.test>", "SMTP_TLS": "none"}
}

var (
	mailLinkRe = regexp.MustCompile(`http://127\.0\.0\.1:\d+/auth/v1/verify\?\S+`)
	mailCodeRe = regexp.MustCompile(`(?m)^(\d{6})\r?$`)
)

// noRedirects is a client that shows a redirect instead of following it.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// TestMailConfirmsAndResets: without autoconfirm a sign-up is confirmed by the link mailed to it
// (through the job queue, in the browser's language), which brings the browser back signed in
// and works once; a reset mailed while the SMTP server is down arrives when it is back, and
// its code signs in to set a new password; an unknown address gets the same answer and no mail;
// the one-click unsubscribe stops account mail to the address.
func TestMailConfirmsAndResets(t *testing.T) {
	t.Parallel()
	smtp := mailtest.Start(t)
	db, base := startApp(t, mailEnv(smtp))
	api := base + "/auth/v1"

	req, _ := http.NewRequest("POST", api+"/signup", strings.NewReader(`{"email":"Nina@Example.com","password":"long enough"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept-Language", "ru-RU,ru;q=0.9,en;q=0.8")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("sign-up: %v %v", resp, err)
	}
	resp.Body.Close()
	if status, e := authCall(t, "POST", api+"/token?grant_type=password", "", map[string]any{"email": "nina@example.com", "password": "long enough"}); status != 400 || e["error_code"] != "email_not_confirmed" {
		t.Fatalf("sign-in before confirming: %d %v", status, e)
	}
	m := smtp.Wait(t, 1, 10*time.Second)[0]
	if subj, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject")); subj != "Подтвердите почту для Business Connect" || m.To[0] != "nina@example.com" {
		t.Errorf("mail %q to %v", subj, m.To)
	}
	link := mailLinkRe.FindString(m.Text)
	if link == "" || m.HTML == "" {
		t.Fatalf("no link in\n%s", m.Text)
	}
	resp, err = noRedirects.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	to, _ := url.Parse(resp.Header.Get("Location"))
	frag, _ := url.ParseQuery(to.Fragment)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(to.String(), base) || frag.Get("access_token") == "" || frag.Get("type") != "signup" {
		t.Fatalf("the link: %d %s", resp.StatusCode, to)
	}
	if status, u := authCall(t, "GET", api+"/user", frag.Get("access_token"), nil); status != 200 || u["email_confirmed_at"] == nil {
		t.Errorf("the confirmed user: %d %v", status, u)
	}
	resp, _ = noRedirects.Get(link)
	resp.Body.Close()
	if again := resp.Header.Get("Location"); !strings.Contains(again, "#error=access_denied&error_code=otp_expired") {
		t.Errorf("the link a second time: %s", again)
	}

	// a reset while the mail server is down: River tries again
	smtp.Down(true)
	if status, out := authCall(t, "POST", api+"/recover", "", map[string]any{"email": "nina@example.com"}); status != 200 || len(out) != 0 {
		t.Fatalf("recover: %d %v", status, out)
	}
	time.Sleep(1500 * time.Millisecond)
	if n := len(smtp.Messages()); n != 1 {
		t.Fatalf("%d mails while the server is down", n)
	}
	smtp.Down(false)
	m = smtp.Wait(t, 2, 30*time.Second)[1]
	code := mailCodeRe.FindStringSubmatch(m.Text)
	if code == nil {
		t.Fatalf("no code in\n%s", m.Text)
	}
	if status, e := authCall(t, "POST", api+"/verify", "", map[string]any{"type": "recovery", "email": "nina@example.com", "token": "12345"}); status != 403 || e["error_code"] != "otp_expired" {
		t.Errorf("a wrong code: %d %v", status, e)
	}
	status, s := authCall(t, "POST", api+"/verify", "", map[string]any{"type": "recovery", "email": "nina@example.com", "token": code[1]})
	if status != 200 || s["access_token"] == nil {
		t.Fatalf("verify the code: %d %v", status, s)
	}
	if status, u := authCall(t, "PUT", api+"/user", s["access_token"].(string), map[string]any{"password": "a new password"}); status != 200 {
		t.Fatalf("new password: %d %v", status, u)
	}
	if status, _ := authCall(t, "POST", api+"/token?grant_type=password", "", map[string]any{"email": "nina@example.com", "password": "a new password"}); status != 200 {
		t.Errorf("sign-in with the new password: %d", status)
	}

	// an unknown address: the same answer, no mail
	if status, out := authCall(t, "POST", api+"/recover", "", map[string]any{"email": "nobody@example.com"}); status != 200 || len(out) != 0 {
		t.Errorf("recover an unknown address: %d %v", status, out)
	}
	// one click (RFC 8058) on the confirmation's List-Unsubscribe
	unsub := strings.Trim(smtp.Messages()[0].Header.Get("List-Unsubscribe"), "<>")
	resp, err = http.Post(unsub, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("unsubscribe: %v %v", resp, err)
	}
	resp.Body.Close()
	if n := db.Scalar(t, `SELECT count(*) FROM mail_suppressions WHERE email = 'nina@example.com' AND category = 'account'`); n != "1" {
		t.Errorf("%s suppressions", n)
	}
	if resp, _ := http.Post(unsub+"x", "application/x-www-form-urlencoded", nil); resp.StatusCode != 400 {
		t.Errorf("a forged unsubscribe: %d", resp.StatusCode)
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(smtp.Messages()); n != 2 {
		t.Errorf("%d mails, want 2 (none to an unknown address)", n)
	}
}

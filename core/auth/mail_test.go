package auth_test

import (
	"context"
	"errors"
	"mime"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/auth"
	"github.com/bizconnect/bizconnect/core/mail/mailtest"
)

var (
	linkRe = regexp.MustCompile(`https://bizconnect\.test/auth/v1/verify\?\S+`)
	codeRe = regexp.MustCompile(`(?m)^(\d{6})\r?$`)
)

// mailed is the link's query and the code of the last mail to addr.
func mailed(t *testing.T, srv *mailtest.Server, addr string) (url.Values, string, mailtest.Received) {
	t.Helper()
	m, ok := srv.To(addr)
	if !ok {
		t.Fatalf("no mail to %s", addr)
	}
	link := linkRe.FindString(m.Text)
	code := codeRe.FindStringSubmatch(m.Text)
	if link == "" || code == nil {
		t.Fatalf("mail to %s has no link or no code:\n%s", addr, m.Text)
	}
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.HTML, code[1]) || !strings.Contains(m.HTML, strings.ReplaceAll(link, "&", "&amp;")) {
		t.Errorf("the HTML part lacks the code or the link:\n%s", m.HTML)
	}
	return u.Query(), code[1], m
}

func subject(m mailtest.Received) string {
	s, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	return s
}

// TestSignUpIsConfirmedByMail: without autoconfirm a sign-up mails a link and a code in the
// account's language; the link confirms the address and signs in, once; until then the password
// is refused.
func TestSignUpIsConfirmedByMail(t *testing.T) {
	t.Parallel()
	s, db, smtp := mailService(t, false)
	ctx := context.Background()
	if _, _, err := s.SignUp(ctx, "olga@example.com", "long enough", nil, auth.Client{Lang: "ru", RedirectTo: "https://evil.example/steal"}); !errors.Is(err, auth.ErrBadRedirect) {
		t.Fatalf("a foreign redirect: %v", err)
	}
	sess, acc, err := s.SignUp(ctx, "olga@example.com", "long enough", nil, auth.Client{Lang: "ru"})
	if err != nil || sess != nil || acc.EmailConfirmedAt != nil {
		t.Fatalf("sign-up: %v %+v %v", sess, acc, err)
	}
	q, code, m := mailed(t, smtp, "olga@example.com")
	if got := subject(m); got != "Подтвердите почту для Business Connect" {
		t.Errorf("subject %q", got)
	}
	if q.Get("type") != "signup" || q.Get("redirect_to") != "https://app.bizconnect.test/welcome" {
		t.Errorf("link %v", q)
	}
	if !strings.Contains(m.Header.Get("List-Unsubscribe"), "https://bizconnect.test/mail/unsubscribe?t=") || m.Header.Get("Content-Language") != "ru" {
		t.Errorf("headers %v", m.Header)
	}
	if _, err := s.SignIn(ctx, "olga@example.com", "long enough", ""); !errors.Is(err, auth.ErrEmailNotConfirmed) {
		t.Fatalf("signed in before confirming: %v", err)
	}
	if _, _, err := s.VerifyLink(ctx, "recovery", q.Get("token"), ""); !errors.Is(err, auth.ErrTokenInvalid) {
		t.Errorf("a sign-up token used as a recovery one: %v", err)
	}
	sess, purpose, err := s.VerifyLink(ctx, "signup", q.Get("token"), "")
	if err != nil || purpose != "signup" || sess.User.EmailConfirmedAt == nil {
		t.Fatalf("verify: %v %q %v", sess, purpose, err)
	}
	claims, err := s.Verify(sess.AccessToken)
	if err != nil || claims.Subject != acc.ID.String() {
		t.Fatalf("the verified session's token: %v %v", claims, err)
	}
	if _, _, err := s.VerifyLink(ctx, "signup", q.Get("token"), ""); !errors.Is(err, auth.ErrTokenInvalid) {
		t.Errorf("a link worked twice: %v", err)
	}
	if _, err := s.VerifyCode(ctx, "signup", "olga@example.com", code, ""); !errors.Is(err, auth.ErrTokenInvalid) {
		t.Errorf("the code worked after the link: %v", err)
	}
	if _, err := s.SignIn(ctx, "olga@example.com", "long enough", ""); err != nil {
		t.Fatalf("sign-in after confirming: %v", err)
	}
	if n := db.Scalar(t, `SELECT count(*) FROM auth_tokens WHERE used_at IS NULL`); n != "0" {
		t.Errorf("%s tokens unused", n)
	}
}

// TestPasswordResetByCode: a reset mails whoever has the account, tells nobody else anything,
// and its code (bounded attempts) signs in so that the password can be changed.
func TestPasswordResetByCode(t *testing.T) {
	t.Parallel()
	s, _, smtp := mailService(t, true)
	ctx := context.Background()
	if _, _, err := s.SignUp(ctx, "petr@example.com", "old password", nil, auth.Client{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Recover(ctx, "nobody@example.com", ""); err != nil {
		t.Fatalf("an unknown address answered %v", err)
	}
	if err := s.Recover(ctx, " Petr@Example.com", ""); err != nil {
		t.Fatal(err)
	}
	if got := len(smtp.Messages()); got != 1 {
		t.Fatalf("%d mails, want 1 (none to an address without an account)", got)
	}
	_, code, m := mailed(t, smtp, "petr@example.com")
	if got := subject(m); got != "Reset your Business Connect password" {
		t.Errorf("subject %q", got)
	}
	wrong := "000000"
	if code == wrong {
		wrong = "000001"
	}
	if _, err := s.VerifyCode(ctx, "recovery", "petr@example.com", wrong, ""); !errors.Is(err, auth.ErrTokenInvalid) {
		t.Fatalf("a wrong code: %v", err)
	}
	sess, err := s.VerifyCode(ctx, "recovery", "PETR@example.com", code, "")
	if err != nil {
		t.Fatalf("the code: %v", err)
	}
	claims, _ := s.Verify(sess.AccessToken)
	if claims.AMR[0].Method != "recovery" {
		t.Errorf("amr %+v", claims.AMR)
	}
	newPass := "new password"
	if _, err := s.UpdateUser(ctx, claims, nil, &newPass, nil, auth.Client{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SignIn(ctx, "petr@example.com", "old password", ""); !errors.Is(err, auth.ErrInvalidCredentials) {
		t.Errorf("the old password still works: %v", err)
	}
	if _, err := s.SignIn(ctx, "petr@example.com", newPass, ""); err != nil {
		t.Errorf("the new password: %v", err)
	}
	// a second reset within the minute mails nothing more; guessing codes is bounded
	if err := s.Recover(ctx, "petr@example.com", ""); err != nil {
		t.Fatal(err)
	}
	if got := len(smtp.Messages()); got != 1 {
		t.Errorf("%d mails after a second reset within a minute, want 1", got)
	}
	var last error
	for range 12 {
		_, last = s.VerifyCode(ctx, "recovery", "petr@example.com", wrong, "")
	}
	if !errors.Is(last, auth.ErrTooMany) {
		t.Errorf("the twelfth guess: %v, want ErrTooMany", last)
	}
}

// TestEmailChangeWaitsForTheNewAddress: without autoconfirm a new email is only the account's
// once the mail to it is confirmed; a taken one is refused.
func TestEmailChangeWaitsForTheNewAddress(t *testing.T) {
	t.Parallel()
	s, db, smtp := mailService(t, false)
	ctx := context.Background()
	var id uuid.UUID
	for _, e := range []string{"taken@example.com", "rita@example.com"} {
		if err := db.Super.QueryRow(ctx, `INSERT INTO users (email, password_hash, email_confirmed_at) VALUES ($1, 'x', now()) RETURNING id`, e).Scan(&id); err != nil {
			t.Fatal(err)
		}
	}
	sess, err := s.SessionFor(ctx, id, "password", "")
	if err != nil {
		t.Fatal(err)
	}
	claims, _ := s.Verify(sess.AccessToken)
	taken := "taken@example.com"
	if _, err := s.UpdateUser(ctx, claims, &taken, nil, nil, auth.Client{}); core.ErrorCode(err) != core.ECONFLICT {
		t.Errorf("a taken address: %v", err)
	}
	next := "rita.new@example.com"
	acc, err := s.UpdateUser(ctx, claims, &next, nil, nil, auth.Client{})
	if err != nil || acc.Email != "rita@example.com" || acc.EmailChange != next {
		t.Fatalf("change asked: %+v %v", acc, err)
	}
	q, _, _ := mailed(t, smtp, next)
	if _, ok := smtp.To("rita@example.com"); ok {
		t.Error("the old address was mailed the new address's link")
	}
	if _, _, err := s.VerifyLink(ctx, "email_change", q.Get("token"), ""); err != nil {
		t.Fatal(err)
	}
	if got := db.Scalar(t, `SELECT email || ' ' || coalesce(email_change, '-') FROM users WHERE id = $1`, id); got != next+" -" {
		t.Errorf("after confirming: %s", got)
	}
}

// TestUnsubscribeStopsAccountMail: the List-Unsubscribe link of a confirmation stops the
// confirmations a stranger triggers by typing the address; a forged link stops nothing.
func TestUnsubscribeStopsAccountMail(t *testing.T) {
	t.Parallel()
	s, _, smtp := mailService(t, false)
	ctx := context.Background()
	if _, _, err := s.SignUp(ctx, "zoya@example.com", "long enough", nil, auth.Client{}); err != nil {
		t.Fatal(err)
	}
	_, _, m := mailed(t, smtp, "zoya@example.com")
	u, err := url.Parse(strings.Trim(m.Header.Get("List-Unsubscribe"), "<>"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Unsubscribe(ctx, u.Query().Get("t")+"x"); err == nil {
		t.Error("a forged token unsubscribed")
	}
	email, category, err := s.Unsubscribe(ctx, u.Query().Get("t"))
	if err != nil || email != "zoya@example.com" || category != auth.CategoryAccount {
		t.Fatalf("unsubscribe: %q %q %v", email, category, err)
	}
	s.SetClock(func() time.Time { return time.Now().Add(2 * time.Minute) }) // past the gap between mails
	if err := s.Resend(ctx, "signup", "zoya@example.com", ""); err != nil {
		t.Fatal(err)
	}
	if got := len(smtp.Messages()); got != 1 {
		t.Errorf("%d mails, want 1: the address unsubscribed", got)
	}
}

package auth_test

import (
	"context"
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core/auth"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/mail"
	"github.com/bizconnect/bizconnect/core/mail/mailtest"
	"github.com/bizconnect/bizconnect/core/postgres"
)

var secret = []byte("test-secret-test-secret-test-secret!")

// fast keeps the tests quick; the product's parameters are tested in password_test.go.
var fast = auth.Argon2{MemoryKiB: 1024, Time: 1, Threads: 1}

func service(t *testing.T, autoconfirm bool) (*auth.Service, *coretest.TestDB) {
	t.Helper()
	s, db, _ := mailService(t, autoconfirm)
	return s, db
}

// mailService is a service whose account mail goes at once (no job queue) to an SMTP server in
// the test.
func mailService(t *testing.T, autoconfirm bool) (*auth.Service, *coretest.TestDB, *mailtest.Server) {
	t.Helper()
	db := coretest.NewDB(t)
	smtp := mailtest.Start(t)
	sender, err := mail.New(mail.Config{Host: smtp.Host, Port: smtp.Port, Username: smtp.Username, Password: smtp.Password,
		From: "Business Connect <noreply@bizconnect.test>", TLS: "none"})
	if err != nil {
		t.Fatal(err)
	}
	var s *auth.Service
	store := directMail{Accounts: postgres.NewAccounts(db.DB), s: &s}
	s, err = auth.New(auth.Config{JWTSecret: secret, Issuer: "http://localhost/auth/v1", Autoconfirm: autoconfirm, Argon2: fast,
		Mail: sender, Mails: store, PublicURL: "https://bizconnect.test", RedirectURLs: []string{"https://app.bizconnect.test/welcome"}},
		store)
	if err != nil {
		t.Fatal(err)
	}
	return s, db, smtp
}

// directMail sends account mail as it is queued.
type directMail struct {
	*postgres.Accounts
	s **auth.Service
}

func (d directMail) QueueMail(ctx context.Context, j auth.MailJob) error {
	return (*d.s).SendMail(ctx, j)
}

// TestAccessTokenDrivesRowSecurity: a signed-up user's access token carries Supabase's claims,
// and those claims, set as PostgreSQL's request.jwt.claims, make auth.uid() that user: the
// rows row-level security shows are theirs alone.
func TestAccessTokenDrivesRowSecurity(t *testing.T) {
	t.Parallel()
	s, db := service(t, true)
	ctx := context.Background()
	sess, a, err := s.SignUp(ctx, " Anna@Example.com ", "correct horse", map[string]any{"name": "Anna"}, auth.Client{UserAgent: "test"})
	if err != nil || sess == nil {
		t.Fatalf("sign-up: %v", err)
	}
	if a.Email != "anna@example.com" || a.EmailConfirmedAt == nil {
		t.Errorf("account %+v", a)
	}
	c, err := s.Verify(sess.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if c.Subject != a.ID.String() || c.Role != "authenticated" || !slices.Contains(c.Audience, "authenticated") || c.SessionID != sess.ID.String() || c.Email != a.Email {
		t.Errorf("claims %+v", c)
	}
	other := coretest.User(t, db, coretest.UserOpts{Name: "B"})
	if _, err := db.Super.Exec(ctx, `INSERT INTO tasks (user_id, title) VALUES ($1, 'mine'), ($2, 'theirs')`, a.ID, other); err != nil {
		t.Fatal(err)
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.Split(sess.AccessToken, ".")[1])
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.Super.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read only
	var uid uuid.UUID
	var titles string
	if err := tx.QueryRow(ctx, `SELECT set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, string(payload)).Scan(new(string), new(string)); err != nil {
		t.Fatal(err)
	}
	if err := tx.QueryRow(ctx, `SELECT auth.uid(), (SELECT string_agg(title, ',') FROM tasks)`).Scan(&uid, &titles); err != nil {
		t.Fatal(err)
	}
	if uid != a.ID || titles != "mine" {
		t.Errorf("auth.uid() %s sees %q, want %s and only 'mine'", uid, titles, a.ID)
	}
	for _, bad := range []string{sess.AccessToken + "x", strings.Replace(sess.AccessToken, ".", ".e30", 1), "", "a.b.c"} {
		if _, err := s.Verify(bad); !errors.Is(err, auth.ErrBadToken) {
			t.Errorf("token %.20q verified: %v", bad, err)
		}
	}
	s.SetClock(func() time.Time { return time.Now().Add(2 * time.Hour) })
	if _, err := s.Verify(sess.AccessToken); !errors.Is(err, auth.ErrBadToken) {
		t.Errorf("an expired token verified: %v", err)
	}
}

// TestRefreshReuseRevokesTheFamily: each refresh token works once; presenting one a second time
// (it was stolen, or leaked) revokes its session, so the token issued from it stops working
// too, while the user's other sessions go on.
func TestRefreshReuseRevokesTheFamily(t *testing.T) {
	t.Parallel()
	s, _ := service(t, true)
	ctx := context.Background()
	first, _, err := s.SignUp(ctx, "boris@example.com", "long enough", nil, auth.Client{})
	if err != nil {
		t.Fatal(err)
	}
	laptop, err := s.SignIn(ctx, "boris@example.com", "long enough", "laptop")
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.Refresh(ctx, first.RefreshToken)
	if err != nil || second.RefreshToken == first.RefreshToken || second.ID != first.ID {
		t.Fatalf("refresh: %v", err)
	}
	if _, err := s.Refresh(ctx, first.RefreshToken); !errors.Is(err, auth.ErrTokenReused) {
		t.Fatalf("a reused token: %v, want ErrTokenReused", err)
	}
	if _, err := s.Refresh(ctx, second.RefreshToken); !errors.Is(err, auth.ErrTokenNotFound) {
		t.Fatalf("the family's newest token after the reuse: %v, want it revoked", err)
	}
	if _, err := s.Refresh(ctx, laptop.RefreshToken); err != nil {
		t.Fatalf("another session was revoked too: %v", err)
	}
	if _, err := s.Refresh(ctx, "made-up"); !errors.Is(err, auth.ErrTokenNotFound) {
		t.Fatalf("a made-up token: %v", err)
	}
}

// TestLogoutScopes: local ends the token's session, others every other one, global all.
func TestLogoutScopes(t *testing.T) {
	t.Parallel()
	s, _ := service(t, true)
	ctx := context.Background()
	if _, _, err := s.SignUp(ctx, "vera@example.com", "long enough", nil, auth.Client{}); err != nil {
		t.Fatal(err)
	}
	var sessions []*auth.Session
	for range 4 {
		sess, err := s.SignIn(ctx, "vera@example.com", "long enough", "")
		if err != nil {
			t.Fatal(err)
		}
		sessions = append(sessions, sess)
	}
	claims := func(sess *auth.Session) *auth.Claims {
		c, err := s.Verify(sess.AccessToken)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	live := func(sess *auth.Session) bool {
		next, err := s.Refresh(ctx, sess.RefreshToken)
		if err == nil {
			sess.RefreshToken = next.RefreshToken
		}
		return err == nil
	}
	if err := s.Logout(ctx, claims(sessions[0]), auth.ScopeLocal); err != nil {
		t.Fatal(err)
	}
	if live(sessions[0]) || !live(sessions[1]) {
		t.Fatal("local sign-out: the wrong sessions ended")
	}
	if err := s.Logout(ctx, claims(sessions[1]), auth.ScopeOthers); err != nil {
		t.Fatal(err)
	}
	if !live(sessions[1]) || live(sessions[2]) || live(sessions[3]) {
		t.Fatal("sign-out of the others: the wrong sessions ended")
	}
	if err := s.Logout(ctx, claims(sessions[1]), auth.ScopeGlobal); err != nil {
		t.Fatal(err)
	}
	if live(sessions[1]) {
		t.Fatal("global sign-out left a session")
	}
}

// TestNothingTellsWhoHasAnAccount: without autoconfirm, signing up with a taken email answers
// as for a new one; a wrong password and an unknown email get the same error after comparable
// work (a password is checked against a hash either way); and no session comes before the email
// is confirmed.
func TestNothingTellsWhoHasAnAccount(t *testing.T) {
	t.Parallel()
	s, db := service(t, false)
	ctx := context.Background()
	sess, first, err := s.SignUp(ctx, "gleb@example.com", "long enough", nil, auth.Client{})
	if err != nil || sess != nil {
		t.Fatalf("sign-up without autoconfirm: %v %v", sess, err)
	}
	again, taken, err := s.SignUp(ctx, "GLEB@example.com", "another one", nil, auth.Client{})
	if err != nil || again != nil || taken.Email != first.Email || taken.ID == first.ID || taken.EmailConfirmedAt != nil {
		t.Fatalf("a taken email answered differently: %+v %v", taken, err)
	}
	if _, err := s.SignIn(ctx, "gleb@example.com", "long enough", ""); !errors.Is(err, auth.ErrEmailNotConfirmed) {
		t.Fatalf("an unconfirmed account signed in: %v", err)
	}
	if n := db.Scalar(t, `SELECT count(*) FROM users WHERE email = 'gleb@example.com'`); n != "1" {
		t.Fatalf("%s accounts", n)
	}
	timed := func(email, password string) (time.Duration, error) {
		var best time.Duration
		var err error
		for i := range 5 {
			start := time.Now()
			_, err = s.SignIn(ctx, email, password, "")
			if d := time.Since(start); i == 0 || d < best {
				best = d
			}
		}
		return best, err
	}
	wrong, errWrong := timed("gleb@example.com", "not the one")
	unknown, errUnknown := timed("nobody@example.com", "not the one")
	if !errors.Is(errWrong, auth.ErrInvalidCredentials) || !errors.Is(errUnknown, auth.ErrInvalidCredentials) || errWrong.Error() != errUnknown.Error() {
		t.Fatalf("wrong password %v, unknown email %v: want the same error", errWrong, errUnknown)
	}
	if unknown < wrong/3 {
		t.Errorf("an unknown email answers in %v, a wrong password in %v: the difference tells", unknown, wrong)
	}
}

// TestPasswordAttemptsPerAccount: the eleventh attempt on one email within a minute is refused,
// from wherever it comes, while other accounts sign in.
func TestPasswordAttemptsPerAccount(t *testing.T) {
	t.Parallel()
	s, _ := service(t, true)
	ctx := context.Background()
	for _, e := range []string{"dina@example.com", "egor@example.com"} {
		if _, _, err := s.SignUp(ctx, e, "long enough", nil, auth.Client{}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 10 {
		if _, err := s.SignIn(ctx, "dina@example.com", "guess", ""); !errors.Is(err, auth.ErrInvalidCredentials) {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	if _, err := s.SignIn(ctx, "dina@example.com", "long enough", ""); !errors.Is(err, auth.ErrTooMany) {
		t.Fatalf("the 11th attempt: %v, want ErrTooMany", err)
	}
	if _, err := s.SignIn(ctx, "egor@example.com", "long enough", ""); err != nil {
		t.Fatalf("another account: %v", err)
	}
}

// TestSignUpRefusesBadInput: malformed emails, short or huge passwords, oversized metadata.
func TestSignUpRefusesBadInput(t *testing.T) {
	t.Parallel()
	s, _ := service(t, true)
	ctx := context.Background()
	for _, c := range []struct{ email, password string }{
		{"no-at-sign", "long enough"}, {"a@b", "long enough"}, {"Anna <anna@example.com>", "long enough"},
		{strings.Repeat("a", 250) + "@example.com", "long enough"}, {"ok@example.com", "short"},
		{"ok@example.com", strings.Repeat("x", 300)},
	} {
		if _, _, err := s.SignUp(ctx, c.email, c.password, nil, auth.Client{}); err == nil {
			t.Errorf("%.30q / %d-character password accepted", c.email, len(c.password))
		}
	}
	if _, _, err := s.SignUp(ctx, "meta@example.com", "long enough", map[string]any{"bio": strings.Repeat("x", 9000)}, auth.Client{}); err == nil {
		t.Error("9 KB of metadata accepted")
	}
}

package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/mail"
)

// Account mail: a sign-up is confirmed, a password reset and an email changed by a mailed link
// or the six-digit code beside it. The request only queues a MailJob; its worker makes the token
// as it sends the mail (so no secret waits in the queue) and SMTP's hiccups are River's retries.
// The answers are the same whether or not the address has an account.

// What a mail is for: its MailJob.Purpose and, but for MailTaken, the GoTrue verify type.
const (
	MailSignup      = "signup"       // confirm a new account's address
	MailRecovery    = "recovery"     // reset a forgotten password
	MailEmailChange = "email_change" // confirm the new address of an account
	MailTaken       = "taken"        // someone signed up with an address that has an account
)

// Mail categories an address may unsubscribe from.
const (
	CategoryAccount = "account" // what a stranger can trigger by typing an address: confirmations, notices
	CategoryReport  = "report"  // the weekly report
)

// MailJob asks for one account mail.
type MailJob struct {
	User       uuid.UUID `json:"user" river:"unique"`
	Purpose    string    `json:"purpose" river:"unique"`
	RedirectTo string    `json:"redirect_to"`
}

// Kind implements core.Job.
func (MailJob) Kind() string { return "auth_mail" }

// Token is a mailed one-time token as stored: its link's hash, its code's hash, and the address
// it went to.
type Token struct {
	User     uuid.UUID
	Purpose  string
	Hash     []byte
	CodeHash []byte
	SentTo   string
	Expires  time.Time
}

// MailStore keeps the mailed tokens and the unsubscribed addresses (core/postgres).
type MailStore interface {
	// QueueMail schedules j (once while one of its user and purpose waits).
	QueueMail(ctx context.Context, j MailJob) error
	// SaveToken replaces the user's tokens of its purpose by t.
	SaveToken(ctx context.Context, t Token) error
	// LastToken is when the user's latest token of purpose was made (zero: none).
	LastToken(ctx context.Context, user uuid.UUID, purpose string) (time.Time, error)
	// TakeToken uses, once, the live token of one of purposes with link hash, or, when hash is
	// nil, the one sent to sentTo with code hash codeHash (ErrTokenInvalid).
	TakeToken(ctx context.Context, purposes []string, hash []byte, sentTo string, codeHash []byte) (Token, error)
	// ConfirmAddress marks the account's address confirmed; for an email change its new address
	// sentTo becomes its email (a conflict when another account took it meanwhile).
	ConfirmAddress(ctx context.Context, user uuid.UUID, purpose, sentTo string) (Account, error)
	// SetEmailChange records the new address an account waits to confirm.
	SetEmailChange(ctx context.Context, user uuid.UUID, email string) (Account, error)
	Suppressed(ctx context.Context, email, category string) (bool, error)
	Suppress(ctx context.Context, email, category string) error
}

// Mailer sends mail (core/mail.Sender).
type Mailer interface {
	Send(ctx context.Context, msgs ...mail.Message) error
}

// ErrTokenInvalid refuses a mailed token that is unknown, used or expired (GoTrue's words).
var ErrTokenInvalid = core.Errorf(core.EINVALID, "Token has expired or is invalid")

// The limits of account mail.
const (
	mailTTL = time.Hour
	// mailGap is the least time between two mails of one purpose to one account: a flood of
	// requests is one mail a minute, not a mailbox full.
	mailGap = time.Minute
)

// Mails reports whether account mail is configured: without it sign-ups must be autoconfirmed.
func (s *Service) Mails() bool { return s.cfg.Mail != nil && s.cfg.Mails != nil }

// mailLater queues the mail of purpose to user unless one went less than a minute ago.
func (s *Service) mailLater(ctx context.Context, user uuid.UUID, purpose, redirectTo string) error {
	if !s.Mails() {
		return core.Errorf(core.EUNAVAILABLE, "mail is not configured here")
	}
	last, err := s.cfg.Mails.LastToken(ctx, user, tokenPurpose(purpose))
	if err != nil {
		return err
	}
	if purpose != MailTaken && s.now().Sub(last) < mailGap {
		return nil
	}
	return s.cfg.Mails.QueueMail(ctx, MailJob{User: user, Purpose: purpose, RedirectTo: redirectTo})
}

// tokenPurpose is the token kind a mail's rate is counted by (a notice has none: it counts as
// the sign-up's).
func tokenPurpose(purpose string) string {
	if purpose == MailTaken {
		return MailSignup
	}
	return purpose
}

// RedirectURL is redirectTo when it is one of the allowed URLs, the default when it is empty,
// or ErrBadRedirect.
func (s *Service) RedirectURL(redirectTo string) (string, error) {
	if redirectTo == "" && len(s.cfg.RedirectURLs) > 0 {
		return s.cfg.RedirectURLs[0], nil
	}
	if !slices.Contains(s.cfg.RedirectURLs, redirectTo) {
		return "", ErrBadRedirect
	}
	return redirectTo, nil
}

// Recover mails a password reset to email when it has an account; the answer is the same when
// it has none.
func (s *Service) Recover(ctx context.Context, email, redirectTo string) error {
	email, err := cleanEmail(email)
	if err != nil {
		return err
	}
	if redirectTo, err = s.RedirectURL(redirectTo); err != nil {
		return err
	}
	if !s.tries.allow("recover:"+email, s.now()) {
		return ErrTooMany
	}
	a, err := s.store.AccountByEmail(ctx, email)
	if core.ErrorCode(err) == core.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	return s.mailLater(ctx, a.ID, MailRecovery, redirectTo)
}

// Resend mails again the confirmation of a sign-up (typ "signup") or of an email change
// ("email_change", email being the account's current address) when one is waiting.
func (s *Service) Resend(ctx context.Context, typ, email, redirectTo string) error {
	if typ != MailSignup && typ != MailEmailChange {
		return core.Errorf(core.EINVALID, "type is signup or email_change")
	}
	email, err := cleanEmail(email)
	if err != nil {
		return err
	}
	if redirectTo, err = s.RedirectURL(redirectTo); err != nil {
		return err
	}
	a, err := s.store.AccountByEmail(ctx, email)
	if core.ErrorCode(err) == core.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	if (typ == MailSignup && a.EmailConfirmedAt == nil) || (typ == MailEmailChange && a.EmailChange != "") {
		return s.mailLater(ctx, a.ID, typ, redirectTo)
	}
	return nil
}

// verifyPurposes are the token purposes a GoTrue verify type accepts.
func verifyPurposes(typ string) ([]string, error) {
	switch typ {
	case "signup", "email":
		return []string{MailSignup}, nil
	case MailRecovery:
		return []string{MailRecovery}, nil
	case MailEmailChange:
		return []string{MailEmailChange}, nil
	}
	return nil, core.Errorf(core.EINVALID, "Verify requires a verification type: signup, email, recovery or email_change")
}

// VerifyLink uses a mailed link's token: the address is confirmed (a new one becomes the
// account's) and the user signed in.
func (s *Service) VerifyLink(ctx context.Context, typ, token, userAgent string) (*Session, string, error) {
	purposes, err := verifyPurposes(typ)
	if err != nil || !s.Mails() {
		return nil, "", cmpErr(err, ErrTokenInvalid)
	}
	if token == "" || len(token) > 128 {
		return nil, "", ErrTokenInvalid
	}
	t, err := s.cfg.Mails.TakeToken(ctx, purposes, hashToken(token), "", nil)
	if err != nil {
		return nil, "", err
	}
	sess, err := s.verified(ctx, t, userAgent)
	return sess, t.Purpose, err
}

// VerifyCode uses the six-digit code mailed to email. Attempts on one address are bounded like
// password attempts.
func (s *Service) VerifyCode(ctx context.Context, typ, email, code, userAgent string) (*Session, error) {
	purposes, err := verifyPurposes(typ)
	if err != nil || !s.Mails() {
		return nil, cmpErr(err, ErrTokenInvalid)
	}
	email, err = cleanEmail(email)
	if err != nil || len(code) != codeDigits {
		return nil, ErrTokenInvalid
	}
	if !s.tries.allow("code:"+email, s.now()) {
		return nil, ErrTooMany
	}
	t, err := s.cfg.Mails.TakeToken(ctx, purposes, nil, email, codeHash(email, code))
	if err != nil {
		return nil, err
	}
	return s.verified(ctx, t, userAgent)
}

func cmpErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// verified confirms what the token proves and opens a session.
func (s *Service) verified(ctx context.Context, t Token, userAgent string) (*Session, error) {
	a, err := s.cfg.Mails.ConfirmAddress(ctx, t.User, t.Purpose, t.SentTo)
	if err != nil {
		return nil, err
	}
	method := "otp"
	if t.Purpose == MailRecovery {
		method = "recovery"
	}
	return s.open(ctx, a, method, userAgent)
}

// SendMail does a MailJob: it makes the token, writes the mail in the account's language and
// sends it. Nothing is sent when it is no longer needed (the address confirmed meanwhile, the
// account gone) or its address unsubscribed from account mail; an address the server refuses
// is not tried again.
func (s *Service) SendMail(ctx context.Context, j MailJob) error {
	if !s.Mails() {
		return errors.New("auth: a mail job, and no mail configured here")
	}
	a, err := s.store.AccountByID(ctx, j.User)
	if core.ErrorCode(err) == core.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	to := a.Email
	switch j.Purpose {
	case MailSignup:
		if a.EmailConfirmedAt != nil {
			return nil
		}
	case MailEmailChange:
		to = a.EmailChange
	case MailRecovery, MailTaken:
	default:
		return nil
	}
	if to == "" {
		return nil
	}
	if j.Purpose != MailRecovery {
		if off, err := s.cfg.Mails.Suppressed(ctx, to, CategoryAccount); err != nil || off {
			return err
		}
	}
	m := accountMail{lang: a.Locale, purpose: j.Purpose, ttl: mailTTL}
	if j.Purpose != MailTaken {
		token, hash, err := newRefreshToken()
		if err != nil {
			return err
		}
		code, err := newCode()
		if err != nil {
			return err
		}
		if err := s.cfg.Mails.SaveToken(ctx, Token{User: a.ID, Purpose: j.Purpose, Hash: hash, CodeHash: codeHash(to, code),
			SentTo: to, Expires: s.now().Add(mailTTL)}); err != nil {
			return err
		}
		v := url.Values{"token": {token}, "type": {j.Purpose}}
		if j.RedirectTo != "" {
			v.Set("redirect_to", j.RedirectTo)
		}
		m.link, m.code = s.cfg.PublicURL+"/auth/v1/verify?"+v.Encode(), code
	} else {
		m.link = s.cfg.PublicURL
	}
	msg := m.message(to)
	msg.Unsubscribe = s.UnsubscribeURL(to, CategoryAccount)
	err = s.cfg.Mail.Send(ctx, msg)
	if errors.Is(err, mail.ErrRefused) {
		return nil // the server won't take it: another try is no use, and the token is never used
	}
	return err
}

// UnsubscribeURL is the link that stops mail of category to email (List-Unsubscribe).
func (s *Service) UnsubscribeURL(email, category string) string {
	return s.cfg.PublicURL + "/mail/unsubscribe?t=" + url.QueryEscape(s.unsubscribe.Token(email, category))
}

// Unsubscribe stops the mail an unsubscribe token names and says which address and category.
func (s *Service) Unsubscribe(ctx context.Context, token string) (email, category string, err error) {
	email, category, ok := s.unsubscribe.Check(token)
	if !ok || s.cfg.Mails == nil {
		return "", "", core.Errorf(core.EINVALID, "this unsubscribe link is not valid")
	}
	return email, category, s.cfg.Mails.Suppress(ctx, email, category)
}

const codeDigits = 6

// newCode is a uniformly random six-digit code.
func newCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

func codeHash(email, code string) []byte {
	h := sha256.Sum256([]byte(email + "\x00" + code))
	return h[:]
}

// MailUser sends msg to user's confirmed address as mail of category (CategoryReport): not
// when they have none, or unsubscribed from it; with its List-Unsubscribe link. A message the
// server refuses is dropped (another try is no use).
func (s *Service) MailUser(ctx context.Context, user uuid.UUID, category string, msg mail.Message) (sent bool, err error) {
	if !s.Mails() {
		return false, nil
	}
	a, err := s.store.AccountByID(ctx, user)
	if core.ErrorCode(err) == core.ENOTFOUND {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if a.Email == "" || a.EmailConfirmedAt == nil || a.SuspendedAt != nil {
		return false, nil
	}
	if off, err := s.cfg.Mails.Suppressed(ctx, a.Email, category); err != nil || off {
		return false, err
	}
	msg.To, msg.Unsubscribe = a.Email, s.UnsubscribeURL(a.Email, category)
	err = s.cfg.Mail.Send(ctx, msg)
	if errors.Is(err, mail.ErrRefused) {
		return false, nil
	}
	return err == nil, err
}

// Package auth is the product's web accounts: sign-up and sign-in with an email and a password
// (argon2id), sessions of rotating refresh tokens with reuse detection, and short-lived access
// JWTs with Supabase's claims, so that the token of a signed-in user drives auth.uid() in
// PostgreSQL's row-level security as the chats' transactions do. webhooks serves it as the
// Supabase Auth (GoTrue) API.
package auth

import (
	"context"
	"errors"
	netmail "net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/mail"
)

// Config configures a Service. JWTSecret is required (BC_JWT_SECRET, at least 32 bytes).
type Config struct {
	JWTSecret []byte
	Issuer    string        // the iss claim: PUBLIC_URL + "/auth/v1"
	AccessTTL time.Duration // an access token's life; one hour when 0
	// Autoconfirm signs a new account in at once, without confirming its email
	// (AUTH_AUTOCONFIRM, for development and tests).
	Autoconfirm bool
	Argon2      Argon2 // DefaultArgon2 when zero
	// PerAccount bounds the password attempts on one email (10 a minute when zero), whoever makes them.
	PerAccount Rate
	// Providers are the social sign-in providers configured; Flows keeps their flows;
	// RedirectURLs are where a sign-in may send the browser back (exactly; the first is the
	// default).
	Providers    []*Provider
	Flows        FlowStore
	RedirectURLs []string
	// Mail sends account mail and Mails keeps its tokens; with both, sign-ups and email changes
	// are confirmed by mail and passwords can be reset. PublicURL is where the mailed links point.
	Mail      Mailer
	Mails     MailStore
	PublicURL string
	// TelegramBotToken keys the Telegram Login Widget's signatures; no widget sign-in without it.
	TelegramBotToken string
}

// Client is what the auth API knows of who asks: their browser, their language (for mail) and
// where a mailed link should bring them back.
type Client struct {
	UserAgent  string
	Lang       string
	RedirectTo string
}

// Rate is a number of events per period.
type Rate struct {
	N      int
	Period time.Duration
}

func (c Config) accessTTL() time.Duration {
	if c.AccessTTL > 0 {
		return c.AccessTTL
	}
	return time.Hour
}

// Account is a user as the auth API shows it.
type Account struct {
	ID               uuid.UUID
	Email            string
	PasswordHash     string
	EmailConfirmedAt *time.Time
	EmailChange      string // a new address waiting for its confirmation
	LastSignInAt     *time.Time
	Locale           string // "ru", "en": the language of its mail
	Metadata         map[string]any
	CreatedAt        time.Time
	UpdatedAt        time.Time
	// Providers are the social sign-ins the account has used (google, telegram…), sorted.
	Providers []string
	// SuspendedAt is when an operator suspended the account: it can't sign in meanwhile.
	SuspendedAt *time.Time
}

// AppMetadata is GoTrue's app_metadata: how the account signs in ("email" when it has a
// password), the first of them as provider.
func (a Account) AppMetadata() map[string]any {
	var ps []string
	if a.PasswordHash != "" {
		ps = append(ps, "email")
	}
	ps = append(ps, a.Providers...)
	if len(ps) == 0 {
		ps = []string{"email"}
	}
	return map[string]any{"provider": ps[0], "providers": ps}
}

func (a Account) metadata() map[string]any {
	if a.Metadata == nil {
		return map[string]any{}
	}
	return a.Metadata
}

// Session is what a sign-in or a refresh gives: the access token, when it expires, and the
// refresh token that makes the next one.
type Session struct {
	AccessToken  string
	ExpiresAt    time.Time
	RefreshToken string
	ID           uuid.UUID
	User         Account
}

// Store keeps the accounts and their sessions (core/postgres).
type Store interface {
	// CreateAccount adds a user with email (lower case) and password hash, confirmed at
	// confirmed (nil: not yet); created is false, and nothing changes, when the email is taken.
	CreateAccount(ctx context.Context, email, hash, locale string, confirmed *time.Time, metadata map[string]any) (a Account, created bool, err error)
	// AccountByEmail finds a user by email (ENOTFOUND).
	AccountByEmail(ctx context.Context, email string) (Account, error)
	// AccountByID finds a user (ENOTFOUND).
	AccountByID(ctx context.Context, id uuid.UUID) (Account, error)
	// UpdateAccount changes what is set of email, password hash and metadata (merged).
	UpdateAccount(ctx context.Context, id uuid.UUID, email, hash *string, metadata map[string]any) (Account, error)
	// StartSession opens a session of the user, records the sign-in and stores its first
	// refresh token by hash.
	StartSession(ctx context.Context, user uuid.UUID, method, userAgent string, token []byte) (uuid.UUID, error)
	// Rotate uses the refresh token hashed old: when it is unused and its session live, it is
	// marked used and next stored in its place. A token used before revokes its session (the
	// whole family) and gives ErrTokenReused; an unknown token or a revoked session
	// ErrTokenNotFound.
	Rotate(ctx context.Context, old, next []byte) (session uuid.UUID, user uuid.UUID, method string, err error)
	// RevokeSessions ends sessions of user: only session when set and others false, every other
	// one when others, all of them when session is nil.
	RevokeSessions(ctx context.Context, user uuid.UUID, session *uuid.UUID, others bool) error
}

// Why a request is refused; each is a core.Error whose code webhooks renders.
var (
	ErrInvalidCredentials = core.Errorf(core.EINVALID, "Invalid login credentials")
	ErrEmailNotConfirmed  = core.Errorf(core.EINVALID, "Email not confirmed")
	ErrBadEmail           = core.Errorf(core.EINVALID, "Unable to validate email address: invalid format")
	ErrWeakPassword       = core.Errorf(core.EINVALID, "Password should be at least 8 characters")
	ErrUserExists         = core.Errorf(core.ECONFLICT, "User already registered")
	ErrTokenNotFound      = core.Errorf(core.EINVALID, "Invalid Refresh Token: Refresh Token Not Found")
	ErrTokenReused        = core.Errorf(core.EINVALID, "Invalid Refresh Token: Already Used")
	ErrTooMany            = core.Errorf(core.EUNAVAILABLE, "Too many requests: try again later")
	ErrSuspended          = core.Errorf(core.EFORBIDDEN, "User is banned")
)

// The bounds of what a request may carry.
const (
	MinPassword = 8
	MaxPassword = 256 // argon2 takes any length; a megabyte of password is an attack, not a secret
	MaxEmail    = 254
)

// Service runs the accounts.
type Service struct {
	cfg     Config
	store   Store
	now     func() time.Time
	tries   *limiter // password attempts per account
	dummy   string   // a hash checked when there is no account, so that missing costs the same
	hashing chan struct{}
	// unsubscribe signs the List-Unsubscribe links
	unsubscribe *mail.Unsubscriber
}

// New returns a Service on store.
func New(cfg Config, store Store) (*Service, error) {
	if len(cfg.JWTSecret) < 32 {
		return nil, errors.New("auth: the JWT secret must be at least 32 bytes")
	}
	if cfg.Argon2 == (Argon2{}) {
		cfg.Argon2 = DefaultArgon2
	}
	if !cfg.Autoconfirm && (cfg.Mail == nil || cfg.Mails == nil) {
		return nil, errors.New("auth: without mail to confirm addresses, sign-ups must be autoconfirmed")
	}
	if cfg.PerAccount.N == 0 {
		cfg.PerAccount = Rate{N: 10, Period: time.Minute}
	}
	s := &Service{cfg: cfg, store: store, now: time.Now, tries: newLimiter(cfg.PerAccount), hashing: make(chan struct{}, hashSlots),
		unsubscribe: mail.NewUnsubscriber(cfg.JWTSecret)}
	var err error
	if s.dummy, err = cfg.Argon2.hashPassword("not a password of anyone"); err != nil {
		return nil, err
	}
	return s, nil
}

// hashSlots bound the argon2 hashes computed at once (19 MiB each): a flood of sign-ins waits
// for a slot instead of taking the machine's memory.
const hashSlots = 8

// SetClock replaces the service's clock (tests).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Autoconfirm reports whether new accounts are signed in without confirming their email.
func (s *Service) Autoconfirm() bool { return s.cfg.Autoconfirm }

// SignUp registers email with password. With autoconfirm it signs the new account in; without
// it, it mails a confirmation and answers the same whether or not the email was taken (the
// account shown for a taken one is not it; its owner gets a notice, or the confirmation again
// while it waits for one), so that sign-up tells no one who has an account.
func (s *Service) SignUp(ctx context.Context, email, password string, metadata map[string]any, c Client) (*Session, Account, error) {
	email, err := cleanEmail(email)
	if err != nil {
		return nil, Account{}, err
	}
	if err := checkNewPassword(password); err != nil {
		return nil, Account{}, err
	}
	redirectTo := c.RedirectTo
	if !s.cfg.Autoconfirm {
		if redirectTo, err = s.RedirectURL(redirectTo); err != nil {
			return nil, Account{}, err
		}
	}
	hash, err := s.hash(ctx, password)
	if err != nil {
		return nil, Account{}, err
	}
	var confirmed *time.Time
	if s.cfg.Autoconfirm {
		now := s.now()
		confirmed = &now
	}
	a, created, err := s.store.CreateAccount(ctx, email, hash, c.Lang, confirmed, metadata)
	if err != nil {
		return nil, Account{}, err
	}
	switch {
	case !created && s.cfg.Autoconfirm:
		return nil, Account{}, ErrUserExists
	case !created:
		if err := s.mailTaken(ctx, email, redirectTo); err != nil {
			return nil, Account{}, err
		}
		now := s.now()
		return nil, Account{ID: uuid.New(), Email: email, Metadata: metadata, CreatedAt: now, UpdatedAt: now}, nil
	case !s.cfg.Autoconfirm:
		return nil, a, s.mailLater(ctx, a.ID, MailSignup, redirectTo)
	}
	sess, err := s.open(ctx, a, "password", c.UserAgent)
	return sess, a, err
}

// mailTaken tells the owner of email that someone signed up with it: the confirmation again
// while their sign-up waits for it, a notice otherwise.
func (s *Service) mailTaken(ctx context.Context, email, redirectTo string) error {
	a, err := s.store.AccountByEmail(ctx, email)
	if err != nil {
		return err
	}
	if a.EmailConfirmedAt == nil {
		return s.mailLater(ctx, a.ID, MailSignup, redirectTo)
	}
	return s.mailLater(ctx, a.ID, MailTaken, redirectTo)
}

// SignIn checks email and password and opens a session. A wrong password and an unknown email
// get the same answer after the same work.
func (s *Service) SignIn(ctx context.Context, email, password, userAgent string) (*Session, error) {
	email, err := cleanEmail(email)
	if err != nil || len(password) > MaxPassword {
		return nil, ErrInvalidCredentials
	}
	if !s.tries.allow(email, s.now()) {
		return nil, ErrTooMany
	}
	a, err := s.store.AccountByEmail(ctx, email)
	if core.ErrorCode(err) == core.ENOTFOUND {
		_, _ = s.check(ctx, s.dummy, password)
		return nil, ErrInvalidCredentials
	}
	if err != nil {
		return nil, err
	}
	ok, err := s.check(ctx, a.PasswordHash, password)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrInvalidCredentials
	}
	if a.EmailConfirmedAt == nil {
		return nil, ErrEmailNotConfirmed
	}
	return s.open(ctx, a, "password", userAgent)
}

// SessionFor opens a session of a user whose identity another way proved (method "telegram"
// for the Telegram Login Widget, "oauth" for a social sign-in): the same tokens as a password
// sign-in gives.
func (s *Service) SessionFor(ctx context.Context, user uuid.UUID, method, userAgent string) (*Session, error) {
	a, err := s.store.AccountByID(ctx, user)
	if err != nil {
		return nil, err
	}
	return s.open(ctx, a, method, userAgent)
}

// Refresh trades a refresh token for a new session token pair. Each token works once: a second
// use revokes the session it belongs to, and everything issued from it.
func (s *Service) Refresh(ctx context.Context, token string) (*Session, error) {
	if token == "" || len(token) > 128 {
		return nil, ErrTokenNotFound
	}
	next, hash, err := newRefreshToken()
	if err != nil {
		return nil, err
	}
	session, user, method, err := s.store.Rotate(ctx, hashToken(token), hash)
	if err != nil {
		return nil, err
	}
	a, err := s.store.AccountByID(ctx, user)
	if err != nil {
		return nil, err
	}
	if a.SuspendedAt != nil {
		return nil, ErrSuspended
	}
	access, exp, err := s.sign(a, session, method, s.now())
	if err != nil {
		return nil, err
	}
	return &Session{AccessToken: access, ExpiresAt: exp, RefreshToken: next, ID: session, User: a}, nil
}

// Logout scopes: the session of the token, every session of the user, or all but this one.
const (
	ScopeLocal  = "local"
	ScopeGlobal = "global"
	ScopeOthers = "others"
)

// Logout ends sessions of the token's user as scope says. The access tokens already given keep
// working until they expire (an hour at most); no new one comes from the sessions ended.
func (s *Service) Logout(ctx context.Context, c *Claims, scope string) error {
	user, err := c.UserID()
	if err != nil {
		return ErrBadToken
	}
	session, err := c.Session()
	if err != nil {
		return ErrBadToken
	}
	switch scope {
	case "", ScopeGlobal:
		return s.store.RevokeSessions(ctx, user, nil, false)
	case ScopeLocal:
		return s.store.RevokeSessions(ctx, user, &session, false)
	case ScopeOthers:
		return s.store.RevokeSessions(ctx, user, &session, true)
	}
	return core.Errorf(core.EINVALID, "scope is global, local or others")
}

// User is the token's account.
func (s *Service) User(ctx context.Context, c *Claims) (Account, error) {
	id, err := c.UserID()
	if err != nil {
		return Account{}, ErrBadToken
	}
	return s.store.AccountByID(ctx, id)
}

// UpdateUser changes the token's account: what is set of email, password and metadata. Unless
// addresses are autoconfirmed, a new email waits for the confirmation mailed to it.
func (s *Service) UpdateUser(ctx context.Context, c *Claims, email, password *string, metadata map[string]any, cl Client) (Account, error) {
	id, err := c.UserID()
	if err != nil {
		return Account{}, ErrBadToken
	}
	var hash *string
	if password != nil {
		if err := checkNewPassword(*password); err != nil {
			return Account{}, err
		}
		h, err := s.hash(ctx, *password)
		if err != nil {
			return Account{}, err
		}
		hash = &h
	}
	if email != nil {
		e, err := cleanEmail(*email)
		if err != nil {
			return Account{}, err
		}
		email = &e
	}
	if email != nil && !s.cfg.Autoconfirm {
		redirectTo, err := s.RedirectURL(cl.RedirectTo)
		if err != nil {
			return Account{}, err
		}
		cur, err := s.store.AccountByID(ctx, id)
		if err != nil {
			return Account{}, err
		}
		if *email != cur.Email {
			if _, err := s.cfg.Mails.SetEmailChange(ctx, id, *email); err != nil {
				return Account{}, err
			}
			if err := s.mailLater(ctx, id, MailEmailChange, redirectTo); err != nil {
				return Account{}, err
			}
		}
		email = nil
	}
	return s.store.UpdateAccount(ctx, id, email, hash, metadata)
}

// open starts a session of a and signs its first access token.
func (s *Service) open(ctx context.Context, a Account, method, userAgent string) (*Session, error) {
	if a.SuspendedAt != nil {
		return nil, ErrSuspended
	}
	refresh, hash, err := newRefreshToken()
	if err != nil {
		return nil, err
	}
	if len(userAgent) > 512 {
		userAgent = userAgent[:512]
	}
	if !utf8.ValidString(userAgent) {
		userAgent = strings.ToValidUTF8(userAgent, "")
	}
	id, err := s.store.StartSession(ctx, a.ID, method, userAgent, hash)
	if err != nil {
		return nil, err
	}
	now := s.now()
	a.LastSignInAt = &now
	access, exp, err := s.sign(a, id, method, now)
	if err != nil {
		return nil, err
	}
	return &Session{AccessToken: access, ExpiresAt: exp, RefreshToken: refresh, ID: id, User: a}, nil
}

// hash and check take one of the hashing slots for the argon2 work.
func (s *Service) hash(ctx context.Context, password string) (string, error) {
	if err := s.slot(ctx); err != nil {
		return "", err
	}
	defer func() { <-s.hashing }()
	return s.cfg.Argon2.hashPassword(password)
}

func (s *Service) check(ctx context.Context, hash, password string) (bool, error) {
	if err := s.slot(ctx); err != nil {
		return false, err
	}
	defer func() { <-s.hashing }()
	return checkPassword(hash, password), nil
}

func (s *Service) slot(ctx context.Context) error {
	select {
	case s.hashing <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ErrTooMany
	}
}

// cleanEmail is the address, trimmed and lower-cased, or ErrBadEmail.
func cleanEmail(email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" || len(email) > MaxEmail {
		return "", ErrBadEmail
	}
	a, err := netmail.ParseAddress(email)
	if err != nil || a.Address != email || !strings.Contains(email[strings.LastIndexByte(email, '@')+1:], ".") {
		return "", ErrBadEmail
	}
	return email, nil
}

func checkNewPassword(p string) error {
	if utf8.RuneCountInString(p) < MinPassword || len(p) > MaxPassword {
		return ErrWeakPassword
	}
	return nil
}

package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/google/uuid"
	"golang.org/x/oauth2"

	"github.com/bizconnect/bizconnect/core"
)

// Provider is a social sign-in provider: its OAuth 2 client and either the verifier of its
// OpenID Connect ID tokens (Google, Apple, a test's mockoidc) or the reader of its user info
// (Yandex).
type Provider struct {
	Name     string // "google"
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
	userInfo func(ctx context.Context, tok *oauth2.Token) (Identity, error)
	// secret, when set, makes the client secret for each exchange (Apple's signed JWT)
	secret func(now time.Time) (string, error)
	// formPost asks for the answer as a form POST to the callback (Apple)
	formPost bool
}

// NewOIDCProvider discovers issuer's endpoints and keys (a network call) and returns the
// provider, whose redirect URI is exactly redirectURL.
func NewOIDCProvider(ctx context.Context, name, issuer, clientID, secret, redirectURL string) (*Provider, error) {
	p, err := oidc.NewProvider(ctx, issuer)
	if err != nil {
		return nil, fmt.Errorf("auth: %s: discovery: %w", name, err)
	}
	return &Provider{Name: name, verifier: p.Verifier(&oidc.Config{ClientID: clientID}), oauth: oauth2.Config{
		ClientID: clientID, ClientSecret: secret, Endpoint: p.Endpoint(), RedirectURL: redirectURL,
		Scopes: []string{oidc.ScopeOpenID, "email", "profile"},
	}}, nil
}

// Flow is a social sign-in between its start and its callback.
type Flow struct {
	StateHash  []byte
	Provider   string
	Verifier   string // PKCE
	Nonce      string
	RedirectTo string
	ExpiresAt  time.Time
}

// Identity is who a provider says signed in.
type Identity struct {
	Provider, Subject, Email, Name string
	EmailVerified                  bool
}

// FlowStore keeps the flows and finds or makes the user of an identity (core/postgres).
type FlowStore interface {
	SaveFlow(ctx context.Context, f Flow) error
	// TakeFlow removes and returns the live flow of a state (ENOTFOUND: unknown, used or expired).
	TakeFlow(ctx context.Context, stateHash []byte) (Flow, error)
	// IdentityUser is the user of id: the one it signed in before, else the account of its
	// verified email, else a new one.
	IdentityUser(ctx context.Context, id Identity) (uuid.UUID, error)
	// UseOnce records a one-time proof by its hash until it expires: false when it was used.
	UseOnce(ctx context.Context, hash []byte, until time.Time) (bool, error)
}

// flowTTL is how long a sign-in at the provider may take.
const flowTTL = 10 * time.Minute

// Refusals of a social sign-in.
var (
	ErrUnknownProvider = core.Errorf(core.EINVALID, "Unsupported provider: provider is not enabled")
	ErrBadRedirect     = core.Errorf(core.EINVALID, "redirect_to is not an allowed URL")
	ErrBadState        = core.Errorf(core.EINVALID, "OAuth state is unknown, used or expired")
	ErrBadIDToken      = core.Errorf(core.EINVALID, "the provider's ID token could not be verified")
)

// Providers are the configured social sign-in providers' names.
func (s *Service) Providers() []string {
	names := make([]string, 0, len(s.cfg.Providers))
	for _, p := range s.cfg.Providers {
		names = append(names, p.Name)
	}
	return names
}

func (s *Service) provider(name string) *Provider {
	for _, p := range s.cfg.Providers {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// Authorize starts a sign-in with provider and returns the provider's URL to send the browser
// to: a fresh state (stored hashed), a PKCE S256 challenge and a nonce. redirectTo, where the
// browser returns with the session, must be one of the allowed URLs.
func (s *Service) Authorize(ctx context.Context, provider, redirectTo string) (string, error) {
	p := s.provider(provider)
	if p == nil || s.cfg.Flows == nil {
		return "", ErrUnknownProvider
	}
	redirectTo, err := s.RedirectURL(redirectTo)
	if err != nil {
		return "", err
	}
	state, nonce := randomString(), randomString()
	verifier := oauth2.GenerateVerifier()
	if err := s.cfg.Flows.SaveFlow(ctx, Flow{StateHash: hashToken(state), Provider: p.Name, Verifier: verifier, Nonce: nonce,
		RedirectTo: redirectTo, ExpiresAt: s.now().Add(flowTTL)}); err != nil {
		return "", err
	}
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier)}
	if p.verifier != nil {
		opts = append(opts, oidc.Nonce(nonce))
	}
	if p.formPost {
		opts = append(opts, oauth2.SetAuthURLParam("response_mode", "form_post"))
	}
	return p.oauth.AuthCodeURL(state, opts...), nil
}

// CallbackInput is what the provider sends the browser back with: the state and code, and
// Apple's user (a JSON object with the name, on the first sign-in only).
type CallbackInput struct {
	State, Code, User string
}

// Callback finishes a sign-in: the state must be a live flow's (each works once), the code is
// exchanged with the flow's PKCE verifier, and the ID token must verify (signature, issuer,
// audience, expiry) and carry the flow's nonce — or, for an OAuth 2 provider, its user info be
// read with the token. It returns the session and where to send the browser; redirectTo is set
// (to say what failed) even when err is not nil, once the state was known.
func (s *Service) Callback(ctx context.Context, in CallbackInput, userAgent string) (sess *Session, redirectTo string, err error) {
	if in.State == "" || len(in.State) > 128 || len(in.Code) > 2048 || len(in.User) > 4096 || s.cfg.Flows == nil {
		return nil, "", ErrBadState
	}
	f, err := s.cfg.Flows.TakeFlow(ctx, hashToken(in.State))
	if core.ErrorCode(err) == core.ENOTFOUND {
		return nil, "", ErrBadState
	}
	if err != nil {
		return nil, "", err
	}
	p := s.provider(f.Provider)
	if p == nil {
		return nil, f.RedirectTo, ErrUnknownProvider
	}
	oc := p.oauth
	if p.secret != nil {
		if oc.ClientSecret, err = p.secret(s.now()); err != nil {
			return nil, f.RedirectTo, err
		}
	}
	tok, err := oc.Exchange(ctx, in.Code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return nil, f.RedirectTo, fmt.Errorf("%w: the code was refused: %w", ErrBadIDToken, err)
	}
	var id Identity
	if p.verifier == nil {
		if id, err = p.userInfo(ctx, tok); err != nil {
			return nil, f.RedirectTo, err
		}
	} else if id, err = p.identity(ctx, tok, f.Nonce); err != nil {
		return nil, f.RedirectTo, err
	}
	if id.Name == "" && in.User != "" {
		var u struct {
			Name struct{ FirstName, LastName string } `json:"name"`
		}
		if json.Unmarshal([]byte(in.User), &u) == nil {
			id.Name = strings.TrimSpace(u.Name.FirstName + " " + u.Name.LastName)
		}
	}
	id.Name = core.Truncate(id.Name, 200)
	user, err := s.cfg.Flows.IdentityUser(ctx, id)
	if err != nil {
		return nil, f.RedirectTo, err
	}
	sess, err = s.SessionFor(ctx, user, "oauth", userAgent)
	return sess, f.RedirectTo, err
}

// identity verifies the ID token of tok (and its nonce) and reads who it names.
func (p *Provider) identity(ctx context.Context, tok *oauth2.Token, nonce string) (Identity, error) {
	raw, _ := tok.Extra("id_token").(string)
	idt, err := p.verifier.Verify(ctx, raw)
	if err != nil {
		return Identity{}, fmt.Errorf("%w: %w", ErrBadIDToken, err)
	}
	if idt.Nonce != nonce {
		return Identity{}, fmt.Errorf("%w: the nonce is not the flow's", ErrBadIDToken)
	}
	var claims struct {
		Email    string  `json:"email"`
		Verified boolish `json:"email_verified"`
		Name     string  `json:"name"`
	}
	if err := idt.Claims(&claims); err != nil {
		return Identity{}, fmt.Errorf("%w: %w", ErrBadIDToken, err)
	}
	email, err := cleanEmail(claims.Email)
	if err != nil {
		email = ""
	}
	return Identity{Provider: p.Name, Subject: idt.Subject, Email: email, EmailVerified: bool(claims.Verified) && email != "", Name: claims.Name}, nil
}

// IsFlowError reports whether err is a refusal of a social sign-in (not a failure of ours).
func IsFlowError(err error) bool {
	return errors.Is(err, ErrBadState) || errors.Is(err, ErrBadIDToken) || errors.Is(err, ErrUnknownProvider) || errors.Is(err, ErrBadRedirect)
}

// FragmentURL is redirectTo with the session in its fragment, as GoTrue's implicit flow answers
// (supabase-js reads it there; a fragment never reaches a server's logs).
func FragmentURL(redirectTo string, s *Session, now time.Time) string {
	v := url.Values{}
	v.Set("access_token", s.AccessToken)
	v.Set("refresh_token", s.RefreshToken)
	v.Set("token_type", "bearer")
	v.Set("expires_in", fmt.Sprint(int(s.ExpiresAt.Sub(now).Seconds())))
	v.Set("expires_at", fmt.Sprint(s.ExpiresAt.Unix()))
	return redirectTo + "#" + v.Encode()
}

func randomString() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

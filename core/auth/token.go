package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// Claims are an access token's claims, as Supabase Auth writes them: the same token drives
// auth.uid() in row-level security (sub), and a supabase-js client reads it unchanged.
type Claims struct {
	jwt.RegisteredClaims
	Email        string         `json:"email"`
	Phone        string         `json:"phone"`
	AppMetadata  map[string]any `json:"app_metadata"`
	UserMetadata map[string]any `json:"user_metadata"`
	Role         string         `json:"role"`
	AAL          string         `json:"aal"`
	AMR          []AMR          `json:"amr"`
	SessionID    string         `json:"session_id"`
	IsAnonymous  bool           `json:"is_anonymous"`
}

// AMR is how the session was authenticated.
type AMR struct {
	Method    string `json:"method"`
	Timestamp int64  `json:"timestamp"`
}

// Role and audience of a signed-in user's token: Supabase's `authenticated`.
const (
	RoleAuthenticated = "authenticated"
	Audience          = "authenticated"
)

// UserID is the token's subject.
func (c *Claims) UserID() (uuid.UUID, error) { return uuid.Parse(c.Subject) }

// Session is the token's session.
func (c *Claims) Session() (uuid.UUID, error) { return uuid.Parse(c.SessionID) }

// ErrBadToken is an access token that is malformed, forged, expired or not ours.
var ErrBadToken = errors.New("auth: invalid access token")

// sign makes the access token of a session.
func (s *Service) sign(a Account, session uuid.UUID, method string, at time.Time) (string, time.Time, error) {
	exp := at.Add(s.cfg.accessTTL())
	c := Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer: s.cfg.Issuer, Subject: a.ID.String(), Audience: jwt.ClaimStrings{Audience},
			ExpiresAt: jwt.NewNumericDate(exp), IssuedAt: jwt.NewNumericDate(at),
		},
		Email: a.Email, AppMetadata: a.AppMetadata(), UserMetadata: a.metadata(), Role: RoleAuthenticated, AAL: "aal1",
		AMR: []AMR{{Method: method, Timestamp: at.Unix()}}, SessionID: session.String(),
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(s.cfg.JWTSecret)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("auth: sign: %w", err)
	}
	return tok, exp, nil
}

// Verify checks an access token (HS256 with the secret, not expired, audience authenticated)
// and returns its claims.
func (s *Service) Verify(token string) (*Claims, error) {
	var c Claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return s.cfg.JWTSecret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}), jwt.WithAudience(Audience),
		jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithTimeFunc(s.now), jwt.WithLeeway(5*time.Second))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadToken, err)
	}
	if _, err := c.UserID(); err != nil || c.Role != RoleAuthenticated {
		return nil, ErrBadToken
	}
	return &c, nil
}

// BearerToken is the token of an Authorization header ("Bearer <token>", the scheme in any case,
// RFC 6750), false when there is none.
func BearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(header, " ")
	token = strings.TrimSpace(token)
	return token, ok && strings.EqualFold(scheme, "bearer") && token != ""
}

// newRefreshToken is a fresh opaque refresh token and the hash it is stored under.
func newRefreshToken() (token string, hash []byte, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("auth: refresh token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token), nil
}

// hashToken is the SHA-256 of a refresh token: a token is random, so no salt or slow hash is
// needed to keep a stolen table from being used.
func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

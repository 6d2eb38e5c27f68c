package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/oauth2"
)

// Yandex ID is OAuth 2 without OpenID Connect: after the code exchange (with PKCE) the user is
// read from login.yandex.ru/info with the access token.

// YandexEndpoints are where Yandex ID answers (a test's fake elsewhere).
type YandexEndpoints struct {
	AuthURL, TokenURL, InfoURL string
}

// DefaultYandex are Yandex ID's own endpoints.
var DefaultYandex = YandexEndpoints{AuthURL: "https://oauth.yandex.ru/authorize", TokenURL: "https://oauth.yandex.ru/token",
	InfoURL: "https://login.yandex.ru/info?format=json"}

// NewYandexProvider returns the Yandex ID provider of the app clientID.
func NewYandexProvider(clientID, secret, redirectURL string, at YandexEndpoints) *Provider {
	p := &Provider{Name: "yandex", oauth: oauth2.Config{ClientID: clientID, ClientSecret: secret, RedirectURL: redirectURL,
		Endpoint: oauth2.Endpoint{AuthURL: at.AuthURL, TokenURL: at.TokenURL, AuthStyle: oauth2.AuthStyleInParams},
		Scopes:   []string{"login:email", "login:info"}}}
	p.userInfo = func(ctx context.Context, tok *oauth2.Token) (Identity, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, at.InfoURL, nil)
		if err != nil {
			return Identity{}, err
		}
		req.Header.Set("Authorization", "OAuth "+tok.AccessToken)
		resp, err := oauth2.NewClient(ctx, nil).Do(req)
		if err != nil {
			return Identity{}, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return Identity{}, fmt.Errorf("%w: yandex user info answered %d", ErrBadIDToken, resp.StatusCode)
		}
		var info struct {
			ID           string `json:"id"`
			DefaultEmail string `json:"default_email"`
			RealName     string `json:"real_name"`
			DisplayName  string `json:"display_name"`
		}
		if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&info); err != nil || info.ID == "" {
			return Identity{}, fmt.Errorf("%w: yandex user info unreadable", ErrBadIDToken)
		}
		name := info.RealName
		if name == "" {
			name = info.DisplayName
		}
		email, err := cleanEmail(info.DefaultEmail)
		if err != nil {
			email = ""
		}
		// Yandex shows an account's own mailbox or an address it confirmed
		return Identity{Provider: "yandex", Subject: info.ID, Email: email, EmailVerified: email != "", Name: name}, nil
	}
	return p
}

// Sign in with Apple is OpenID Connect with two twists: the answer comes back as a form POST
// (response_mode=form_post, for the name and email scopes), and the client secret is a JWT the
// app signs with its private key (ES256), iss the team, sub the Services ID, aud Apple.

// AppleConfig is an app's Sign in with Apple.
type AppleConfig struct {
	Issuer     string // https://appleid.apple.com
	ClientID   string // the Services ID
	TeamID     string
	KeyID      string
	PrivateKey []byte // the .p8 file's PEM (PKCS #8, P-256)
}

// appleSecretTTL is how long a signed client secret is good for (Apple allows six months; each
// exchange signs a fresh one).
const appleSecretTTL = 5 * time.Minute

// NewAppleProvider discovers Apple's endpoints and keys (a network call).
func NewAppleProvider(ctx context.Context, cfg AppleConfig, redirectURL string) (*Provider, error) {
	key, err := parseP8(cfg.PrivateKey)
	if err != nil {
		return nil, fmt.Errorf("auth: apple: %w", err)
	}
	p, err := NewOIDCProvider(ctx, "apple", cfg.Issuer, cfg.ClientID, "", redirectURL)
	if err != nil {
		return nil, err
	}
	p.oauth.Scopes = []string{oidc.ScopeOpenID, "email", "name"}
	p.oauth.Endpoint.AuthStyle = oauth2.AuthStyleInParams
	p.formPost = true
	p.secret = func(now time.Time) (string, error) {
		t := jwt.NewWithClaims(jwt.SigningMethodES256, jwt.RegisteredClaims{Issuer: cfg.TeamID, Subject: cfg.ClientID,
			Audience: jwt.ClaimStrings{"https://appleid.apple.com"}, IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(appleSecretTTL))})
		t.Header["kid"] = cfg.KeyID
		return t.SignedString(key)
	}
	return p, nil
}

func parseP8(pemBytes []byte) (*ecdsa.PrivateKey, error) {
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		return nil, errors.New("the private key is not PEM")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	ec, ok := k.(*ecdsa.PrivateKey)
	if !ok {
		return nil, errors.New("the private key is not an EC key")
	}
	return ec, nil
}

// boolish reads a claim Apple sends as a JSON boolean or as the string "true".
type boolish bool

func (b *boolish) UnmarshalJSON(data []byte) error {
	var s string
	if json.Unmarshal(data, &s) == nil {
		v, err := strconv.ParseBool(s)
		*b = boolish(v)
		return err
	}
	var v bool
	err := json.Unmarshal(data, &v)
	*b = boolish(v)
	return err
}

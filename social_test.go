package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"
)

// yandexFake is Yandex ID as far as a sign-in goes: /authorize (exact redirect URI, PKCE S256
// required), /token (client secret, code once, the verifier matching the challenge) and /info
// (Authorization: OAuth <token>), refusing as Yandex does (invalid_client, invalid_grant, 401).
type yandexFake struct {
	*httptest.Server
	clientID, secret, redirect string

	mu     sync.Mutex
	codes  map[string]string // code → its PKCE challenge
	tokens map[string]bool
}

func newYandexFake(t *testing.T) *yandexFake {
	y := &yandexFake{clientID: "yandex-app", secret: "yandex-secret", codes: map[string]string{}, tokens: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		y.mu.Lock()
		redirect := y.redirect
		y.mu.Unlock()
		if q.Get("client_id") != y.clientID || q.Get("redirect_uri") != redirect || q.Get("response_type") != "code" ||
			q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" {
			http.Error(w, "bad authorize request", http.StatusBadRequest)
			return
		}
		code := rand.Text()
		y.mu.Lock()
		y.codes[code] = q.Get("code_challenge")
		y.mu.Unlock()
		http.Redirect(w, r, redirect+"?code="+code+"&state="+url.QueryEscape(q.Get("state")), http.StatusFound)
	})
	refuse := func(w http.ResponseWriter, status int, code, desc string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
	}
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		if r.PostForm.Get("client_id") != y.clientID || r.PostForm.Get("client_secret") != y.secret {
			refuse(w, http.StatusUnauthorized, "invalid_client", "Client not found")
			return
		}
		y.mu.Lock()
		challenge, ok := y.codes[r.PostForm.Get("code")]
		delete(y.codes, r.PostForm.Get("code"))
		y.mu.Unlock()
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		if !ok || r.PostForm.Get("grant_type") != "authorization_code" || base64.RawURLEncoding.EncodeToString(sum[:]) != challenge {
			refuse(w, http.StatusBadRequest, "invalid_grant", "Code has expired")
			return
		}
		token := rand.Text()
		y.mu.Lock()
		y.tokens[token] = true
		y.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": token, "token_type": "bearer", "expires_in": 31536000})
	})
	mux.HandleFunc("GET /info", func(w http.ResponseWriter, r *http.Request) {
		y.mu.Lock()
		ok := y.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "OAuth ")]
		y.mu.Unlock()
		if !ok {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"id": "1130000012345678", "login": "ivan.petrov", "client_id": y.clientID,
			"default_email": "ivan.petrov@yandex.ru", "emails": []string{"ivan.petrov@yandex.ru"}, "real_name": "Иван Петров", "display_name": "ivan.petrov"})
	})
	y.Server = httptest.NewServer(mux)
	t.Cleanup(y.Close)
	return y
}

// TestYandexSignIn: Yandex ID (OAuth 2 and user info) signs in by state and PKCE; the account
// has Yandex's confirmed address and the user's real name; the callback works once.
func TestYandexSignIn(t *testing.T) {
	t.Parallel()
	y := newYandexFake(t)
	env := map[string]string{"PUBLIC_URL": "auto", "AUTH_YANDEX_CLIENT_ID": y.clientID, "AUTH_YANDEX_SECRET": y.secret,
		"AUTH_YANDEX_URL": y.URL, "AUTH_REDIRECT_URLS": welcome}
	maps.Copy(env, authEnv)
	db, base := startApp(t, env)
	y.mu.Lock()
	y.redirect = base + "/auth/v1/callback" // the registered redirect URI, exactly
	y.mu.Unlock()
	r := &oidcRig{t: t, base: base, browser: noRedirects}
	status, authorize := r.get(base + "/auth/v1/authorize?provider=yandex&redirect_to=" + url.QueryEscape(welcome))
	if status != http.StatusFound || !strings.HasPrefix(authorize.String(), y.URL+"/authorize") || authorize.Query().Get("state") == "" {
		t.Fatalf("authorize: %d %v", status, authorize)
	}
	cb := r.atProvider(authorize)
	status, back := r.get(cb.String())
	frag, _ := url.ParseQuery(back.Fragment)
	if status != http.StatusFound || frag.Get("access_token") == "" {
		t.Fatalf("callback: %d %v", status, back)
	}
	_, u := authCall(t, "GET", base+"/auth/v1/user", frag.Get("access_token"), nil)
	if u["email"] != "ivan.petrov@yandex.ru" || fmt.Sprint(u["app_metadata"]) != "map[provider:yandex providers:[yandex]]" {
		t.Errorf("user %v", u)
	}
	if name := db.Scalar(t, `SELECT name FROM users WHERE email = 'ivan.petrov@yandex.ru'`); name != "Иван Петров" {
		t.Errorf("name %q", name)
	}
	if status, again := r.get(cb.String()); status != http.StatusFound && status != http.StatusBadRequest || again != nil && strings.Contains(again.Fragment, "access_token") {
		t.Errorf("a replayed callback: %d %v", status, again)
	}
}

// appleUser is who Apple says signed in: it sends email_verified as the string "true".
type appleUser struct{ sub, email string }

func (u appleUser) ID() string { return u.sub }
func (u appleUser) Userinfo([]string) ([]byte, error) {
	return json.Marshal(map[string]string{"sub": u.sub})
}
func (u appleUser) Claims(_ []string, c *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	return &struct {
		*mockoidc.IDTokenClaims
		Email         string `json:"email"`
		EmailVerified string `json:"email_verified"`
	}{c, u.email, "true"}, nil
}

// TestAppleSignInWithFormPostAndSignedSecret: Sign in with Apple asks for response_mode=
// form_post, exchanges the code with a client secret it signs (ES256: iss the team, sub the
// Services ID, aud Apple, kid the key — checked by the fake's token endpoint with the public
// key), takes the name from the first answer's user field and the address Apple vouches for.
func TestAppleSignInWithFormPostAndSignedSecret(t *testing.T) {
	t.Parallel()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	p8 := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))

	idp, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	var secrets []string
	var mu sync.Mutex
	_ = idp.AddMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == mockoidc.AuthorizationEndpoint {
				// Apple: the name and email scopes only with response_mode=form_post; mockoidc knows no "name"
				q := r.URL.Query()
				if q.Get("response_mode") != "form_post" {
					http.Error(w, "response_mode must be form_post when name or email scope is requested", http.StatusBadRequest)
					return
				}
				q.Set("scope", strings.Join(slices.DeleteFunc(strings.Fields(q.Get("scope")), func(s string) bool { return s == "name" }), " "))
				r.URL.RawQuery = q.Encode()
			}
			if r.URL.Path == mockoidc.TokenEndpoint {
				_ = r.ParseForm()
				secret := r.PostForm.Get("client_secret")
				tok, err := jwt.Parse(secret, func(tok *jwt.Token) (any, error) {
					if tok.Header["kid"] != "KEY123" {
						return nil, fmt.Errorf("kid %v", tok.Header["kid"])
					}
					return &key.PublicKey, nil
				}, jwt.WithValidMethods([]string{"ES256"}), jwt.WithAudience("https://appleid.apple.com"), jwt.WithIssuer("TEAM123"),
					jwt.WithSubject(idp.ClientID), jwt.WithExpirationRequired(), jwt.WithIssuedAt())
				if err != nil || !tok.Valid {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(http.StatusBadRequest)
					_, _ = w.Write([]byte(`{"error":"invalid_client"}`))
					return
				}
				mu.Lock()
				secrets = append(secrets, secret)
				mu.Unlock()
				r.PostForm.Set("client_secret", idp.ClientSecret) // what mockoidc itself compares
				r.Form = r.PostForm
			}
			next.ServeHTTP(w, r)
		})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := idp.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = idp.Shutdown() })
	env := map[string]string{"PUBLIC_URL": "auto", "AUTH_APPLE_CLIENT_ID": idp.ClientID, "AUTH_APPLE_ISSUER": idp.Issuer(),
		"AUTH_APPLE_TEAM_ID": "TEAM123", "AUTH_APPLE_KEY_ID": "KEY123", "AUTH_APPLE_PRIVATE_KEY": p8, "AUTH_REDIRECT_URLS": welcome}
	maps.Copy(env, authEnv)
	db, base := startApp(t, env)
	idp.QueueUser(appleUser{sub: "001234.abcdef", email: "anna@privaterelay.appleid.com"})
	r := &oidcRig{t: t, base: base, browser: noRedirects}
	status, authorize := r.get(base + "/auth/v1/authorize?provider=apple&redirect_to=" + url.QueryEscape(welcome))
	if status != http.StatusFound || authorize.Query().Get("response_mode") != "form_post" || !strings.Contains(authorize.Query().Get("scope"), "name") {
		t.Fatalf("authorize: %d %v", status, authorize)
	}
	cb := r.atProvider(authorize)
	// Apple posts the answer as a form, with the user's name the first time
	form := url.Values{"state": {cb.Query().Get("state")}, "code": {cb.Query().Get("code")},
		"user": {`{"name":{"firstName":"Anna","lastName":"Ivanova"},"email":"anna@privaterelay.appleid.com"}`}}
	resp, err := noRedirects.PostForm(base+"/auth/v1/callback", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, _ := resp.Location()
	if resp.StatusCode != http.StatusFound || back == nil || !strings.Contains(back.Fragment, "access_token=") {
		t.Fatalf("callback: %d %v", resp.StatusCode, back)
	}
	if len(secrets) != 1 {
		t.Errorf("%d signed client secrets reached the token endpoint", len(secrets))
	}
	if got := db.Scalar(t, `SELECT name || ' ' || email || ' ' || (email_confirmed_at IS NOT NULL) FROM users u JOIN identities i ON i.user_id = u.id
		WHERE i.provider = 'apple' AND i.external_id = '001234.abcdef'`); got != "Anna Ivanova anna@privaterelay.appleid.com true" {
		t.Errorf("the Apple user: %s", got)
	}
}

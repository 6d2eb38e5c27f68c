package webhooks

import (
	"encoding/json"
	"errors"
	"html"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/auth"
	"github.com/bizconnect/bizconnect/core/locale"
)

// The auth API is Supabase Auth's (GoTrue's) at /auth/v1, so that a front end written with
// supabase-js talks to it unchanged: its paths, its JSON and its error shape
// ({"code", "error_code", "msg"}), not the REST API's problem details.

// maxAuthBody bounds an auth request's body: an email, a password, a little metadata.
const maxAuthBody = 16 << 10

// perIP bounds the auth requests of one client address (sign-ins cost an argon2 hash each).
var perIP = auth.Rate{N: 30, Period: time.Minute}

func (s *Server) authRoutes() {
	a := s.opts.Auth
	if a == nil {
		return
	}
	ips := auth.NewLimiter(perIP)
	g := s.engine.Group("/auth/v1", func(c *gin.Context) {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxAuthBody)
		if !ips.Allow(clientIP(c.Request)) {
			authError(c, auth.ErrTooMany)
			return
		}
		c.Header("Cache-Control", "no-store")
	})
	s.unsubscribeRoutes(a, ips)
	g.GET("/settings", func(c *gin.Context) {
		external := gin.H{"email": true, "phone": false, "google": false, "apple": false, "yandex": false, "telegram": false}
		for _, p := range a.Providers() {
			external[p] = true
		}
		external["telegram"] = a.Telegram()
		c.JSON(http.StatusOK, gin.H{
			"external":           external,
			"disable_signup":     false,
			"mailer_autoconfirm": a.Autoconfirm(),
			"phone_autoconfirm":  false,
			"sms_provider":       "",
			"saml_enabled":       false,
		})
	})
	g.POST("/signup", func(c *gin.Context) {
		var req struct {
			Email    string         `json:"email"`
			Password string         `json:"password"`
			Data     map[string]any `json:"data"`
		}
		if !readAuth(c, &req) {
			return
		}
		sess, acc, err := a.SignUp(c.Request.Context(), req.Email, req.Password, req.Data, authClient(c, req.Data))
		switch {
		case err != nil:
			authError(c, err)
		case sess != nil:
			c.JSON(http.StatusOK, sessionJSON(sess))
		default:
			c.JSON(http.StatusOK, userJSON(acc))
		}
	})
	g.POST("/token", func(c *gin.Context) {
		var req struct {
			Email        string `json:"email"`
			Password     string `json:"password"`
			RefreshToken string `json:"refresh_token"`
			// the Telegram Login Widget's data-onauth object, for grant_type=telegram
			Telegram map[string]json.RawMessage `json:"telegram"`
		}
		if !readAuth(c, &req) {
			return
		}
		var sess *auth.Session
		var err error
		switch c.Query("grant_type") {
		case "password":
			sess, err = a.SignIn(c.Request.Context(), req.Email, req.Password, c.Request.UserAgent())
		case "refresh_token":
			sess, err = a.Refresh(c.Request.Context(), req.RefreshToken)
		case "telegram":
			data := make(map[string]string, len(req.Telegram))
			for k, v := range req.Telegram {
				var text string
				if json.Unmarshal(v, &text) != nil {
					text = string(v) // a number (id, auth_date) as it was written
				}
				data[k] = text
			}
			sess, err = a.TelegramSignIn(c.Request.Context(), data, c.Request.UserAgent())
		default:
			err = core.Errorf(core.EINVALID, "unsupported_grant_type")
		}
		if err != nil {
			authError(c, err)
			return
		}
		c.JSON(http.StatusOK, sessionJSON(sess))
	})
	g.GET("/authorize", func(c *gin.Context) {
		to, err := a.Authorize(c.Request.Context(), c.Query("provider"), c.Query("redirect_to"))
		if err != nil {
			authError(c, err)
			return
		}
		c.Redirect(http.StatusFound, to)
	})
	// the provider's answer: a redirect (GET) or, for Apple's response_mode=form_post, a POST
	callback := func(c *gin.Context) {
		param := c.Query
		if c.Request.Method == http.MethodPost {
			param = c.PostForm
		}
		if e := param("error"); e != "" { // the user declined at the provider
			authErrorCode(c, http.StatusBadRequest, "oauth_provider_error", "the provider answered "+core.Truncate(e, 100))
			return
		}
		sess, to, err := a.Callback(c.Request.Context(), auth.CallbackInput{State: param("state"), Code: param("code"), User: param("user")}, c.Request.UserAgent())
		switch {
		case err == nil:
			c.Redirect(http.StatusFound, auth.FragmentURL(to, sess, time.Now()))
		case to != "" && auth.IsFlowError(err):
			c.Redirect(http.StatusFound, to+"#error=invalid_request&error_code=bad_oauth_callback&error_description="+
				url.QueryEscape(core.ErrorMessage(err)))
		case auth.IsFlowError(err):
			authErrorCode(c, http.StatusBadRequest, "bad_oauth_state", core.ErrorMessage(err))
		default:
			authError(c, err)
		}
	}
	g.GET("/callback", callback)
	g.POST("/callback", callback)
	// the Telegram Login Widget's data-auth-url: its fields in the query, the session in the
	// fragment of redirect_to
	g.GET("/telegram", func(c *gin.Context) {
		to, err := a.RedirectURL(c.Query("redirect_to"))
		if err != nil {
			authError(c, err)
			return
		}
		data := map[string]string{}
		for k, v := range c.Request.URL.Query() {
			if k != "redirect_to" && len(v) == 1 {
				data[k] = v[0]
			}
		}
		sess, err := a.TelegramSignIn(c.Request.Context(), data, c.Request.UserAgent())
		if err != nil {
			c.Redirect(http.StatusSeeOther, to+"#error=access_denied&error_code=bad_telegram_login&error_description="+url.QueryEscape(core.ErrorMessage(err)))
			return
		}
		c.Redirect(http.StatusSeeOther, auth.FragmentURL(to, sess, time.Now()))
	})
	g.POST("/recover", func(c *gin.Context) {
		var req struct {
			Email string `json:"email"`
		}
		if !readAuth(c, &req) {
			return
		}
		if err := a.Recover(c.Request.Context(), req.Email, c.Query("redirect_to")); err != nil {
			authError(c, err)
			return
		}
		c.JSON(http.StatusOK, gin.H{})
	})
	g.POST("/resend", func(c *gin.Context) {
		var req struct {
			Email string `json:"email"`
			Type  string `json:"type"`
		}
		if !readAuth(c, &req) {
			return
		}
		if err := a.Resend(c.Request.Context(), req.Type, req.Email, c.Query("redirect_to")); err != nil {
			authError(c, err)
			return
		}
		c.JSON(http.StatusOK, gin.H{})
	})
	g.POST("/verify", func(c *gin.Context) {
		var req struct {
			Type      string `json:"type"`
			Token     string `json:"token"`
			TokenHash string `json:"token_hash"`
			Email     string `json:"email"`
		}
		if !readAuth(c, &req) {
			return
		}
		var sess *auth.Session
		var err error
		if req.TokenHash != "" {
			sess, _, err = a.VerifyLink(c.Request.Context(), req.Type, req.TokenHash, c.Request.UserAgent())
		} else {
			sess, err = a.VerifyCode(c.Request.Context(), req.Type, req.Email, req.Token, c.Request.UserAgent())
		}
		if err != nil {
			authError(c, err)
			return
		}
		c.JSON(http.StatusOK, sessionJSON(sess))
	})
	// the mailed link: the browser comes back to redirect_to with the session in the fragment
	// (GoTrue's implicit flow), or with what went wrong
	g.GET("/verify", func(c *gin.Context) {
		to, err := a.RedirectURL(c.Query("redirect_to"))
		if err != nil {
			authError(c, err)
			return
		}
		sess, purpose, err := a.VerifyLink(c.Request.Context(), c.Query("type"), c.Query("token"), c.Request.UserAgent())
		if err != nil {
			code := "otp_expired"
			if !errors.Is(err, auth.ErrTokenInvalid) {
				code = "validation_failed"
			}
			c.Redirect(http.StatusSeeOther, to+"#error=access_denied&error_code="+code+"&error_description="+url.QueryEscape(core.ErrorMessage(err)))
			return
		}
		c.Redirect(http.StatusSeeOther, auth.FragmentURL(to, sess, time.Now())+"&type="+url.QueryEscape(purpose))
	})
	g.POST("/logout", func(c *gin.Context) {
		claims, ok := bearer(c, a)
		if !ok {
			return
		}
		if err := a.Logout(c.Request.Context(), claims, c.Query("scope")); err != nil {
			authError(c, err)
			return
		}
		c.Status(http.StatusNoContent)
	})
	g.GET("/user", func(c *gin.Context) {
		claims, ok := bearer(c, a)
		if !ok {
			return
		}
		acc, err := a.User(c.Request.Context(), claims)
		if err != nil {
			authError(c, err)
			return
		}
		c.JSON(http.StatusOK, userJSON(acc))
	})
	g.PUT("/user", func(c *gin.Context) {
		claims, ok := bearer(c, a)
		if !ok {
			return
		}
		var req struct {
			Email    *string        `json:"email"`
			Password *string        `json:"password"`
			Data     map[string]any `json:"data"`
		}
		if !readAuth(c, &req) {
			return
		}
		acc, err := a.UpdateUser(c.Request.Context(), claims, req.Email, req.Password, req.Data, authClient(c, req.Data))
		if err != nil {
			authError(c, err)
			return
		}
		c.JSON(http.StatusOK, userJSON(acc))
	})
}

// readAuth decodes the JSON body into v, answering a malformed or oversized one.
func readAuth(c *gin.Context, v any) bool {
	if err := json.NewDecoder(c.Request.Body).Decode(v); err != nil {
		authErrorCode(c, http.StatusBadRequest, "bad_json", "Could not parse request body as JSON")
		return false
	}
	return true
}

// bearer verifies the request's access token.
func bearer(c *gin.Context, a *auth.Service) (*auth.Claims, bool) {
	token, ok := auth.BearerToken(c.GetHeader("Authorization"))
	if !ok {
		authErrorCode(c, http.StatusUnauthorized, "no_authorization", "This endpoint requires a Bearer token")
		return nil, false
	}
	claims, err := a.Verify(token)
	if err != nil {
		authErrorCode(c, http.StatusForbidden, "bad_jwt", "invalid JWT: unable to parse or verify signature, token is expired or not ours")
		return nil, false
	}
	return claims, true
}

// authErrors are GoTrue's codes of the service's refusals.
var authErrors = []struct {
	err    error
	status int
	code   string
}{
	{auth.ErrInvalidCredentials, http.StatusBadRequest, "invalid_credentials"},
	{auth.ErrEmailNotConfirmed, http.StatusBadRequest, "email_not_confirmed"},
	{auth.ErrBadEmail, http.StatusBadRequest, "validation_failed"},
	{auth.ErrWeakPassword, http.StatusUnprocessableEntity, "weak_password"},
	{auth.ErrUserExists, http.StatusUnprocessableEntity, "user_already_exists"},
	{auth.ErrTokenNotFound, http.StatusBadRequest, "refresh_token_not_found"},
	{auth.ErrTokenReused, http.StatusBadRequest, "refresh_token_already_used"},
	{auth.ErrTooMany, http.StatusTooManyRequests, "over_request_rate_limit"},
	{auth.ErrSuspended, http.StatusBadRequest, "user_banned"},
	{auth.ErrUnknownProvider, http.StatusBadRequest, "validation_failed"},
	{auth.ErrBadRedirect, http.StatusBadRequest, "validation_failed"},
	{auth.ErrTokenInvalid, http.StatusForbidden, "otp_expired"},
	{auth.ErrBadTelegramLogin, http.StatusBadRequest, "bad_telegram_login"},
}

// authError renders err as GoTrue does; anything unexpected is a 500 whose details stay in
// the log.
func authError(c *gin.Context, err error) {
	for _, e := range authErrors {
		if errors.Is(err, e.err) {
			authErrorCode(c, e.status, e.code, core.ErrorMessage(e.err))
			return
		}
	}
	switch core.ErrorCode(err) {
	case core.EINVALID:
		authErrorCode(c, http.StatusBadRequest, "validation_failed", core.ErrorMessage(err))
	case core.ECONFLICT:
		authErrorCode(c, http.StatusUnprocessableEntity, "email_exists", core.ErrorMessage(err))
	case core.ENOTFOUND:
		authErrorCode(c, http.StatusNotFound, "user_not_found", "User not found")
	default:
		_ = c.Error(err)
		authErrorCode(c, http.StatusInternalServerError, "unexpected_failure", "Internal server error")
	}
}

func authErrorCode(c *gin.Context, status int, code, msg string) {
	c.AbortWithStatusJSON(status, gin.H{"code": status, "error_code": code, "msg": msg})
}

func sessionJSON(s *auth.Session) gin.H {
	return gin.H{
		"access_token": s.AccessToken, "token_type": "bearer", "expires_in": int(time.Until(s.ExpiresAt).Round(time.Second).Seconds()),
		"expires_at": s.ExpiresAt.Unix(), "refresh_token": s.RefreshToken, "user": userJSON(s.User),
	}
}

func userJSON(a auth.Account) gin.H {
	meta := a.Metadata
	if meta == nil {
		meta = map[string]any{}
	}
	u := gin.H{
		"id": a.ID, "aud": auth.Audience, "role": auth.RoleAuthenticated, "email": a.Email, "phone": "",
		"email_confirmed_at": a.EmailConfirmedAt, "confirmed_at": a.EmailConfirmedAt, "last_sign_in_at": a.LastSignInAt,
		"app_metadata":  a.AppMetadata(),
		"user_metadata": meta, "identities": []any{}, "created_at": a.CreatedAt, "updated_at": a.UpdatedAt, "is_anonymous": false,
	}
	if a.EmailChange != "" {
		u["new_email"] = a.EmailChange
	}
	return u
}

// authClient is who asks: their browser, their language (the account's metadata "locale" when
// it says, else the browser's first choice) and where a mailed link brings them back.
func authClient(c *gin.Context, data map[string]any) auth.Client {
	lang, _ := data["locale"].(string)
	if lang != "ru" && lang != "en" {
		lang = "en"
		if first, _, _ := strings.Cut(c.GetHeader("Accept-Language"), ","); strings.HasPrefix(strings.ToLower(strings.TrimSpace(first)), "ru") {
			lang = "ru"
		}
	}
	return auth.Client{UserAgent: c.Request.UserAgent(), Lang: lang, RedirectTo: c.Query("redirect_to")}
}

// clientIP is the request's peer address. Behind a proxy that is the proxy's: the limit is then
// per proxy unless the proxy itself limits per client (docs/operations.md).
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// unsubscribeRoutes serve the mails' List-Unsubscribe link: a GET shows a page with one button
// (a link scanner's GET changes nothing), its POST and a mail client's one-click POST (RFC 8058)
// stop that kind of mail to that address.
func (s *Server) unsubscribeRoutes(a *auth.Service, ips *auth.Limiter) {
	page := func(c *gin.Context, status int, key string, form bool) {
		body := "<p>" + html.EscapeString(locale.T("en", key)) + "</p><p lang=\"ru\">" + html.EscapeString(locale.T("ru", key)) + "</p>"
		if form {
			body += `<form method="post"><input type="hidden" name="t" value="` + html.EscapeString(c.Query("t")) +
				`"><button type="submit">Unsubscribe · Отписаться</button></form>`
		}
		c.Header("Cache-Control", "no-store")
		c.Data(status, "text/html; charset=utf-8", []byte(`<!doctype html><html><head><meta charset="utf-8">`+
			`<meta name="viewport" content="width=device-width"><title>Business Connect</title></head><body style="font-family:sans-serif;max-width:520px;margin:40px auto">`+
			body+`</body></html>`))
	}
	s.engine.GET("/mail/unsubscribe", func(c *gin.Context) { page(c, http.StatusOK, "mail_unsub_ask", true) })
	s.engine.POST("/mail/unsubscribe", func(c *gin.Context) {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxAuthBody)
		if !ips.Allow(clientIP(c.Request)) {
			page(c, http.StatusTooManyRequests, "mail_unsub_later", false)
			return
		}
		token := c.Query("t") // one click posts to the URL itself; the page's form sends it in the body
		if token == "" {
			token = c.PostForm("t")
		}
		if _, _, err := a.Unsubscribe(c.Request.Context(), token); err != nil {
			status := http.StatusBadRequest
			if core.ErrorCode(err) != core.EINVALID {
				_ = c.Error(err)
				status = http.StatusInternalServerError
			}
			page(c, status, "mail_unsub_bad", false)
			return
		}
		page(c, http.StatusOK, "mail_unsub_done", false)
	})
}

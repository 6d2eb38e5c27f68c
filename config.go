package main

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/bizconnect/bizconnect/core/hooks"
	"github.com/bizconnect/bizconnect/core/mail"
	"github.com/bizconnect/bizconnect/core/openai"
	"github.com/bizconnect/bizconnect/scheduler"
	"github.com/bizconnect/bizconnect/webhooks"
)

// Config is the whole configuration, read from the environment (and .env when present).
type Config struct {
	DatabaseURL      string
	DatabaseAdminURL string
	HTTPAddr         string
	// HTTPLimits are the public server's timeouts and per-address connection cap.
	HTTPLimits webhooks.Limits
	// MetricsAddr serves /metrics on a listener of its own; "" when disabled.
	MetricsAddr string
	// InstanceID names this process among the instances sharing the database; a restarted
	// instance takes back its own leases at once instead of waiting for them to expire.
	InstanceID string
	PublicURL  string

	TelegramBotToken      string
	TelegramAPIURL        string
	TelegramMode          string
	TelegramWebhookSecret string

	SlackBotToken      string
	SlackSigningSecret string
	SlackClientID      string
	SlackClientSecret  string
	SlackAPIURL        string

	// OpenAI is the LLM client's configuration (OPENAI_*).
	OpenAI openai.Config

	// EncryptionKey is the 32-byte AES-256 key for stored tokens (the vault names it by its hash).
	EncryptionKey []byte
	DefaultTZ     *time.Location
	LogLevel      slog.Level

	// JWTSecret signs the web accounts' access tokens (BC_JWT_SECRET, at least 32 bytes); the
	// auth API is off without it. AuthAutoconfirm signs new accounts in without confirming their
	// email (AUTH_AUTOCONFIRM).
	JWTSecret       []byte
	AuthAutoconfirm bool
	// CORSOrigins may call the auth and REST APIs from a browser (CORS_ALLOWED_ORIGINS, comma-
	// separated origins such as https://app.example.com; none by default). APIPerMinute bounds
	// the REST API's requests per user and minute (API_RATE_PER_MINUTE, 600; 0: no bound).
	CORSOrigins  []string
	APIPerMinute int
	// Webhooks are the outgoing webhooks' bounds: the networks a delivery may reach beside the
	// public internet (WEBHOOK_ALLOWED_NETWORKS, CIDRs; none by default) and the gaps between
	// attempts (WEBHOOK_RETRY_SCHEDULE, Standard Webhooks' 5s,5m,30m,2h,5h,10h,10h).
	WebhookAllowed  []netip.Prefix
	WebhookSchedule []time.Duration
	// SMTP sends account mail (SMTP_HOST, SMTP_PORT, SMTP_USERNAME, SMTP_PASSWORD, SMTP_FROM,
	// SMTP_TLS); none without a host.
	SMTP mail.Config
	// AuthProviders are the social sign-in providers configured (AUTH_GOOGLE_*); AuthRedirectURLs
	// where a sign-in may send the browser back (AUTH_REDIRECT_URLS, PUBLIC_URL by default).
	AuthProviders    []AuthProvider
	AuthRedirectURLs []string

	// Calendar connects users' Google Calendars (GOOGLE_CALENDAR_CLIENT_ID, _SECRET; the
	// OAuth and API base URLs GOOGLE_OAUTH_URL and GOOGLE_CALENDAR_API_URL for a test server); off
	// without a client id. It needs BC_ENCRYPTION_KEY (the grants are sealed) and PUBLIC_URL.
	Calendar GoogleCalendar

	// Pushes plans the scheduled pushes (morning plans, check-ins, weekly reports) here; off,
	// only reminders of tasks with a time are sent (PUSHES=off).
	Pushes bool
	// Schedule bounds catching up after downtime (PUSH_GRACE, REMINDER_GRACE).
	Schedule scheduler.Config
}

// GoogleCalendar is the Google Calendar integration's OAuth client and, for tests, where
// Google's OAuth endpoints (…/o/oauth2/v2/auth, /token, /revoke) and Calendar API are.
type GoogleCalendar struct {
	ClientID, Secret string
	OAuthURL, APIURL string
}

// LoadConfig reads and validates the configuration. The error lists every variable that is wrong
// and why, not just the first.
func LoadConfig(getenv func(string) string) (Config, error) {
	env := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		DatabaseURL:           env("DATABASE_URL", ""),
		HTTPAddr:              env("HTTP_ADDR", ":8080"),
		MetricsAddr:           env("METRICS_ADDR", "127.0.0.1:9090"),
		PublicURL:             strings.TrimRight(env("PUBLIC_URL", ""), "/"),
		TelegramBotToken:      env("TELEGRAM_BOT_TOKEN", ""),
		TelegramAPIURL:        strings.TrimRight(env("TELEGRAM_API_URL", "https://api.telegram.org"), "/"),
		TelegramMode:          env("TELEGRAM_MODE", ""),
		TelegramWebhookSecret: env("TELEGRAM_WEBHOOK_SECRET", ""),
		SlackBotToken:         env("SLACK_BOT_TOKEN", ""),
		SlackSigningSecret:    env("SLACK_SIGNING_SECRET", ""),
		SlackClientID:         env("SLACK_CLIENT_ID", ""),
		SlackClientSecret:     env("SLACK_CLIENT_SECRET", ""),
		SlackAPIURL:           env("SLACK_API_URL", "https://slack.com/api/"),
		OpenAI:                openai.ConfigFromEnv(func(name string) string { return strings.TrimSpace(getenv(name)) }),
	}
	c.DatabaseAdminURL = env("DATABASE_ADMIN_URL", c.DatabaseURL)
	var errs []error
	bad := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
	}
	if c.MetricsAddr == "off" {
		c.MetricsAddr = ""
	}
	if v := env("HTTP_MAX_CONNS_PER_IP", ""); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			bad("HTTP_MAX_CONNS_PER_IP", "%q: want a number of connections, 0 for no cap", v)
		}
		c.HTTPLimits.MaxConnsPerAddr = n
		if n == 0 {
			c.HTTPLimits.MaxConnsPerAddr = -1
		}
	}
	c.InstanceID = env("BC_INSTANCE_ID", defaultInstanceID(c.HTTPAddr))
	for _, u := range []struct{ name, value string }{
		{"DATABASE_URL", c.DatabaseURL}, {"DATABASE_ADMIN_URL", c.DatabaseAdminURL},
	} {
		if u.value != "" && !strings.HasPrefix(u.value, "postgres://") && !strings.HasPrefix(u.value, "postgresql://") {
			bad(u.name, "must be a postgres:// URL")
		}
	}
	for _, u := range []struct{ name, value string }{
		{"PUBLIC_URL", c.PublicURL}, {"TELEGRAM_API_URL", c.TelegramAPIURL},
		{"SLACK_API_URL", c.SlackAPIURL}, {"OPENAI_BASE_URL", c.OpenAI.BaseURL},
	} {
		if u.value == "" {
			continue
		}
		if p, err := url.Parse(u.value); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			bad(u.name, "%q is not an absolute http(s) URL", u.value)
		}
	}
	if v := env("OPENAI_TIMEOUT", ""); v != "" {
		if d, err := time.ParseDuration(v); err != nil || d <= 0 || d > 10*time.Minute {
			bad("OPENAI_TIMEOUT", "%q: want a duration such as 30s, at most 10m", v)
		}
	}
	if v := env("OPENAI_MAX_RETRIES", ""); v != "" {
		if n, err := strconv.Atoi(v); err != nil || n < 0 || n > 10 {
			bad("OPENAI_MAX_RETRIES", "%q: want 0 to 10", v)
		}
	}
	switch c.TelegramMode {
	case "":
		c.TelegramMode = "polling"
		if c.PublicURL != "" {
			c.TelegramMode = "webhook"
		}
	case "webhook", "polling":
	default:
		bad("TELEGRAM_MODE", "%q: want webhook or polling", c.TelegramMode)
	}
	if c.TelegramBotToken != "" && c.TelegramMode == "webhook" && c.TelegramWebhookSecret == "" {
		bad("TELEGRAM_WEBHOOK_SECRET", "required in webhook mode: Telegram sends it in X-Telegram-Bot-Api-Secret-Token and unsigned updates are refused")
	}
	if c.TelegramWebhookSecret != "" && !validWebhookSecret(c.TelegramWebhookSecret) {
		bad("TELEGRAM_WEBHOOK_SECRET", "1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)")
	}
	if (c.SlackBotToken != "" || c.SlackClientID != "") && c.SlackSigningSecret == "" {
		bad("SLACK_SIGNING_SECRET", "required when Slack is enabled: every Slack request is verified with it")
	}
	if c.SlackClientID != "" && c.PublicURL == "" {
		bad("PUBLIC_URL", "required with SLACK_CLIENT_ID: Slack redirects installs to {PUBLIC_URL}/slack/oauth/callback")
	}
	if (c.SlackClientID == "") != (c.SlackClientSecret == "") {
		bad("SLACK_CLIENT_SECRET", "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET go together")
	}
	if k := env("BC_ENCRYPTION_KEY", ""); k != "" {
		key, err := decodeKey(k)
		if err != nil {
			bad("BC_ENCRYPTION_KEY", "%v", err)
		}
		c.EncryptionKey = key
	} else if c.SlackClientID != "" {
		bad("BC_ENCRYPTION_KEY", "required when Slack OAuth is enabled: workspace tokens are stored encrypted")
	}
	tz := env("BC_DEFAULT_TZ", "UTC")
	loc, err := time.LoadLocation(tz)
	if err != nil {
		bad("BC_DEFAULT_TZ", "%q is not an IANA time zone (e.g. Europe/Moscow)", tz)
		loc = time.UTC
	}
	c.DefaultTZ = loc
	if err := c.LogLevel.UnmarshalText([]byte(env("LOG_LEVEL", "info"))); err != nil {
		bad("LOG_LEVEL", "want debug, info, warn or error")
	}
	switch v := env("PUSHES", "on"); v {
	case "on", "off":
		c.Pushes = v == "on"
	default:
		bad("PUSHES", "%q: want on or off", v)
	}
	if v := env("BC_JWT_SECRET", ""); v != "" {
		if len(v) < 32 {
			bad("BC_JWT_SECRET", "at least 32 characters (e.g. openssl rand -hex 32)")
		}
		c.JWTSecret = []byte(v)
	}
	switch v := env("AUTH_AUTOCONFIRM", "false"); v {
	case "true", "false":
		c.AuthAutoconfirm = v == "true"
	default:
		bad("AUTH_AUTOCONFIRM", "%q: want true or false", v)
	}
	for _, o := range strings.Split(env("CORS_ALLOWED_ORIGINS", ""), ",") {
		if o = strings.TrimSpace(o); o == "" {
			continue
		}
		if u, err := url.Parse(o); o != "*" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "") {
			bad("CORS_ALLOWED_ORIGINS", "%q is not an origin (scheme://host[:port])", o)
			continue
		}
		c.CORSOrigins = append(c.CORSOrigins, strings.TrimSuffix(o, "/"))
	}
	if v := env("API_RATE_PER_MINUTE", "600"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1_000_000 {
			bad("API_RATE_PER_MINUTE", "%q: want a number of requests, 0 for no bound", v)
		}
		c.APIPerMinute = n
	}
	for _, n := range strings.Split(env("WEBHOOK_ALLOWED_NETWORKS", ""), ",") {
		if n = strings.TrimSpace(n); n == "" {
			continue
		}
		p, err := netip.ParsePrefix(n)
		if err != nil {
			bad("WEBHOOK_ALLOWED_NETWORKS", "%q is not a CIDR (10.0.0.0/8)", n)
			continue
		}
		c.WebhookAllowed = append(c.WebhookAllowed, p.Masked())
	}
	c.WebhookSchedule = hooks.Schedule
	if v := env("WEBHOOK_RETRY_SCHEDULE", ""); v != "" {
		c.WebhookSchedule = nil
		for _, d := range strings.Split(v, ",") {
			gap, err := time.ParseDuration(strings.TrimSpace(d))
			if err != nil || gap <= 0 || gap > 48*time.Hour {
				bad("WEBHOOK_RETRY_SCHEDULE", "%q: want durations up to 48h, such as 5s,5m,30m", d)
				continue
			}
			c.WebhookSchedule = append(c.WebhookSchedule, gap)
		}
		if len(c.WebhookSchedule) == 0 || len(c.WebhookSchedule) > 20 {
			bad("WEBHOOK_RETRY_SCHEDULE", "between 1 and 20 gaps")
		}
	}
	c.SMTP = mail.Config{Host: env("SMTP_HOST", ""), Username: env("SMTP_USERNAME", ""), Password: env("SMTP_PASSWORD", ""),
		From: env("SMTP_FROM", ""), TLS: env("SMTP_TLS", "starttls")}
	if v := env("SMTP_PORT", "587"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			bad("SMTP_PORT", "%q is not a port", v)
		}
		c.SMTP.Port = n
	}
	if err := c.SMTP.Check(); err != nil {
		bad("SMTP_FROM", "%v", err)
	}
	if c.JWTSecret != nil && !c.AuthAutoconfirm && c.SMTP.Host == "" {
		// sign-ups nobody can confirm are refused rather than accepted
		bad("AUTH_AUTOCONFIRM", "must be true without SMTP_HOST: confirmation mail needs an SMTP server")
	}
	if c.SMTP.Host != "" && c.PublicURL == "" {
		bad("PUBLIC_URL", "required with SMTP_HOST: mailed links point to it")
	}
	c.Calendar = GoogleCalendar{ClientID: env("GOOGLE_CALENDAR_CLIENT_ID", ""), Secret: env("GOOGLE_CALENDAR_SECRET", ""),
		OAuthURL: strings.TrimRight(env("GOOGLE_OAUTH_URL", ""), "/"), APIURL: env("GOOGLE_CALENDAR_API_URL", "")}
	if c.Calendar.ClientID != "" {
		switch {
		case c.Calendar.Secret == "":
			bad("GOOGLE_CALENDAR_SECRET", "required with GOOGLE_CALENDAR_CLIENT_ID")
		case c.PublicURL == "":
			bad("PUBLIC_URL", "required with GOOGLE_CALENDAR_CLIENT_ID: Google sends the browser back to {PUBLIC_URL}/calendar/google/callback")
		case c.EncryptionKey == nil:
			bad("BC_ENCRYPTION_KEY", "required with GOOGLE_CALENDAR_CLIENT_ID: calendar grants are stored sealed")
		}
		for _, u := range []struct{ name, value string }{{"GOOGLE_OAUTH_URL", c.Calendar.OAuthURL}, {"GOOGLE_CALENDAR_API_URL", c.Calendar.APIURL}} {
			if p, err := url.Parse(u.value); u.value != "" && (err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "") {
				bad(u.name, "%q is not an absolute http(s) URL", u.value)
			}
		}
	}
	// social sign-in: each provider is on when its client id is set
	for _, p := range []AuthProvider{
		{Name: "google", ClientID: env("AUTH_GOOGLE_CLIENT_ID", ""), Secret: env("AUTH_GOOGLE_SECRET", ""),
			Issuer: env("AUTH_GOOGLE_ISSUER", "https://accounts.google.com")},
		{Name: "yandex", ClientID: env("AUTH_YANDEX_CLIENT_ID", ""), Secret: env("AUTH_YANDEX_SECRET", ""), Issuer: env("AUTH_YANDEX_URL", "")},
		{Name: "apple", ClientID: env("AUTH_APPLE_CLIENT_ID", ""), Issuer: env("AUTH_APPLE_ISSUER", "https://appleid.apple.com"),
			TeamID: env("AUTH_APPLE_TEAM_ID", ""), KeyID: env("AUTH_APPLE_KEY_ID", ""), PrivateKey: env("AUTH_APPLE_PRIVATE_KEY", "")},
	} {
		if p.ClientID == "" {
			continue
		}
		upper := "AUTH_" + strings.ToUpper(p.Name)
		need := map[string]string{upper + "_SECRET": p.Secret}
		if p.Name == "apple" {
			need = map[string]string{upper + "_TEAM_ID": p.TeamID, upper + "_KEY_ID": p.KeyID, upper + "_PRIVATE_KEY": p.PrivateKey}
		}
		for name, v := range need {
			if v == "" {
				bad(name, "required with %s_CLIENT_ID", upper)
			}
		}
		if c.PublicURL == "" {
			bad("PUBLIC_URL", "required with %s_CLIENT_ID: the provider sends the browser back to {PUBLIC_URL}/auth/v1/callback", upper)
		}
		if c.JWTSecret == nil {
			bad("BC_JWT_SECRET", "required with %s_CLIENT_ID: a sign-in makes a session", upper)
		}
		c.AuthProviders = append(c.AuthProviders, p)
	}
	for _, u := range strings.Split(env("AUTH_REDIRECT_URLS", c.PublicURL), ",") {
		if u = strings.TrimSpace(u); u == "" {
			continue
		}
		if p, err := url.Parse(u); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || p.Fragment != "" {
			bad("AUTH_REDIRECT_URLS", "%q is not an absolute http(s) URL without a fragment", u)
			continue
		}
		c.AuthRedirectURLs = append(c.AuthRedirectURLs, u)
	}
	for _, d := range []struct {
		name string
		to   *time.Duration
	}{{"PUSH_GRACE", &c.Schedule.Grace}, {"REMINDER_GRACE", &c.Schedule.ReminderGrace}} {
		if v := env(d.name, ""); v != "" {
			if g, err := time.ParseDuration(v); err != nil || g < time.Minute || g > 24*time.Hour {
				bad(d.name, "%q: want a duration from 1m to 24h", v)
			} else {
				*d.to = g
			}
		}
	}
	return c, errors.Join(errs...)
}

// AuthProvider is a social sign-in provider's client: Issuer is an OpenID Connect issuer (for
// Yandex, a base URL replacing Yandex ID's own, for tests); Apple signs its client secret with
// PrivateKey (the .p8 file's PEM, or its path) as TeamID's key KeyID.
type AuthProvider struct {
	Name, Issuer, ClientID, Secret string
	TeamID, KeyID, PrivateKey      string
}

// defaultInstanceID is the host name and the listen address: two live processes can't share
// both, and a restarted one gets the same id back.
func defaultInstanceID(addr string) string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	return host + "/" + addr
}

// RequireDatabase reports a clear error when no database is configured.
func (c Config) RequireDatabase() error {
	if c.DatabaseURL == "" {
		return errors.New("DATABASE_URL: not set; `make run` starts a local PostgreSQL and sets it for you")
	}
	return nil
}

func validWebhookSecret(s string) bool {
	if len(s) > 256 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// decodeKey accepts 32 bytes as 64 hex characters or as standard base64.
func decodeKey(s string) ([]byte, error) {
	if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	return nil, errors.New("want 32 bytes as 64 hex characters or base64 (try: openssl rand -hex 32)")
}

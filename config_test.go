package main

import (
	"strings"
	"testing"
)

func TestLoadConfigNamesEveryBadVariable(t *testing.T) {
	env := map[string]string{
		"DATABASE_URL":         "mysql://x",
		"TELEGRAM_MODE":        "carrier-pigeon",
		"BC_DEFAULT_TZ":        "Mars/Olympus",
		"BC_ENCRYPTION_KEY":    "short",
		"LOG_LEVEL":            "loud",
		"PUBLIC_URL":           "not a url",
		"SLACK_BOT_TOKEN":      "xoxb-1",
		"OPENAI_TIMEOUT":       "soon",
		"OPENAI_MAX_RETRIES":   "-1",
		"BC_JWT_SECRET":        "too short",
		"AUTH_AUTOCONFIRM":     "maybe",
		"SMTP_HOST":            "smtp.example.com",
		"SMTP_FROM":            "not an address",
		"SMTP_PORT":            "smtp",
		"CORS_ALLOWED_ORIGINS": "https://app.example.com,https://app.example.com/path",
		"API_RATE_PER_MINUTE":  "lots",
	}
	_, err := LoadConfig(func(k string) string { return env[k] })
	if err == nil {
		t.Fatal("no error")
	}
	for _, name := range []string{"DATABASE_URL", "TELEGRAM_MODE", "BC_DEFAULT_TZ", "BC_ENCRYPTION_KEY", "LOG_LEVEL", "PUBLIC_URL", "SLACK_SIGNING_SECRET",
		"OPENAI_TIMEOUT", "OPENAI_MAX_RETRIES", "BC_JWT_SECRET", "AUTH_AUTOCONFIRM", "SMTP_FROM", "SMTP_PORT", "CORS_ALLOWED_ORIGINS", "API_RATE_PER_MINUTE"} {
		if !strings.Contains(err.Error(), name+":") {
			t.Errorf("error does not name %s:\n%v", name, err)
		}
	}
}

func TestLoadConfigDefaults(t *testing.T) {
	c, err := LoadConfig(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTPAddr != ":8080" || c.TelegramMode != "polling" || c.TelegramAPIURL != "https://api.telegram.org" || c.DefaultTZ.String() != "UTC" ||
		c.OpenAI.Enabled() || c.OpenAI.Model != "gpt-4o-mini" || c.OpenAI.FastModel != c.OpenAI.Model {
		t.Errorf("defaults: %+v", c)
	}
	c, err = LoadConfig(func(k string) string {
		return map[string]string{"PUBLIC_URL": "https://bc.example/", "TELEGRAM_BOT_TOKEN": "1:x", "TELEGRAM_WEBHOOK_SECRET": "s3cr-et_",
			"BC_ENCRYPTION_KEY": strings.Repeat("ab", 32)}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.TelegramMode != "webhook" || c.PublicURL != "https://bc.example" || len(c.EncryptionKey) != 32 {
		t.Errorf("webhook config: %+v", c)
	}
}

// TestSignUpsNeedMailOrAutoconfirm: accounts nobody could confirm are refused at start.
func TestSignUpsNeedMailOrAutoconfirm(t *testing.T) {
	env := map[string]string{"BC_JWT_SECRET": strings.Repeat("x", 32)}
	if _, err := LoadConfig(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "AUTH_AUTOCONFIRM:") {
		t.Errorf("no SMTP and no autoconfirm: %v", err)
	}
	env["SMTP_HOST"], env["SMTP_FROM"] = "smtp.example.com", "noreply@example.com"
	if _, err := LoadConfig(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "PUBLIC_URL:") {
		t.Errorf("mailed links without PUBLIC_URL: %v", err)
	}
	env["PUBLIC_URL"] = "https://bc.example"
	if c, err := LoadConfig(func(k string) string { return env[k] }); err != nil || c.SMTP.Port != 587 || c.SMTP.TLS != "starttls" {
		t.Errorf("SMTP defaults: %+v %v", c.SMTP, err)
	}
}

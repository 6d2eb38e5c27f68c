package slack

import (
	"context"
	"sync"
	"time"

	"github.com/bizconnect/bizconnect/core"
)

// profiles caches what users.info says about people, so a busy workspace costs one call per
// person a day; it is bounded by dropping everything when it grows too large.
type profiles struct {
	mu      sync.Mutex
	entries map[string]profile
}

type profile struct {
	name, zone string
	locale     string // the language their Slack runs in, "ru-RU"
	role       string // "owner" or "admin" of the workspace, "" otherwise
	fetched    time.Time
}

const (
	profileTTL     = 24 * time.Hour
	profileMaxSize = 10000
)

// Enrich fills in the person's display name, IANA time zone, language and standing in the
// workspace (owner, admin) from users.info, so a new user starts in their own zone and language
// and a workspace's own admins run its team. Slack's events carry neither. It is best effort and runs in the
// intake, never in a webhook request: an error leaves in as it was.
func (a *Adapter) Enrich(ctx context.Context, in *core.Inbound) {
	if in.Provider != core.ProviderSlack || in.ExternalUserID == "" {
		return
	}
	key := in.Workspace + "/" + in.ExternalUserID
	p, ok := a.people.get(key, a.now())
	if !ok {
		token, err := a.token(ctx, in.Workspace)
		if err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		u, err := a.api(token).GetUserInfoContext(ctx, in.ExternalUserID)
		if err != nil {
			a.log.Debug("slack: users.info", "team_id", in.Workspace, "error", err)
			return
		}
		p = profile{name: u.RealName, zone: u.TZ, locale: u.Locale, fetched: a.now()}
		switch {
		case u.IsOwner || u.IsPrimaryOwner:
			p.role = "owner"
		case u.IsAdmin:
			p.role = "admin"
		}
		a.people.put(key, p)
	}
	if in.UserName == "" {
		in.UserName = p.name
	}
	if in.TimeZone == "" {
		in.TimeZone = p.zone
	}
	if in.LangHint == "" {
		in.LangHint = p.locale
	}
	in.PlatformRole = p.role
}

func (c *profiles) get(key string, now time.Time) (profile, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.entries[key]
	return p, ok && now.Sub(p.fetched) < profileTTL
}

func (c *profiles) put(key string, p profile) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= profileMaxSize {
		c.entries = map[string]profile{}
	}
	c.entries[key] = p
}

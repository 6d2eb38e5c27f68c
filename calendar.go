package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"log/slog"
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/calendar"
	"github.com/bizconnect/bizconnect/core/chat"
	"github.com/bizconnect/bizconnect/core/postgres"
	"github.com/bizconnect/bizconnect/core/vault"
	"github.com/bizconnect/bizconnect/webhooks"
)

// calendarStale is how old a calendar's reading may get before the pass syncs it again.
const calendarStale = 30 * time.Minute

// newCalendar wires Google Calendar when it is configured: the connect flow's routes, the sync
// (the calendar_sync job's worker calls sync), the chat's connect links and the minute's pass
// that asks for the syncs due. wake tells the delivery a push was written.
func newCalendar(cfg Config, db *postgres.DB, jobs *postgres.Jobs, v *vault.Vault, a *chat.Assistant, wake func(), logger *slog.Logger) calendarParts {
	if cfg.Calendar.ClientID == "" || v == nil {
		return calendarParts{}
	}
	g := &calendar.Google{ClientID: cfg.Calendar.ClientID, ClientSecret: cfg.Calendar.Secret, RedirectURL: cfg.PublicURL + calendar.CallbackPath,
		APIURL: cfg.Calendar.APIURL}
	if base := cfg.Calendar.OAuthURL; base != "" {
		g.AuthURL, g.TokenURL, g.RevokeURL = base+"/o/oauth2/v2/auth", base+"/token", base+"/revoke"
	}
	store := postgres.NewCalendars(db)
	enqueue := func(ctx context.Context, users ...uuid.UUID) error {
		js := make([]core.Job, len(users))
		for i, u := range users {
			js[i] = core.CalendarSyncJob{User: u}
		}
		_, err := jobs.Enqueue(ctx, js...)
		return err
	}
	mac := hmac.New(sha256.New, cfg.EncryptionKey)
	mac.Write([]byte("bizconnect calendar links"))
	conn := &calendar.Connector{Google: g, Store: store, Vault: v, Secret: mac.Sum(nil), PublicURL: cfg.PublicURL, UseState: store.UseState, Name: store.Name,
		Sync: func(ctx context.Context, user uuid.UUID) error { return enqueue(ctx, user) }, Logger: logger}
	a.SetCalendarLinks(conn.Link)
	syncer := &calendar.Syncer{Google: g, Store: store, Users: postgres.NewStore(db), Vault: v, Logger: logger,
		Notify: func(ctx context.Context, user uuid.UUID, at time.Time) error {
			err := a.RunCalendarRevoked(ctx, user, at)
			wake()
			return err
		},
		Welcome: func(ctx context.Context, user uuid.UUID, connected time.Time, blocking bool, today core.Date, days map[core.Date]calendar.Busy) error {
			busy := map[core.Date]int{}
			for d, b := range days {
				busy[d] = b.Minutes
			}
			err := a.RunCalendarWelcome(ctx, user, connected, blocking, today, busy)
			wake()
			return err
		}}
	pass := func(ctx context.Context) error {
		users, err := store.Due(ctx, time.Now().Add(-calendarStale), 500)
		if err != nil {
			return err
		}
		if err := enqueue(ctx, users...); err != nil {
			return err
		}
		_, err = syncer.Clean(ctx, 20)
		return err
	}
	routes := []webhooks.Route{
		{Method: http.MethodGet, Path: calendar.ConnectPath, Handler: http.HandlerFunc(conn.ServeConnect)},
		{Method: http.MethodGet, Path: calendar.CallbackPath, Handler: http.HandlerFunc(conn.ServeCallback)},
	}
	return calendarParts{syncer: syncer, pass: pass, routes: routes, links: conn.Link}
}

// calendarParts are what the calendar adds to the app; all zero when it is not configured.
type calendarParts struct {
	syncer *calendar.Syncer
	pass   func(ctx context.Context) error
	routes []webhooks.Route
	links  chat.CalendarLinks
}

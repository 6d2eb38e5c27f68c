package main

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/bizconnect/bizconnect/bots/slack"
	"github.com/bizconnect/bizconnect/core/postgres"
	"github.com/bizconnect/bizconnect/core/vault"
	"github.com/bizconnect/bizconnect/webhooks"
)

// newSlack builds the Slack adapter and its routes when Slack is configured (nil otherwise).
func newSlack(cfg Config, db *postgres.DB, accept slack.AcceptFunc, logger *slog.Logger) (*slack.Adapter, []webhooks.Route, error) {
	if cfg.SlackSigningSecret == "" || (cfg.SlackBotToken == "" && cfg.SlackClientID == "") {
		return nil, nil, nil
	}
	var v *vault.Vault
	if len(cfg.EncryptionKey) > 0 {
		var err error
		if v, err = vault.New(cfg.EncryptionKey); err != nil {
			return nil, nil, err
		}
	}
	ws := postgres.NewWorkspaces(db, v)
	opts := slack.Options{
		SigningSecret: cfg.SlackSigningSecret, BotToken: cfg.SlackBotToken, ClientID: cfg.SlackClientID,
		ClientSecret: cfg.SlackClientSecret, APIURL: cfg.SlackAPIURL, Accept: accept, Installs: ws, Logger: logger,
		Pacer: postgres.NewPacer(db),
	}
	if cfg.SlackClientID != "" {
		opts.States, opts.RedirectURL = states{ws}, cfg.PublicURL+"/slack/oauth/callback"
	}
	a, err := slack.New(opts)
	if err != nil {
		return nil, nil, err
	}
	routes := []webhooks.Route{
		{Method: http.MethodPost, Path: "/slack/events", Handler: a.EventsHandler()},
		{Method: http.MethodPost, Path: "/slack/commands", Handler: a.CommandsHandler()},
		{Method: http.MethodPost, Path: "/slack/interactivity", Handler: a.InteractivityHandler()},
	}
	if cfg.SlackClientID != "" {
		routes = append(routes,
			webhooks.Route{Method: http.MethodGet, Path: "/slack/install", Handler: a.InstallHandler()},
			webhooks.Route{Method: http.MethodGet, Path: "/slack/oauth/callback", Handler: a.OAuthCallbackHandler()})
	}
	return a, routes, nil
}

// states adapts the PostgreSQL workspace store to slack.States.
type states struct{ *postgres.Workspaces }

func (s states) Consume(ctx context.Context, state string, expires time.Time) (bool, error) {
	return s.ConsumeState(ctx, state, expires)
}

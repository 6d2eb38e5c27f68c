package main

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/bizconnect/bizconnect/bots/telegram"
	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/postgres"
	"github.com/bizconnect/bizconnect/core/relay"
	"github.com/bizconnect/bizconnect/scheduler"
	"github.com/bizconnect/bizconnect/webhooks"
)

// app is everything `serve` runs: the HTTP handler and the background workers.
type app struct {
	handler  http.Handler
	setup    []func(ctx context.Context) error // run once at start (webhook registration, commands)
	runners  []func(ctx context.Context)       // run until shutdown
	intake   *relay.Intake
	delivery *relay.Delivery
}

// newApp wires the core, the queues, the enabled platform adapters and the HTTP server on db.
func newApp(cfg Config, db *postgres.DB, logger *slog.Logger) (*app, error) {
	queues := postgres.NewQueues(db)
	assistant := newAssistant(cfg, db, logger)
	a := &app{}
	a.delivery = &relay.Delivery{Outbox: queues, Senders: map[core.Provider]core.Sender{}, Logger: logger}
	var enrich func(ctx context.Context, in *core.Inbound) // platform details fetched off the webhook path
	a.intake = &relay.Intake{Inbox: queues, Logger: logger, Processor: processFunc(func(ctx context.Context, in core.Inbound) error {
		if enrich != nil {
			enrich(ctx, &in)
		}
		err := assistant.Process(ctx, in)
		if err == nil {
			a.delivery.Wake()
		}
		return err
	})}
	accept := func(ctx context.Context, in core.Inbound) error {
		if err := queues.Accept(ctx, in); err != nil {
			return err
		}
		a.intake.Wake()
		return nil
	}
	var routes []webhooks.Route
	if cfg.TelegramBotToken != "" {
		tg, err := telegram.New(telegram.Options{Token: cfg.TelegramBotToken, APIURL: cfg.TelegramAPIURL,
			WebhookSecret: cfg.TelegramWebhookSecret, Accept: accept, Logger: logger})
		if err != nil {
			return nil, err
		}
		a.delivery.Senders[core.ProviderTelegram] = tg
		if cfg.TelegramMode == "webhook" {
			routes = append(routes, webhooks.Route{Method: http.MethodPost, Path: "/telegram/webhook", Handler: tg.WebhookHandler()})
			hook := ""
			if cfg.PublicURL != "" {
				hook = cfg.PublicURL + "/telegram/webhook"
			}
			a.setup = append(a.setup, func(ctx context.Context) error { return tg.Setup(ctx, hook) })
		} else {
			a.setup = append(a.setup, func(ctx context.Context) error { return tg.Setup(ctx, "") })
			a.runners = append(a.runners, func(ctx context.Context) {
				if err := tg.Poll(ctx); err != nil {
					logger.Error("telegram: polling stopped", "err", err)
				}
			})
		}
	}
	sl, slackRoutes, err := newSlack(cfg, db, accept, logger)
	if err != nil {
		return nil, err
	}
	if sl != nil {
		a.delivery.Senders[core.ProviderSlack] = sl
		enrich = sl.Enrich
		routes = append(routes, slackRoutes...)
	}
	janitor := &scheduler.Janitor{Store: queues, Logger: logger}
	a.runners = append(a.runners, a.intake.Run, a.delivery.Run,
		func(ctx context.Context) { scheduler.Every(ctx, time.Hour, "janitor", janitor, logger) })
	a.handler = webhooks.New(webhooks.Options{ReadyFunc: db.Ready, Logger: logger, Routes: routes}).Handler()
	return a, nil
}

// start runs the setup steps, then the workers in the background; wait blocks until they stop.
func (a *app) start(ctx context.Context, logger *slog.Logger) (wait func()) {
	for _, s := range a.setup {
		if err := s(ctx); err != nil {
			// the platform may be briefly unreachable: the service still starts and serves
			logger.Error("setup step failed", "err", err)
		}
	}
	var wg sync.WaitGroup
	for _, r := range a.runners {
		wg.Add(1)
		go func() { defer wg.Done(); r(ctx) }()
	}
	return wg.Wait
}

// processFunc adapts a function to relay.Processor.
type processFunc func(ctx context.Context, in core.Inbound) error

// Process implements relay.Processor.
func (f processFunc) Process(ctx context.Context, in core.Inbound) error { return f(ctx, in) }

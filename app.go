package main

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/bizconnect/bizconnect/bots/telegram"
	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/admin"
	"github.com/bizconnect/bizconnect/core/auth"
	"github.com/bizconnect/bizconnect/core/calendar"
	"github.com/bizconnect/bizconnect/core/chat"
	"github.com/bizconnect/bizconnect/core/hooks"
	"github.com/bizconnect/bizconnect/core/mail"
	"github.com/bizconnect/bizconnect/core/postgres"
	"github.com/bizconnect/bizconnect/core/relay"
	"github.com/bizconnect/bizconnect/core/report"
	"github.com/bizconnect/bizconnect/core/vault"
	"github.com/bizconnect/bizconnect/scheduler"
	"github.com/bizconnect/bizconnect/webhooks"
	adminapi "github.com/bizconnect/bizconnect/webhooks/admin"
	"github.com/bizconnect/bizconnect/webhooks/api"
)

// app is everything `serve` runs: the HTTP handlers and the background workers.
type app struct {
	handler  http.Handler // the public routes
	metrics  http.Handler // /metrics, served on a listener of its own
	setup    []setupStep  // run at start, retried until they succeed
	runners  []func(ctx context.Context)
	intake   *relay.Intake
	delivery *relay.Delivery
	pending  pendingSteps
	jobs     *postgres.Jobs
	hooks    *postgres.Hooks // outgoing webhooks; nil without BC_ENCRYPTION_KEY
	sched    *scheduler.Scheduler
	// setupPause is the first pause before a failed setup step is tried again (1 s).
	setupPause time.Duration
}

// setupStep is a platform registration (getMe, webhook, commands) that must succeed once.
type setupStep struct {
	name string
	run  func(ctx context.Context) error
}

// newApp wires the core, the queues, the enabled platform adapters and the HTTP server on db.
func newApp(cfg Config, db *postgres.DB, logger *slog.Logger) (*app, error) {
	queues := postgres.NewQueues(db)
	queues.UnreadableReplyFunc = chat.UnreadableReply
	// account mail is a job every instance works; the service it needs comes below
	var accounts *auth.Service
	mailWorker := postgres.Work(func(ctx context.Context, j auth.MailJob) error {
		if accounts == nil {
			return errors.New("auth: a mail job on an instance without the auth API (BC_JWT_SECRET)")
		}
		return accounts.SendMail(ctx, j)
	})
	// outgoing webhooks: their secrets are sealed, so they need the vault's key
	deliverer := &hooks.Deliverer{Guard: hooks.Guard{Allowed: cfg.WebhookAllowed}, Schedule: cfg.WebhookSchedule}
	hookWorker := postgres.WorkRetrying(func(ctx context.Context, j hooks.DeliveryJob, attempt int) error {
		if deliverer.Store == nil {
			return errors.New("hooks: a delivery on an instance without BC_ENCRYPTION_KEY")
		}
		return deliverer.Deliver(ctx, j, attempt)
	}, deliverer.RetryAfter)
	// a broadcast's job queues its messages, a batch at a time, for the delivery to pace
	var adminStore *postgres.Admin
	var a *app
	broadcastWorker := postgres.Work(func(ctx context.Context, j admin.BroadcastJob) error {
		for {
			done, err := adminStore.QueueBroadcast(ctx, j.Broadcast)
			if err != nil {
				return err
			}
			a.delivery.Wake()
			if done {
				return nil
			}
		}
	})
	// a calendar's sync is a job every instance works, when the calendar is configured
	var syncer *calendar.Syncer
	calendarWorker := postgres.Work(func(ctx context.Context, j core.CalendarSyncJob) error {
		if syncer == nil {
			return nil
		}
		return syncer.Sync(ctx, j.User)
	})
	assistant, jobs, sched, err := newAssistant(cfg, db, logger, mailWorker, hookWorker, broadcastWorker, calendarWorker)
	if err != nil {
		return nil, err
	}
	adminStore = postgres.NewAdmin(db, jobs)
	var webhookStore *postgres.Hooks
	if cfg.EncryptionKey != nil {
		if deliverer.Vault, err = vault.New(cfg.EncryptionKey); err != nil {
			return nil, err
		}
		webhookStore = postgres.NewHooks(db, jobs, deliverer.Attempts())
		deliverer.Store = webhookStore
	}
	a = &app{jobs: jobs, sched: sched}
	a.delivery = &relay.Delivery{Owner: cfg.InstanceID, Senders: map[core.Provider]core.Sender{}, Logger: logger}
	var enrich func(ctx context.Context, in *core.Inbound) // platform details fetched off the webhook path
	a.intake = &relay.Intake{Inbox: queues.Inbox(), Owner: cfg.InstanceID, Logger: logger, FailureReplyFunc: chat.FailureReply, Processor: processFunc(func(ctx context.Context, in core.Inbound) error {
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
		tg, err := telegram.New(telegram.Options{Token: cfg.TelegramBotToken, APIURL: cfg.TelegramAPIURL, Pacer: postgres.NewPacer(db),
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
			a.setup = append(a.setup, setupStep{"telegram setup", func(ctx context.Context) error { return tg.Setup(ctx, hook) }})
		} else {
			a.setup = append(a.setup, setupStep{"telegram setup", func(ctx context.Context) error { return tg.Setup(ctx, "") }})
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
		a.setup = append(a.setup, setupStep{"slack setup", sl.Setup})
	}
	cal := newCalendar(cfg, db, jobs, deliverer.Vault, assistant, a.delivery.Wake, logger)
	syncer, sched.CalendarPass = cal.syncer, cal.pass
	routes = append(routes, cal.routes...)
	// the terminal chat delivers its own replies: the server claims only what it can send
	a.delivery.Outbox = queues.Outbox().Of("", slices.Collect(maps.Keys(a.delivery.Senders))...)
	janitor := &scheduler.Janitor{Stores: []core.Retention{queues, postgres.NewWorkspaces(db, nil), postgres.NewCalendars(db)}, Logger: logger}
	if webhookStore != nil {
		a.runners = append(a.runners, func(ctx context.Context) {
			scheduler.Every(ctx, 200*time.Millisecond, "webhook dispatch", func(ctx context.Context) error {
				for {
					n, err := webhookStore.Dispatch(ctx, dispatchBatch)
					if err != nil || n < dispatchBatch {
						return err
					}
				}
			}, logger)
		})
	}
	a.hooks = webhookStore
	a.runners = append(a.runners, a.intake.Run, a.delivery.Run,
		func(ctx context.Context) { runJobs(ctx, jobs, logger) },
		func(ctx context.Context) {
			scheduler.Every(ctx, time.Hour, "janitor", func(ctx context.Context) error { _, err := janitor.RunOnce(ctx); return err }, logger)
		})
	if cfg.JWTSecret != nil {
		store := postgres.NewAccounts(db).WithJobs(jobs)
		ac := auth.Config{JWTSecret: cfg.JWTSecret, Issuer: cfg.PublicURL + "/auth/v1", Autoconfirm: cfg.AuthAutoconfirm,
			Flows: store, RedirectURLs: cfg.AuthRedirectURLs, PublicURL: cfg.PublicURL, TelegramBotToken: cfg.TelegramBotToken}
		if cfg.SMTP.Host != "" {
			sender, err := mail.New(cfg.SMTP)
			if err != nil {
				return nil, err
			}
			ac.Mail, ac.Mails = sender, store
		}
		for _, p := range cfg.AuthProviders {
			provider, err := newAuthProvider(p, cfg.PublicURL+"/auth/v1/callback")
			if err != nil {
				return nil, err
			}
			ac.Providers = append(ac.Providers, provider)
		}
		if accounts, err = auth.New(ac, store); err != nil {
			return nil, err
		}
	}
	if accounts != nil && accounts.Mails() {
		store := postgres.NewStore(db)
		sched.ReportMail = func(ctx context.Context, j report.MailJob) error {
			var r *report.Weekly
			err := store.InUser(ctx, j.User, func(ctx context.Context, tx core.Tx, u *core.User) error {
				var err error
				if r, err = report.Build(ctx, tx, u, j.Week); err == nil {
					r.Lang = u.Locale
				}
				return err
			})
			if err != nil {
				return err
			}
			msg, err := r.Mail() // the chart is drawn outside the transaction
			if err != nil {
				return err
			}
			_, err = accounts.MailUser(ctx, j.User, auth.CategoryReport, msg)
			return err
		}
	}
	var rest *api.Server
	if accounts != nil {
		changes := postgres.NewChanges(db, logger)
		closing := make(chan struct{})
		a.runners = append(a.runners, changes.Run, func(ctx context.Context) { <-ctx.Done(); close(closing) })
		secret := hmac.New(sha256.New, cfg.JWTSecret)
		secret.Write([]byte("bizconnect rest api"))
		rest = &api.Server{Store: postgres.NewStore(db).WithJobs(jobs), Auth: accounts, Changes: changes, Closing: closing, CalendarLinks: cal.links,
			Secret: secret.Sum(nil)}
	}
	jobsUI, err := adminapi.NewJobsUI(jobs.Client(), logger)
	if err != nil {
		return nil, err
	}
	a.runners = append(a.runners, func(ctx context.Context) {
		if err := jobsUI.Start(ctx); err != nil {
			logger.Error("riverui: not started", "error", err)
		}
		<-ctx.Done()
	})
	ops := &adminapi.Server{Store: adminStore, Jobs: adminJobs{db: db, jobs: jobs}, Vault: deliverer.Vault, Guard: deliverer.Guard, Logger: logger,
		JobsUI: jobsUI}
	if webhookStore != nil {
		ops.Hooks = webhookStore
	}
	srv := webhooks.New(webhooks.Options{ReadyFunc: db.Ready, PendingFunc: a.pending.list, Logger: logger, Routes: routes,
		Registry: a.registry(), Auth: accounts, API: rest, Admin: ops, CORSOrigins: cfg.CORSOrigins, APIRate: auth.Rate{N: cfg.APIPerMinute, Period: time.Minute}})
	a.handler, a.metrics = srv.Handler(), srv.MetricsHandler()
	return a, nil
}

// registry holds the process's metrics and the workers' counters.
func (a *app) registry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	counter := func(name, help string, v *atomic.Int64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, func() float64 { return float64(v.Load()) })
	}
	a.sched.Metrics = scheduler.NewMetrics(reg, a.jobs)
	metrics := a.sched.Metrics
	a.delivery.Delivered = func(p core.Pending) { metrics.Delivered(p, time.Now()) }
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		counter("bizconnect_delivery_sent_total", "Replies the platforms accepted.", &a.delivery.Stats.Sent),
		counter("bizconnect_delivery_inflight_resent_total",
			"Replies sent again because a worker stopped while handing them over: each may have arrived twice.", &a.delivery.Stats.InFlightResent))
	return reg
}

// start runs the workers and the setup steps in the background; wait blocks until they stop.
// A setup step that fails (the platform unreachable for a moment) is retried with backoff until
// it succeeds; meanwhile /readyz lists it as pending and the rest of the service works.
func (a *app) start(ctx context.Context, logger *slog.Logger) (wait func()) {
	var wg sync.WaitGroup
	for _, s := range a.setup {
		a.pending.add(s.name)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if retry(ctx, cmp.Or(a.setupPause, time.Second), time.Minute, s.run, func(err error, next time.Duration) {
				logger.Warn("setup step failed, will retry", "step", s.name, "err", err, "retry_in", next)
			}) {
				a.pending.done(s.name)
			}
		}()
	}
	for _, r := range a.runners {
		wg.Add(1)
		go func() { defer wg.Done(); r(ctx) }()
	}
	return wg.Wait
}

// retry calls fn until it succeeds (true) or ctx ends (false), pausing first, then twice as long
// each time up to most, with ±20% jitter.
func retry(ctx context.Context, first, most time.Duration, fn func(context.Context) error, onErr func(error, time.Duration)) bool {
	for pause := first; ; pause = min(2*pause, most) {
		err := fn(ctx)
		if err == nil {
			return true
		}
		if ctx.Err() != nil {
			return false
		}
		wait := time.Duration(float64(pause) * (0.8 + 0.4*rand.Float64()))
		onErr(err, wait)
		select {
		case <-ctx.Done():
			return false
		case <-time.After(wait):
		}
	}
}

// pendingSteps are the setup steps that have not succeeded yet.
type pendingSteps struct {
	mu    sync.Mutex
	names []string
}

func (p *pendingSteps) add(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.names = append(p.names, name)
}

func (p *pendingSteps) done(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.names = slices.DeleteFunc(p.names, func(n string) bool { return n == name })
}

func (p *pendingSteps) list() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.names)
}

// processFunc adapts a function to relay.Processor.
type processFunc func(ctx context.Context, in core.Inbound) error

// Process implements relay.Processor.
func (f processFunc) Process(ctx context.Context, in core.Inbound) error { return f(ctx, in) }

// newAuthProvider makes a configured social sign-in provider; an OpenID Connect one discovers
// its issuer (a network call, bounded).
func newAuthProvider(p AuthProvider, callback string) (*auth.Provider, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	switch p.Name {
	case "yandex":
		at := auth.DefaultYandex
		if p.Issuer != "" {
			at = auth.YandexEndpoints{AuthURL: p.Issuer + "/authorize", TokenURL: p.Issuer + "/token", InfoURL: p.Issuer + "/info?format=json"}
		}
		return auth.NewYandexProvider(p.ClientID, p.Secret, callback, at), nil
	case "apple":
		key := []byte(p.PrivateKey)
		if !strings.HasPrefix(p.PrivateKey, "-----BEGIN") {
			var err error
			if key, err = os.ReadFile(p.PrivateKey); err != nil {
				return nil, fmt.Errorf("AUTH_APPLE_PRIVATE_KEY: %w", err)
			}
		}
		return auth.NewAppleProvider(ctx, auth.AppleConfig{Issuer: p.Issuer, ClientID: p.ClientID, TeamID: p.TeamID, KeyID: p.KeyID, PrivateKey: key}, callback)
	}
	return auth.NewOIDCProvider(ctx, p.Name, p.Issuer, p.ClientID, p.Secret, callback)
}

// dispatchBatch is how many new events a dispatch pass turns into deliveries at a time.
const dispatchBatch = 1000

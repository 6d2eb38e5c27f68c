package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/bizconnect/bizconnect/core/postgres"
	"github.com/bizconnect/bizconnect/webhooks"
)

func runServe(ctx context.Context, cfg Config, logger *slog.Logger) error {
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := newApp(cfg, db, logger)
	if err != nil {
		return err
	}
	workers, stop := context.WithCancel(ctx)
	wait := a.start(workers, logger)
	listeners := []listener{{"http", cfg.HTTPAddr, a.handler, cfg.HTTPLimits}}
	if cfg.MetricsAddr != "" {
		// loopback by default: the metrics never sit beside the public webhooks
		listeners = append(listeners, listener{"metrics", cfg.MetricsAddr, a.metrics, webhooks.Limits{}})
	}
	err = serveAll(ctx, listeners, logger)
	stop()
	wait()
	return err
}

// openDB connects to the configured database as the runtime role.
func openDB(ctx context.Context, cfg Config) (*postgres.DB, error) {
	if err := cfg.RequireDatabase(); err != nil {
		return nil, err
	}
	return postgres.Open(ctx, cfg.DatabaseURL)
}

// listener is one address the process serves.
type listener struct {
	name    string
	addr    string
	handler http.Handler
	limits  webhooks.Limits
}

// serveAll serves every listener until ctx is cancelled or one fails, then drains in-flight
// requests on all of them.
func serveAll(ctx context.Context, ls []listener, logger *slog.Logger) error {
	var servers []*http.Server
	errc := make(chan error, len(ls))
	for _, l := range ls {
		ln, err := webhooks.Listen(l.addr, l.limits)
		if err != nil {
			shutdown(servers)
			return fmt.Errorf("%s: listen %s: %w", l.name, l.addr, err)
		}
		hs := webhooks.NewHTTPServer(ctx, l.handler, l.limits)
		servers = append(servers, hs)
		go func() {
			if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("%s: %w", l.name, err)
			}
		}()
		logger.Info("http: listening", "listener", l.name, "addr", ln.Addr().String())
	}
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	logger.Info("http: shutting down")
	if serr := shutdown(servers); err == nil {
		err = serr
	}
	return err
}

func shutdown(servers []*http.Server) error {
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, hs := range servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
				mu.Lock()
				errs = append(errs, fmt.Errorf("http: shutdown: %w", err))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

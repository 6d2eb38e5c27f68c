package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/bizconnect/bizconnect/core/postgres"
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
	err = listenAndServe(ctx, cfg.HTTPAddr, a.handler, logger)
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

// listenAndServe serves h on addr until ctx is cancelled, then drains in-flight requests.
func listenAndServe(ctx context.Context, addr string, h http.Handler, logger *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("http: listen %s: %w", addr, err)
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) }}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	logger.Info("http: listening", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		return fmt.Errorf("http: %w", err)
	case <-ctx.Done():
	}
	logger.Info("http: shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("http: shutdown: %w", err)
	}
	return nil
}

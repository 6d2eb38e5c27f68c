package main

import (
	"context"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/core/coretest"
)

// startApp runs the whole product as `serve` does — HTTP handler, intake, delivery — on a fresh
// database with the configuration env (PUSHES off unless env says), and returns the database
// and the server's base URL.
func startApp(t testing.TB, env map[string]string) (*coretest.TestDB, string) {
	t.Helper()
	db := coretest.NewDB(t)
	var ln net.Listener
	if env["PUBLIC_URL"] == "auto" { // the server's own address, known before it starts (OAuth redirects)
		var err error
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
		env = maps.Clone(env)
		env["PUBLIC_URL"] = "http://" + ln.Addr().String()
	}
	cfg, err := LoadConfig(func(k string) string {
		if v, ok := env[k]; ok || k != "PUSHES" {
			return v
		}
		return "off" // a push planned at the moment a test runs is no part of it, unless it asks
	})
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if os.Getenv("BC_TEST_LOG") != "" { // the product's own logs, to see what an end-to-end test did
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	a, err := newApp(cfg, db.DB, logger)
	if err != nil {
		t.Fatal(err)
	}
	a.setupPause = 20 * time.Millisecond
	srv := httptest.NewUnstartedServer(a.handler)
	if ln != nil {
		srv.Listener.Close()
		srv.Listener = ln
	}
	srv.Start()
	ctx, cancel := context.WithCancel(context.Background())
	wait := a.start(ctx, logger)
	t.Cleanup(func() { cancel(); wait(); srv.Close() })
	return db, srv.URL
}

// eventually fails t unless cond becomes true within 10 seconds: the workers are asynchronous.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal(what)
		}
	}
}

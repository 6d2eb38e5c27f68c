// Command bizconnect is Business Connect: a chat-first assistant that helps entrepreneurs and small
// teams reach business goals without burning out. main wires configuration, the database, the
// core, the adapters and the HTTP server; each subcommand lives in its own file.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/joho/godotenv"
)

const usage = `bizconnect — Business Connect, the assistant that keeps your business goals on track.

Usage:
  bizconnect serve                         run the HTTP server, platform adapters and workers
  bizconnect migrate up|down|reset|status  manage the database schema
  bizconnect chat --user NAME              talk to the assistant in this terminal
  bizconnect parse [--now RFC3339] [--tz IANA] [--lang ru|en]
                                           understand one message per stdin line, print JSON lines
  bizconnect load --user USER [--date YYYY-MM-DD]
                                           a user's Business Load of a day and what makes it, as JSON
  bizconnect load snapshot [--date YYYY-MM-DD]
                                           record the day's Business Load of every user
  bizconnect report weekly --user USER [--week YYYY-MM-DD] [--out report.png]
                                           a user's weekly report, and its chart as a PNG
  bizconnect admin create-key --scopes read,write,broadcast,webhooks [--expires 90d] [--name NAME]
                                           make a key of the admin API (shown once)
  bizconnect admin revoke-key ID|PREFIX    revoke one
  bizconnect admin list-keys               list them
  bizconnect help                          show this help

Configuration comes from environment variables (and .env when present); see README.md.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bizconnect:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	if err := godotenv.Load(); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf(".env: %w", err)
	}
	cfg, err := LoadConfig(os.Getenv)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	logger := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	switch args[0] {
	case "serve":
		return runServe(ctx, cfg, logger)
	case "migrate":
		return runMigrate(ctx, cfg, args[1:], stdout, logger)
	case "chat":
		return runChat(ctx, cfg, args[1:], stdin, stdout, logger)
	case "parse":
		return runParse(args[1:], stdin, stdout, cfg.DefaultTZ.String())
	case "load":
		return runLoad(ctx, cfg, args[1:], stdout)
	case "report":
		return runReport(ctx, cfg, args[1:], stdout)
	case "admin":
		return runAdmin(ctx, cfg, args[1:], stdout)
	default:
		return fmt.Errorf("unknown command %q; see `bizconnect help`", args[0])
	}
}

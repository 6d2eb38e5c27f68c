package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/bizconnect/bizconnect/core/postgres"
)

func runMigrate(ctx context.Context, cfg Config, args []string, stdout io.Writer, logger *slog.Logger) error {
	if len(args) != 1 {
		return errors.New("usage: bizconnect migrate up|down|reset|status")
	}
	if cfg.DatabaseAdminURL == "" {
		return errors.New("DATABASE_ADMIN_URL (or DATABASE_URL): not set")
	}
	m, err := postgres.NewMigrator(cfg.DatabaseAdminURL, logger)
	if err != nil {
		return err
	}
	defer m.Close()
	switch args[0] {
	case "up":
		n, err := m.Up(ctx)
		fmt.Fprintf(stdout, "applied %d migration(s)\n", n)
		return err
	case "down":
		return m.Down(ctx)
	case "reset":
		n, err := m.Reset(ctx)
		fmt.Fprintf(stdout, "rolled back %d migration(s)\n", n)
		return err
	case "status":
		st, err := m.Status(ctx)
		if err != nil {
			return err
		}
		for _, s := range st {
			state := "pending"
			if s.Applied {
				state = "applied"
			}
			fmt.Fprintf(stdout, "%05d  %-8s %s\n", s.Version, state, s.Name)
		}
		return nil
	default:
		return fmt.Errorf("migrate: unknown action %q: want up, down, reset or status", args[0])
	}
}

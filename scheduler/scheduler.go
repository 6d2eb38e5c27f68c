// Package scheduler runs periodic work. Each job is a small type whose RunOnce does one pass and
// returns what it did, so a test calls it with a fake clock instead of waiting; Every is the dumb
// loop that calls a job on an interval. Jobs keep their state in the database, so any number of
// instances may run them.
package scheduler

import (
	"context"
	"log/slog"
	"time"
)

// Every runs pass now and then every interval until ctx ends. Errors are logged, not fatal: the
// next pass tries again.
func Every(ctx context.Context, interval time.Duration, name string, pass func(context.Context) error, logger *slog.Logger) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := pass(ctx); err != nil && ctx.Err() == nil {
			logger.Error("scheduler: job failed", "job", name, "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

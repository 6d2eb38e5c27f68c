package relay

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/bizconnect/bizconnect/core"
)

// Processor is the assistant as the intake sees it.
type Processor interface {
	Process(ctx context.Context, in core.Inbound) error
}

// Intake hands accepted updates to the assistant. A chat's updates are processed in order; chats
// in parallel. A failing update is retried with backoff; after MaxAttempts the user gets an
// apology instead of silence.
type Intake struct {
	Inbox       Inbox
	Processor   Processor
	Logger      *slog.Logger
	MaxAttempts int           // default 5
	Lease       time.Duration // default 1 minute
	Batch       int           // default 64
	Concurrency int           // default 8
	waker
}

// Run processes updates until ctx ends.
func (w *Intake) Run(ctx context.Context) {
	loop(ctx, time.Second, w.channel(), w.RunOnce, func(err error) { w.logger().Error("intake: pass failed", "err", err) })
}

func (w *Intake) logger() *slog.Logger { return orDefault(w.Logger, slog.New(slog.DiscardHandler)) }

// RunOnce leases one batch of updates and processes it; it returns how many it leased.
func (w *Intake) RunOnce(ctx context.Context) (int, error) {
	batch, err := w.Inbox.Lease(ctx, orDefault(w.Batch, 64), orDefault(w.Lease, time.Minute))
	if err != nil || len(batch) == 0 {
		return 0, err
	}
	chat := func(l Leased) string { return chatOf(l.Inbound.Provider, l.Inbound.Workspace, l.Inbound.ChatID) }
	eachChat(batch, chat, orDefault(w.Concurrency, 8), func(items []Leased) {
		for _, l := range items {
			w.process(ctx, l)
		}
	})
	return len(batch), nil
}

func (w *Intake) process(ctx context.Context, l Leased) {
	in := l.Inbound
	err := w.Processor.Process(ctx, in)
	if err == nil || ctx.Err() != nil {
		return
	}
	log := w.logger().With("key", in.Key, "provider", in.Provider, "attempt", l.Attempts)
	if l.Attempts >= orDefault(w.MaxAttempts, 5) && !errors.Is(err, context.Canceled) {
		log.Error("intake: giving up on update", "err", err)
		apology := core.Addressed(in, []core.Reply{core.FailureReply(in)})
		if gerr := w.Inbox.GiveUp(ctx, in.Key, err.Error(), apology); gerr != nil {
			log.Error("intake: give up", "err", gerr)
		}
		return
	}
	log.Warn("intake: update failed, will retry", "err", err)
	if rerr := w.Inbox.Retry(ctx, in.Key, time.Now().Add(backoff(l.Attempts, rand.Float64)), err.Error()); rerr != nil {
		log.Error("intake: schedule retry", "err", rerr)
	}
}

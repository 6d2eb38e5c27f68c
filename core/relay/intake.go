package relay

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
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
	wake        chan struct{}
	once        sync.Once
}

func (w *Intake) init() {
	w.once.Do(func() {
		w.wake = make(chan struct{}, 1)
		if w.MaxAttempts == 0 {
			w.MaxAttempts = 5
		}
		if w.Lease == 0 {
			w.Lease = time.Minute
		}
		if w.Batch == 0 {
			w.Batch = 64
		}
		if w.Concurrency == 0 {
			w.Concurrency = 8
		}
		if w.Logger == nil {
			w.Logger = slog.New(slog.DiscardHandler)
		}
	})
}

// Wake makes a running intake look for work now (an update was just accepted).
func (w *Intake) Wake() {
	w.init()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run processes updates until ctx ends.
func (w *Intake) Run(ctx context.Context) {
	w.init()
	loop(ctx, time.Second, w.wake, w.RunOnce, func(err error) { w.Logger.Error("intake: pass failed", "err", err) })
}

// RunOnce leases one batch of updates and processes it; it returns how many it leased.
func (w *Intake) RunOnce(ctx context.Context) (int, error) {
	w.init()
	batch, err := w.Inbox.Lease(ctx, w.Batch, w.Lease)
	if err != nil || len(batch) == 0 {
		return 0, err
	}
	groups := map[string][]Leased{}
	var order []string
	for _, l := range batch {
		k := string(l.Inbound.Provider) + "\x00" + l.Inbound.Workspace + "\x00" + l.Inbound.ChatID
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], l)
	}
	sem := make(chan struct{}, w.Concurrency)
	var wg sync.WaitGroup
	for _, k := range order {
		sem <- struct{}{}
		wg.Add(1)
		go func(items []Leased) {
			defer func() { <-sem; wg.Done() }()
			for _, l := range items {
				w.process(ctx, l)
			}
		}(groups[k])
	}
	wg.Wait()
	return len(batch), nil
}

func (w *Intake) process(ctx context.Context, l Leased) {
	in := l.Inbound
	err := w.Processor.Process(ctx, in)
	if err == nil || ctx.Err() != nil {
		return
	}
	log := w.Logger.With("key", in.Key, "provider", in.Provider, "attempt", l.Attempts)
	if l.Attempts >= w.MaxAttempts && !errors.Is(err, context.Canceled) {
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

// Package relay moves messages between the platforms and the assistant: the Intake worker takes
// accepted updates from the inbox to the assistant, the Delivery worker takes replies from the
// outbox to the platform senders. Both keep their state in the database, so any number of
// instances can run, a crash loses nothing, and each pass is a plain method a test can call.
package relay

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
)

// holdLeases releases owner's leases left by an earlier run, then renews the ones it takes
// every third of d until ctx ends. It returns once the release is done.
func holdLeases(ctx context.Context, q core.Leases, owner string, d time.Duration, log *slog.Logger) {
	if n, err := q.Release(ctx, owner); err != nil && ctx.Err() == nil {
		log.Error("relay: release leases", "owner", owner, "err", err)
	} else if n > 0 {
		log.Info("relay: took back leases of an earlier run", "owner", owner, "rows", n)
	}
	go func() {
		t := time.NewTicker(d / 3)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := q.Renew(ctx, owner, d); err != nil && ctx.Err() == nil {
					log.Error("relay: renew leases", "owner", owner, "err", err)
				}
			}
		}
	}()
}

// newOwner names a worker that was given no instance id: its leases can only expire.
func newOwner() string { return "anonymous/" + uuid.NewString() }

// backoff is the wait before attempt n+1: 1s, 2s, 4s … capped at 5 minutes, with ±20% jitter.
func backoff(attempt int, jitter func() float64) time.Duration {
	d := time.Second << min(attempt-1, 9)
	if d > 5*time.Minute {
		d = 5 * time.Minute
	}
	return time.Duration(float64(d) * (0.8 + 0.4*jitter()))
}

// loop calls pass until ctx ends: again at once when it did work, after idle otherwise, or as soon
// as wake is signalled.
func loop(ctx context.Context, idle time.Duration, wake <-chan struct{}, pass func(ctx context.Context) (int, error), onErr func(error)) {
	for {
		n, err := pass(ctx)
		if err != nil && ctx.Err() == nil {
			onErr(err)
		}
		if n > 0 && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-time.After(idle):
		}
	}
}

// waker lets a producer tell a sleeping worker loop that there is work.
type waker struct {
	once sync.Once
	ch   chan struct{}
}

func (w *waker) channel() chan struct{} {
	w.once.Do(func() { w.ch = make(chan struct{}, 1) })
	return w.ch
}

// Wake makes a running worker look for work now.
func (w *waker) Wake() {
	select {
	case w.channel() <- struct{}{}:
	default:
	}
}

// eachChat calls fn for the items of each chat, in their order, with up to concurrency chats at
// once, and returns when all are done.
func eachChat[T any](items []T, chat func(T) string, concurrency int, fn func([]T)) {
	groups := map[string][]T{}
	var order []string
	for _, it := range items {
		k := chat(it)
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], it)
	}
	sem := make(chan struct{}, max(concurrency, 1))
	var wg sync.WaitGroup
	for _, k := range order {
		sem <- struct{}{}
		wg.Add(1)
		go func(group []T) {
			defer func() { <-sem; wg.Done() }()
			fn(group)
		}(groups[k])
	}
	wg.Wait()
}

// chatOf names the chat a message belongs to.
func chatOf(p core.Provider, workspace, chat string) string {
	return string(p) + "\x00" + workspace + "\x00" + chat
}

// orDefault returns v, or def when v is zero.
func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

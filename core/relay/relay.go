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

// Leased is an accepted update a worker has leased.
type Leased struct {
	Inbound  core.Inbound
	Attempts int
}

// Leases are what both queues do with the rows a worker holds. A lease names its owner (the
// instance): a live worker renews its leases, a restarted one releases them at once, and a
// dead one's leases expire after their duration.
type Leases interface {
	// Renew extends every lease owner holds by d.
	Renew(ctx context.Context, owner string, d time.Duration) error
	// Release makes every row owner holds available again and reports how many there were.
	Release(ctx context.Context, owner string) (int, error)
}

// Inbox is the durable queue of accepted updates.
type Inbox interface {
	Leases
	// Lease takes up to n unprocessed updates for owner for d. Updates leased maxAttempts times
	// already (a crash loop) are failed instead and their senders get an apology; updates that
	// can't be decoded are failed with the reason.
	Lease(ctx context.Context, owner string, n, maxAttempts int, d time.Duration) ([]Leased, error)
	Retry(ctx context.Context, key string, at time.Time, cause string) error
	GiveUp(ctx context.Context, key, cause string, replies []core.Outgoing) error
}

// Pending is an outbox message a worker has claimed.
type Pending struct {
	Msg      core.Outgoing
	Attempts int
	// InFlight means a part was being handed to the platform when the last worker stopped: it
	// may have gone out, and sending it again may duplicate it.
	InFlight bool
}

// Outbox is the durable queue of replies to deliver.
type Outbox interface {
	Leases
	Claim(ctx context.Context, owner string, n int, d time.Duration) ([]Pending, error)
	// Sending records that the message's next part is being handed to the platform.
	Sending(ctx context.Context, id int64) error
	// Progress records that the first parts of a multi-part message were delivered, the last
	// with externalID.
	Progress(ctx context.Context, id int64, parts int, externalID string) error
	Sent(ctx context.Context, id int64, externalID string) error
	RetryAt(ctx context.Context, id int64, at time.Time, cause string) error
	Failed(ctx context.Context, id int64, cause string) error
	Unreachable(ctx context.Context, id int64, cause string) error
}

// holdLeases releases owner's leases left by an earlier run, then renews the ones it takes
// every third of d until ctx ends. It returns once the release is done.
func holdLeases(ctx context.Context, q Leases, owner string, d time.Duration, log *slog.Logger) {
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

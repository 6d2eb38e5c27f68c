package relay

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bizconnect/bizconnect/core"
)

// Delivery sends outbox messages through the platform Senders. A chat's messages go in order;
// chats in parallel, with each Sender keeping its platform's rate limits. A 429 reschedules the
// message at the platform's retry_after; a blocked bot marks the user unreachable; transient
// errors retry with backoff up to MaxAttempts. A message the platform accepted is marked sent and
// never sent again; each part of a multi-part message is recorded as it goes, and the part being
// handed over is recorded before the call, so a crash repeats at most that part (counted in
// Stats.InFlightResent).
type Delivery struct {
	Outbox  core.Outbox
	Senders map[core.Provider]core.Sender
	Logger  *slog.Logger
	// Owner names this instance in its leases (see core.Leases); a random name when empty.
	Owner       string
	MaxAttempts int           // default 8
	Lease       time.Duration // default 10 s, renewed while the worker lives
	Batch       int           // default 128
	Concurrency int           // default 32
	// Stats counts what the worker did, for metrics.
	Stats DeliveryStats
	// Delivered, when set, is told of each message sent (and recorded so), for metrics.
	Delivered func(p core.Pending)
	waker
	ownerOnce sync.Once
}

// DeliveryStats are the delivery worker's counters.
type DeliveryStats struct {
	Sent atomic.Int64
	// InFlightResent counts messages that were being handed to the platform when a worker
	// stopped and were sent again: each may have reached the user twice.
	InFlightResent atomic.Int64
}

// Run takes back the leases of an earlier run of this instance, then delivers until ctx ends,
// renewing its leases.
func (w *Delivery) Run(ctx context.Context) {
	holdLeases(ctx, w.Outbox, w.owner(), w.lease(), w.logger())
	loop(ctx, 500*time.Millisecond, w.channel(), w.RunOnce, func(err error) { w.logger().Error("delivery: pass failed", "err", err) })
}

func (w *Delivery) logger() *slog.Logger { return orDefault(w.Logger, slog.New(slog.DiscardHandler)) }

func (w *Delivery) lease() time.Duration { return orDefault(w.Lease, 10*time.Second) }

func (w *Delivery) owner() string {
	w.ownerOnce.Do(func() { w.Owner = orDefault(w.Owner, newOwner()) })
	return w.Owner
}

// RunOnce claims one batch and delivers it; it returns how many messages it claimed.
func (w *Delivery) RunOnce(ctx context.Context) (int, error) {
	batch, err := w.Outbox.Claim(ctx, w.owner(), orDefault(w.Batch, 128), w.lease())
	if err != nil || len(batch) == 0 {
		return 0, err
	}
	var open atomic.Int64 // claimed messages whose outcome could not be recorded
	chat := func(p core.Pending) string { return chatOf(p.Msg.Provider, p.Msg.Workspace, p.Msg.ChatID) }
	eachChat(batch, chat, orDefault(w.Concurrency, 32), func(items []core.Pending) { open.Add(int64(w.deliverChat(ctx, items))) })
	if open.Load() > 0 && ctx.Err() == nil {
		// the database failed us mid-pass: give the rest back rather than renew them forever
		if _, err := w.Outbox.Release(ctx, w.owner()); err != nil {
			return len(batch), err
		}
	}
	return len(batch), nil
}

// deliverChat sends one chat's messages in order; after a failure the rest wait with it. It
// returns how many messages were left without a recorded outcome.
func (w *Delivery) deliverChat(ctx context.Context, items []core.Pending) int {
	for i, p := range items {
		retryAt, stop, recorded := w.deliver(ctx, p)
		if !recorded {
			return len(items) - i
		}
		if !stop {
			continue
		}
		open := 0
		for _, rest := range items[i+1:] {
			if !retryAt.IsZero() && !w.check(w.Outbox.RetryAt(ctx, rest.Msg.ID, retryAt, "waiting for an earlier message")) {
				open++
			}
		}
		return open
	}
	return 0
}

// deliver sends one message and records the outcome. It reports whether the chat must stop for
// this pass and, if its later messages should wait, until when; recorded is false when the
// outcome could not be written.
func (w *Delivery) deliver(ctx context.Context, p core.Pending) (retryAt time.Time, stop, recorded bool) {
	msg := p.Msg
	log := w.logger().With("outbox_id", msg.ID, "provider", msg.Provider, "attempt", p.Attempts)
	sender, ok := w.Senders[msg.Provider]
	if !ok {
		return time.Time{}, false, w.check(w.Outbox.Failed(ctx, msg.ID, "no sender for "+string(msg.Provider)))
	}
	if p.InFlight {
		w.Stats.InFlightResent.Add(1)
		log.Warn("delivery: resending a message that was in flight when a worker stopped", "parts_sent", msg.PartsSent)
	}
	msg.Sending = func(ctx context.Context) error { return w.Outbox.Sending(ctx, msg.ID) }
	msg.Progress = func(ctx context.Context, parts int, externalID string) error {
		return w.Outbox.Progress(ctx, msg.ID, parts, externalID)
	}
	ext, err := sender.Send(ctx, msg)
	var ra *core.RetryAfterError
	switch {
	case err == nil:
		w.Stats.Sent.Add(1)
		recorded := w.check(w.Outbox.Sent(ctx, msg.ID, ext))
		if recorded && w.Delivered != nil {
			w.Delivered(p)
		}
		return time.Time{}, false, recorded
	case ctx.Err() != nil:
		return time.Time{}, true, true // shutting down: the next start takes the lease back
	case errors.As(err, &ra):
		at := time.Now().Add(ra.After)
		log.Warn("delivery: rate limited", "retry_after", ra.After)
		return at, true, w.check(w.Outbox.RetryAt(ctx, msg.ID, at, err.Error()))
	case errors.Is(err, core.ErrWithdrawn):
		log.Info("delivery: withdrawn before it went")
		return time.Time{}, false, true
	case errors.Is(err, core.ErrUnreachable):
		log.Info("delivery: recipient unreachable")
		return time.Time{}, true, w.check(w.Outbox.Unreachable(ctx, msg.ID, err.Error()))
	case errors.Is(err, core.ErrPermanent) || p.Attempts >= orDefault(w.MaxAttempts, 8):
		log.Error("delivery: giving up", "err", err)
		return time.Time{}, false, w.check(w.Outbox.Failed(ctx, msg.ID, err.Error()))
	default:
		at := time.Now().Add(backoff(p.Attempts, rand.Float64))
		log.Warn("delivery: send failed, will retry", "err", err)
		return at, true, w.check(w.Outbox.RetryAt(ctx, msg.ID, at, err.Error()))
	}
}

// check logs a failure to record an outcome and reports whether there was none.
func (w *Delivery) check(err error) bool {
	if err != nil {
		w.logger().Error("delivery: record outcome", "err", err)
		return false
	}
	return true
}

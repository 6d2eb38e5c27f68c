package relay

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/bizconnect/bizconnect/core"
)

// Delivery sends outbox messages through the platform Senders. A chat's messages go in order;
// chats in parallel, with each Sender keeping its platform's rate limits. A 429 reschedules the
// message at the platform's retry_after; a blocked bot marks the user unreachable; transient
// errors retry with backoff up to MaxAttempts. A message the platform accepted is marked sent and
// never sent again.
type Delivery struct {
	Outbox      Outbox
	Senders     map[core.Provider]core.Sender
	Logger      *slog.Logger
	MaxAttempts int           // default 8
	Lease       time.Duration // default 2 minutes
	Batch       int           // default 128
	Concurrency int           // default 32
	waker
}

// Run delivers until ctx ends.
func (w *Delivery) Run(ctx context.Context) {
	loop(ctx, 500*time.Millisecond, w.channel(), w.RunOnce, func(err error) { w.logger().Error("delivery: pass failed", "err", err) })
}

func (w *Delivery) logger() *slog.Logger { return orDefault(w.Logger, slog.New(slog.DiscardHandler)) }

// RunOnce claims one batch and delivers it; it returns how many messages it claimed.
func (w *Delivery) RunOnce(ctx context.Context) (int, error) {
	batch, err := w.Outbox.Claim(ctx, orDefault(w.Batch, 128), orDefault(w.Lease, 2*time.Minute))
	if err != nil || len(batch) == 0 {
		return 0, err
	}
	chat := func(p Pending) string { return chatOf(p.Msg.Provider, p.Msg.Workspace, p.Msg.ChatID) }
	eachChat(batch, chat, orDefault(w.Concurrency, 32), func(items []Pending) { w.deliverChat(ctx, items) })
	return len(batch), nil
}

// deliverChat sends one chat's messages in order; after a failure the rest wait with it.
func (w *Delivery) deliverChat(ctx context.Context, items []Pending) {
	for i, p := range items {
		retryAt, stop := w.deliver(ctx, p)
		if !stop {
			continue
		}
		for _, rest := range items[i+1:] {
			if !retryAt.IsZero() {
				w.check(w.Outbox.RetryAt(ctx, rest.Msg.ID, retryAt, "waiting for an earlier message"))
			}
		}
		return
	}
}

// deliver sends one message and records the outcome. It reports whether the chat must stop for
// this pass and, if its later messages should wait, until when.
func (w *Delivery) deliver(ctx context.Context, p Pending) (time.Time, bool) {
	msg := p.Msg
	log := w.logger().With("outbox_id", msg.ID, "provider", msg.Provider, "attempt", p.Attempts)
	sender, ok := w.Senders[msg.Provider]
	if !ok {
		w.check(w.Outbox.Failed(ctx, msg.ID, "no sender for "+string(msg.Provider)))
		return time.Time{}, false
	}
	ext, err := sender.Send(ctx, msg)
	var ra *core.RetryAfterError
	switch {
	case err == nil:
		w.check(w.Outbox.Sent(ctx, msg.ID, ext))
		return time.Time{}, false
	case ctx.Err() != nil:
		return time.Time{}, true // the lease expires and another pass takes it
	case errors.As(err, &ra):
		at := time.Now().Add(ra.After)
		log.Warn("delivery: rate limited", "retry_after", ra.After)
		w.check(w.Outbox.RetryAt(ctx, msg.ID, at, err.Error()))
		return at, true
	case errors.Is(err, core.ErrUnreachable):
		log.Info("delivery: recipient unreachable")
		w.check(w.Outbox.Unreachable(ctx, msg.ID, err.Error()))
		return time.Time{}, true
	case errors.Is(err, core.ErrPermanent) || p.Attempts >= orDefault(w.MaxAttempts, 8):
		log.Error("delivery: giving up", "err", err)
		w.check(w.Outbox.Failed(ctx, msg.ID, err.Error()))
		return time.Time{}, false
	default:
		at := time.Now().Add(backoff(p.Attempts, rand.Float64))
		log.Warn("delivery: send failed, will retry", "err", err)
		w.check(w.Outbox.RetryAt(ctx, msg.ID, at, err.Error()))
		return at, true
	}
}

func (w *Delivery) check(err error) {
	if err != nil {
		w.logger().Error("delivery: record outcome", "err", err)
	}
}

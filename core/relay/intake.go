package relay

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bizconnect/bizconnect/core"
)

// Processor is the assistant as the intake sees it.
type Processor interface {
	Process(ctx context.Context, in core.Inbound) error
}

// Intake hands accepted updates to the assistant. A chat's updates are processed in order; chats
// in parallel. A failing update is retried with backoff; after MaxAttempts the user gets an
// apology instead of silence, and so they do when the update crashed the process that many
// times (a poison update never stalls the queue).
type Intake struct {
	Inbox     core.Inbox
	Processor Processor
	Logger    *slog.Logger
	// FailureReplyFunc is the apology sent when an update is given up, for the error that ended
	// it (nil when it crashed its workers); nil sends none. The texts are the chat's; the relay
	// only moves messages.
	FailureReplyFunc func(core.Inbound, error) core.Reply
	// Owner names this instance in its leases (see core.Leases); a random name when empty.
	Owner       string
	MaxAttempts int           // default 5
	Lease       time.Duration // default 15 s, renewed while the worker lives
	Batch       int           // default 64
	Concurrency int           // default 8
	waker
	ownerOnce sync.Once
}

// Run takes back the leases of an earlier run of this instance, then processes updates until
// ctx ends, renewing its leases.
func (w *Intake) Run(ctx context.Context) {
	holdLeases(ctx, w.Inbox, w.owner(), w.lease(), w.logger())
	loop(ctx, time.Second, w.channel(), w.RunOnce, func(err error) { w.logger().Error("intake: pass failed", "err", err) })
}

func (w *Intake) logger() *slog.Logger { return orDefault(w.Logger, slog.New(slog.DiscardHandler)) }

func (w *Intake) lease() time.Duration { return orDefault(w.Lease, 15*time.Second) }

func (w *Intake) owner() string {
	w.ownerOnce.Do(func() { w.Owner = orDefault(w.Owner, newOwner()) })
	return w.Owner
}

// RunOnce leases one batch of updates and processes it; it returns how many it leased.
func (w *Intake) RunOnce(ctx context.Context) (int, error) {
	batch, err := w.Inbox.Lease(ctx, w.owner(), orDefault(w.Batch, 64), orDefault(w.MaxAttempts, 5), w.lease())
	if err != nil || len(batch) == 0 {
		return 0, err
	}
	var open atomic.Int64 // updates whose outcome could not be recorded
	chat := func(l core.Leased) string { return chatOf(l.Inbound.Provider, l.Inbound.Workspace, l.Inbound.ChatID) }
	eachChat(batch, chat, orDefault(w.Concurrency, 8), func(items []core.Leased) {
		for _, l := range items {
			if !w.process(ctx, l) {
				open.Add(1)
			}
		}
	})
	if open.Load() > 0 && ctx.Err() == nil {
		// the database failed us mid-pass: give the rest back rather than renew them forever
		if _, err := w.Inbox.Release(ctx, w.owner()); err != nil {
			return len(batch), err
		}
	}
	return len(batch), nil
}

// process runs one update and reports whether its outcome is recorded (processed, retried
// later or given up).
func (w *Intake) process(ctx context.Context, l core.Leased) bool {
	in := l.Inbound
	log := w.logger().With("key", in.Key, "provider", in.Provider, "attempt", l.Attempts)
	if l.Exhausted {
		log.Error("intake: giving up on an update whose every attempt crashed its worker")
		return w.giveUp(ctx, log, in, fmt.Sprintf("no outcome after %d attempts", l.Attempts), nil)
	}
	err := w.Processor.Process(ctx, in)
	if err == nil || ctx.Err() != nil {
		return true // processed, or shutting down and the next start takes the lease back
	}
	if final(err) {
		// a refusal or invalid input: trying again gives the same answer
		log.Info("intake: update refused", "err", err)
		return w.giveUp(ctx, log, in, err.Error(), err)
	}
	if l.Attempts >= orDefault(w.MaxAttempts, 5) && !errors.Is(err, context.Canceled) {
		log.Error("intake: giving up on update", "err", err)
		return w.giveUp(ctx, log, in, err.Error(), err)
	}
	log.Warn("intake: update failed, will retry", "err", err)
	if rerr := w.Inbox.Retry(ctx, in.Key, time.Now().Add(backoff(l.Attempts, rand.Float64)), err.Error()); rerr != nil {
		log.Error("intake: schedule retry", "err", rerr)
		return false
	}
	return true
}

// final reports whether err will be the same however often the update is tried.
func final(err error) bool {
	code := core.ErrorCode(err)
	return code == core.EFORBIDDEN || code == core.EINVALID
}

// giveUp closes the update with an apology to its sender.
func (w *Intake) giveUp(ctx context.Context, log *slog.Logger, in core.Inbound, cause string, err error) bool {
	var apology []core.Outgoing
	if w.FailureReplyFunc != nil {
		apology = core.Addressed(in, []core.Reply{w.FailureReplyFunc(in, err)})
	}
	if err := w.Inbox.GiveUp(ctx, in.Key, cause, apology); err != nil {
		log.Error("intake: give up", "err", err)
		return false
	}
	return true
}

package slack

import (
	"context"
	"sync"
	"time"
)

// limiter spaces sends to each channel (Slack allows about one message per second per channel)
// and holds a workspace's sends after a 429.
type limiter struct {
	every time.Duration

	mu     sync.Mutex
	next   map[string]time.Time // channel key → earliest next send
	paused map[string]time.Time // workspace → end of a 429 pause
	booked int                  // reservations since the last prune
}

func newLimiter(every time.Duration) *limiter {
	return &limiter{every: every, next: map[string]time.Time{}, paused: map[string]time.Time{}}
}

// reserve books the earliest slot at or after now for channel in workspace.
func (l *limiter) reserve(now time.Time, workspace, channel string) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pruneLocked(now)
	key := workspace + "\x00" + channel
	t := latest(now, l.next[key], l.paused[workspace])
	l.next[key] = t.Add(l.every)
	return t
}

// pausedUntil is when a 429 pause of workspace ends (the zero time when there is none).
func (l *limiter) pausedUntil(workspace string) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.paused[workspace]
}

// pause holds every send to workspace until t.
func (l *limiter) pause(workspace string, t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.paused[workspace] = latest(l.paused[workspace], t)
}

// pruneLocked forgets, now and then, channels and pauses in the past.
func (l *limiter) pruneLocked(now time.Time) {
	if l.booked++; l.booked < 256 {
		return
	}
	l.booked = 0
	for k, t := range l.next {
		if now.After(t) {
			delete(l.next, k)
		}
	}
	for k, t := range l.paused {
		if now.After(t) {
			delete(l.paused, k)
		}
	}
}

func latest(t time.Time, ts ...time.Time) time.Time {
	for _, u := range ts {
		if u.After(t) {
			t = u
		}
	}
	return t
}

// wait books a slot for channel and blocks until it comes or ctx ends.
func (a *Adapter) wait(ctx context.Context, workspace, channel string) error {
	return sleep(ctx, a.limit.reserve(a.now(), workspace, channel).Sub(a.now()))
}

// waitPause waits out a 429 pause of workspace only: ephemeral messages and response_url answers
// reach one person and are not held to a channel's message per second.
func (a *Adapter) waitPause(ctx context.Context, workspace string) error {
	return sleep(ctx, a.limit.pausedUntil(workspace).Sub(a.now()))
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

package slack

import (
	"context"
	"fmt"
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

// wait books a slot for channel and blocks until it comes or ctx ends. With a shared pacer the
// slot is booked for every instance: the channel's message a second, and a 429's pause of the
// workspace, hold however many processes send there. The caller calls sent once the request
// has been answered (or has failed).
func (a *Adapter) wait(ctx context.Context, workspace, channel string) (sent func(), err error) {
	sent = func() {}
	if err := a.waitSlot(ctx, workspace, channel); err != nil || a.pacer == nil {
		return sent, err
	}
	// The claim was made before the request left, and the request reaches Slack a moment after
	// (a record in flight, a busy process, the network): the next message to the channel, from
	// any instance, goes a second after this one's answer, so no two arrive closer than that.
	bucket := "slack:sent:" + workspace + ":" + channel
	return func() {
		now := a.now()
		if _, err := a.pacer.Reserve(context.WithoutCancel(ctx), bucket, 0, now, now.Add(a.limit.every)); err != nil {
			a.log.Warn("slack: send time not shared", "error", err)
		}
	}, nil
}

func (a *Adapter) waitSlot(ctx context.Context, workspace, channel string) error {
	at := a.limit.reserve(a.now(), workspace, channel)
	if a.pacer != nil {
		paused, err := a.sharedPause(ctx, workspace)
		if err != nil {
			return err
		}
		if at, err = a.pacer.Reserve(ctx, "slack:"+workspace+":"+channel, a.limit.every, a.now(), latest(at, paused)); err != nil {
			return fmt.Errorf("slack: pace: %w", err)
		}
	}
	if err := sleep(ctx, at.Sub(a.now())); err != nil || a.pacer == nil {
		return err
	}
	// The slot says when; the claim, as the message goes, that the channel's last message from
	// any instance really went a second ago (a sender that woke late moves the next one on).
	for {
		ok, next, err := a.pacer.Claim(ctx, "slack:sent:"+workspace+":"+channel, a.limit.every, a.now())
		if err != nil || ok {
			return err
		}
		if err := sleep(ctx, next.Sub(a.now())); err != nil {
			return err
		}
	}
}

// waitPause waits out a 429 pause of workspace only: ephemeral messages and response_url answers
// reach one person and are not held to a channel's message per second.
func (a *Adapter) waitPause(ctx context.Context, workspace string) error {
	until := a.limit.pausedUntil(workspace)
	if a.pacer != nil {
		paused, err := a.sharedPause(ctx, workspace)
		if err != nil {
			return err
		}
		until = latest(until, paused)
	}
	return sleep(ctx, until.Sub(a.now()))
}

// sharedPause is when the workspace's 429 pause, shared by every instance, ends (now when there
// is none).
func (a *Adapter) sharedPause(ctx context.Context, workspace string) (time.Time, error) {
	now := a.now()
	t, err := a.pacer.Reserve(ctx, "slack:"+workspace, 0, now, now)
	if err != nil {
		return time.Time{}, fmt.Errorf("slack: pace: %w", err)
	}
	return t, nil
}

// sharePause holds every instance's sends to workspace until t, after a 429 (best effort: this
// process pauses either way).
func (a *Adapter) sharePause(ctx context.Context, workspace string, t time.Time) {
	if a.pacer == nil {
		return
	}
	if _, err := a.pacer.Reserve(ctx, "slack:"+workspace, 0, a.now(), t); err != nil {
		a.log.Warn("slack: pause not shared", "error", err)
	}
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

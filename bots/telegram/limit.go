package telegram

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// limits are the send rates a bot keeps to.
type limits struct {
	global      time.Duration // spacing of any two sends (30 msg/s → 1/30 s)
	perChat     time.Duration // spacing of sends to one chat
	groupWindow time.Duration // groups get at most groupMax sends per groupWindow
	groupMax    int
}

// telegramLimits are the limits Telegram documents for bots, with a margin for the jitter
// between booking a slot and the send reaching Telegram (a process paused for a moment sends two
// slots close together): 1 ms a send is 30 ms in any 30 sends, 29.1 messages a second.
var telegramLimits = limits{global: time.Second/30 + time.Millisecond, perChat: time.Second + 20*time.Millisecond,
	groupWindow: time.Minute, groupMax: 20}

// limiter books send slots in two steps. A send first books a slot in its chat (1/s, and for
// groups groupMax per groupWindow), possibly far ahead; when that slot comes it books a global slot,
// so the global spacing follows real send times and a busy chat never delays other chats. A 429
// pause holds both.
type limiter struct {
	lim limits

	mu          sync.Mutex
	nextGlobal  time.Time
	pausedUntil time.Time
	chats       map[string]*chatSlots
	booked      int // reservations since the last prune
}

type chatSlots struct {
	next   time.Time   // earliest next send to the chat
	recent []time.Time // a group's last groupMax send times, oldest first
}

func newLimiter(lim limits) *limiter {
	return &limiter{lim: lim, chats: map[string]*chatSlots{}}
}

// reserveChat books the earliest slot at or after now allowed by chat's limits and any pause.
func (l *limiter) reserveChat(now time.Time, chat string, group bool) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pruneLocked(now)
	c := l.chats[chat]
	if c == nil {
		c = &chatSlots{}
		l.chats[chat] = c
	}
	t := latest(now, l.pausedUntil, c.next)
	if group && len(c.recent) >= l.lim.groupMax {
		t = latest(t, c.recent[len(c.recent)-l.lim.groupMax].Add(l.lim.groupWindow))
	}
	c.next = t.Add(l.lim.perChat)
	if group {
		c.recent = append(c.recent, t)
		if len(c.recent) > l.lim.groupMax {
			c.recent = c.recent[1:]
		}
	}
	return t
}

// reserveGlobal books the earliest slot at or after now allowed by the bot-wide rate and any pause.
func (l *limiter) reserveGlobal(now time.Time) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := latest(now, l.pausedUntil, l.nextGlobal)
	l.nextGlobal = t.Add(l.lim.global)
	return t
}

// pause stops every send until t (a 429 answer).
func (l *limiter) pause(t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pausedUntil = latest(l.pausedUntil, t)
}

// resumeAt returns when a pause ends (the zero time when none was ever set).
func (l *limiter) resumeAt() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.pausedUntil
}

// pruneLocked forgets, now and then, chats that no limit remembers any more.
func (l *limiter) pruneLocked(now time.Time) {
	if l.booked++; l.booked < 256 {
		return
	}
	l.booked = 0
	for id, c := range l.chats {
		idle := now.After(c.next) && (len(c.recent) == 0 || now.Sub(c.recent[len(c.recent)-1]) > l.lim.groupWindow)
		if idle {
			delete(l.chats, id)
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

// The shared pacer's buckets.
const (
	globalBucket = "telegram"
	chatBucket   = "telegram:chat:"
	sentBucket   = "telegram:sent"
	// chatSentBucket+chat is the chat's last answered send and a gap: its next may go then.
	chatSentBucket = "telegram:chat-sent:"
)

// wait books a slot for chat and blocks until it comes and any 429 pause is over, then calls
// prepare (when set: the record of the message in flight). With a shared pacer the slots are
// booked with every other instance: a bot-wide slot, then the chat at that very instant if its
// last message is a second behind (else the slot is given up and the next one after the chat's
// second is tried), so the spacing holds between actual sends. The caller calls sent once the
// request has been answered (or has failed).
func (a *Adapter) wait(ctx context.Context, chat string, group bool, prepare func(context.Context) error) (sent func(), err error) {
	sent = func() {}
	if err := a.waitSlot(ctx, chat, group); err != nil {
		return sent, err
	}
	if a.pacer != nil {
		// The chat's slot may have been booked before the message ahead of it had gone: this one
		// goes a gap after that one's answer, so no two reach Telegram closer than that.
		if err := a.claim(ctx, chatSentBucket+chat, a.limit.lim.perChat); err != nil {
			return sent, err
		}
	}
	if prepare != nil {
		if err := prepare(ctx); err != nil {
			return sent, err
		}
	}
	if a.pacer == nil {
		return sent, nil
	}
	// The slot says when; the claim, as the message goes, that the bot's last message from any
	// instance really went a gap ago (a sender that woke late moves the next one on).
	if err := a.claim(ctx, sentBucket, a.limit.lim.global); err != nil {
		return sent, err
	}
	return func() {
		now := a.now()
		if _, err := a.pacer.Reserve(context.WithoutCancel(ctx), chatSentBucket+chat, 0, now, now.Add(a.limit.lim.perChat)); err != nil {
			a.log.Warn("telegram: send time not shared", "error", err)
		}
	}, nil
}

// claim books now in bucket once its last booking is gap behind, waiting for that.
func (a *Adapter) claim(ctx context.Context, bucket string, gap time.Duration) error {
	for {
		ok, next, err := a.pacer.Claim(ctx, bucket, gap, a.now())
		if err != nil {
			return fmt.Errorf("telegram: pace: %w", err)
		}
		if ok {
			return nil
		}
		if err := sleepUntil(ctx, a.now, next); err != nil {
			return err
		}
	}
}

// waitSlot waits for the bot-wide slot and the chat's, booked together.
func (a *Adapter) waitSlot(ctx context.Context, chat string, group bool) error {
	if err := sleepUntil(ctx, a.now, a.limit.reserveChat(a.now(), chat, group)); err != nil {
		return err
	}
	notBefore := time.Time{}
	for {
		at := a.limit.reserveGlobal(a.now())
		if a.pacer != nil {
			var err error
			if at, err = a.pacer.Reserve(ctx, globalBucket, a.limit.lim.global, a.now(), latest(at, notBefore)); err != nil {
				return fmt.Errorf("telegram: pace: %w", err)
			}
			ok, next, err := a.pacer.Claim(ctx, chatBucket+chat, a.limit.lim.perChat, at)
			if err != nil {
				return fmt.Errorf("telegram: pace: %w", err)
			}
			if !ok {
				notBefore = next
				continue
			}
		}
		if err := sleepUntil(ctx, a.now, at); err != nil {
			return err
		}
		// A 429 may have paused the bot while we slept; reserveGlobal then waits it out.
		if !a.limit.resumeAt().After(a.now()) {
			return nil
		}
	}
}

// sharePause holds every instance's sends until t, after a 429 (best effort: this process
// pauses either way).
func (a *Adapter) sharePause(ctx context.Context, t time.Time) {
	if a.pacer == nil {
		return
	}
	if _, err := a.pacer.Reserve(ctx, globalBucket, 0, a.now(), t); err != nil {
		a.log.Warn("telegram: pause not shared", "error", err)
	}
}

func sleepUntil(ctx context.Context, now func() time.Time, t time.Time) error {
	d := t.Sub(now())
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

package relay

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/core"
)

type fakeInbox struct {
	mu      sync.Mutex
	leased  []core.Leased
	retried map[string]time.Time
	gaveUp  map[string][]core.Outgoing
}

func (f *fakeInbox) Lease(context.Context, string, int, int, time.Duration) ([]core.Leased, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.leased
	f.leased = nil
	return out, nil
}

func (f *fakeInbox) Retry(_ context.Context, key string, at time.Time, _ string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.retried[key] = at
	return nil
}

func (f *fakeInbox) GiveUp(_ context.Context, key, _ string, replies []core.Outgoing) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gaveUp[key] = replies
	return nil
}

func (f *fakeInbox) Renew(context.Context, string, time.Duration) error  { return nil }
func (f *fakeInbox) Release(context.Context, string) (int, error)        { return 0, nil }
func (f *fakeOutbox) Renew(context.Context, string, time.Duration) error { return nil }
func (f *fakeOutbox) Release(context.Context, string) (int, error)       { return 0, nil }
func (f *fakeOutbox) Sending(context.Context, int64) error               { return nil }
func (f *fakeOutbox) Progress(context.Context, int64, int, string) error { return nil }

type processFunc func(ctx context.Context, in core.Inbound) error

func (f processFunc) Process(ctx context.Context, in core.Inbound) error { return f(ctx, in) }

func TestIntakeRetriesThenApologises(t *testing.T) {
	in := core.Inbound{Key: "k1", Provider: core.ProviderTelegram, ChatID: "7", ExternalUserID: "7", Text: "купить молоко"}
	inbox := &fakeInbox{retried: map[string]time.Time{}, gaveUp: map[string][]core.Outgoing{},
		leased: []core.Leased{{Inbound: in, Attempts: 1}, {Inbound: core.Inbound{Key: "k2", ChatID: "8"}, Attempts: 5}}}
	failing := processFunc(func(context.Context, core.Inbound) error { return errors.New("database down") })
	sorry := func(core.Inbound, error) core.Reply { return core.Reply{Text: core.Text{{Text: "sorry"}}} }
	w := &Intake{Inbox: inbox, Processor: failing, MaxAttempts: 5, FailureReplyFunc: sorry}
	if n, err := w.RunOnce(context.Background()); n != 2 || err != nil {
		t.Fatalf("RunOnce = %d, %v", n, err)
	}
	if at, ok := inbox.retried["k1"]; !ok || time.Until(at) <= 0 {
		t.Fatalf("k1 not retried later: %v", inbox.retried)
	}
	apology, ok := inbox.gaveUp["k2"]
	if !ok || len(apology) != 1 || apology[0].ChatID != "8" || apology[0].Reply.Text.String() == "" {
		t.Fatalf("k2: gave up without an apology: %+v", inbox.gaveUp)
	}
	if _, ok := inbox.gaveUp["k1"]; ok {
		t.Fatal("k1 given up too early")
	}
}

type outcome struct {
	kind string
	at   time.Time
}

type fakeOutbox struct {
	mu      sync.Mutex
	pending []core.Pending
	got     map[int64]outcome
}

func (f *fakeOutbox) Claim(context.Context, string, int, time.Duration) ([]core.Pending, error) {
	out := f.pending
	f.pending = nil
	return out, nil
}

func (f *fakeOutbox) record(id int64, kind string, at time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got[id] = outcome{kind, at}
	return nil
}

func (f *fakeOutbox) Sent(_ context.Context, id int64, _ string) error {
	return f.record(id, "sent", time.Time{})
}
func (f *fakeOutbox) RetryAt(_ context.Context, id int64, at time.Time, _ string) error {
	return f.record(id, "retry", at)
}
func (f *fakeOutbox) Failed(_ context.Context, id int64, _ string) error {
	return f.record(id, "failed", time.Time{})
}
func (f *fakeOutbox) Unreachable(_ context.Context, id int64, _ string) error {
	return f.record(id, "unreachable", time.Time{})
}

type senderFunc func(ctx context.Context, msg core.Outgoing) (string, error)

func (f senderFunc) Send(ctx context.Context, msg core.Outgoing) (string, error) { return f(ctx, msg) }

func TestDeliveryOutcomes(t *testing.T) {
	msg := func(id int64, chat string) core.Pending {
		return core.Pending{Msg: core.Outgoing{ID: id, Provider: core.ProviderTelegram, ChatID: chat}, Attempts: 1}
	}
	errs := map[int64]error{
		2: &core.RetryAfterError{After: 3 * time.Second},
		4: core.ErrUnreachable,
		6: core.ErrPermanent,
		7: errors.New("connection reset"),
	}
	sender := senderFunc(func(_ context.Context, m core.Outgoing) (string, error) { return "x", errs[m.ID] })
	box := &fakeOutbox{got: map[int64]outcome{}, pending: []core.Pending{
		msg(1, "a"), msg(2, "a"), msg(3, "a"), // 429 on the second: the third waits with it
		msg(4, "b"), msg(5, "b"), // blocked
		msg(6, "c"), // permanent
		msg(7, "d"), // transient: retried with backoff
		{Msg: core.Outgoing{ID: 8, Provider: "pigeon", ChatID: "e"}, Attempts: 1},
	}}
	w := &Delivery{Outbox: box, Senders: map[core.Provider]core.Sender{core.ProviderTelegram: sender}}
	if _, err := w.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := map[int64]string{1: "sent", 2: "retry", 3: "retry", 4: "unreachable", 6: "failed", 7: "retry", 8: "failed"}
	for id, kind := range want {
		if box.got[id].kind != kind {
			t.Errorf("message %d: %q, want %q", id, box.got[id].kind, kind)
		}
	}
	if _, ok := box.got[5]; ok {
		t.Error("a message to a blocked chat was tried")
	}
	if d := time.Until(box.got[2].at); d < 2*time.Second || d > 4*time.Second {
		t.Errorf("429 retry in %s, want about 3s", d)
	}
	if !box.got[3].at.Equal(box.got[2].at) {
		t.Error("the next message of a rate-limited chat should wait as long")
	}
}

func TestBackoffGrowsAndCaps(t *testing.T) {
	mid := func() float64 { return 0.5 }
	if backoff(1, mid) != time.Second || backoff(3, mid) != 4*time.Second || backoff(30, mid) != 5*time.Minute {
		t.Fatalf("backoff: %s %s %s", backoff(1, mid), backoff(3, mid), backoff(30, mid))
	}
}

func TestIntakeGivesUpAtOnceOnARefusal(t *testing.T) {
	in := core.Inbound{Key: "k1", Provider: core.ProviderSlack, ChatID: "C1", ExternalUserID: "U2", Text: "распланируй цель"}
	inbox := &fakeInbox{retried: map[string]time.Time{}, gaveUp: map[string][]core.Outgoing{}, leased: []core.Leased{{Inbound: in, Attempts: 1}}}
	refused := processFunc(func(context.Context, core.Inbound) error { return core.Errorf(core.EFORBIDDEN, "not yours") })
	var got error
	w := &Intake{Inbox: inbox, Processor: refused, MaxAttempts: 5, FailureReplyFunc: func(_ core.Inbound, err error) core.Reply {
		got = err
		return core.Reply{Text: core.Text{{Text: "not yours to do"}}}
	}}
	if _, err := w.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, ok := inbox.retried["k1"]; ok {
		t.Fatal("a refusal was retried: it would be refused again")
	}
	if r := inbox.gaveUp["k1"]; len(r) != 1 || core.ErrorCode(got) != core.EFORBIDDEN {
		t.Fatalf("gave up with %+v for %v", r, got)
	}
}

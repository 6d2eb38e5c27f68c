package telegram

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/bots/telegram/telegramtest"
	"github.com/bizconnect/bizconnect/core"
)

func TestPollConfirmsOnlyAcceptedUpdates(t *testing.T) {
	b := setup(t)
	failures := 1
	b.acceptErr = func(in core.Inbound) error {
		if in.Key == "telegram:123456789:2" && failures > 0 {
			failures--
			return errors.New("db down")
		}
		return nil
	}
	b.srv.PushUpdate(telegramtest.Message{UpdateID: 1, Text: "one"}.Update())
	b.srv.PushUpdate(telegramtest.Message{UpdateID: 2, Text: "two"}.Update())
	b.srv.PushUpdate(telegramtest.Message{UpdateID: 3, ChatID: -5, Text: "ignored in a group"}.Update())
	b.srv.PushUpdate(telegramtest.Message{UpdateID: 4, Text: "four"}.Update())

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- b.a.Poll(ctx) }()
	waitFor(t, func() bool { return len(b.acceptedKeys()) >= 4 })
	waitFor(t, func() bool { return len(b.srv.Pending()) == 0 }) // the next poll confirmed all
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Poll returned %v after cancel", err)
	}

	want := []string{"telegram:123456789:1", "telegram:123456789:2", "telegram:123456789:2", "telegram:123456789:4"}
	if got := b.acceptedKeys(); !slices.Equal(got, want) {
		t.Errorf("accepted %v, want %v (update 2 redelivered after the failed accept)", got, want)
	}
	calls := b.srv.Calls()
	if calls[0].Method != "deleteWebhook" {
		t.Errorf("first call = %s, want deleteWebhook", calls[0].Method)
	}
	var offsets []string
	for _, c := range b.srv.CallsTo("getUpdates") {
		offsets = append(offsets, c.Params["offset"])
	}
	// The failed accept of update 2 must not move the offset past it.
	if i := slices.Index(offsets, "2"); i < 0 || slices.Index(offsets, "3") >= 0 && slices.Index(offsets, "3") < i {
		t.Errorf("getUpdates offsets %v: want offset 2 (redelivery) before any later offset", offsets)
	}
	if !slices.Contains(offsets, "5") {
		t.Errorf("getUpdates offsets %v: want 5 after accepting update 4", offsets)
	}
}

func TestPollReturnsWhenCancelledWhileWaiting(t *testing.T) {
	b := setup(t)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- b.a.Poll(ctx) }()
	b.srv.WaitCalls(t, "getUpdates", 1, 2*time.Second)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Poll did not return after cancel")
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

package telegram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/bots/telegram/telegramtest"
	"github.com/bizconnect/bizconnect/core"
)

func reply(text string, buttons ...core.Button) core.Reply {
	r := core.Reply{Text: core.Text{{Text: text}}}
	if len(buttons) > 0 {
		r.Buttons = [][]core.Button{buttons}
	}
	return r
}

func TestSendEscapesHTML(t *testing.T) {
	b := setup(t)
	r := core.Reply{Text: core.Text{{Text: "Done: "}, {Text: "<b>x</b> & y", Style: core.Bold}}}
	id, err := b.a.Send(t.Context(), core.Outgoing{ChatID: "1001", Reply: r})
	if err != nil {
		t.Fatal(err)
	}
	calls := b.srv.CallsTo("sendMessage")
	if len(calls) != 1 || id != "1" {
		t.Fatalf("%d sendMessage calls, id %q", len(calls), id)
	}
	c := calls[0]
	if c.Text() != "Done: <b>&lt;b&gt;x&lt;/b&gt; &amp; y</b>" || c.Params["parse_mode"] != "HTML" || c.ChatID() != "1001" {
		t.Errorf("sent %q (parse_mode %q) to %q", c.Text(), c.Params["parse_mode"], c.ChatID())
	}
}

func TestSendSplitsLongReplies(t *testing.T) {
	b := setup(t)
	var text core.Text
	for text.String() == "" || len([]rune(text.String())) < 10000 {
		text = append(text, core.Span{Text: "Milestone "}, core.Span{Text: "<ship v2>", Style: core.Bold}, core.Span{Text: " by Friday, owner Anna\n"})
	}
	r := core.Reply{Text: text, Buttons: [][]core.Button{{{Label: "OK", Payload: "ack"}}}}
	id, err := b.a.Send(t.Context(), core.Outgoing{ID: 1, ChatID: "1001", Reply: r})
	if err != nil {
		t.Fatal(err)
	}
	calls := b.srv.CallsTo("sendMessage")
	if len(calls) < 3 {
		t.Fatalf("%d messages, want ≥ 3", len(calls))
	}
	for i, c := range calls {
		visible, err := telegramtest.ParseHTML(c.Text())
		if err != nil || telegramtest.VisibleLen(visible) > 4096 {
			t.Errorf("part %d: %d visible characters, %v", i, telegramtest.VisibleLen(visible), err)
		}
		if hasKB := c.Params["reply_markup"] != ""; hasKB != (i == len(calls)-1) {
			t.Errorf("part %d: keyboard %v, want only on the last part", i, hasKB)
		}
	}
	if id != strconv.Itoa(len(calls)) {
		t.Errorf("returned id %q, want the last message's id %d", id, len(calls))
	}
}

func TestSendButtons(t *testing.T) {
	b := setup(t)
	r := core.Reply{Text: core.Text{{Text: "Pick"}}, Buttons: [][]core.Button{
		{{Label: "Done", Payload: "done:1"}, {Label: "Later", Payload: "later:1"}}, {{Label: "Stop", Payload: "stop"}},
	}}
	if _, err := b.a.Send(t.Context(), core.Outgoing{ChatID: "1001", Reply: r}); err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"done:1", "later:1"}, {"stop"}}
	got := b.srv.CallsTo("sendMessage")[0].Keyboard()
	if len(got) != 2 || !slices.Equal(got[0], want[0]) || !slices.Equal(got[1], want[1]) {
		t.Errorf("keyboard %v, want %v", got, want)
	}
	// each button carries its text and exactly one kind, nothing else (no empty copy_text)
	markup := b.srv.CallsTo("sendMessage")[0].Params["reply_markup"]
	if want := `{"inline_keyboard":[[{"text":"Done","callback_data":"done:1"},{"text":"Later","callback_data":"later:1"}],[{"text":"Stop","callback_data":"stop"}]]}`; markup != want {
		t.Errorf("reply_markup\n%s\nwant\n%s", markup, want)
	}

	long := reply("x", core.Button{Label: "Big", Payload: strings.Repeat("p", 65)})
	if _, err := b.a.Send(t.Context(), core.Outgoing{ChatID: "1001", Reply: long}); !errors.Is(err, core.ErrPermanent) {
		t.Errorf("65-byte payload: err = %v, want ErrPermanent", err)
	}
	if n := len(b.srv.CallsTo("sendMessage")); n != 1 {
		t.Errorf("%d sendMessage calls, the bad keyboard must not be sent", n)
	}
}

func TestSendErrors(t *testing.T) {
	tests := []struct {
		name    string
		script  func(s *telegramtest.Server)
		check   func(err error) bool
		wantErr string
	}{
		{"blocked by the user", func(s *telegramtest.Server) { s.Block("1001") },
			func(err error) bool { return errors.Is(err, core.ErrUnreachable) && !errors.Is(err, core.ErrPermanent) }, "ErrUnreachable"},
		{"user deactivated", func(s *telegramtest.Server) {
			s.FailNext("sendMessage", "1001", telegramtest.Failure{Code: 403, Description: "Forbidden: user is deactivated"})
		}, func(err error) bool { return errors.Is(err, core.ErrUnreachable) }, "ErrUnreachable"},
		{"chat not found", func(s *telegramtest.Server) { s.FailNext("sendMessage", "", telegramtest.BadRequest("chat not found")) },
			func(err error) bool { return errors.Is(err, core.ErrPermanent) }, "ErrPermanent"},
		{"413", func(s *telegramtest.Server) {
			s.FailNext("sendMessage", "", telegramtest.Failure{Code: 413, Description: "Request Entity Too Large"})
		}, func(err error) bool { return errors.Is(err, core.ErrPermanent) }, "ErrPermanent"},
		{"server error is retried", func(s *telegramtest.Server) { s.FailNext("", "", telegramtest.InternalError()) },
			func(err error) bool {
				var ra *core.RetryAfterError
				return err != nil && !errors.Is(err, core.ErrPermanent) && !errors.Is(err, core.ErrUnreachable) && !errors.As(err, &ra)
			}, "a plain error"},
		{"429", func(s *telegramtest.Server) { s.FailNext("sendMessage", "1001", telegramtest.TooManyRequests(2)) },
			func(err error) bool {
				var ra *core.RetryAfterError
				return errors.As(err, &ra) && ra.After == 2*time.Second
			}, "RetryAfterError{2s}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := setup(t)
			tt.script(b.srv)
			_, err := b.a.Send(t.Context(), core.Outgoing{ChatID: "1001", Reply: reply("hi")})
			if !tt.check(err) {
				t.Errorf("err = %v, want %s", err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), b.srv.Token()) {
				t.Error("the error shows the token")
			}
		})
	}
}

func TestSendRetryAfterPausesWholeBot(t *testing.T) {
	b := setup(t)
	b.srv.FailNext("sendMessage", "1001", telegramtest.TooManyRequests(1))
	start := time.Now()
	_, err := b.a.Send(t.Context(), core.Outgoing{ChatID: "1001", Reply: reply("hi")})
	var ra *core.RetryAfterError
	if !errors.As(err, &ra) || ra.After != time.Second {
		t.Fatalf("err = %v, want RetryAfterError{1s}", err)
	}
	if _, err := b.a.Send(t.Context(), core.Outgoing{ChatID: "2002", Reply: reply("other chat")}); err != nil {
		t.Fatal(err)
	}
	calls := b.srv.CallsTo("sendMessage")
	if got := calls[len(calls)-1].Time.Sub(start); got < 950*time.Millisecond {
		t.Errorf("a send to another chat went out %v after the 429, want ≥ 1s", got)
	}
}

func TestSendRetryDoesNotRepeatDeliveredParts(t *testing.T) {
	b := setup(t)
	var text core.Text
	for i := range 400 { // ~11k characters
		text = append(text, core.Span{Text: fmt.Sprintf("line %03d of the weekly report\n", i)})
	}
	b.srv.FailNext("sendMessage", "1001", telegramtest.Failure{})       // part 1 passes
	b.srv.FailNext("sendMessage", "1001", telegramtest.InternalError()) // part 2 fails
	// the outbox row, as the delivery worker keeps it across attempts
	var row struct {
		parts  int
		lastID string
	}
	msg := core.Outgoing{ID: 77, ChatID: "1001", Reply: core.Reply{Text: text},
		Progress: func(_ context.Context, parts int, id string) error { row.parts, row.lastID = parts, id; return nil }}
	if _, err := b.a.Send(t.Context(), msg); err == nil {
		t.Fatal("first attempt succeeded, want the scripted 500")
	}
	if row.parts != 1 || row.lastID == "" {
		t.Fatalf("progress after part 1 = %+v", row)
	}
	msg.PartsSent, msg.LastID = row.parts, row.lastID
	last, err := b.a.Send(t.Context(), msg)
	if err != nil {
		t.Fatal(err)
	}
	if last == row.lastID {
		t.Error("the retry returned the id of part 1, not of the last part")
	}
	// Calls: part 1, part 2 (refused with 500), then the retry: part 2 again and the rest.
	calls := b.srv.CallsTo("sendMessage")
	if calls[0].Text() == calls[2].Text() {
		t.Error("the retry sent part 1 again")
	}
	if calls[1].Text() != calls[2].Text() {
		t.Error("the retry didn't resume at the failed part 2")
	}
}

func TestSendEdit(t *testing.T) {
	tests := []struct {
		name      string
		ref       func(first string) string
		text      string
		wantID    func(first string) string
		wantSends int
		wantEdits int
	}{
		{"edits the message", func(f string) string { return f }, "✅ Call supplier", func(f string) string { return f }, 1, 1},
		{"not modified counts as success", func(f string) string { return f }, "Call supplier", func(f string) string { return f }, 1, 1},
		{"missing message falls back to a new one", func(string) string { return "999" }, "✅ Call supplier", func(string) string { return "2" }, 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := setup(t)
			kb := core.Button{Label: "Done", Payload: "done:1"}
			first, err := b.a.Send(t.Context(), core.Outgoing{ChatID: "1001", Reply: reply("Call supplier", kb)})
			if err != nil {
				t.Fatal(err)
			}
			r := reply(tt.text, kb)
			r.EditRef = tt.ref(first)
			id, err := b.a.Send(t.Context(), core.Outgoing{ChatID: "1001", Reply: r})
			if err != nil {
				t.Fatal(err)
			}
			if id != tt.wantID(first) {
				t.Errorf("id = %q, want %q", id, tt.wantID(first))
			}
			if n := len(b.srv.CallsTo("sendMessage")); n != tt.wantSends {
				t.Errorf("%d sendMessage calls, want %d", n, tt.wantSends)
			}
			edits := b.srv.CallsTo("editMessageText")
			if len(edits) != tt.wantEdits || edits[0].Params["message_id"] != r.EditRef || len(edits[0].Keyboard()) != 1 {
				t.Errorf("edits %+v, want %d of message %s with the keyboard", edits, tt.wantEdits, r.EditRef)
			}
		})
	}
}

func TestSendPhoto(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\nfake chart")
	tests := []struct {
		name      string
		text      string
		wantTexts int // sendMessage calls after the photo
	}{
		{"short caption", "Your week: 12 tasks done", 0},
		{"long caption continues in a message", strings.Repeat("Load is high on Tuesday. ", 60), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := setup(t)
			r := reply(tt.text, core.Button{Label: "Details", Payload: "report:details"})
			r.Image = &core.Image{PNG: png, Caption: "Weekly report"}
			id, err := b.a.Send(t.Context(), core.Outgoing{ChatID: "1001", Reply: r})
			if err != nil {
				t.Fatal(err)
			}
			photos, texts := b.srv.CallsTo("sendPhoto"), b.srv.CallsTo("sendMessage")
			if len(photos) != 1 || !bytes.Equal(photos[0].Files["photo"], png) {
				t.Fatalf("sendPhoto calls %d, upload intact %v", len(photos), len(photos) == 1 && bytes.Equal(photos[0].Files["photo"], png))
			}
			if !strings.HasPrefix(photos[0].Text(), "Weekly report\n") {
				t.Errorf("caption %q", photos[0].Text())
			}
			if len(texts) != tt.wantTexts {
				t.Fatalf("%d follow-up messages, want %d", len(texts), tt.wantTexts)
			}
			last := photos[0]
			if len(texts) > 0 {
				last = texts[len(texts)-1]
				if photos[0].Params["reply_markup"] != "" {
					t.Error("keyboard on the photo, want it on the last message")
				}
			}
			if last.Params["reply_markup"] == "" {
				t.Error("no keyboard on the last message")
			}
			if id != "1" && len(texts) == 0 || id != "2" && len(texts) == 1 {
				t.Errorf("id = %q", id)
			}
		})
	}
}

func TestSendAnswersCallbackFirst(t *testing.T) {
	b := setup(t)
	b.srv.FailNext("answerCallbackQuery", "", telegramtest.BadRequest("query is too old and response timeout expired or query ID is invalid"))
	r := reply("Marked done")
	r.Notice = "✅"
	msg := core.Outgoing{ChatID: "1001", CallbackID: "cbq-1", Reply: r}
	if _, err := b.a.Send(t.Context(), msg); err != nil {
		t.Fatalf("a failed answerCallbackQuery must not fail the send: %v", err)
	}
	msg.Reply.Text = nil // a notice alone
	if _, err := b.a.Send(t.Context(), msg); err != nil {
		t.Fatal(err)
	}
	var methods []string
	for _, c := range b.srv.Calls() {
		methods = append(methods, c.Method)
	}
	if want := []string{"answerCallbackQuery", "sendMessage", "answerCallbackQuery"}; !slices.Equal(methods, want) {
		t.Errorf("calls %v, want %v", methods, want)
	}
	if got := b.srv.CallsTo("answerCallbackQuery")[1].Params; got["callback_query_id"] != "cbq-1" || got["text"] != "✅" {
		t.Errorf("answerCallbackQuery params %v", got)
	}
}

func TestSendSpacesMessagesToOneChat(t *testing.T) {
	b := setup(t)
	b.a.limit = newLimiter(telegramLimits)
	start := time.Now()
	done := make(chan error, 1)
	go func() {
		for i := range 3 {
			if _, err := b.a.Send(t.Context(), core.Outgoing{ChatID: "1001", Reply: reply(fmt.Sprint("tick ", i))}); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	b.srv.WaitCalls(t, "sendMessage", 1, time.Second)
	if _, err := b.a.Send(t.Context(), core.Outgoing{ChatID: "2002", Reply: reply("another chat")}); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	var times []time.Time
	for _, c := range b.srv.CallsTo("sendMessage") {
		if c.ChatID() == "1001" {
			times = append(times, c.Time)
		} else if gap := c.Time.Sub(start); gap > 500*time.Millisecond {
			t.Errorf("another chat waited %v, want no per-chat wait", gap)
		}
	}
	for i := 1; i < len(times); i++ {
		if gap := times[i].Sub(times[i-1]); gap < 950*time.Millisecond {
			t.Errorf("messages %d and %d to one chat %v apart, want ≥ 1s", i, i+1, gap)
		}
	}
}

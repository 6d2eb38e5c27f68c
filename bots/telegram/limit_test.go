package telegram

import (
	"testing"
	"time"
)

// TestLimitsKeepToTelegrams: the spacing is never faster than Telegram's documented 30 messages a
// second and one a second per chat, and its margin costs less than a message a second.
func TestLimitsKeepToTelegrams(t *testing.T) {
	if g := telegramLimits.global; g < time.Second/30 || g > time.Second/29 {
		t.Errorf("global spacing %v: want 1/30 s to 1/29 s", g)
	}
	if c := telegramLimits.perChat; c < time.Second || c > time.Second+50*time.Millisecond {
		t.Errorf("per-chat spacing %v: want 1 s plus a small margin", c)
	}
}

func TestLimiterReserve(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	sec := telegramLimits.perChat // a second, and its margin
	type send struct {
		at    time.Duration // when reserve is called, after t0
		chat  string
		group bool
		want  time.Duration // the slot, after t0
	}
	tests := []struct {
		name  string
		pause time.Duration // pause until t0+pause when > 0
		sends []send
	}{
		{"one chat 1/s", 0, []send{{0, "1", false, 0}, {0, "1", false, sec}, {0, "1", false, 2 * sec}}},
		{"other chats don't wait for a busy chat", 0, []send{{0, "1", false, 0}, {0, "1", false, sec}, {0, "2", false, 0}}},
		{"idle chat sends at once", 0, []send{{0, "1", false, 0}, {5 * time.Second, "1", false, 5 * time.Second}}},
		{"pause holds every chat", 3 * time.Second, []send{{0, "1", false, 3 * time.Second}, {0, "2", false, 3 * time.Second}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLimiter(telegramLimits)
			if tt.pause > 0 {
				l.pause(t0.Add(tt.pause))
			}
			for i, s := range tt.sends {
				if got := l.reserveChat(t0.Add(s.at), s.chat, s.group).Sub(t0); got != s.want {
					t.Errorf("send %d: slot at %v, want %v", i, got, s.want)
				}
			}
		})
	}
}

func TestLimiterGroupTwentyPerMinute(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newLimiter(telegramLimits)
	var last time.Time
	for range 21 {
		last = l.reserveChat(t0, "-100", true)
	}
	// 20 sends at 1/s take 0…19 s; the 21st waits for the first to leave the minute window.
	if got := last.Sub(t0); got != time.Minute {
		t.Errorf("21st group send at %v, want 1m0s", got)
	}
	if got := l.reserveChat(t0, "42", false); !got.Equal(t0) {
		t.Errorf("a private chat waits until %v behind the group", got.Sub(t0))
	}
}

func TestLimiterPrunesIdleChats(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newLimiter(telegramLimits)
	for i := range 300 {
		l.reserveChat(t0, string(rune('a'+i%26))+time.Duration(i).String(), false)
	}
	later := t0.Add(time.Hour)
	for range 256 {
		l.reserveChat(later, "1", false)
	}
	if n := len(l.chats); n > 2 {
		t.Errorf("%d chats remembered after an idle hour, want them pruned", n)
	}
}

func TestLimiterGlobalSpacing(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newLimiter(telegramLimits)
	l.pause(t0.Add(time.Second))
	g := telegramLimits.global
	want := []time.Duration{time.Second, time.Second + g, time.Second + 2*g}
	for i, w := range want {
		if got := l.reserveGlobal(t0).Sub(t0); got != w {
			t.Errorf("global slot %d at %v, want %v", i, got, w)
		}
	}
	// Later sends that find the bucket idle go at once.
	if got := l.reserveGlobal(t0.Add(5 * time.Second)).Sub(t0); got != 5*time.Second {
		t.Errorf("idle global slot at %v, want 5s", got)
	}
}

package slack

import (
	"testing"
	"time"
)

func TestLimiterReserve(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	type send struct {
		at       time.Duration
		team, ch string
		want     time.Duration
	}
	tests := []struct {
		name  string
		pause time.Duration // T1 paused until t0+pause when > 0
		sends []send
	}{
		{"one channel 1/s", 0, []send{{0, "T1", "C1", 0}, {0, "T1", "C1", time.Second}, {0, "T1", "C1", 2 * time.Second}}},
		{"other channels don't wait", 0, []send{{0, "T1", "C1", 0}, {0, "T1", "C1", time.Second}, {0, "T1", "C2", 0}}},
		{"same channel id in another workspace", 0, []send{{0, "T1", "C1", 0}, {0, "T2", "C1", 0}}},
		{"idle channel sends at once", 0, []send{{0, "T1", "C1", 0}, {5 * time.Second, "T1", "C1", 5 * time.Second}}},
		{"pause holds the workspace only", 3 * time.Second, []send{{0, "T1", "C1", 3 * time.Second}, {0, "T1", "C2", 3 * time.Second}, {0, "T2", "C1", 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLimiter(time.Second)
			if tt.pause > 0 {
				l.pause("T1", t0.Add(tt.pause))
			}
			for i, s := range tt.sends {
				if got := l.reserve(t0.Add(s.at), s.team, s.ch).Sub(t0); got != s.want {
					t.Errorf("send %d: slot at %v, want %v", i, got, s.want)
				}
			}
		})
	}
}

func TestLimiterPrunes(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newLimiter(time.Second)
	for i := range 300 {
		l.reserve(t0, "T1", string(rune('A'+i)))
	}
	l.reserve(t0.Add(time.Hour), "T1", "x")
	for range 300 {
		l.reserve(t0.Add(time.Hour), "T1", "x")
	}
	if n := len(l.next); n > 2 {
		t.Errorf("%d channels remembered after an hour, want ≤ 2", n)
	}
}

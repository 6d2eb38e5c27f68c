package telegramtest

import (
	"testing"
)

func TestParseHTML(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"<b>a &lt;b&gt;</b> &amp; <i>c</i>", "a <b> & c", true},
		{"<b>unclosed", "", false},
		{"<b><i>crossed</b></i>", "", false},
		{"bare < sign", "", false},
		{"bare & sign", "", false},
		{"<script>x</script>", "", false},
	}
	for _, tt := range tests {
		got, err := ParseHTML(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseHTML(%q) = %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestPendingForgetsConfirmedUpdates(t *testing.T) {
	s := NewServer(t, Options{})
	s.PushUpdate(Message{Text: "a"}.Update())
	s.PushUpdate(Message{Text: "b"}.Update())
	s.mu.Lock()
	got := s.confirmLocked(2)
	s.mu.Unlock()
	if len(got) != 1 || len(s.Pending()) != 1 || s.Pending()[0] != 2 {
		t.Fatalf("after offset 2: returned %d, pending %v; want update 2 only", len(got), s.Pending())
	}
}

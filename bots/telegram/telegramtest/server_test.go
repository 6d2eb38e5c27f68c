package telegramtest

import (
	"strings"
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

func TestMarkupIsCheckedAsTheBotAPIDoes(t *testing.T) {
	tests := []struct {
		name, markup, refusal string
	}{
		{"callback button", `{"inline_keyboard":[[{"text":"Done","callback_data":"d:1"}]]}`, ""},
		{"url button", `{"inline_keyboard":[[{"text":"Open","url":"https://example.com"}]]}`, ""},
		{"copy button", `{"inline_keyboard":[[{"text":"Copy","copy_text":{"text":"ABC-123"}}]]}`, ""},
		{"no kind", `{"inline_keyboard":[[{"text":"Nothing"}]]}`, "exactly one"},
		{"two kinds: the library's empty copy_text", `{"inline_keyboard":[[{"text":"Done","callback_data":"d:1","copy_text":{"text":""}}]]}`, "exactly one"},
		{"empty copy text", `{"inline_keyboard":[[{"text":"Copy","copy_text":{"text":""}}]]}`, "BUTTON_COPY_TEXT_INVALID"},
		{"empty text", `{"inline_keyboard":[[{"text":"","callback_data":"d:1"}]]}`, "text must be non-empty"},
		{"callback data over 64 bytes", `{"inline_keyboard":[[{"text":"Big","callback_data":"` + strings.Repeat("x", 65) + `"}]]}`, "BUTTON_DATA_INVALID"},
		{"not JSON", `{"inline_keyboard":`, "can't parse"},
	}
	for _, tt := range tests {
		f := checkMarkup(tt.markup)
		switch {
		case tt.refusal == "" && f != nil:
			t.Errorf("%s: refused: %s", tt.name, f.Description)
		case tt.refusal != "" && (f == nil || !strings.Contains(f.Description, tt.refusal)):
			t.Errorf("%s: %v, want a refusal with %q", tt.name, f, tt.refusal)
		}
	}
}

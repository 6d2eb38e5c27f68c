package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestParseCommand(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		input  string
		want   []map[string]any
		errSub string
	}{
		{
			name:  "lines in order",
			args:  []string{"--now", "2026-11-25T10:00:00+03:00", "--tz", "Europe/Moscow"},
			input: "завтра в 10 созвон с командой\nwhat's on today\n",
			want: []map[string]any{
				{"intent": "create_task", "title": "созвон с командой", "due": "2026-11-26", "time": "10:00", "lang": "ru"},
				{"intent": "list_tasks", "due": "2026-11-25", "lang": "en"},
			},
		},
		{
			name:  "now converted into tz",
			args:  []string{"--now", "2026-11-25T22:30:00Z", "--tz", "Asia/Tokyo"},
			input: "сегодня отчёт",
			want:  []map[string]any{{"intent": "create_task", "due": "2026-11-26"}},
		},
		{
			name:  "lang flag and html kept",
			args:  []string{"--now", "2026-11-25T10:00:00+03:00", "--lang", "ru"},
			input: "buy <b>milk</b> & bread tomorrow\r\n\n",
			want: []map[string]any{
				{"intent": "create_task", "title": "buy <b>milk</b> & bread", "lang": "ru"},
				{"intent": "unknown"},
			},
		},
		{name: "bad tz", args: []string{"--tz", "Mars/Base"}, errSub: "--tz"},
		{name: "bad now", args: []string{"--now", "yesterday"}, errSub: "--now"},
		{name: "bad lang", args: []string{"--lang", "de"}, errSub: "--lang"},
		{name: "bad flag", args: []string{"--nope"}, errSub: "parse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := runParse(tt.args, strings.NewReader(tt.input), &out, "Europe/Moscow")
			if tt.errSub != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errSub) {
					t.Fatalf("err = %v, want one mentioning %q", err, tt.errSub)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("got %d lines, want %d: %q", len(lines), len(tt.want), out.String())
			}
			for i, line := range lines {
				var got map[string]any
				if err := json.Unmarshal([]byte(line), &got); err != nil {
					t.Fatalf("line %d: %v", i, err)
				}
				for k, v := range tt.want[i] {
					if got[k] != v {
						t.Errorf("line %d: %s = %v, want %v", i, k, got[k], v)
					}
				}
			}
		})
	}
}

func TestParseCommandLongLine(t *testing.T) {
	long := strings.Repeat("созвон завтра ", 2000) // ~26 KB
	var out bytes.Buffer
	err := runParse([]string{"--now", "2026-11-25T10:00:00+03:00"}, strings.NewReader(long+"\nпомощь"), &out, "")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], `"intent":"help"`) {
		t.Fatalf("got %d lines: %.200q", len(lines), out.String())
	}
}

func TestParseCommandDefaultTZ(t *testing.T) {
	var out bytes.Buffer
	if err := runParse([]string{"--now", "2026-11-25T23:30:00Z"}, strings.NewReader("today review"), &out, ""); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"due":"2026-11-25"`) {
		t.Errorf("UTC default: %s", out.String())
	}
}

// TestParseCommandAlternatives: each line also names the three likeliest intents, best first,
// the first being the line's intent with its confidence.
func TestParseCommandAlternatives(t *testing.T) {
	var out bytes.Buffer
	in := "давай созвон с юристом сдвинем на четверг?\nчто на сегодня\nasdfgh\n"
	if err := runParse([]string{"--now", "2026-11-25T10:00:00+03:00"}, strings.NewReader(in), &out, "Europe/Moscow"); err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var got struct {
			Intent       string  `json:"intent"`
			Confidence   float64 `json:"confidence"`
			Alternatives []struct {
				Intent     string  `json:"intent"`
				Confidence float64 `json:"confidence"`
			} `json:"alternatives"`
		}
		if err := json.Unmarshal([]byte(line), &got); err != nil {
			t.Fatal(err)
		}
		a := got.Alternatives
		if len(a) != 3 || a[0].Intent != got.Intent || a[0].Confidence != got.Confidence || a[1].Confidence > a[0].Confidence ||
			a[2].Confidence > a[1].Confidence || a[0].Confidence+a[1].Confidence+a[2].Confidence > 1.001 {
			t.Errorf("line %d: %s", i, line)
		}
	}
}

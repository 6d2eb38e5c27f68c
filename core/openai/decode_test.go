package openai

import (
	"errors"
	"testing"

	goopenai "github.com/sashabaranov/go-openai"
)

func TestDecodeVerdicts(t *testing.T) {
	answer := func(content string, finish goopenai.FinishReason) goopenai.ChatCompletionResponse {
		return goopenai.ChatCompletionResponse{Choices: []goopenai.ChatCompletionChoice{{
			Message: goopenai.ChatCompletionMessage{Role: "assistant", Content: content}, FinishReason: finish,
		}}}
	}
	var out struct {
		A int `json:"a"`
	}
	tests := []struct {
		name string
		resp goopenai.ChatCompletionResponse
		want error
	}{
		{"ok", answer(`{"a":1}`, goopenai.FinishReasonStop), nil},
		{"no choices", goopenai.ChatCompletionResponse{}, ErrMalformed},
		{"content filter", answer("", goopenai.FinishReasonContentFilter), ErrRefused},
		{"length", answer(`{"a":`, goopenai.FinishReasonLength), ErrMalformed},
	}
	for _, tt := range tests {
		if err := decode(tt.resp, &out, nil); !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
}

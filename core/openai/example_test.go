package openai_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/bizconnect/bizconnect/core/openai"
)

// A recommendation answer: the schema sent to the model is generated from this type.
type recommendations struct {
	Items []struct {
		Type    string `json:"type" enum:"focus,reschedule,delegate,rest,goal_at_risk,quick_win"`
		TaskKey string `json:"task_key,omitempty"` // optional: nullable in the schema
		Reason  string `json:"reason"`
	} `json:"items"`
}

func ExampleClient_Call() {
	llm := openai.New(openai.ConfigFromEnv(os.Getenv))
	input := map[string]any{"load": 82, "tasks": []map[string]string{{"key": "t1", "title": "Send the invoice"}}}

	var out recommendations
	res, err := llm.Call(context.Background(), openai.JobRecommend, "en", input, &out, func() error {
		if len(out.Items) > 3 {
			return fmt.Errorf("%d recommendations, at most 3", len(out.Items))
		}
		return nil
	})
	slog.Info("llm call", "job", res.Job, "model", res.Model, "prompt_version", res.PromptVersion,
		"prompt_tokens", res.PromptTokens, "completion_tokens", res.CompletionTokens, "duration", res.Duration)
	switch {
	case errors.Is(err, openai.ErrDisabled), errors.Is(err, openai.ErrTimeout), errors.Is(err, openai.ErrUnavailable):
		// the caller's offline path answers instead
	case err != nil:
		slog.Error("llm call", "err", err)
	default:
		fmt.Println(len(out.Items), "recommendations")
	}
}

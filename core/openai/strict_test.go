package openai_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	goopenai "github.com/sashabaranov/go-openai"
	"github.com/sashabaranov/go-openai/jsonschema"

	"github.com/bizconnect/bizconnect/core/openai/openaitest"
)

// TestFakeRefusesLooseSchemas proves the fake's strict check bites, so that the client's
// passing it means something: go-openai's own schema of a type with an optional field, and a
// nested object allowing additional properties, are both refused as OpenAI refuses them.
func TestFakeRefusesLooseSchemas(t *testing.T) {
	t.Parallel()
	s := openaitest.New(t)
	cfg := goopenai.DefaultConfig(s.Key())
	cfg.BaseURL = s.URL()
	api := goopenai.NewClientWithConfig(cfg)

	generated, err := jsonschema.GenerateSchemaForType(plan{}) // "note" is omitempty: not required
	if err != nil {
		t.Fatal(err)
	}
	loose := json.RawMessage(`{"type":"object","additionalProperties":false,"required":["m"],
		"properties":{"m":{"type":"array","items":{"type":"object","properties":{"x":{"type":"string"}},"required":["x"]}}}}`)
	for name, schema := range map[string]json.Marshaler{"generated": generated, "nested loose": loose} {
		_, err := api.CreateChatCompletion(context.Background(), goopenai.ChatCompletionRequest{
			Model:    "main-model",
			Messages: []goopenai.ChatCompletionMessage{{Role: "user", Content: "{}"}},
			ResponseFormat: &goopenai.ChatCompletionResponseFormat{
				Type:       goopenai.ChatCompletionResponseFormatTypeJSONSchema,
				JSONSchema: &goopenai.ChatCompletionResponseFormatJSONSchema{Name: "t", Schema: schema, Strict: true},
			},
		})
		var apiErr *goopenai.APIError
		if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 400 ||
			!strings.HasPrefix(apiErr.Message, "Invalid schema for response_format 't'") {
			t.Errorf("%s: %v, want a 400 invalid schema", name, err)
		}
	}
}

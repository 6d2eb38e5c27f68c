// Package api is the REST API at /api/v1: its OpenAPI 3.1 document (openapi.yaml) is the
// source, and api.gen.go (the gin server interface, the models and the embedded document) is
// generated from it by oapi-codegen; server.go implements it on the core's operations, as the
// user of the request's access token, under row-level security.
package api

//go:generate go tool oapi-codegen -config oapi-codegen.yaml openapi.yaml

import (
	_ "embed"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

//go:embed openapi.yaml
var documentYAML []byte

// Document is the API's OpenAPI document, as served at /api/v1/openapi.json: openapi.yaml,
// every operation (the generated code leaves out the hand-written stream, tag "stream").
func Document() (*openapi3.T, error) {
	return openapi3.NewLoader().LoadFromData(documentYAML)
}

// handWritten are the tags of the operations written by hand, not generated.
var handWritten = []string{"stream"}

func generated(op *openapi3.Operation) bool {
	return !slices.ContainsFunc(op.Tags, func(t string) bool { return slices.Contains(handWritten, t) })
}

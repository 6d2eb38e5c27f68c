// Package admin is the operators' API at /admin/v1: its OpenAPI 3.1 document (openapi.yaml) is
// the source, admin.gen.go is generated from it by oapi-codegen, and server.go implements it as
// service_role, each call checked against the scopes of its admin key and written to the audit
// log.
package admin

//go:generate go tool oapi-codegen -config oapi-codegen.yaml openapi.yaml

import (
	_ "embed"

	"github.com/getkin/kin-openapi/openapi3"
)

//go:embed openapi.yaml
var documentYAML []byte

// Document is the admin API's OpenAPI document, as served at /admin/v1/openapi.json.
func Document() (*openapi3.T, error) {
	return openapi3.NewLoader().LoadFromData(documentYAML)
}

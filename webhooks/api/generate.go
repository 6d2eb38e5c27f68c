// Package api is the REST API at /api/v1: its OpenAPI 3.1 document (openapi.yaml) is the
// source, and api.gen.go (the gin server interface, the models and the embedded document) is
// generated from it by oapi-codegen; server.go implements it on the core's operations, as the
// user of the request's access token, under row-level security.
package api

//go:generate go tool oapi-codegen -config oapi-codegen.yaml openapi.yaml

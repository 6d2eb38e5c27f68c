package admin

import (
	"context"
	"testing"
)

// TestDocumentIsValid: the document the routes and the request checks come from is valid
// OpenAPI, and names a scope for every operation.
func TestDocumentIsValid(t *testing.T) {
	doc, err := Document()
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.Security == nil || len(*op.Security) == 0 || len((*op.Security)[0]["adminKey"]) == 0 {
				t.Errorf("%s %s names no scope", method, path)
			}
		}
	}
}

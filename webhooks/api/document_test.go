package api

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/bizconnect/bizconnect/core"
)

// TestDocumentIsWhatTheCodeWasGeneratedFrom: the document embedded in api.gen.go (served at
// /api/v1/openapi.json) is openapi.yaml as it is now; run go generate ./webhooks/api after
// changing it.
func TestDocumentIsWhatTheCodeWasGeneratedFrom(t *testing.T) {
	embedded, err := GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	file, err := Document()
	if err != nil {
		t.Fatal(err)
	}
	for path, item := range file.Paths.Map() { // what is written by hand is not generated
		for method, op := range item.Operations() {
			if !generated(op) {
				item.SetOperation(method, nil)
			}
		}
		if len(item.Operations()) == 0 {
			file.Paths.Delete(path)
		}
	}
	for _, doc := range []*openapi3.T{embedded, file} { // the generator capitalises operation ids
		for path, item := range doc.Paths.Map() {
			if len(item.Operations()) == 0 {
				doc.Paths.Delete(path) // and keeps the hand-written paths, empty
			}
			for _, op := range item.Operations() {
				op.OperationID = strings.ToLower(op.OperationID[:1]) + op.OperationID[1:]
			}
		}
	}
	a, _ := json.Marshal(embedded)
	b, _ := json.Marshal(file)
	if string(a) != string(b) {
		t.Fatal("api.gen.go was generated from another openapi.yaml: run go generate ./webhooks/api")
	}
	if doc, _ := Document(); doc.Paths.Find("/stream") == nil {
		t.Error("the served document leaves out the stream")
	}
	if embedded.OpenAPI != "3.1.0" {
		t.Errorf("OpenAPI %s, want 3.1.0", embedded.OpenAPI)
	}
}

// TestDocumentStatesTheCoresLimits: the bounds the document promises are the core's rules
// (core.Task.Validate, core.Goal.Validate), which decide; the document only says them.
func TestDocumentStatesTheCoresLimits(t *testing.T) {
	doc, err := GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		schema, field string
		want          int
	}{
		{"TaskCreate", "title", core.MaxTitleLen}, {"TaskPatch", "title", core.MaxTitleLen}, {"GoalCreate", "title", core.MaxTitleLen},
		{"GoalPatch", "title", core.MaxTitleLen}, {"TaskCreate", "description", core.MaxDescriptionLen},
		{"GoalCreate", "description", core.MaxDescriptionLen}, {"GoalCreate", "unit", core.MaxUnitLen},
	} {
		p := doc.Components.Schemas[c.schema].Value.Properties[c.field].Value
		if p.MaxLength == nil || int(*p.MaxLength) != c.want {
			t.Errorf("%s.%s: maxLength %v, the core's rule is %d", c.schema, c.field, p.MaxLength, c.want)
		}
	}
	cats := doc.Components.Schemas["GoalCreate"].Value.Properties["category"].Value.Enum
	if len(cats) != len(core.Categories) {
		t.Errorf("categories %v, the core's are %v", cats, core.Categories)
	}
	for i, c := range core.Categories {
		if i < len(cats) && cats[i] != c {
			t.Errorf("category %d: %v, want %s", i, cats[i], c)
		}
	}
}

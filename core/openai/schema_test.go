package openai

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

type schemaTask struct {
	Title string `json:"title"`
	Min   int    `json:"estimate_min"`
}

type schemaMilestone struct {
	Title string       `json:"title"`
	Tasks []schemaTask `json:"tasks"`
	Extra struct {
		Score int `json:"score,omitempty"`
	} `json:"extra"`
}

type schemaPlan struct {
	Milestones []schemaMilestone `json:"milestones"`
	Note       string            `json:"note,omitempty"`
}

// TestSchemaStrict checks every object of a nested schema — the root, named types in $defs,
// array items and anonymous structs — the way strict mode does.
func TestSchemaStrict(t *testing.T) {
	def, err := schemaFor(&schemaPlan{})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(def)
	if err != nil {
		t.Fatal(err)
	}
	var root map[string]any
	if err := json.Unmarshal(raw, &root); err != nil {
		t.Fatal(err)
	}
	objects := 0
	var check func(path string, node map[string]any)
	check = func(path string, node map[string]any) {
		if node["type"] == "object" {
			objects++
			if node["additionalProperties"] != false {
				t.Errorf("%s: additionalProperties = %v, want false", path, node["additionalProperties"])
			}
			required, _ := node["required"].([]any)
			for name := range node["properties"].(map[string]any) {
				if !slices.Contains(required, any(name)) {
					t.Errorf("%s: property %q not required", path, name)
				}
			}
		}
		for _, key := range []string{"properties", "$defs"} {
			children, _ := node[key].(map[string]any)
			for name, child := range children {
				check(path+"/"+key+"/"+name, child.(map[string]any))
			}
		}
		if items, ok := node["items"].(map[string]any); ok {
			check(path+"/items", items)
		}
		anyOf, _ := node["anyOf"].([]any)
		for _, child := range anyOf {
			check(path+"/anyOf", child.(map[string]any))
		}
	}
	check("#", root)
	if objects != 4 { // plan, milestone, task, extra
		t.Errorf("checked %d objects, want 4; schema: %s", objects, raw)
	}
	if !strings.Contains(string(raw), `"note":{"anyOf":[{"type":"string"},{"type":"null"}]}`) {
		t.Errorf("optional note is not nullable: %s", raw)
	}
}

func TestSchemaRejectsNonObjects(t *testing.T) {
	for name, out := range map[string]any{
		"slice": &[]schemaTask{},
		"map":   &map[string]int{},
		"any":   new(any),
	} {
		if _, err := schemaFor(out); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

package openaitest

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// strictProblem says what OpenAI's strict mode refuses in a schema, in its words: a root that
// is not an object, an object without additionalProperties: false, or a property missing from
// required. It returns "" for a schema strict mode accepts.
func strictProblem(raw json.RawMessage) string {
	var root map[string]any
	if err := json.Unmarshal(raw, &root); err != nil {
		return "schema must be a JSON object."
	}
	if !isObject(root) {
		return fmt.Sprintf("schema must be a JSON Schema of 'type: \"object\"', got 'type: \"%v\"'.", root["type"])
	}
	return walk(root, nil)
}

// walk checks node and every schema under it; path is the context OpenAI's messages show.
func walk(node map[string]any, path []string) string {
	if isObject(node) {
		if ap, ok := node["additionalProperties"].(bool); !ok || ap {
			return fmt.Sprintf("In context=(%s), 'additionalProperties' is required to be supplied and to be false.", contextOf(path))
		}
		props, _ := node["properties"].(map[string]any)
		required, _ := node["required"].([]any)
		for _, name := range slices.Sorted(maps.Keys(props)) {
			if !slices.Contains(required, any(name)) {
				return fmt.Sprintf("In context=(%s), 'required' is required to be supplied and to be an array including every key in properties. Missing '%s'.", contextOf(path), name)
			}
		}
	}
	for _, key := range []string{"properties", "$defs", "definitions"} {
		children, _ := node[key].(map[string]any)
		for _, name := range slices.Sorted(maps.Keys(children)) {
			if child, ok := children[name].(map[string]any); ok {
				if problem := walk(child, append(slices.Clip(path), key, name)); problem != "" {
					return problem
				}
			}
		}
	}
	if items, ok := node["items"].(map[string]any); ok {
		if problem := walk(items, append(slices.Clip(path), "items")); problem != "" {
			return problem
		}
	}
	for _, key := range []string{"anyOf", "allOf", "oneOf"} {
		list, _ := node[key].([]any)
		for i, v := range list {
			if child, ok := v.(map[string]any); ok {
				if problem := walk(child, append(slices.Clip(path), key, fmt.Sprint(i))); problem != "" {
					return problem
				}
			}
		}
	}
	return ""
}

// isObject reports whether a schema describes an object: its type is (or includes) "object",
// or it has properties.
func isObject(node map[string]any) bool {
	switch t := node["type"].(type) {
	case string:
		return t == "object"
	case []any:
		return slices.Contains(t, any("object"))
	}
	_, ok := node["properties"]
	return ok
}

func contextOf(path []string) string {
	quoted := make([]string, len(path))
	for i, p := range path {
		quoted[i] = "'" + p + "'"
	}
	return strings.Join(quoted, ", ")
}

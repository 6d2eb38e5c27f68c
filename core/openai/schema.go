package openai

import (
	"errors"
	"maps"
	"slices"

	"github.com/sashabaranov/go-openai/jsonschema"
)

// schemaFor generates the JSON schema of out's type in the form OpenAI's strict mode accepts:
// the root is an object, every object forbids additional properties and lists all of its
// properties in required. A field the Go type marks optional (omitempty, `required:"false"` or
// `nullable:"true"`) becomes required but nullable, so the model answers null for it. Types
// without a JSON schema (maps, interfaces, time.Time) are not allowed: use strings for dates.
func schemaFor(out any) (*jsonschema.Definition, error) {
	def, err := jsonschema.GenerateSchemaForType(out)
	if err != nil {
		return nil, err
	}
	if def.Type != jsonschema.Object {
		return nil, errors.New("the answer's type must be a struct")
	}
	strict(def)
	return def, nil
}

// strict rewrites d and everything under it for strict mode.
func strict(d *jsonschema.Definition) {
	if d.Type == jsonschema.Object {
		d.AdditionalProperties = false
		optional := make(map[string]bool, len(d.Properties))
		for name := range d.Properties {
			optional[name] = !slices.Contains(d.Required, name)
		}
		d.Required = slices.Sorted(maps.Keys(d.Properties))
		for name, p := range d.Properties {
			strict(&p)
			if optional[name] || p.Nullable {
				p = nullable(p)
			}
			d.Properties[name] = p
		}
	}
	if d.Items != nil {
		strict(d.Items)
	}
	for name, def := range d.Defs {
		strict(&def)
		d.Defs[name] = def
	}
	for i := range d.AnyOf {
		strict(&d.AnyOf[i])
	}
}

// nullable lets d be null as well, the strict-mode way of saying optional.
func nullable(d jsonschema.Definition) jsonschema.Definition {
	d.Nullable = false
	desc := d.Description
	d.Description = ""
	return jsonschema.Definition{
		Description: desc,
		AnyOf:       []jsonschema.Definition{d, {Type: jsonschema.Null}},
	}
}

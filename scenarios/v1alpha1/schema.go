package v1alpha1

import (
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/invopop/jsonschema"
)

// SchemaVersion is the JSON Schema draft the schema is written in: draft-07,
// the newest that yaml-language-server supports fully.
const SchemaVersion = "http://json-schema.org/draft-07/schema#"

// Schema returns the JSON Schema of a scenario file as indented JSON,
// generated from these types: properties from the json tags, descriptions
// from the doc comments, patterns and limits from the jsonschema tags.
// Definitions are inlined, so the document stands alone, and every object
// forbids properties it does not list, as the loader does.
func Schema() ([]byte, error) {
	comments, err := docComments()
	if err != nil {
		return nil, fmt.Errorf("read the scenario types' doc comments: %w", err)
	}
	pkgPath := reflect.TypeFor[Scenario]().PkgPath()
	r := &jsonschema.Reflector{
		Anonymous:      true,
		DoNotReference: true,
		LookupComment: func(t reflect.Type, field string) string {
			if t.PkgPath() != pkgPath {
				return ""
			}
			if field == "" {
				return comments[t.Name()]
			}
			return comments[t.Name()+"."+field]
		},
	}
	s := r.Reflect(&Scenario{})
	s.Version = SchemaVersion
	s.Title = "drill scenario (" + APIVersion + ")"
	out, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode the scenario schema: %w", err)
	}
	return append(unescapeHTML(out), '\n'), nil
}

// unescapeHTML undoes encoding/json's escaping of <, > and &, which keeps
// JSON safe inside HTML but makes "\u003e= 1000" of ">= 1000" for people
// reading the schema. Escaped backslashes are skipped as pairs, so a literal
// `\u003e` in a description survives.
func unescapeHTML(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 >= len(b) {
			out = append(out, b[i])
			continue
		}
		if b[i+1] == 'u' && i+6 <= len(b) {
			switch string(b[i+2 : i+6]) {
			case "003c":
				out, i = append(out, '<'), i+5
				continue
			case "003e":
				out, i = append(out, '>'), i+5
				continue
			case "0026":
				out, i = append(out, '&'), i+5
				continue
			}
		}
		out, i = append(out, b[i], b[i+1]), i+1
	}
	return out
}

// JSONSchemaExtend says that exactly one sandbox kind is set.
func (Sandbox) JSONSchemaExtend(s *jsonschema.Schema) {
	exactlyOneOf(s, "local", "namespace", "kind", "cluster")
}

// JSONSchemaExtend says that exactly one restore method is set, and that
// every method but job needs a source.
func (Restore) JSONSchemaExtend(s *jsonschema.Schema) {
	exactlyOneOf(s, "postgres", "barman", "pgbackrest", "job", "cnpg", "etcd")
	s.AnyOf = []*jsonschema.Schema{{Required: []string{"source"}}, {Required: []string{"job"}}}
}

// JSONSchemaExtend says that exactly one of argocd and helm is set.
func (App) JSONSchemaExtend(s *jsonschema.Schema) { exactlyOneOf(s, "argocd", "helm") }

// JSONSchemaExtend says that exactly one of fromApplication and source is set.
func (ArgoCDApp) JSONSchemaExtend(s *jsonschema.Schema) {
	exactlyOneOf(s, "fromApplication", "source")
}

// JSONSchemaExtend says that exactly one of path and chart is set.
func (ArgoCDSource) JSONSchemaExtend(s *jsonschema.Schema) { exactlyOneOf(s, "path", "chart") }

// JSONSchemaExtend says that exactly one of service, selector and address is set.
func (PostgresTarget) JSONSchemaExtend(s *jsonschema.Schema) {
	exactlyOneOf(s, "service", "selector", "address")
}

// JSONSchemaExtend says that exactly one of kind (with name) and selector is set.
func (WorkloadCheck) JSONSchemaExtend(s *jsonschema.Schema) { exactlyOneOf(s, "kind", "selector") }

// JSONSchemaExtend says that exactly one of service and url is set.
func (HTTPCheck) JSONSchemaExtend(s *jsonschema.Schema) { exactlyOneOf(s, "service", "url") }

// JSONSchemaExtend says that exactly one of path and s3 is set.
func (Source) JSONSchemaExtend(s *jsonschema.Schema) { exactlyOneOf(s, "path", "s3") }

// JSONSchemaExtend says that exactly one check kind is set.
func (Check) JSONSchemaExtend(s *jsonschema.Schema) {
	exactlyOneOf(s, "sql", "rpo", "workload", "argocd", "http", "exists", "command")
}

// JSONSchemaExtend says that exactly one of restore and pod is set.
func (CommandCheck) JSONSchemaExtend(s *jsonschema.Schema) { exactlyOneOf(s, "restore", "pod") }

// JSONSchemaExtend says that exactly one of name and selector is set.
func (CommandPod) JSONSchemaExtend(s *jsonschema.Schema) { exactlyOneOf(s, "name", "selector") }

// JSONSchemaExtend says that exactly one of expect and rows is set.
func (SQLCheck) JSONSchemaExtend(s *jsonschema.Schema) { exactlyOneOf(s, "expect", "rows") }

func exactlyOneOf(s *jsonschema.Schema, properties ...string) {
	for _, p := range properties {
		s.OneOf = append(s.OneOf, &jsonschema.Schema{Required: []string{p}})
	}
}

package v1alpha1

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"sigs.k8s.io/yaml"
)

var update = flag.Bool("update", false, "rewrite scenario.schema.json from the Go types")

const schemaFile = "scenario.schema.json"

// TestSchemaFileIsUpToDate fails when the checked-in schema, which editors
// point at, no longer matches the types. Run go test -update to rewrite it.
func TestSchemaFileIsUpToDate(t *testing.T) {
	got, err := Schema()
	if err != nil {
		t.Fatalf("Schema: %v", err)
	}
	if *update {
		if err := os.WriteFile(schemaFile, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatalf("%v: run go test ./scenarios/v1alpha1 -update to write it", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from Schema(): run go test ./scenarios/v1alpha1 -update and commit it", schemaFile)
	}
}

// TestSchemaAcceptsValidScenarios checks that everything the loader
// accepts, the schema accepts too, so an editor never flags a good file.
func TestSchemaAcceptsValidScenarios(t *testing.T) {
	schema := compileSchema(t)
	files := glob(t, "../examples/*.yaml", "../testdata/valid-*.yaml")
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			if err := schema.Validate(readYAMLAsJSON(t, file)); err != nil {
				t.Errorf("schema rejects %s: %v", file, err)
			}
		})
	}
}

// TestSchemaRejectsInvalidScenarios checks the mistakes an editor can catch
// without drill: each file must fail at the location named.
func TestSchemaRejectsInvalidScenarios(t *testing.T) {
	schema := compileSchema(t)
	tests := []struct {
		file     string
		location string // JSON pointer of the failing value, as the validator prints it
	}{
		{"invalid-unknown-field.yaml", "/spec/restores/0/postgres"},
		{"invalid-wrong-type.yaml", "/spec/restores/0/postgres/jobs"},
		{"invalid-missing-required.yaml", "/spec/restores/0/source"},
		{"invalid-jobs-out-of-range.yaml", "/spec/restores/0/postgres/jobs"},
		{"invalid-api-version.yaml", "/apiVersion"},
		{"invalid-kind.yaml", "/kind"},
		{"invalid-no-restores.yaml", "/spec/restores"},
		{"invalid-missing-spec.yaml", "/metadata"},
		{"invalid-duration.yaml", "/spec/timeout"},
		{"invalid-labels.yaml", "/metadata/labels/tier"},
		{"invalid-two-sandboxes.yaml", "/spec/sandbox"},
		{"invalid-cluster-checks.yaml", "/spec/checks/8/http/status"},
		{"invalid-apps.yaml", "/spec/apps/8/helm/repository"},
		{"invalid-command.yaml", "/spec/checks/3/command/exitCode"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			err := schema.Validate(readYAMLAsJSON(t, filepath.Join("../testdata", tt.file)))
			if err == nil {
				t.Fatalf("schema accepts %s", tt.file)
			}
			if !strings.Contains(err.Error(), "'"+tt.location+"'") {
				t.Errorf("schema rejects %s, but not at %s:\n%v", tt.file, tt.location, err)
			}
		})
	}
}

// TestSchemaDescribesEveryField walks the schema: every property must carry
// its doc comment, starting with the name users write.
func TestSchemaDescribesEveryField(t *testing.T) {
	raw, err := Schema()
	if err != nil {
		t.Fatal(err)
	}
	var root map[string]any
	if err := json.Unmarshal(raw, &root); err != nil {
		t.Fatal(err)
	}
	if root["$schema"] != SchemaVersion {
		t.Errorf("$schema = %v, want %s", root["$schema"], SchemaVersion)
	}
	if _, ok := root["$defs"]; ok {
		t.Errorf("schema has $defs; definitions should be inlined")
	}
	count := 0
	var walk func(path string, s map[string]any)
	walk = func(path string, s map[string]any) {
		if items, ok := s["items"].(map[string]any); ok {
			walk(path+"[]", items)
		}
		props, _ := s["properties"].(map[string]any)
		if len(props) > 0 && s["additionalProperties"] != false {
			t.Errorf("%s: additionalProperties = %v, want false", path, s["additionalProperties"])
		}
		for name, p := range props {
			prop := p.(map[string]any)
			count++
			desc, _ := prop["description"].(string)
			if !strings.HasPrefix(desc, name+" ") {
				t.Errorf("%s.%s: description %q should start with %q", path, name, desc, name+" ")
			}
			walk(path+"."+name, prop)
		}
	}
	walk("", root)
	if count < 30 {
		t.Errorf("walked %d properties, want every field (at least 30)", count)
	}
}

func TestUnescapeHTML(t *testing.T) {
	tests := []struct{ in, want string }{
		{`">= 1000"`, `">= 1000"`},
		{`"\u003e= 1000"`, `">= 1000"`},
		{`"\u003c \u0026 \u003e"`, `"< & >"`},
		{`"a \\u003e b"`, `"a \\u003e b"`}, // an escaped backslash, then text
		{`"\\\u003e"`, `"\\>"`},
		{`"\n\"\u00e9"`, `"\n\"\u00e9"`},
		{`"\u003`, `"\u003`},
	}
	for _, tt := range tests {
		if got := string(unescapeHTML([]byte(tt.in))); got != tt.want {
			t.Errorf("unescapeHTML(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	raw, err := Schema()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaFile, doc); err != nil {
		t.Fatal(err)
	}
	// Compiling checks the schema against the draft-07 meta-schema.
	s, err := c.Compile(schemaFile)
	if err != nil {
		t.Fatalf("compile the schema: %v", err)
	}
	return s
}

func readYAMLAsJSON(t *testing.T, file string) any {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	j, err := yaml.YAMLToJSON(data)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func glob(t *testing.T, patterns ...string) []string {
	t.Helper()
	var files []string
	for _, pattern := range patterns {
		matches, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		if len(matches) == 0 {
			t.Fatalf("no files match %s", pattern)
		}
		files = append(files, matches...)
	}
	return files
}

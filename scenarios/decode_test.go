package scenarios

import (
	"os"
	"reflect"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/restore-drill/drill/scenarios/v1alpha1"
)

// TestDecoderAgreesWithJSON checks the hand-written decoder against
// encoding/json's reading of the same tags: for every valid file both must
// produce the same v1alpha1 value, so the schema, the Go types and the
// loader describe one format.
func TestDecoderAgreesWithJSON(t *testing.T) {
	for _, file := range globFiles(t, "testdata/valid-*.yaml", "examples/*.yaml") {
		t.Run(file, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var viaJSON v1alpha1.Scenario
			if err := sigsyaml.UnmarshalStrict(data, &viaJSON); err != nil {
				t.Fatalf("sigs.k8s.io/yaml: %v", err)
			}
			var doc yaml.Node
			if err := yaml.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			p := newProblems(file)
			var viaNodes v1alpha1.Scenario
			(&decoder{p: p}).decode(doc.Content[0], reflect.ValueOf(&viaNodes).Elem(), "")
			if err := p.err(); err != nil {
				t.Fatalf("decoder: %v", err)
			}
			if !reflect.DeepEqual(viaNodes, viaJSON) {
				t.Errorf("decoder and encoding/json disagree:\n nodes %+v\n  json %+v", viaNodes, viaJSON)
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	known := []string{"name", "timeout", "source", "postgres"}
	tests := []struct{ in, want string }{
		{"postgress", `: did you mean "postgres"?`},
		{"Timeout", `: did you mean "timeout"?`},
		{"sorce", `: did you mean "source"?`},
		{"restore", ": known fields are name, timeout, source, postgres"},
	}
	for _, tt := range tests {
		if got := suggest(tt.in, known); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

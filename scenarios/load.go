package scenarios

import (
	"errors"
	"io/fs"
	"os"
	"reflect"
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/restore-drill/drill/scenarios/v1alpha1"
)

// knownVersions are the apiVersions Load reads, newest first.
var knownVersions = []string{v1alpha1.APIVersion}

// Load reads the scenario file at path. See LoadBytes.
func Load(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		cause := err
		var pe *fs.PathError
		if errors.As(err, &pe) {
			cause = pe.Err // the path is already in the problem
		}
		return nil, &Error{
			File:     path,
			Problems: []Problem{{File: path, Message: "cannot read the scenario: " + cause.Error() + ": check the path"}},
			cause:    err,
		}
	}
	return LoadBytes(path, data)
}

// LoadBytes reads a scenario from data; file names it in problems and is the
// base for relative paths in it ("" for none). It reads apiVersion and kind
// first, decodes strictly (unknown fields, duplicate keys and wrong types
// are problems), applies defaults, converts to Scenario and validates it.
// Any problem makes the result nil and the error an *Error listing every
// problem found, each with its line and field path.
func LoadBytes(file string, data []byte) (*Scenario, error) {
	p := newProblems(file)
	root := parseDocument(data, p)
	if root == nil {
		return nil, p.err()
	}
	p.lines[""] = root.Line
	apiVersion, ok := readTypeMeta(root, p)
	if !ok {
		return nil, p.err()
	}
	var s *Scenario
	switch apiVersion {
	case v1alpha1.APIVersion:
		var in v1alpha1.Scenario
		d := &decoder{p: p}
		d.decode(root, reflect.ValueOf(&in).Elem(), "")
		if d.exhausted() {
			return nil, p.err()
		}
		v1alpha1.SetDefaults(&in)
		s = fromV1alpha1(&in, file, p)
	}
	if s != nil {
		validate(s, p)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return s, nil
}

// readTypeMeta checks apiVersion and kind before anything else, so that a
// file of another version or kind gets one clear problem rather than a list
// of unknown fields.
func readTypeMeta(root *yaml.Node, p *problems) (apiVersion string, ok bool) {
	apiVersionNode, kindNode := topLevelValue(root, "apiVersion"), topLevelValue(root, "kind")
	ok = true
	switch {
	case apiVersionNode == nil:
		p.add(root.Line, "apiVersion", "is required: start the file with apiVersion: %s", knownVersions[0])
		ok = false
	case apiVersionNode.Tag != "!!str" || !slices.Contains(knownVersions, apiVersionNode.Value):
		p.add(apiVersionNode.Line, "apiVersion", "unknown apiVersion %s: drill reads %s", describeValue(apiVersionNode), strings.Join(knownVersions, ", "))
		ok = false
	}
	switch {
	case kindNode == nil:
		p.add(root.Line, "kind", "is required: write kind: %s", v1alpha1.Kind)
		ok = false
	case kindNode.Tag != "!!str" || kindNode.Value != v1alpha1.Kind:
		p.add(kindNode.Line, "kind", "must be %s, not %s", v1alpha1.Kind, describeValue(kindNode))
		ok = false
	}
	if !ok {
		return "", false
	}
	return apiVersionNode.Value, true
}

// topLevelValue returns the value of the first key named name, or nil.
func topLevelValue(m *yaml.Node, name string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Kind == yaml.ScalarNode && k.Tag == "!!str" && k.Value == name {
			v := m.Content[i+1]
			if v.Kind == yaml.AliasNode && v.Alias != nil {
				v = v.Alias
			}
			return v
		}
	}
	return nil
}

package scenarios

import (
	"reflect"
	"strings"

	yaml "go.yaml.in/yaml/v3"
	sigsyaml "sigs.k8s.io/yaml"
)

// decodeFreeForm fills v, an interface such as a Helm value, from n exactly
// as Helm reads a values file (sigs.k8s.io/yaml: YAML 1.1 scalars, numbers
// as float64), so that values written in a scenario mean what they would
// mean in a values file. Aliases are expanded within the decoder's bound,
// and the decoder's other rules hold: string keys, no duplicate or merge
// keys, no custom tags.
func (d *decoder) decodeFreeForm(n *yaml.Node, v reflect.Value, path string) bool {
	plain, ok := d.plainCopy(n, path)
	if !ok {
		return false
	}
	text, err := yaml.Marshal(plain)
	if err != nil {
		d.p.decodeProblem(n.Line, path, "cannot be written out as YAML again: %v", err)
		return false
	}
	var value any
	if err := sigsyaml.Unmarshal(text, &value); err != nil {
		d.p.decodeProblem(n.Line, path, "cannot be read as Helm reads a values file: %v", err)
		return false
	}
	if value != nil {
		v.Set(reflect.ValueOf(value))
	}
	return true
}

// plainCopy copies n with its aliases expanded, counting every value
// against the decoder's bound, and records what the decoder refuses
// elsewhere too.
func (d *decoder) plainCopy(n *yaml.Node, path string) (*yaml.Node, bool) {
	d.visits++
	if d.visits == maxVisits {
		d.p.decodeProblem(n.Line, path, "the file expands to more than %d values (through anchors and aliases?): write it out plainly", maxVisits)
	}
	if d.visits >= maxVisits {
		return nil, false
	}
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			d.p.decodeProblem(n.Line, path, "alias *%s names no anchor", n.Value)
			return nil, false
		}
		n = n.Alias
	}
	if n.Tag != "" && !strings.HasPrefix(n.Tag, "!!") {
		d.p.decodeProblem(n.Line, path, "YAML reads %s as a tag: quote the value, e.g. %q", n.Tag, strings.TrimSpace(n.Tag+" "+n.Value))
		return nil, false
	}
	out := &yaml.Node{Kind: n.Kind, Style: n.Style, Tag: n.Tag, Value: n.Value, Line: n.Line, Column: n.Column}
	ok := true
	switch n.Kind {
	case yaml.MappingNode:
		seen := make(map[string]int)
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, value := n.Content[i], n.Content[i+1]
			name, keyOK := d.keyName(key, path)
			if !keyOK {
				ok = false
				continue
			}
			field := keyPath(path, name)
			if d.duplicate(seen, key, name, field) {
				ok = false
				continue
			}
			d.p.lines[field] = key.Line
			copied, valueOK := d.plainCopy(value, field)
			if !valueOK {
				ok = false
				continue
			}
			out.Content = append(out.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: name, Style: key.Style}, copied)
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			field := indexPath(path, i)
			d.p.lines[field] = item.Line
			copied, itemOK := d.plainCopy(item, field)
			if !itemOK {
				ok = false
				continue
			}
			out.Content = append(out.Content, copied)
		}
	}
	return out, ok
}

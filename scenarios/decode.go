package scenarios

import (
	"fmt"
	"reflect"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/restore-drill/drill/scenarios/v1alpha1"
)

// maxVisits bounds the values decoded, so that anchors and aliases cannot
// expand a small file into a huge one.
const maxVisits = 100_000

// decoder fills a versioned Go type from a YAML node tree, field by field,
// the way encoding/json would with the same tags, but strictly: an unknown
// field, a duplicate key or a value of the wrong type is recorded with its
// line and path, and decoding goes on so that every such problem is found
// in one pass. It records the line of every field it meets.
type decoder struct {
	p      *problems
	visits int
}

// exhausted reports whether decoding stopped at maxVisits; what was decoded
// is then incomplete and not worth validating.
func (d *decoder) exhausted() bool { return d.visits >= maxVisits }

// decode fills v from n and reports whether n had the right shape for v.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) bool {
	d.visits++
	if d.visits == maxVisits {
		d.p.decodeProblem(n.Line, path, "the file expands to more than %d values (through anchors and aliases?): write it out plainly", maxVisits)
	}
	if d.visits >= maxVisits {
		return false
	}
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			d.p.decodeProblem(n.Line, path, "alias *%s names no anchor", n.Value)
			return false
		}
		n = n.Alias
	}
	if n.Tag != "" && !strings.HasPrefix(n.Tag, "!!") {
		d.p.decodeProblem(n.Line, path, "YAML reads %s as a tag: quote the value, e.g. %q", n.Tag, strings.TrimSpace(n.Tag+" "+n.Value))
		return false
	}
	if v.Kind() == reflect.Interface {
		return d.decodeFreeForm(n, v, path)
	}
	if isNull(n) {
		d.p.decodeProblem(n.Line, path, "is empty: write %s%s", describeType(v.Type()), emptyHint(v.Type()))
		return false
	}
	switch v.Kind() {
	case reflect.Pointer:
		elem := reflect.New(v.Type().Elem())
		if !d.decode(n, elem.Elem(), path) {
			return false
		}
		v.Set(elem)
		return true
	case reflect.Struct:
		return d.decodeStruct(n, v, path)
	case reflect.Slice:
		return d.decodeSlice(n, v, path)
	case reflect.Map:
		return d.decodeMap(n, v, path)
	case reflect.String:
		return d.decodeString(n, v, path)
	case reflect.Int:
		return d.decodeScalar(n, v, path, "!!int")
	case reflect.Bool:
		return d.decodeScalar(n, v, path, "!!bool")
	}
	// Only reachable if the versioned types gain a kind of field this
	// decoder does not know: a programming error, reported rather than lost.
	d.p.decodeProblem(n.Line, path, "drill cannot read a field of Go type %s: please report this", v.Type())
	return false
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) bool {
	if !d.wantKind(n, v.Type(), path, yaml.MappingNode) {
		return false
	}
	fields := jsonFields(v.Type())
	seen := make(map[string]int)
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := n.Content[i], n.Content[i+1]
		name, ok := d.keyName(key, path)
		if !ok {
			continue
		}
		field := childPath(path, name)
		if d.duplicate(seen, key, name, field) {
			continue
		}
		index, known := fields.index[name]
		if !known {
			d.p.decodeProblem(key.Line, field, "unknown field %q%s", name, suggest(name, fields.names))
			continue
		}
		d.p.lines[field] = key.Line
		d.decode(value, v.Field(index), field)
	}
	for _, name := range fields.required {
		if _, ok := seen[name]; !ok {
			d.p.decodeProblem(n.Line, childPath(path, name), "is required")
		}
	}
	return true
}

func (d *decoder) decodeSlice(n *yaml.Node, v reflect.Value, path string) bool {
	if !d.wantKind(n, v.Type(), path, yaml.SequenceNode) {
		return false
	}
	items := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		field := indexPath(path, i)
		d.p.lines[field] = item.Line
		d.decode(item, items.Index(i), field)
	}
	v.Set(items)
	return true
}

func (d *decoder) decodeMap(n *yaml.Node, v reflect.Value, path string) bool {
	if !d.wantKind(n, v.Type(), path, yaml.MappingNode) {
		return false
	}
	m := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
	seen := make(map[string]int)
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := n.Content[i], n.Content[i+1]
		name, ok := d.keyName(key, path)
		if !ok {
			continue
		}
		field := keyPath(path, name)
		if d.duplicate(seen, key, name, field) {
			continue
		}
		d.p.lines[field] = key.Line
		elem := reflect.New(v.Type().Elem()).Elem()
		if d.decode(value, elem, field) {
			m.SetMapIndex(reflect.ValueOf(name).Convert(v.Type().Key()), elem)
		}
	}
	v.Set(m)
	return true
}

// decodeString takes a YAML string. A number or a boolean is refused rather
// than turned into text, because YAML reads `database: 2024` as a number
// and `value: no` as false, and the user should quote what they mean; only
// an expectation and a quantity take a number as written, since
// "expect: 3" and "pods: 20" are common and unambiguous.
func (d *decoder) decodeString(n *yaml.Node, v reflect.Value, path string) bool {
	accepted := n.Tag == "!!str"
	switch v.Type() {
	case reflect.TypeFor[v1alpha1.Expect](), reflect.TypeFor[v1alpha1.Quantity]():
		accepted = accepted || n.Tag == "!!int" || n.Tag == "!!float"
	}
	if n.Kind != yaml.ScalarNode || !accepted {
		d.typeProblem(n, v.Type(), path)
		return false
	}
	v.SetString(n.Value)
	return true
}

func (d *decoder) decodeScalar(n *yaml.Node, v reflect.Value, path, tag string) bool {
	if n.Kind != yaml.ScalarNode || n.Tag != tag {
		d.typeProblem(n, v.Type(), path)
		return false
	}
	target := reflect.New(v.Type())
	if err := n.Decode(target.Interface()); err != nil {
		d.p.decodeProblem(n.Line, path, "must be %s: %v", describeType(v.Type()), err)
		return false
	}
	v.Set(target.Elem())
	return true
}

func (d *decoder) wantKind(n *yaml.Node, t reflect.Type, path string, kind yaml.Kind) bool {
	if n.Kind == kind {
		return true
	}
	d.typeProblem(n, t, path)
	return false
}

func (d *decoder) typeProblem(n *yaml.Node, t reflect.Type, path string) {
	hint := ""
	if n.Kind == yaml.ScalarNode {
		switch t {
		case reflect.TypeFor[v1alpha1.Duration](), reflect.TypeFor[v1alpha1.Cadence]():
			if n.Tag == "!!int" || n.Tag == "!!float" {
				hint = fmt.Sprintf(": give it a unit, e.g. %q", n.Value+"m")
			}
		case reflect.TypeFor[string]():
			hint = fmt.Sprintf(": quote it if you mean text (%q)", n.Value)
		}
	}
	d.p.decodeProblem(n.Line, path, "must be %s, not %s%s", describeType(t), describeNode(n), hint)
}

// keyName returns a mapping key's text; keys must be plain strings.
func (d *decoder) keyName(key *yaml.Node, path string) (string, bool) {
	if key.Kind == yaml.AliasNode && key.Alias != nil {
		key = key.Alias
	}
	if key.Kind == yaml.ScalarNode && key.Tag == "!!merge" {
		d.p.decodeProblem(key.Line, path, "merge keys (<<) are not supported: write the fields out")
		return "", false
	}
	if key.Kind != yaml.ScalarNode || key.Tag != "!!str" {
		d.p.decodeProblem(key.Line, path, "keys must be strings, not %s", describeNode(key))
		return "", false
	}
	return key.Value, true
}

// duplicate records name's first line and reports a second occurrence.
func (d *decoder) duplicate(seen map[string]int, key *yaml.Node, name, field string) bool {
	if first, ok := seen[name]; ok {
		d.p.decodeProblem(key.Line, field, "duplicate key %q (first set on line %d): keep one", name, first)
		return true
	}
	seen[name] = key.Line
	return false
}

// structFields maps a struct's json names to field indexes.
type structFields struct {
	index map[string]int
	names []string
	// required are the mappings that must be present (no omitempty), such
	// as spec and source. Required strings and lists are left to validation,
	// which says what to write in them.
	required []string
}

func jsonFields(t reflect.Type) structFields {
	fs := structFields{index: make(map[string]int)}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fs.index[name] = i
		fs.names = append(fs.names, name)
		if f.Type.Kind() == reflect.Struct && !strings.Contains(f.Tag.Get("json"), ",omitempty") {
			fs.required = append(fs.required, name)
		}
	}
	return fs
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

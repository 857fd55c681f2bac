package scenarios

import (
	"fmt"
	"reflect"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/restore-drill/drill/scenarios/v1alpha1"
)

// describeType names what a field takes, in the words of a YAML author.
func describeType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t {
	case reflect.TypeFor[v1alpha1.Duration]():
		return `a duration such as "10m" or "1h30m"`
	case reflect.TypeFor[v1alpha1.Cadence]():
		return `a cadence (daily, weekly, monthly, quarterly, yearly) or a duration such as "72h"`
	case reflect.TypeFor[v1alpha1.Expect]():
		return `an expectation such as ">= 1000", a number, or text`
	case reflect.TypeFor[v1alpha1.Quantity]():
		return `a quantity such as "500m", "8Gi" or 20`
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "a mapping"
	case reflect.Slice:
		return "a list"
	case reflect.Int:
		return "an integer"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	}
	return t.String()
}

// emptyHint says how to write an empty value of t where YAML null is not
// accepted.
func emptyHint(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return " ({} for an empty one), or remove the key"
	case reflect.Slice:
		return " ([] for an empty one), or remove the key"
	}
	return ", or remove the key"
}

// describeNode names what the YAML holds: "a list", "the number 5".
func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.DocumentNode:
		return "a document"
	}
	switch n.Tag {
	case "!!str":
		return "the string " + quoteShort(n.Value)
	case "!!int", "!!float":
		return "the number " + n.Value
	case "!!bool":
		return "the boolean " + n.Value
	case "!!null":
		return "nothing"
	case "!!timestamp":
		return "the timestamp " + n.Value
	}
	return fmt.Sprintf("the %s value %s", strings.TrimPrefix(n.Tag, "!!"), quoteShort(n.Value))
}

// describeValue quotes a string and describes anything else.
func describeValue(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" {
		return quoteShort(n.Value)
	}
	return describeNode(n)
}

func quoteShort(s string) string {
	const max = 40
	if r := []rune(s); len(r) > max {
		return fmt.Sprintf("%q...", string(r[:max]))
	}
	return fmt.Sprintf("%q", s)
}

// suggest names the known field closest to an unknown one, or lists them
// all when none is close.
func suggest(name string, known []string) string {
	best, bestDistance := "", 3
	for _, k := range known {
		d := editDistance(strings.ToLower(name), strings.ToLower(k))
		if d < bestDistance {
			best, bestDistance = k, d
		}
	}
	if best != "" {
		return fmt.Sprintf(": did you mean %q?", best)
	}
	return ": known fields are " + strings.Join(known, ", ")
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

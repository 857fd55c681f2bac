package v1alpha1

import (
	"encoding/json"
	"fmt"

	"github.com/invopop/jsonschema"
)

// durationPattern matches a positive Go duration as time.ParseDuration reads
// it ("90s", "10m", "1h30m", "1.5h"); "0" and negative durations are left out
// because no duration in a scenario may be zero or negative.
const durationPattern = `(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+`

// Duration is a length of time in Go duration syntax: "90s", "10m", "26h",
// "1h30m". Days are not a unit: write "168h" for a week.
type Duration string

// JSONSchema describes a duration as a string with a pattern, so editors
// flag "10 minutes" before drill does.
func (Duration) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		Type:     "string",
		Pattern:  "^" + durationPattern + "$",
		Examples: []any{"10m", "1h30m"},
	}
}

// Named cadences. Their intervals allow for the longest month, quarter and
// year, so that a drill run on the same day of every month is never overdue.
const (
	CadenceDaily     Cadence = "daily"
	CadenceWeekly    Cadence = "weekly"
	CadenceMonthly   Cadence = "monthly"
	CadenceQuarterly Cadence = "quarterly"
	CadenceYearly    Cadence = "yearly"
)

// Cadence is how often a drill is meant to pass: daily, weekly, monthly,
// quarterly, yearly, or a Go duration such as "72h".
type Cadence string

// JSONSchema accepts the named cadences and any positive Go duration.
func (Cadence) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		Type: "string",
		Pattern: fmt.Sprintf("^(%s|%s|%s|%s|%s|%s)$",
			CadenceDaily, CadenceWeekly, CadenceMonthly, CadenceQuarterly, CadenceYearly, durationPattern),
		Examples: []any{CadenceMonthly, "72h"},
	}
}

// Expect is a sql check's expectation. It is text, but a bare number is
// accepted as written (expect: 3 means "== 3"), because that is what people
// type.
type Expect string

// UnmarshalJSON takes a string, or a number as written in the document.
func (e *Expect) UnmarshalJSON(data []byte) error {
	s, err := stringOrNumber(data, "expect")
	*e = Expect(s)
	return err
}

// stringOrNumber reads a JSON string, or a number as written.
func stringOrNumber(data []byte, what string) (string, error) {
	var s string
	if err := json.Unmarshal(data, &s); err == nil {
		return s, nil
	}
	var n json.Number
	if err := json.Unmarshal(data, &n); err != nil {
		return "", fmt.Errorf("%s must be a string or a number, not %s", what, data)
	}
	return n.String(), nil
}

// JSONSchema accepts a non-empty string or a number.
func (Expect) JSONSchema() *jsonschema.Schema {
	minLength := uint64(1)
	return &jsonschema.Schema{
		AnyOf: []*jsonschema.Schema{
			{Type: "string", MinLength: &minLength},
			{Type: "number"},
		},
		Examples: []any{">= 1000", "== 0", "ok"},
	}
}

// Quantity is a Kubernetes resource quantity: "500m", "2", "8Gi". A bare
// number is accepted as written (pods: 20), as Kubernetes accepts it.
type Quantity string

// UnmarshalJSON takes a string, or a number as written in the document.
func (q *Quantity) UnmarshalJSON(data []byte) error {
	s, err := stringOrNumber(data, "a quantity")
	*q = Quantity(s)
	return err
}

// JSONSchema accepts a quantity's text or a number.
func (Quantity) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		AnyOf: []*jsonschema.Schema{
			{Type: "string", Pattern: `^[+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+|[mkMGTPE]|[KMGTPE]i)?$`},
			{Type: "number", Minimum: json.Number("0")},
		},
		Examples: []any{"500m", "8Gi", 20},
	}
}

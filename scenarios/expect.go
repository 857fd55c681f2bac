package scenarios

import (
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"strings"
)

// Expectation is a parsed sql check expectation.
type Expectation struct {
	Op     string   // "==", "!=", ">", ">=", "<", "<=" for a number; "" for exact text
	Number *big.Rat // set when Op != ""
	Text   string   // set when Op == "": the value must equal it exactly
}

// operators are tried longest first so that ">=" is not read as ">" "=5".
var operators = []string{"==", "!=", ">=", "<=", ">", "<"}

// decimalNumber is the only number syntax accepted: what PostgreSQL prints
// for integer, numeric and floating-point values. big.Rat alone would also
// take fractions and 0x prefixes, which a query never returns. The exponent
// is capped at four digits so that a stray "1e999999999" cannot make
// big.Rat allocate gigabytes.
var decimalNumber = regexp.MustCompile(`^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?$`)

// ParseExpect reads an expectation: an operator followed by a number
// (">= 1000", "!=0"), a bare number ("3", meaning "== 3"), or any other text,
// which the value must equal exactly. An operator followed by something that
// is not a number is an error, as is an empty expectation.
func ParseExpect(s string) (Expectation, error) {
	trimmed := strings.TrimSpace(s)
	if trimmed == "" {
		return Expectation{}, errors.New(`expectation is empty: write an operator and a number (">= 1000"), a number, or the exact text expected`)
	}
	for _, op := range operators {
		rest, ok := strings.CutPrefix(trimmed, op)
		if !ok {
			continue
		}
		n, err := parseNumber(strings.TrimSpace(rest))
		if err != nil {
			return Expectation{}, fmt.Errorf("expectation %q: %s must be followed by a number such as 1000 or 2.5", s, op)
		}
		return Expectation{Op: op, Number: n}, nil
	}
	if n, err := parseNumber(trimmed); err == nil {
		return Expectation{Op: "==", Number: n}, nil
	}
	if rest, ok := strings.CutPrefix(trimmed, "="); ok {
		if _, err := parseNumber(strings.TrimSpace(rest)); err == nil {
			return Expectation{}, fmt.Errorf("expectation %q: write == to compare numbers", s)
		}
	}
	return Expectation{Text: s}, nil
}

// String is the canonical form for records: ">= 1000", "== 3", "abc".
func (e Expectation) String() string {
	if e.Op == "" {
		return e.Text
	}
	return e.Op + " " + formatNumber(e.Number)
}

// Holds reports whether observed, the text of the single value a query
// returned, meets the expectation. A numeric expectation needs a number:
// observed (trimmed of surrounding spaces) that is not one is an error, not a
// failed comparison, because the query is then not the one the check meant.
// Text is compared exactly.
func (e Expectation) Holds(observed string) (bool, error) {
	if e.Op == "" {
		return observed == e.Text, nil
	}
	if e.Number == nil {
		return false, fmt.Errorf("expectation %q has no number: build it with ParseExpect", e.Op)
	}
	got, err := parseNumber(strings.TrimSpace(observed))
	if err != nil {
		return false, fmt.Errorf("value %q is not a number, but the expectation %q compares numbers: make the query return one", observed, e.String())
	}
	c := got.Cmp(e.Number)
	switch e.Op {
	case "==":
		return c == 0, nil
	case "!=":
		return c != 0, nil
	case ">":
		return c > 0, nil
	case ">=":
		return c >= 0, nil
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	}
	return false, fmt.Errorf("unknown operator %q: use one of %s", e.Op, strings.Join(operators, " "))
}

func parseNumber(s string) (*big.Rat, error) {
	if !decimalNumber.MatchString(s) {
		return nil, fmt.Errorf("%q is not a decimal number", s)
	}
	n, ok := new(big.Rat).SetString(s)
	if !ok {
		return nil, fmt.Errorf("%q is not a decimal number", s)
	}
	return n, nil
}

// formatNumber prints n as a plain decimal ("1000", "2.5"), exactly; a
// number with no finite decimal form (1/3, only possible when an Expectation
// is built by hand) is printed as a fraction.
func formatNumber(n *big.Rat) string {
	if n == nil {
		return "<nil>"
	}
	if n.IsInt() {
		return n.Num().String()
	}
	if prec, exact := n.FloatPrec(); exact {
		return n.FloatString(prec)
	}
	return n.RatString()
}

package scenarios

import (
	"math/big"
	"strings"
	"testing"
)

func TestParseExpect(t *testing.T) {
	tests := []struct {
		in      string
		op      string
		number  string // big.Rat.RatString of the parsed number; "" when none
		text    string
		str     string // canonical String()
		wantErr string // substring of the error; "" when none
	}{
		{in: ">= 1000", op: ">=", number: "1000", str: ">= 1000"},
		{in: ">=1000", op: ">=", number: "1000", str: ">= 1000"},
		{in: "  >   0 ", op: ">", number: "0", str: "> 0"},
		{in: "< 2.5", op: "<", number: "5/2", str: "< 2.5"},
		{in: "<= -3", op: "<=", number: "-3", str: "<= -3"},
		{in: "!= 0", op: "!=", number: "0", str: "!= 0"},
		{in: "== 7", op: "==", number: "7", str: "== 7"},
		{in: "3", op: "==", number: "3", str: "== 3"},
		{in: "1e3", op: "==", number: "1000", str: "== 1000"},
		{in: "0.125", op: "==", number: "1/8", str: "== 0.125"},
		{in: ".5", op: "==", number: "1/2", str: "== 0.5"},
		{in: "+4", op: "==", number: "4", str: "== 4"},
		{in: "abc", text: "abc", str: "abc"},
		{in: "on", text: "on", str: "on"},
		{in: "2024-01-31", text: "2024-01-31", str: "2024-01-31"},
		{in: "1/2", text: "1/2", str: "1/2"},                // fractions are text, not numbers
		{in: "0x10", text: "0x10", str: "0x10"},             // so are hexadecimal literals
		{in: " padded ", text: " padded ", str: " padded "}, // exact text keeps its spaces
		{in: "", wantErr: "empty"},
		{in: "   ", wantErr: "empty"},
		{in: ">= abc", wantErr: "must be followed by a number"},
		{in: ">=", wantErr: "must be followed by a number"},
		{in: "<none>", wantErr: "must be followed by a number"},
		{in: "== 1/2", wantErr: "must be followed by a number"},
		{in: "> 1e99999", wantErr: "must be followed by a number"},
		{in: "= 5", wantErr: "write =="},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseExpect(tt.in)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("ParseExpect(%q) = %+v, want an error containing %q", tt.in, got, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseExpect(%q) error = %q, want it to contain %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseExpect(%q): %v", tt.in, err)
			}
			if got.Op != tt.op {
				t.Errorf("Op = %q, want %q", got.Op, tt.op)
			}
			gotNumber := ""
			if got.Number != nil {
				gotNumber = got.Number.RatString()
			}
			if gotNumber != tt.number {
				t.Errorf("Number = %q, want %q", gotNumber, tt.number)
			}
			if got.Text != tt.text {
				t.Errorf("Text = %q, want %q", got.Text, tt.text)
			}
			if s := got.String(); s != tt.str {
				t.Errorf("String() = %q, want %q", s, tt.str)
			}
		})
	}
}

// TestExpectStringRoundTrips checks that the canonical form parses back to
// the same expectation, so records can be re-read.
func TestExpectStringRoundTrips(t *testing.T) {
	for _, in := range []string{">= 1000", "<0.001", "-2", "1.5e2", "!= 0", "abc", "== 123456789012345678901234567890"} {
		first, err := ParseExpect(in)
		if err != nil {
			t.Fatalf("ParseExpect(%q): %v", in, err)
		}
		second, err := ParseExpect(first.String())
		if err != nil {
			t.Fatalf("ParseExpect(%q) (canonical form of %q): %v", first.String(), in, err)
		}
		if first.Op != second.Op || first.Text != second.Text || (first.Number == nil) != (second.Number == nil) ||
			(first.Number != nil && first.Number.Cmp(second.Number) != 0) {
			t.Errorf("%q -> %q -> %+v, want %+v", in, first.String(), second, first)
		}
	}
}

func TestExpectationHolds(t *testing.T) {
	tests := []struct {
		expect   string
		observed string
		want     bool
		wantErr  bool
	}{
		{expect: ">= 1000", observed: "1000", want: true},
		{expect: ">= 1000", observed: "999", want: false},
		{expect: ">= 1000", observed: "1000000000000000000000000", want: true},
		{expect: "> 0", observed: "0", want: false},
		{expect: "> 0", observed: "0.0001", want: true},
		{expect: "< 10", observed: "9.99", want: true},
		{expect: "< 10", observed: "10", want: false},
		{expect: "<= 10", observed: "10.000", want: true},
		{expect: "<= 10", observed: "1e+01", want: true},
		{expect: "<= 10", observed: "10.0001", want: false},
		{expect: "!= 0", observed: "0", want: false},
		{expect: "!= 0", observed: "-1", want: true},
		{expect: "3", observed: "3", want: true},
		{expect: "3", observed: "3.0", want: true},
		{expect: "3", observed: " 3 ", want: true}, // char(n) pads with spaces
		{expect: "3", observed: "4", want: false},
		{expect: "== 0.1", observed: "0.1", want: true}, // exact, not floating point
		{expect: "abc", observed: "abc", want: true},
		{expect: "abc", observed: "ABC", want: false},
		{expect: "abc", observed: "abc ", want: false},
		{expect: ">= 1", observed: "many", wantErr: true},
		{expect: ">= 1", observed: "", wantErr: true},
		{expect: ">= 1", observed: "NaN", wantErr: true},
		{expect: ">= 1", observed: "Infinity", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.expect+" vs "+tt.observed, func(t *testing.T) {
			e, err := ParseExpect(tt.expect)
			if err != nil {
				t.Fatalf("ParseExpect(%q): %v", tt.expect, err)
			}
			got, err := e.Holds(tt.observed)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Holds(%q) = %v, want an error", tt.observed, got)
				}
				if !strings.Contains(err.Error(), "not a number") {
					t.Errorf("Holds(%q) error = %q, want it to say the value is not a number", tt.observed, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Holds(%q): %v", tt.observed, err)
			}
			if got != tt.want {
				t.Errorf("%q holds for %q = %v, want %v", tt.expect, tt.observed, got, tt.want)
			}
		})
	}
}

func TestExpectationHoldsRejectsBrokenExpectations(t *testing.T) {
	tests := []struct {
		name string
		e    Expectation
	}{
		{name: "operator without number", e: Expectation{Op: ">="}},
		{name: "unknown operator", e: Expectation{Op: "=~", Number: big.NewRat(1, 1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := tt.e.Holds("1"); err == nil {
				t.Fatalf("Holds = %v, want an error", got)
			}
		})
	}
}

func TestExpectationStringOfHandBuiltFraction(t *testing.T) {
	e := Expectation{Op: "<", Number: big.NewRat(1, 3)}
	if got, want := e.String(), "< 1/3"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

package namespace

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation"
)

func TestName(t *testing.T) {
	long := strings.Repeat("billing-database-", 6)
	tests := []struct {
		prefix, scenario, runID string
		want                    string
	}{
		{"drill", "billing-monthly", "20261127-105327-99f0eb", "drill-billing-monthly-2799f0eb"},
		{"dr", "Billing_Monthly.v2", "20261127-105327-99F0EB", "dr-billing-monthly-v2-2799f0eb"},
		{"drill", long, "20261127-105327-99f0eb", "drill-billing-database-billing-database-billing-databa-2799f0eb"},
		{"", "billing", "20261127-105327-99f0eb", "billing-2799f0eb"},
	}
	for _, tc := range tests {
		got := Name(tc.prefix, tc.scenario, tc.runID)
		if got != tc.want {
			t.Errorf("Name(%q, %q, %q) = %q, want %q", tc.prefix, tc.scenario, tc.runID, got, tc.want)
		}
		if errs := validation.IsDNS1123Label(got); len(errs) > 0 {
			t.Errorf("Name(%q, %q, %q) = %q is not a namespace name: %v", tc.prefix, tc.scenario, tc.runID, got, errs)
		}
	}
}

// A run id with too few letters and digits gets a random short id; every
// name still fits, whatever the scenario's length.
func TestNameAlwaysFits(t *testing.T) {
	a, b := Name("drill", "x", "r1"), Name("drill", "x", "r1")
	if a == b || len(a) != len("drill-x-")+shortIDLen {
		t.Fatalf("short run ids gave %q and %q: want different random 8-letter ids", a, b)
	}
	for n := 0; n < 80; n++ {
		name := Name(strings.Repeat("p", n), strings.Repeat("s-", n), "20261127-105327-99f0eb")
		if errs := validation.IsDNS1123Label(name); len(errs) > 0 {
			t.Fatalf("prefix and scenario of %d letters: %q: %v", n, name, errs)
		}
		if !strings.HasSuffix(name, "2799f0eb") || len(name) > 63 {
			t.Fatalf("prefix and scenario of %d letters: %q lost the run's id", n, name)
		}
	}
}

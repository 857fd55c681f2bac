package scenarios

import (
	"path/filepath"
	"testing"
)

// TestLoadTargetNamespace checks that a target's namespace reaches the
// internal type, that "" stays the sandbox's own, and that one database
// name on Services of one name in two namespaces is two servers, not a
// duplicate.
func TestLoadTargetNamespace(t *testing.T) {
	s, err := Load("testdata/valid-target-namespace.yaml")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := map[string]PostgresTarget{
		"billing":     {Service: "db", Namespace: "billing", Secret: "db-credentials"},
		"identity":    {Service: "db", Namespace: "identity"},
		"registry":    {Address: "10.0.0.12:5432", Namespace: "harbor", Secret: "harbor-db"},
		"sandbox-own": {Selector: map[string]string{"app": "shop-db"}},
	}
	for _, r := range s.Restores {
		w, ok := want[r.Name]
		if !ok || r.Postgres == nil || r.Postgres.Target == nil {
			t.Fatalf("restore %s: unexpected, or without a target: %+v", r.Name, r)
		}
		got := r.Postgres.Target
		if got.Namespace != w.Namespace || got.Service != w.Service || got.Address != w.Address || got.Secret != w.Secret || len(got.Selector) != len(w.Selector) {
			t.Errorf("restore %s: target %+v, want %+v", r.Name, *got, w)
		}
	}
}

// TestLoadInvalidTargetNamespace checks the problems of a target's
// namespace, each with its line, field and message.
func TestLoadInvalidTargetNamespace(t *testing.T) {
	assertInvalidFile(t, filepath.Join("testdata", "invalid-target-namespace.yaml"), []want{
		{16, "spec.restores[0].postgres.target.namespace", `"Billing_NS" is not a valid namespace: a lowercase RFC 1123 label`},
		{23, "spec.restores[1].postgres.target.namespace", `is where service, selector and secret are looked up; with address and`},
		{34, "spec.restores[3].postgres.database", `"app" is already used by spec.restores[2]: each must be unique`},
	})
	assertInvalidFile(t, filepath.Join("testdata", "invalid-target-namespace-sandbox.yaml"), []want{
		{17, "spec.restores[0].postgres.target.namespace", `is for kind and cluster sandboxes, where the whole cluster is the run's`},
	})
}

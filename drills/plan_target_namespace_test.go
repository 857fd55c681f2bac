package drills_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/restore-drill/drill/drills"
	"github.com/restore-drill/drill/drills/restore"
	"github.com/restore-drill/drill/scenarios"
)

// TestPlanNamesTargetNamespace checks that the plan says where a target in
// another namespace is, and that for an address only the credentials come
// from there.
func TestPlanNamesTargetNamespace(t *testing.T) {
	sc := &scenarios.Scenario{
		Name:    "targets-elsewhere",
		Sandbox: scenarios.Sandbox{Kind: scenarios.SandboxCluster},
		Restores: []scenarios.Restore{
			{Name: "billing", Source: scenarios.Source{Path: "/var/backups/billing"}, Postgres: &scenarios.PostgresRestore{
				Database: "app", Target: &scenarios.PostgresTarget{Service: "db", Namespace: "billing"},
			}},
			{Name: "registry", Source: scenarios.Source{Path: "/var/backups/registry"}, Postgres: &scenarios.PostgresRestore{
				Database: "registry", Target: &scenarios.PostgresTarget{Address: "10.0.0.12:5432", Namespace: "harbor", Secret: "harbor-db"},
			}},
			{Name: "shop", Source: scenarios.Source{Path: "/var/backups/shop"}, Postgres: &scenarios.PostgresRestore{
				Database: "shop", Target: &scenarios.PostgresTarget{Service: "db"},
			}},
		},
	}
	noMethod := func(scenarios.Restore) (restore.Method, error) { return nil, errors.New("not planned here") }
	describe := func(*scenarios.Scenario) (string, error) { return "an existing cluster", nil }
	p := drills.MakePlan(context.Background(), sc, noMethod, describe)
	want := map[string]string{
		"restore/billing":  "database app on service db in namespace billing",
		"restore/registry": "database registry at 10.0.0.12:5432, credentials from namespace harbor",
		"restore/shop":     "database shop on service db (",
	}
	for _, ph := range p.Phases {
		w, ok := want[ph.Name]
		if !ok {
			continue
		}
		delete(want, ph.Name)
		if !strings.Contains(ph.Description, w) {
			t.Errorf("phase %s: %q, want it to say %q", ph.Name, ph.Description, w)
		}
	}
	for name := range want {
		t.Errorf("the plan has no phase %s", name)
	}
}

package app

import (
	"testing"

	"github.com/restore-drill/drill/scenarios"
)

// TestRestoreTargetsKeepNamespace: a target's namespace reaches the
// sandbox; a target without one stays in the sandbox's ("").
func TestRestoreTargetsKeepNamespace(t *testing.T) {
	sc := &scenarios.Scenario{Restores: []scenarios.Restore{
		{Name: "billing", Postgres: &scenarios.PostgresRestore{Database: "app", Target: &scenarios.PostgresTarget{
			Service: "db", Namespace: "billing", Secret: "db-credentials", Port: 5432,
		}}},
		{Name: "shop", Postgres: &scenarios.PostgresRestore{Database: "shop", Target: &scenarios.PostgresTarget{Service: "db", Port: 5432}}},
	}}
	targets := restoreTargets(sc)
	if got := targets["billing"]; got.Namespace != "billing" || got.Service != "db" || got.Secret != "db-credentials" {
		t.Errorf("billing's target %+v, want service db and secret db-credentials in namespace billing", got)
	}
	if got := targets["shop"]; got.Namespace != "" || got.Service != "db" {
		t.Errorf("shop's target %+v, want service db in the sandbox's namespace", got)
	}
}

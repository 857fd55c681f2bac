package app

import (
	"testing"

	"github.com/restore-drill/drill/drills/restore"
	"github.com/restore-drill/drill/scenarios"
)

// TestMethodForCNPG: a cnpg restore gets the cnpg method, which chooses
// its own backup from the object store.
func TestMethodForCNPG(t *testing.T) {
	r := scenarios.Restore{
		Name:   "billing",
		Source: scenarios.Source{S3: &scenarios.S3Source{Bucket: "backups"}},
		CNPG:   &scenarios.CNPGRestore{ServerName: "billing-db", Instances: 1, StorageSize: "1Gi", Database: "app"},
	}
	m, err := methodFor(r)
	if err != nil {
		t.Fatalf("methodFor: %v", err)
	}
	if _, ok := m.(restore.Locator); !ok {
		t.Errorf("the cnpg method %T does not locate its own backup", m)
	}
}

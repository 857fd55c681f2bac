package results

import (
	"context"
	"reflect"
	"slices"
	"testing"
)

func TestCatalogScenariosAndCopy(t *testing.T) {
	ctx := context.Background()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			c := s.(Catalog)
			if got, err := c.Scenarios(ctx); err != nil || len(got) != 0 {
				t.Fatalf("empty store: Scenarios = %v, %v; want none", got, err)
			}
			other := erroredRecord()
			other.Scenario = "users-db"
			for _, r := range []*Record{passedRecord(), failedRecord(), other} {
				if err := c.Save(ctx, r); err != nil {
					t.Fatal(err)
				}
			}
			got, err := c.Scenarios(ctx)
			if err != nil || !slices.Equal(got, []string{"orders-db", "users-db"}) {
				t.Fatalf("Scenarios = %v, %v; want [orders-db users-db]", got, err)
			}
			to := &MemStore{}
			for range 2 { // copying twice must not duplicate
				n, err := Copy(ctx, c, to)
				if err != nil || n != 3 {
					t.Fatalf("Copy = %d, %v; want 3 records", n, err)
				}
			}
			want, _ := ReadAll(ctx, c)
			copied, err := ReadAll(ctx, to)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(copied, want) {
				t.Errorf("copied records differ from the originals")
			}
		})
	}
}

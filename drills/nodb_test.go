package drills_test

import (
	"context"
	"errors"
	"testing"

	"github.com/restore-drill/drill/drills"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/sandbox"
)

// noPostgresProvider makes sandboxes that have no PostgreSQL server for any
// restore, as a cluster sandbox has none for a restore without a target.
type noPostgresProvider struct{}

func (noPostgresProvider) Create(context.Context, sandbox.Options) (sandbox.Sandbox, error) {
	return noPostgresSandbox{}, nil
}

type noPostgresSandbox struct{}

func (noPostgresSandbox) Describe() string { return "a sandbox without PostgreSQL" }
func (noPostgresSandbox) Postgres(context.Context, string) (*sandbox.PostgresServer, error) {
	return nil, errors.New("no PostgreSQL server here")
}
func (noPostgresSandbox) Destroy(context.Context) error { return nil }

// TestRestoreWithoutChecksNeedsNoPostgres: a restore that no sql or rpo
// check reads (an etcd snapshot, a job) never asks the sandbox for a
// PostgreSQL server.
func TestRestoreWithoutChecksNeedsNoPostgres(t *testing.T) {
	h := newHarness()
	sc := scenario(t, "etcd")
	sc.Checks = nil
	opts := h.options()
	opts.Sandbox = noPostgresProvider{}
	rec, err := drills.Run(context.Background(), sc, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Outcome != results.Passed {
		t.Fatalf("outcome = %s (%s), want passed", rec.Outcome, rec.Reason)
	}
}

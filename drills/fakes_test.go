package drills_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/restore-drill/drill/assertions"
	"github.com/restore-drill/drill/drills/restore"
	"github.com/restore-drill/drill/drills/source"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/scenarios"
)

// The fakes below stand at the engine's process boundaries: the sandbox
// (a PostgreSQL server), the restore tool and the database a check queries.
// The engine's own logic — phases, timing, concurrency, outcomes,
// objectives, teardown — runs for real.

type fakeProvider struct {
	mu        sync.Mutex
	createErr error
	created   *fakeSandbox
}

func (p *fakeProvider) Create(ctx context.Context, o sandbox.Options) (sandbox.Sandbox, error) {
	if p.createErr != nil {
		return nil, p.createErr
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.created = &fakeSandbox{runID: o.RunID}
	return p.created, nil
}

func (p *fakeProvider) sandbox() *fakeSandbox {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.created
}

type fakeSandbox struct {
	mu        sync.Mutex
	runID     string
	destroyed int
	// destroyCtxErr is the error of the context Destroy got: teardown must
	// get a live context even after an interrupt.
	destroyCtxErr error
}

func (s *fakeSandbox) Describe() string { return "fake sandbox " + s.runID }
func (s *fakeSandbox) Postgres(context.Context, string) (*sandbox.PostgresServer, error) {
	return &sandbox.PostgresServer{Host: "127.0.0.1", Port: 1, User: "u", Password: "secret"}, nil
}
func (s *fakeSandbox) Destroy(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.destroyed++
	s.destroyCtxErr = ctx.Err()
	return nil
}

// fakeMethod "restores" by waiting: for its delay, or until ctx ends when
// block is set.
type fakeMethod struct {
	delay time.Duration
	block bool
	err   error
	// started is closed when Restore begins.
	started chan struct{}
}

func (m *fakeMethod) Inspect(context.Context, *source.Artifact) (restore.Inspection, error) {
	return restore.Inspection{Format: "custom", Jobs: 1}, nil
}

func (m *fakeMethod) Restore(ctx context.Context, _ sandbox.Sandbox, _ *source.Artifact, _ io.Writer) (restore.Result, error) {
	if m.started != nil {
		close(m.started)
	}
	if m.block {
		<-ctx.Done()
		return restore.Result{}, ctx.Err()
	}
	select {
	case <-time.After(m.delay):
	case <-ctx.Done():
		return restore.Result{}, ctx.Err()
	}
	return restore.Result{Database: "db"}, m.err
}

type fakeCheck struct{ result assertions.Result }

func (c fakeCheck) Run(context.Context, string) assertions.Result { return c.result }

// backupFile writes a small file with the given age and returns its path.
func backupFile(t *testing.T, age time.Duration) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "billing.dump")
	if err := os.WriteFile(path, []byte("PGDMP fake"), 0o644); err != nil {
		t.Fatal(err)
	}
	mt := time.Now().Add(-age)
	if err := os.Chtimes(path, mt, mt); err != nil {
		t.Fatal(err)
	}
	return path
}

// scenario builds a scenario with one restore per method name and one sql
// check per restore.
func scenario(t *testing.T, restores ...string) *scenarios.Scenario {
	sc := &scenarios.Scenario{
		Name:    "billing-monthly",
		Timeout: time.Minute,
		Sandbox: scenarios.Sandbox{Kind: scenarios.SandboxLocal, Local: &scenarios.LocalSandbox{}},
	}
	for _, name := range restores {
		sc.Restores = append(sc.Restores, scenarios.Restore{
			Name:     name,
			Source:   scenarios.Source{Path: backupFile(t, time.Hour)},
			Postgres: &scenarios.PostgresRestore{Database: name, Jobs: 1},
		})
		sc.Checks = append(sc.Checks, scenarios.Check{
			Name:    name + "-rows",
			Timeout: time.Minute,
			SQL:     &scenarios.SQLCheck{Restore: name, Query: "select 1", Expect: "1"},
		})
	}
	return sc
}

var errRestoreTool = errors.New("pg_restore: error: could not read from input file: end of file")

package localtest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/local"
)

const (
	createTimeout  = 2 * time.Minute
	destroyTimeout = time.Minute
)

// Start creates a local sandbox for the test and returns its server; the
// sandbox is destroyed when the test and its subtests end. The test is
// skipped, with the reason, when the PostgreSQL programs are not installed
// or when -short is set (starting a server takes a second or two); any
// other failure to start fails the test.
func Start(t testing.TB) *sandbox.PostgresServer {
	t.Helper()
	if testing.Short() {
		t.Skip("skipping: needs a real PostgreSQL server, which -short leaves out")
	}
	p := local.NewProvider(local.Options{Log: logWriter{t}})
	if _, err := p.Binaries(); err != nil {
		if errors.Is(err, local.ErrNoBinaries) {
			t.Skipf("skipping: %v", err)
		}
		t.Fatalf("find the PostgreSQL programs: %v", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), createTimeout)
	defer cancel()
	sb, err := p.Create(ctx, sandbox.Options{RunID: runID(t.Name()), Scenario: "test"})
	if err != nil {
		t.Fatalf("start a local PostgreSQL server: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), destroyTimeout)
		defer cancel()
		if err := sb.Destroy(ctx); err != nil {
			t.Errorf("destroy the local PostgreSQL server: %v", err)
		}
	})
	srv, err := sb.Postgres(ctx, "")
	if err != nil {
		t.Fatalf("local PostgreSQL server: %v", err)
	}
	return srv
}

// runID names the sandbox after the test, so that a leftover directory says
// which test made it.
func runID(testName string) string {
	return fmt.Sprintf("test-%s-%d", strings.ReplaceAll(testName, "/", "-"), time.Now().UnixNano()%1e6)
}

// logWriter passes the sandbox's progress lines to the test log.
type logWriter struct{ t testing.TB }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

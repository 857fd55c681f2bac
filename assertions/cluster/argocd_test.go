package cluster

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/restore-drill/drill/drills/gitops"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/scenarios"
)

// fakeApp is a gitops.Deployer whose status follows a script: each Status
// call returns the next entry, the last one from then on.
type fakeApp struct {
	mu     sync.Mutex
	script []statusOrError
	calls  int
}

type statusOrError struct {
	st  gitops.Status
	err error
}

func (f *fakeApp) Up(context.Context, sandbox.Cluster, io.Writer) (gitops.Result, error) {
	return gitops.Result{}, errors.New("not used by the check")
}
func (f *fakeApp) Down(context.Context) error { return nil }
func (f *fakeApp) Status(ctx context.Context) (gitops.Status, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.script[min(f.calls, len(f.script)-1)]
	f.calls++
	return s.st, s.err
}

func argoCDCheckOf(app string, timeout time.Duration) scenarios.Check {
	return scenarios.Check{Name: "synced", Timeout: timeout, ArgoCD: &scenarios.ArgoCDCheck{App: app}}
}

func TestArgoCDPassesOnceSyncedAndHealthy(t *testing.T) {
	app := &fakeApp{script: []statusOrError{
		{st: gitops.Status{Sync: "OutOfSync", Health: "Missing"}},
		{err: errors.New("connection refused")},
		{st: gitops.Status{Sync: "Synced", Health: "Progressing"}},
		{st: gitops.Status{Sync: "Synced", Health: "Healthy", Revision: "3f2a9c1d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b"}},
	}}
	env := (&fakeCluster{}).env()
	env.Apps = map[string]gitops.Deployer{"billing": app}
	r := mustCheck(t, argoCDCheckOf("billing", 10*time.Second), nil).Run(context.Background(), env)
	if r.Outcome != results.Passed || r.Observed != "Synced/Healthy at 3f2a9c1" || r.ReadyAt == nil {
		t.Fatalf("outcome %s observed %q ReadyAt %v (%s), want passed at the fourth read", r.Outcome, r.Observed, r.ReadyAt, r.Message)
	}
	if app.calls != 4 {
		t.Errorf("status read %d times, want 4 (stop at the first Synced + Healthy)", app.calls)
	}
}

func TestArgoCDFailsWithTheLastStatusAndConditions(t *testing.T) {
	app := &fakeApp{script: []statusOrError{{st: gitops.Status{Sync: "OutOfSync", Health: "Degraded",
		Conditions: []string{"SyncError: namespace prod is not permitted in project drill-x"}}}}}
	env := (&fakeCluster{}).env()
	env.Apps = map[string]gitops.Deployer{"billing": app}
	r := mustCheck(t, argoCDCheckOf("billing", 600*time.Millisecond), nil).Run(context.Background(), env)
	if r.Outcome != results.Failed || r.Observed != "OutOfSync/Degraded" || r.Expected != "Synced/Healthy" {
		t.Fatalf("outcome %s expected %q observed %q, want failed OutOfSync/Degraded", r.Outcome, r.Expected, r.Observed)
	}
	if !strings.Contains(r.Message, "namespace prod is not permitted") || !strings.Contains(r.Message, "within the check's timeout of 600ms") {
		t.Errorf("message %q should carry the conditions and the timeout", r.Message)
	}
}

func TestArgoCDUnknownAppOrUnreadableStatusIsAnError(t *testing.T) {
	env := (&fakeCluster{}).env()
	r := mustCheck(t, argoCDCheckOf("billing", time.Second), nil).Run(context.Background(), env)
	if r.Outcome != results.Error || !strings.Contains(r.Message, "app billing is not one of this run's apps") {
		t.Fatalf("unknown app: outcome %s message %q, want error naming the app", r.Outcome, r.Message)
	}
	env.Apps = map[string]gitops.Deployer{"billing": &fakeApp{script: []statusOrError{{err: errors.New("argocd-server: connection refused")}}}}
	r = mustCheck(t, argoCDCheckOf("billing", 400*time.Millisecond), nil).Run(context.Background(), env)
	if r.Outcome != results.Error || !strings.Contains(r.Message, "connection refused") {
		t.Fatalf("status never read: outcome %s message %q, want error with the last read's error", r.Outcome, r.Message)
	}
}

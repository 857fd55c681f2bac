package drills_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/restore-drill/drill/assertions"
	"github.com/restore-drill/drill/drills/gitops"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/sandbox"
)

// clusterProvider makes fake cluster sandboxes: the fake stands where the
// Kubernetes API would be.
type clusterProvider struct {
	mu      sync.Mutex
	created *clusterSandbox
}

func (p *clusterProvider) Create(_ context.Context, o sandbox.Options) (sandbox.Sandbox, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.created = &clusterSandbox{fakeSandbox: fakeSandbox{runID: o.RunID}}
	return p.created, nil
}

func (p *clusterProvider) sandbox() *clusterSandbox {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.created
}

type clusterSandbox struct {
	fakeSandbox
	diagnosed string // the directory Diagnose wrote to
	kept      int
}

func (s *clusterSandbox) Keep(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.kept++
	return nil
}

func (s *clusterSandbox) Kube() sandbox.KubeAccess {
	return sandbox.KubeAccess{Namespace: "drill-shop-" + s.runID}
}

func (s *clusterSandbox) Diagnose(_ context.Context, dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "events.txt"), []byte("Warning BackOff pod/web-1\n"), 0o644); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.diagnosed = dir
	s.mu.Unlock()
	return []string{"events.txt"}, nil
}

// fakeApp "comes up" after delay, or fails with err, or blocks until ctx
// ends.
type fakeApp struct {
	delay time.Duration
	err   error
	block bool

	mu      sync.Mutex
	readyAt time.Time
	downs   int
	downErr error // the context error Down got
}

func (a *fakeApp) Up(ctx context.Context, _ sandbox.Cluster, progress io.Writer) (gitops.Result, error) {
	_, _ = io.WriteString(progress, "created\nsyncing\n")
	if a.block {
		<-ctx.Done()
		return gitops.Result{}, errors.New("application never became healthy: health Progressing")
	}
	select {
	case <-time.After(a.delay):
	case <-ctx.Done():
		return gitops.Result{}, ctx.Err()
	}
	if a.err != nil {
		return gitops.Result{}, a.err
	}
	a.mu.Lock()
	a.readyAt = time.Now()
	a.mu.Unlock()
	return gitops.Result{Kind: "argocd", Revision: "3f2a9c1", Resources: 3, ReadyAt: a.readyAt, Detail: "Synced + Healthy at 3f2a9c1"}, nil
}

func (a *fakeApp) Status(context.Context) (gitops.Status, error) {
	return gitops.Status{Sync: "Synced", Health: "Healthy"}, nil
}

func (a *fakeApp) Down(ctx context.Context) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.downs++
	a.downErr = ctx.Err()
	return nil
}

func (a *fakeApp) ready() time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.readyAt
}

// fakeClusterCheck reads the app's status through the env, as the argocd
// check does, and reports readiness at a given moment.
type fakeClusterCheck struct {
	app     string
	readyAt *time.Time
	outcome results.Outcome
}

func (c fakeClusterCheck) Run(ctx context.Context, env assertions.ClusterEnv) assertions.Result {
	d, ok := env.Apps[c.app]
	if !ok {
		return assertions.Result{Outcome: results.Error, Message: "no app " + c.app}
	}
	st, err := d.Status(ctx)
	if err != nil || !st.Ready() {
		return assertions.Result{Outcome: results.Failed, Message: "not ready"}
	}
	out := c.outcome
	if out == "" {
		out = results.Passed
	}
	return assertions.Result{Outcome: out, Expected: "Synced + Healthy", Observed: st.Sync + "/" + st.Health, ReadyAt: c.readyAt}
}

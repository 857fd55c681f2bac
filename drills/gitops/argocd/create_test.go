package argocd

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/argoproj/gitops-engine/pkg/health"
)

// Argo CD's server reads projects from an informer: an Application created
// right after its project can be refused as if the project did not exist.
// Up tries again until the server has seen the project.
func TestUpWaitsForArgoCDToSeeTheNewProject(t *testing.T) {
	f := &fakeArgoCD{projectLag: 3, onSync: controller(succeeded(health.HealthStatusHealthy))}
	d := newTestDeployer(t, f, webApp)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := d.Up(ctx, testSandbox{}, &bytes.Buffer{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	creates := 0
	for _, c := range f.calls {
		if strings.HasPrefix(c, "create application ") {
			creates++
		}
	}
	if creates != 4 || !slices.Contains(f.calls, "sync drill-billing-ab12cd-web") {
		t.Errorf("calls %v, want 4 creates of the application, then its sync", f.calls)
	}
}

// A refusal that lasts (RBAC forbids the project) ends Up with Argo CD's
// message once the bound has passed, not at the run's deadline.
func TestUpGivesUpOnALastingProjectRefusal(t *testing.T) {
	defer func(b time.Duration) { projectLagBound = b }(projectLagBound)
	projectLagBound = 300 * time.Millisecond
	f := &fakeArgoCD{projectLag: 1 << 30}
	d := newTestDeployer(t, f, webApp)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := d.Up(ctx, testSandbox{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), `create Argo CD application drill-billing-ab12cd-web`) ||
		!strings.Contains(err.Error(), "or the project does not exist") {
		t.Fatalf("up: %v, want Argo CD's refusal", err)
	}
	if ctx.Err() != nil {
		t.Errorf("up waited for the run's deadline: %v", err)
	}
}

// Ctrl-C while Argo CD still refuses ends the wait at once.
func TestUpInterruptedWhileTheProjectIsRefused(t *testing.T) {
	f := &fakeArgoCD{projectLag: 1 << 30}
	d := newTestDeployer(t, f, webApp)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := d.Up(ctx, testSandbox{}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "deadline exceeded") {
		t.Fatalf("up: %v, want the context's end", err)
	}
}

package argocd

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/argoproj/argo-cd/v2/pkg/apis/application/v1alpha1"
	"github.com/argoproj/gitops-engine/pkg/health"
	synccommon "github.com/argoproj/gitops-engine/pkg/sync/common"
	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/kube"
	"github.com/restore-drill/drill/sandbox/local/localtest"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
)

// testSandbox is a cluster sandbox that only names its namespace.
type testSandbox struct{ sandbox.Cluster }

func (testSandbox) Kube() sandbox.KubeAccess {
	return sandbox.KubeAccess{Namespace: "drill-billing-ab12cd", Labels: kube.RunLabels("run-1", "billing")}
}

func newTestDeployer(t *testing.T, f *fakeArgoCD, app App) *deployer {
	t.Helper()
	d := New(Options{ServerAddr: "argocd.invalid:443"}, app).(*deployer)
	d.connect = func(context.Context, Options) (*clients, error) { return f.clients(), nil }
	return d
}

var webApp = App{Name: "web", Source: &Source{RepoURL: "file:///git/apps.git", Path: "apps/web", Revision: "main"}}

// controller plays Argo CD's application controller for one sync: the
// operation runs at revA, then each given state follows.
func controller(states ...func(*v1alpha1.Application)) func(*fakeArgoCD) {
	return func(f *fakeArgoCD) {
		f.mu.Lock()
		app := f.app.DeepCopy()
		f.mu.Unlock()
		app.Status.OperationState = &v1alpha1.OperationState{
			Operation: v1alpha1.Operation{Sync: &v1alpha1.SyncOperation{}},
			Phase:     synccommon.OperationRunning, StartedAt: metav1.Now(),
			SyncResult: &v1alpha1.SyncOperationResult{Revision: revA},
		}
		app.Status.Health.Status = health.HealthStatusMissing
		f.set(app, watch.Modified)
		for _, state := range states {
			state(app)
			f.set(app, watch.Modified)
		}
	}
}

func succeeded(h health.HealthStatusCode) func(*v1alpha1.Application) {
	return func(app *v1alpha1.Application) {
		app.Status.OperationState.Phase = synccommon.OperationSucceeded
		app.Status.Sync = v1alpha1.SyncStatus{Status: v1alpha1.SyncStatusCodeSynced, Revision: revA}
		app.Status.Health.Status = h
		app.Status.Resources = []v1alpha1.ResourceStatus{
			{Kind: "Deployment", Namespace: "drill-billing-ab12cd", Name: "web", Health: &v1alpha1.HealthStatus{Status: h, Message: "rollout " + string(h)}},
			{Kind: "ConfigMap", Namespace: "drill-billing-ab12cd", Name: "web"},
		}
	}
}

func TestUpCreatesSyncsAndWatchesUntilReady(t *testing.T) {
	f := &fakeArgoCD{onSync: controller(succeeded(health.HealthStatusProgressing), succeeded(health.HealthStatusHealthy))}
	d := newTestDeployer(t, f, webApp)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var progress bytes.Buffer
	res, err := d.Up(ctx, testSandbox{}, &progress)
	if err != nil {
		t.Fatalf("up: %v", err)
	}
	if res.Kind != "argocd" || res.Revision != revA || res.Resources != 2 || res.Detail != "Synced + Healthy at 3f2a9c1, 2 resources" || res.ReadyAt.IsZero() {
		t.Errorf("result %+v", res)
	}
	wantCalls := []string{"create project drill-drill-billing-ab12cd", "create application drill-billing-ab12cd-web", "sync drill-billing-ab12cd-web"}
	if !slices.Equal(f.calls, wantCalls) {
		t.Errorf("calls %v, want %v", f.calls, wantCalls)
	}
	want := "argocd: created application drill-billing-ab12cd-web in project drill-drill-billing-ab12cd\n" +
		"argocd: drill-billing-ab12cd-web syncing at revision 3f2a9c1\n" +
		"argocd: drill-billing-ab12cd-web health Missing\n" +
		"argocd: drill-billing-ab12cd-web health Progressing\n" +
		"argocd: drill-billing-ab12cd-web health Healthy\n" +
		"argocd: drill-billing-ab12cd-web Synced + Healthy at 3f2a9c1, 2 resources\n"
	if progress.String() != want {
		t.Errorf("progress:\n%s\nwant:\n%s", progress.String(), want)
	}
	st, err := d.Status(ctx)
	if err != nil || !st.Ready() || st.Revision != revA {
		t.Errorf("status %+v, %v", st, err)
	}
}

func TestUpCopiesFromApplication(t *testing.T) {
	f := &fakeArgoCD{
		original: &v1alpha1.Application{ObjectMeta: metav1.ObjectMeta{Name: "billing"}, Spec: v1alpha1.ApplicationSpec{
			Source: &v1alpha1.ApplicationSource{RepoURL: "https://git.example/billing.git", Path: "deploy", TargetRevision: "main"},
		}},
		onSync: controller(succeeded(health.HealthStatusHealthy)),
	}
	d := newTestDeployer(t, f, App{Name: "billing", FromApplication: "billing", Revision: "v2"})
	if _, err := d.Up(context.Background(), testSandbox{}, &bytes.Buffer{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	if src := f.app.Spec.Source; src.RepoURL != "https://git.example/billing.git" || src.TargetRevision != "v2" {
		t.Errorf("copied source %+v", src)
	}
	if !slices.Equal(f.project.Spec.SourceRepos, []string{"https://git.example/billing.git"}) {
		t.Errorf("project repos %v", f.project.Spec.SourceRepos)
	}

	missing := newTestDeployer(t, &fakeArgoCD{}, App{Name: "x", FromApplication: "nope"})
	if _, err := missing.Up(context.Background(), testSandbox{}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "application nope to copy is not in Argo CD's namespace argocd") {
		t.Errorf("copy of a missing application: %v", err)
	}
}

func TestUpFailsAtOnceWhenTheSyncFails(t *testing.T) {
	f := &fakeArgoCD{onSync: controller(func(app *v1alpha1.Application) {
		op := app.Status.OperationState
		op.Phase, op.Message = synccommon.OperationFailed, "one or more synchronization tasks are not valid"
		op.SyncResult.Resources = v1alpha1.ResourceResults{{Kind: "ConfigMap", Namespace: "kube-system", Name: "x", Status: synccommon.ResultCodeSyncFailed,
			Message: "namespace kube-system is not permitted in project 'drill-drill-billing-ab12cd'"}}
	})}
	d := newTestDeployer(t, f, webApp)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := d.Up(ctx, testSandbox{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "ConfigMap/kube-system/x: namespace kube-system is not permitted in project") {
		t.Fatalf("up: %v, want the project's refusal", err)
	}
	if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("up waited for the deadline: %v", err)
	}
}

func TestUpThatNeverGetsReadyEndsWithCtxAndTheLastStatus(t *testing.T) {
	f := &fakeArgoCD{onSync: controller(succeeded(health.HealthStatusProgressing))}
	d := newTestDeployer(t, f, webApp)
	// Time enough for the controller's changes to reach the watch on a
	// loaded machine: the error must carry the last of them.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := d.Up(ctx, testSandbox{}, &bytes.Buffer{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("up: %v, want the deadline", err)
	}
	if !strings.Contains(err.Error(), "health Progressing") || !strings.Contains(err.Error(), "Deployment/drill-billing-ab12cd/web: Progressing: rollout Progressing") {
		t.Errorf("error lacks the last status: %v", err)
	}
}

func TestDownDeletesTheApplicationWaitsThenDeletesTheProject(t *testing.T) {
	f := &fakeArgoCD{onSync: controller(succeeded(health.HealthStatusHealthy))}
	f.onDelete = func(f *fakeArgoCD) {
		f.mu.Lock()
		app := f.app.DeepCopy()
		f.mu.Unlock()
		app.DeletionTimestamp = &metav1.Time{Time: time.Now()}
		f.set(app, watch.Modified) // the controller deletes the resources...
		time.Sleep(50 * time.Millisecond)
		f.set(app, watch.Deleted) // ...then drops its finalizer
	}
	d := newTestDeployer(t, f, webApp)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := d.Up(ctx, testSandbox{}, &bytes.Buffer{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	f.calls = nil
	if err := d.Down(ctx); err != nil {
		t.Fatalf("down: %v", err)
	}
	// The fake refuses to delete a project an application still uses, as
	// Argo CD does: the project's deletion passing proves the wait.
	if f.app != nil || f.project != nil {
		t.Errorf("after down: application %v, project %v", f.app != nil, f.project != nil)
	}
	if err := d.Down(ctx); err != nil {
		t.Errorf("a second down: %v", err)
	}
}

func TestDownBeforeUpTouchesNothing(t *testing.T) {
	d := New(Options{}, webApp).(*deployer)
	d.connect = func(context.Context, Options) (*clients, error) {
		t.Error("down before up connected to Argo CD")
		return nil, errors.New("no")
	}
	if err := d.Down(context.Background()); err != nil {
		t.Errorf("down before up: %v", err)
	}
	if _, err := d.Status(context.Background()); !errors.Is(err, errNotUp) {
		t.Errorf("status before up: %v", err)
	}
}

// An Argo CD that is not there is an infrastructure error (exit 3), not a
// failed drill. The client is the real one, dialling a closed port.
func TestUnreachableArgoCDIsAnInfraError(t *testing.T) {
	addr := localtest.ReservePort(t).Addr()
	d := New(Options{ServerAddr: addr, PlainText: true, AuthToken: "not-a-real-token"}, webApp)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := d.Up(ctx, testSandbox{}, &bytes.Buffer{})
	if !fault.IsInfra(err) {
		t.Fatalf("up against a closed port: %v, want an infrastructure error", err)
	}
	if strings.Contains(err.Error(), "not-a-real-token") {
		t.Errorf("the error shows the token: %v", err)
	}
	if err := d.Down(ctx); !fault.IsInfra(err) {
		t.Errorf("down against a closed port: %v, want an infrastructure error", err)
	}
}

func TestKubeOverridesFromAKubeconfigFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config")
	kubeconfig := `apiVersion: v1
kind: Config
current-context: lab
contexts:
- name: lab
  context: {cluster: lab, user: admin, namespace: tools}
- name: other
  context: {cluster: other, user: admin}
clusters:
- name: lab
  cluster: {server: "https://127.0.0.1:6443", certificate-authority: ca.crt}
- name: other
  cluster: {server: "https://10.0.0.1:6443"}
users:
- name: admin
  user: {token: secret-token}
`
	if err := os.WriteFile(path, []byte(kubeconfig), 0o600); err != nil {
		t.Fatal(err)
	}
	o, err := kubeOverrides(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if o.ClusterInfo.Server != "https://127.0.0.1:6443" || o.ClusterInfo.CertificateAuthority != filepath.Join(dir, "ca.crt") || o.AuthInfo.Token != "secret-token" || o.Context.Namespace != "tools" {
		t.Errorf("overrides for the current context: cluster %+v, namespace %q", o.ClusterInfo, o.Context.Namespace)
	}
	if o, err := kubeOverrides(path, "other"); err != nil || o.ClusterInfo.Server != "https://10.0.0.1:6443" {
		t.Errorf("overrides for context other: %v, %v", o, err)
	}
	if _, err := kubeOverrides(path, "missing"); err == nil || !strings.Contains(err.Error(), `no context "missing"`) {
		t.Errorf("a missing context: %v", err)
	}
	if o, err := kubeOverrides("", "prod"); err != nil || o.CurrentContext != "prod" {
		t.Errorf("no file, context prod: %+v, %v", o, err)
	}
}

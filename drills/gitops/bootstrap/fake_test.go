package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"

	"github.com/argoproj/argo-cd/v2/pkg/apis/application/v1alpha1"
	"github.com/argoproj/gitops-engine/pkg/health"
	synccommon "github.com/argoproj/gitops-engine/pkg/sync/common"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	fakediscovery "k8s.io/client-go/discovery/fake"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	kubefake "k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/rest"
	k8stesting "k8s.io/client-go/testing"

	"github.com/restore-drill/drill/drills/gitops"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/kube"
)

const (
	testNamespace = "argocd"
	testRevision  = "3f2a9c1d0e4b5a6978877665544332211aabbccd"
)

// outcome is how the fake application controller ends a child's sync.
type outcome int

const (
	becomesReady outcome = iota
	turnsDegraded
	syncFails
	neverEnds // the sync keeps running: only the app timeout ends it
)

// fakeChild is a child Application in the root's directory.
type fakeChild struct {
	name, wave string
	automated  bool
	outcome    outcome
	// createNamespace sets syncOptions CreateNamespace=true.
	createNamespace bool
}

// fakeArgo plays Argo CD's application controller at the Kubernetes API:
// an Application whose operation is set is synced at once (the update that
// sets it stores the outcome), the root creating its children. It records
// every sync and every deletion, in one sequence with the Kubernetes
// clientset's deletions.
type fakeArgo struct {
	t        *testing.T
	dyn      *dynamicfake.FakeDynamicClient
	kube     *kubefake.Clientset
	root     string
	children []fakeChild
	onSync   func(name string) // called as each sync is asked for

	mu  sync.Mutex
	log []string // "sync NAME", "delete applications NAME", "delete secrets NAME", "uninstall"
}

func newFakeArgo(t *testing.T, root string, children ...fakeChild) *fakeArgo {
	t.Helper()
	f := &fakeArgo{t: t, root: root, children: children}
	f.dyn = dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(), map[schema.GroupVersionResource]string{
		applicationsResource: "ApplicationList",
		projectsResource:     "AppProjectList",
	}, unstructuredObject(t, map[string]any{
		"apiVersion": "argoproj.io/v1alpha1", "kind": "AppProject",
		"metadata": map[string]any{"name": "default", "namespace": testNamespace},
	}))
	f.kube = kubefake.NewClientset(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: testNamespace}})
	f.kube.Discovery().(*fakediscovery.FakeDiscovery).Resources = []*metav1.APIResourceList{{
		GroupVersion: "argoproj.io/v1alpha1",
		APIResources: []metav1.APIResource{{Name: "applications", Kind: "Application", Namespaced: true}},
	}}
	f.dyn.PrependReactor("update", "applications", f.sync)
	f.dyn.PrependReactor("delete", "applications", f.record("delete applications"))
	f.kube.PrependReactor("delete", "secrets", f.record("delete secrets"))
	return f
}

func (f *fakeArgo) clients(*rest.Config) (*clients, error) {
	return &clients{dyn: f.dyn, kube: f.kube}, nil
}

func (f *fakeArgo) entries() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.log...)
}

func (f *fakeArgo) add(entry string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log = append(f.log, entry)
}

// record logs a deletion and lets the fake carry it out.
func (f *fakeArgo) record(what string) k8stesting.ReactionFunc {
	return func(a k8stesting.Action) (bool, runtime.Object, error) {
		f.add(what + " " + a.(k8stesting.DeleteAction).GetName())
		return false, nil, nil
	}
}

// sync is the controller's answer to an update that sets an operation.
func (f *fakeArgo) sync(a k8stesting.Action) (bool, runtime.Object, error) {
	u := a.(k8stesting.UpdateAction).GetObject().(*unstructured.Unstructured).DeepCopy()
	if op, ok := u.Object["operation"]; !ok || op == nil {
		return false, nil, nil
	}
	app, err := toApplication(u)
	if err != nil {
		return true, nil, err
	}
	name := app.Name
	f.add("sync " + name)
	if f.onSync != nil {
		f.onSync(name)
	}
	out := becomesReady
	if name == f.root {
		f.createChildren(app)
	} else {
		for _, c := range f.children {
			if c.name == name {
				out = c.outcome
			}
		}
	}
	app.Status.OperationState = operationState(*app.Operation, out)
	app.Operation = nil
	app.Status.Sync = v1alpha1.SyncStatus{Status: v1alpha1.SyncStatusCodeSynced, Revision: testRevision}
	app.Status.Health = v1alpha1.HealthStatus{Status: health.HealthStatusHealthy}
	switch out {
	case turnsDegraded:
		app.Status.Health.Status = health.HealthStatusDegraded
		app.Status.Resources = append(app.Status.Resources, v1alpha1.ResourceStatus{Kind: "Deployment", Namespace: name, Name: "web",
			Health: &v1alpha1.HealthStatus{Status: health.HealthStatusDegraded, Message: "exceeded its progress deadline"}})
	case syncFails, neverEnds:
		app.Status.Sync.Status = v1alpha1.SyncStatusCodeOutOfSync
		app.Status.Health.Status = health.HealthStatusMissing
	}
	stored := unstructuredObject(f.t, app)
	return true, stored, f.dyn.Tracker().Update(applicationsResource, stored, stored.GetNamespace())
}

// createChildren applies the root's directory: each child Application,
// and the root's status lists them.
func (f *fakeArgo) createChildren(root *v1alpha1.Application) {
	for _, c := range f.children {
		child := &v1alpha1.Application{
			TypeMeta: metav1.TypeMeta{APIVersion: "argoproj.io/v1alpha1", Kind: "Application"},
			ObjectMeta: metav1.ObjectMeta{Name: c.name, Namespace: testNamespace,
				Annotations: map[string]string{synccommon.AnnotationSyncWave: c.wave}},
			Spec: v1alpha1.ApplicationSpec{
				Project:     "default",
				Source:      &v1alpha1.ApplicationSource{RepoURL: "https://git.example.com/platform.git", Path: "apps/" + c.name},
				Destination: v1alpha1.ApplicationDestination{Server: InClusterServer, Namespace: c.name},
			},
		}
		if c.createNamespace {
			child.Spec.SyncPolicy = &v1alpha1.SyncPolicy{SyncOptions: v1alpha1.SyncOptions{"CreateNamespace=true"}}
		}
		if c.automated {
			// It synced by itself as soon as the root applied it.
			child.Spec.SyncPolicy = &v1alpha1.SyncPolicy{Automated: &v1alpha1.SyncPolicyAutomated{}}
			child.Status.OperationState = operationState(v1alpha1.Operation{
				Sync: &v1alpha1.SyncOperation{}, InitiatedBy: v1alpha1.OperationInitiator{Automated: true},
			}, becomesReady)
			child.Status.Sync = v1alpha1.SyncStatus{Status: v1alpha1.SyncStatusCodeSynced, Revision: testRevision}
			child.Status.Health = v1alpha1.HealthStatus{Status: health.HealthStatusHealthy}
		}
		if err := f.dyn.Tracker().Create(applicationsResource, unstructuredObject(f.t, child), testNamespace); err != nil {
			f.t.Errorf("create child %s: %v", c.name, err)
		}
		root.Status.Resources = append(root.Status.Resources, v1alpha1.ResourceStatus{Group: "argoproj.io", Kind: "Application", Namespace: testNamespace, Name: c.name})
	}
}

func operationState(op v1alpha1.Operation, out outcome) *v1alpha1.OperationState {
	st := &v1alpha1.OperationState{Operation: op, Phase: synccommon.OperationSucceeded, StartedAt: metav1.Now(),
		SyncResult: &v1alpha1.SyncOperationResult{Revision: testRevision}}
	switch out {
	case syncFails:
		st.Phase, st.Message = synccommon.OperationFailed, "one or more objects failed to apply"
	case neverEnds:
		st.Phase = synccommon.OperationRunning
	}
	return st
}

func unstructuredObject(t *testing.T, obj any) *unstructured.Unstructured {
	t.Helper()
	var m map[string]any
	if err := viaJSON(obj, &m); err != nil {
		t.Fatal(err)
	}
	delete(m["metadata"].(map[string]any), "creationTimestamp")
	return &unstructured.Unstructured{Object: m}
}

// fakeSandbox is the cluster sandbox the platform is brought up in.
type fakeSandbox struct{ labels map[string]string }

func (s fakeSandbox) Describe() string { return "a test cluster" }
func (s fakeSandbox) Postgres(context.Context, string) (*sandbox.PostgresServer, error) {
	return nil, errors.New("no PostgreSQL in the test cluster")
}
func (s fakeSandbox) Destroy(context.Context) error { return nil }
func (s fakeSandbox) Kube() sandbox.KubeAccess {
	return sandbox.KubeAccess{Config: &rest.Config{Host: "https://test:6443"}, Namespace: "drill-rebuild-1", Labels: s.labels}
}
func (s fakeSandbox) Diagnose(context.Context, string) ([]string, error) { return nil, nil }

var testLabels = kube.RunLabels("run-1", "rebuild")

// fakeInstaller records its calls into the fake's log.
type fakeInstaller struct {
	f          *fakeArgo
	installErr error
	installs   int
}

func (i *fakeInstaller) Install(_ context.Context, access sandbox.KubeAccess, progress io.Writer) (gitops.Result, error) {
	i.installs++
	i.f.add("install")
	fmt.Fprintln(progress, "helm: installed argo-cd")
	return gitops.Result{Kind: "helm", Revision: "argo-cd-7.7.0", Detail: "installed"}, i.installErr
}

func (i *fakeInstaller) Uninstall(context.Context) error {
	i.f.add("uninstall")
	return nil
}

// newTestPlatform is a platform that reaches the fake.
func newTestPlatform(f *fakeArgo, o Options) *platform {
	o.Namespace = testNamespace
	if o.Root.Name == "" {
		o.Root = Root{Name: f.root, RepoURL: "https://git.example.com/platform.git", Path: "clusters/prod", AppTimeout: o.Root.AppTimeout}
	}
	p := New(o).(*platform)
	p.connect = f.clients
	return p
}

package helm

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/restore-drill/drill/sandbox/kube"
	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart/loader"
	kubefake "helm.sh/helm/v3/pkg/kube/fake"
	"helm.sh/helm/v3/pkg/release"
	"helm.sh/helm/v3/pkg/storage"
	"helm.sh/helm/v3/pkg/storage/driver"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/discovery/cached/memory"
	fakediscovery "k8s.io/client-go/discovery/fake"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	clienttesting "k8s.io/client-go/testing"
)

var crds = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}

// fakeInstaller is an installer whose cluster is client-go's fake dynamic
// client holding objs, and whose Helm has an in-memory release store.
func fakeInstaller(t *testing.T, objs ...runtime.Object) (*installer, *dynamicfake.FakeDynamicClient) {
	t.Helper()
	dyn := dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(), map[schema.GroupVersionResource]string{
		crds:       "CustomResourceDefinitionList",
		namespaces: "NamespaceList",
	}, objs...)
	cfg := &action.Configuration{Releases: storage.Init(driver.NewMemory()), KubeClient: &kubefake.PrintingKubeClient{Out: io.Discard}, Log: discardLog}
	getter := &restGetter{namespace: "argocd", discovery: memory.NewMemCacheClient(&fakediscovery.FakeDiscovery{Fake: &clienttesting.Fake{}})}
	in := &installer{app: ClusterApp{Namespace: "argocd", Chart: platformChart, Release: "argocd"}, tg: &target{getter: getter, dyn: dyn, cfg: cfg, namespace: "argocd"}}
	return in, dyn
}

// establishOnCreate makes the fake API server mark each CRD established as
// it is created, as the real one does within a moment.
func establishOnCreate(dyn *dynamicfake.FakeDynamicClient) {
	dyn.PrependReactor("create", "customresourcedefinitions", func(a clienttesting.Action) (bool, runtime.Object, error) {
		u := a.(clienttesting.CreateAction).GetObject().(*unstructured.Unstructured)
		_ = unstructured.SetNestedSlice(u.Object, []any{map[string]any{"type": "Established", "status": "True"}}, "status", "conditions")
		return false, nil, nil
	})
}

func crdObject(name string) *unstructured.Unstructured {
	u := &unstructured.Unstructured{}
	u.SetAPIVersion("apiextensions.k8s.io/v1")
	u.SetKind("CustomResourceDefinition")
	u.SetName(name)
	return u
}

func platformCRDs(t *testing.T) []*unstructured.Unstructured {
	t.Helper()
	ch, err := loader.Load(platformChart)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := chartCRDs(ch)
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// The crds/ CRDs are made with the run's labels and remembered; one that
// is already in the cluster is left alone, and not remembered for removal.
func TestInstallCRDsLabelsAndRemembersWhatItMade(t *testing.T) {
	in, dyn := fakeInstaller(t, crdObject("things.example.com"))
	establishOnCreate(dyn)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var progress bytes.Buffer
	objs := append(platformCRDs(t), crdObject("things.example.com"))
	if err := in.installCRDs(ctx, objs, kube.RunLabels("run-1", "rebuild"), &progress); err != nil {
		t.Fatalf("install CRDs: %v", err)
	}
	if len(in.crds) != 1 || in.crds[0].name != "gadgets.drill-test.example.com" {
		t.Fatalf("remembered %v, want only gadgets.drill-test.example.com", in.crds)
	}
	got, err := dyn.Resource(crds).Get(ctx, "gadgets.drill-test.example.com", metav1.GetOptions{})
	if err != nil || got.GetLabels()[kube.LabelRunID] != "run-1" || got.GetLabels()[kube.LabelManagedBy] != kube.ManagedBy {
		t.Fatalf("CRD in the cluster: %v, labels %v; want the run's", err, got.GetLabels())
	}
	if !strings.Contains(progress.String(), "CRD things.example.com is already in the cluster") {
		t.Errorf("progress:\n%s", progress.String())
	}
}

// A CRD the API server does not establish fails the install when ctx ends.
func TestInstallCRDsWaitsUntilEstablished(t *testing.T) {
	in, dyn := fakeInstaller(t)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	err := in.installCRDs(ctx, platformCRDs(t), nil, io.Discard)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "CRD gadgets.drill-test.example.com not established") {
		t.Fatalf("install of a CRD never established: %v", err)
	}
	// Established once the watch has begun: the watch sees it.
	opened := watchOpened(dyn, "customresourcedefinitions")
	ctx, cancel = context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	go func() {
		select {
		case <-opened:
		case <-ctx.Done():
			return
		}
		u := crdObject("gadgets.drill-test.example.com")
		_ = unstructured.SetNestedSlice(u.Object, []any{map[string]any{"type": "Established", "status": "True"}}, "status", "conditions")
		_, _ = dyn.Resource(crds).Update(ctx, u, metav1.UpdateOptions{})
	}()
	if err := untilObject(ctx, dyn.Resource(crds), "gadgets.drill-test.example.com", established); err != nil {
		t.Errorf("wait for the established CRD: %v", err)
	}
}

func TestEnsureNamespaceMakesItOnlyWhenMissing(t *testing.T) {
	in, dyn := fakeInstaller(t)
	var progress bytes.Buffer
	if err := in.ensureNamespace(context.Background(), kube.RunLabels("run-1", "rebuild"), &progress); err != nil {
		t.Fatal(err)
	}
	ns, err := dyn.Resource(namespaces).Get(context.Background(), "argocd", metav1.GetOptions{})
	if err != nil || ns.GetLabels()[kube.LabelRunID] != "run-1" || in.namespace == nil {
		t.Fatalf("namespace %v, %v, remembered %v; want it made with the run's labels", ns, err, in.namespace)
	}

	there, _ := fakeInstaller(t, ns)
	progress.Reset()
	if err := there.ensureNamespace(context.Background(), kube.RunLabels("run-2", "rebuild"), &progress); err != nil {
		t.Fatal(err)
	}
	if there.namespace != nil || !strings.Contains(progress.String(), "namespace argocd is there") {
		t.Errorf("a namespace already there was taken for made (%v): %s", there.namespace, progress.String())
	}
}

// After a cancelled Install, Uninstall waits for Helm's install to end,
// then removes the release, the CRDs and the namespace Install made, and
// waits until they are gone; again, it has nothing to do.
func TestUninstallAfterACancelledInstall(t *testing.T) {
	in, dyn := fakeInstaller(t)
	establishOnCreate(dyn)
	ctx := context.Background()
	if err := in.ensureNamespace(ctx, nil, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := in.installCRDs(ctx, platformCRDs(t), nil, io.Discard); err != nil {
		t.Fatal(err)
	}
	installing := make(chan struct{})
	in.installing, in.ownRelease = installing, true

	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if err := in.Uninstall(short); !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "still being installed") {
		t.Fatalf("uninstall while Helm installs: %v", err)
	}
	if _, err := dyn.Resource(namespaces).Get(ctx, "argocd", metav1.GetOptions{}); err != nil {
		t.Fatalf("the namespace was removed under a running install: %v", err)
	}

	close(installing)
	if err := in.Uninstall(ctx); err != nil {
		t.Fatalf("uninstall: %v", err)
	}
	if _, err := dyn.Resource(namespaces).Get(ctx, "argocd", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("namespace argocd after uninstall: %v, want not found", err)
	}
	if _, err := dyn.Resource(crds).Get(ctx, "gadgets.drill-test.example.com", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("CRD after uninstall: %v, want not found", err)
	}
	if err := in.Uninstall(ctx); err != nil {
		t.Errorf("a second uninstall: %v", err)
	}
}

// A namespace or CRD that someone removed already is no error.
func TestRemoveOfWhatIsGoneAlready(t *testing.T) {
	_, dyn := fakeInstaller(t)
	m := madeObject{resource: namespaces, kind: "Namespace", name: "argocd", uid: "1"}
	if err := m.remove(context.Background(), dyn); err != nil {
		t.Errorf("remove of a namespace that is gone: %v", err)
	}
}

// An install bounded by the scenario's timeout says so, and is still a
// timeout to the exit code.
func TestCtxErrorKeepsTheDeadlineAndTheCause(t *testing.T) {
	ctx, cancel := context.WithTimeoutCause(context.Background(), time.Millisecond, errors.New("Argo CD was not installed and ready after 1ms"))
	defer cancel()
	<-ctx.Done()
	err := ctxError(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "not installed and ready after 1ms") {
		t.Errorf("ctxError: %v", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	if err := ctxError(ctx); err != context.Canceled {
		t.Errorf("ctxError of a plain cancel: %v", err)
	}
}

func deployedRelease(t *testing.T, in *installer) {
	t.Helper()
	rel := &release.Release{Name: "argocd", Namespace: "argocd", Version: 1, Info: &release.Info{Status: release.StatusDeployed}}
	if err := in.tg.cfg.Releases.Create(rel); err != nil {
		t.Fatal(err)
	}
}

// A release of the same name that is already there is not the run's: the
// install is refused, and Uninstall leaves it.
func TestAReleaseAlreadyThereIsNeitherInstalledOverNorRemoved(t *testing.T) {
	in, _ := fakeInstaller(t)
	if err := refuseExistingRelease(in.tg.cfg, "argocd", "argocd"); err != nil {
		t.Fatalf("no release yet: %v", err)
	}
	deployedRelease(t, in)
	err := refuseExistingRelease(in.tg.cfg, "argocd", "argocd")
	if err == nil || !strings.Contains(err.Error(), "release argocd is already in namespace argocd (deployed)") {
		t.Errorf("a release already there: %v", err)
	}
	if err := in.Uninstall(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := in.tg.cfg.Releases.Last("argocd"); err != nil {
		t.Errorf("Uninstall removed a release it did not install: %v", err)
	}
	// The one it installed, it removes.
	in.ownRelease = true
	if err := in.Uninstall(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := in.tg.cfg.Releases.Last("argocd"); err == nil {
		t.Error("Uninstall left the release it installed")
	}
}

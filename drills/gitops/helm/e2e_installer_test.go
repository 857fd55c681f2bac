//go:build e2e

package helm_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/restore-drill/drill/drills/gitops"
	"github.com/restore-drill/drill/drills/gitops/helm"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/kube"
	"github.com/restore-drill/drill/sandbox/kube/lab/labtest"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/client-go/dynamic"
)

// platform is one cluster-wide install of the test chart into the lab:
// every name it makes, cluster-scoped ones too, carries a random suffix,
// since others share the lab.
type platform struct {
	suffix    string
	namespace string
	release   string
	group     string // of the chart's CRDs
	access    sandbox.KubeAccess
	dyn       dynamic.Interface
}

var (
	crdsGVR     = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}
	nsGVR       = schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}
	rolesGVR    = schema.GroupVersionResource{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "clusterroles"}
	bindingsGVR = schema.GroupVersionResource{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "clusterrolebindings"}
	configGVR   = schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}
	deployGVR   = schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}
	saGVR       = schema.GroupVersionResource{Version: "v1", Resource: "serviceaccounts"}
)

func newPlatform(t *testing.T) *platform {
	t.Helper()
	env := labtest.Start(t)
	cfg := labtest.RESTConfig(t, env)
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := rand.String(6)
	return &platform{
		suffix: s, namespace: "drill-argocd-" + s, release: "platform-" + s, group: s + ".drill-test.example.com",
		access: sandbox.KubeAccess{Config: cfg, Labels: kube.RunLabels("e2e-"+s, "rebuild")},
		dyn:    dyn,
	}
}

// chart copies the test chart with the platform's own CRD group in crds/,
// which Helm does not template.
func (p *platform) chart(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "platform")
	if err := os.CopyFS(dir, os.DirFS("testdata/charts/platform")); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "crds", "gadgets.yaml")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, bytes.ReplaceAll(b, []byte("drill-test.example.com"), []byte(p.group)), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func (p *platform) installer(t *testing.T, values map[string]any) gitops.Installer {
	t.Helper()
	v := map[string]any{"group": p.group}
	for k, x := range values {
		v[k] = x
	}
	in := helm.NewInstaller(helm.Options{}, helm.ClusterApp{Namespace: p.namespace, Chart: p.chart(t), Release: p.release, Values: v})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if err := in.Uninstall(ctx); err != nil {
			t.Errorf("uninstall at the end of the test: %v", err)
		}
	})
	return in
}

// object is one object the install should make, and after Uninstall not.
type object struct {
	gvr             schema.GroupVersionResource
	namespace, name string
}

func (p *platform) objects() []object {
	return []object{
		{nsGVR, "", p.namespace},
		{crdsGVR, "", "gadgets." + p.group},
		{crdsGVR, "", "widgets." + p.group},
		{rolesGVR, "", p.release + "-reader"},
		{bindingsGVR, "", p.release + "-reader"},
		{saGVR, p.namespace, p.release + "-server"},
		{configGVR, p.namespace, p.release + "-config"},
		{deployGVR, p.namespace, p.release + "-server"},
	}
}

func (p *platform) get(ctx context.Context, o object) (*unstructured.Unstructured, error) {
	if o.namespace == "" {
		return p.dyn.Resource(o.gvr).Get(ctx, o.name, metav1.GetOptions{})
	}
	return p.dyn.Resource(o.gvr).Namespace(o.namespace).Get(ctx, o.name, metav1.GetOptions{})
}

// hookObjects are what the chart's pre-install hook makes, unlabelled.
func (p *platform) hookObjects() []object {
	return []object{
		{rolesGVR, "", p.release + "-init"},
		{schema.GroupVersionResource{Group: "batch", Version: "v1", Resource: "jobs"}, p.namespace, p.release + "-init"},
	}
}

// assertNothingLeft: none of the platform's objects is in the lab.
func (p *platform) assertNothingLeft(ctx context.Context, t *testing.T) {
	t.Helper()
	for _, o := range append(p.objects(), p.hookObjects()...) {
		if _, err := p.get(ctx, o); !apierrors.IsNotFound(err) {
			t.Errorf("%s %s: %v, want not found", o.gvr.Resource, o.name, err)
		}
	}
}

// The test chart is installed cluster-wide into a namespace the installer
// makes: its CRDs (from crds/ and from templates), cluster RBAC and
// namespaced objects carry the run's labels, its Deployment rolls out, and
// Uninstall leaves nothing, cluster-scoped objects and namespace included.
func TestInstallerInstallsClusterWideAndUninstallLeavesNothing(t *testing.T) {
	p := newPlatform(t)
	in := p.installer(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	var progress bytes.Buffer
	start := time.Now()
	res, err := in.Install(ctx, p.access, &progress)
	if err != nil {
		t.Fatalf("install: %v\nprogress:\n%s", err, progress.String())
	}
	t.Logf("Install of the test chart (2 CRDs, ClusterRole and binding, ServiceAccount, ConfigMap, Deployment, a custom resource, a pre-install hook Job and ClusterRole): %s\n%s",
		time.Since(start).Round(time.Millisecond), progress.String())
	if res.Kind != "helm" || res.Revision != "platform-0.1.0" || res.Resources != 8 || res.ReadyAt.IsZero() {
		t.Errorf("result %+v", res)
	}
	if !strings.Contains(res.Detail, "(4 cluster-scoped)") || !strings.Contains(progress.String(), "helm: Deployment/"+p.release+"-server ready") {
		t.Errorf("detail %q, progress:\n%s", res.Detail, progress.String())
	}

	for _, o := range p.objects() {
		u, err := p.get(ctx, o)
		if err != nil {
			t.Errorf("%s %s after install: %v", o.gvr.Resource, o.name, err)
			continue
		}
		for _, k := range []string{kube.LabelRunID, kube.LabelScenario} {
			if want := p.access.Labels[k]; u.GetLabels()[k] != want {
				t.Errorf("%s %s labels %v lack %s=%s", o.gvr.Resource, o.name, u.GetLabels(), k, want)
			}
		}
		if _, kept := u.GetAnnotations()["helm.sh/resource-policy"]; kept {
			t.Errorf("%s %s keeps Helm's resource policy: uninstall would leave it", o.gvr.Resource, o.name)
		}
	}
	for _, o := range p.hookObjects() {
		if _, err := p.get(ctx, o); err != nil {
			t.Errorf("the hook's %s %s: %v", o.gvr.Resource, o.name, err)
		}
	}
	dep, err := p.get(ctx, object{deployGVR, p.namespace, p.release + "-server"})
	if err == nil {
		if n, _, _ := unstructured.NestedInt64(dep.Object, "status", "readyReplicas"); n != 1 {
			t.Errorf("deployment %s-server: %d ready replicas, want 1", p.release, n)
		}
	}
	secrets, err := p.dyn.Resource(schema.GroupVersionResource{Version: "v1", Resource: "secrets"}).Namespace(p.namespace).List(ctx,
		metav1.ListOptions{LabelSelector: "owner=helm,name=" + p.release + "," + kube.LabelRunID + "=" + p.access.Labels[kube.LabelRunID]})
	if err != nil || len(secrets.Items) != 1 {
		t.Errorf("Helm's record of the release with the run's labels: %v, %v", secrets, err)
	}
	gadgets := schema.GroupVersionResource{Group: p.group, Version: "v1", Resource: "gadgets"}
	if _, err := p.dyn.Resource(gadgets).Namespace(p.namespace).Get(ctx, p.release+"-first", metav1.GetOptions{}); err != nil {
		t.Errorf("the chart's Gadget, of the crds/ CRD: %v", err)
	}
	if again, err := in.Install(ctx, p.access, &bytes.Buffer{}); err != nil || again != res {
		t.Errorf("a second install: %+v, %v; want the first's result", again, err)
	}

	start = time.Now()
	if err := in.Uninstall(ctx); err != nil {
		t.Fatalf("uninstall: %v", err)
	}
	t.Logf("Uninstall: %s", time.Since(start).Round(time.Millisecond))
	p.assertNothingLeft(ctx, t)
	if err := in.Uninstall(ctx); err != nil {
		t.Errorf("a second uninstall: %v", err)
	}
}

// A chart that aims an object at another namespace is refused before
// anything is made: no namespace, no CRD, no object elsewhere.
func TestInstallerRefusesAChartAimingElsewhereBeforeMakingAnything(t *testing.T) {
	p := newPlatform(t)
	escape := "drill-elsewhere-" + p.suffix
	in := p.installer(t, map[string]any{"otherNamespace": escape})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := in.Install(ctx, p.access, &bytes.Buffer{})
	var refused *helm.RefusedError
	if !errors.As(err, &refused) || !strings.Contains(err.Error(), "ConfigMap "+p.release+"-escape names namespace "+escape) {
		t.Fatalf("install: %v, want a refusal naming the ConfigMap", err)
	}
	p.assertNothingLeft(ctx, t)
}

// Ctrl-C in the middle of an install (its Deployment can never be ready
// here): Uninstall afterwards removes everything the install made.
func TestUninstallAfterAnInterruptedInstallLeavesNothing(t *testing.T) {
	p := newPlatform(t)
	in := p.installer(t, map[string]any{"nodeSelector": map[string]any{"restore-drill.io/no-such-node": "true"}})
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
	defer cancel()
	var progress bytes.Buffer
	_, err := in.Install(ctx, p.access, &progress)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "Deployment/"+p.release+"-server") {
		t.Fatalf("install: %v, want the deadline and the unready deployment\n%s", err, progress.String())
	}
	down, cancelDown := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancelDown()
	if err := in.Uninstall(down); err != nil {
		t.Fatalf("uninstall after an interrupted install: %v", err)
	}
	p.assertNothingLeft(down, t)
}

// A namespace that was there is installed into and left at Uninstall,
// while the release and its cluster-scoped objects go.
func TestInstallerLeavesANamespaceItDidNotMake(t *testing.T) {
	p := newPlatform(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	ns := &unstructured.Unstructured{}
	ns.SetAPIVersion("v1")
	ns.SetKind("Namespace")
	ns.SetName(p.namespace)
	if _, err := p.dyn.Resource(nsGVR).Create(ctx, ns, metav1.CreateOptions{}); err != nil {
		t.Fatalf("make namespace %s: %v", p.namespace, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := p.dyn.Resource(nsGVR).Delete(ctx, p.namespace, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
			t.Errorf("delete namespace %s: %v", p.namespace, err)
		}
	})
	in := p.installer(t, nil)
	var progress bytes.Buffer
	if _, err := in.Install(ctx, p.access, &progress); err != nil {
		t.Fatalf("install: %v\n%s", err, progress.String())
	}
	if !strings.Contains(progress.String(), "namespace "+p.namespace+" is there") {
		t.Errorf("progress:\n%s", progress.String())
	}
	if err := in.Uninstall(ctx); err != nil {
		t.Fatalf("uninstall: %v", err)
	}
	left, err := p.get(ctx, object{nsGVR, "", p.namespace})
	if err != nil || left.GetDeletionTimestamp() != nil {
		t.Errorf("namespace %s after uninstall: %v, %v; want it left as it was", p.namespace, left, err)
	}
	for _, o := range append(p.objects()[1:], p.hookObjects()...) {
		if _, err := p.get(ctx, o); !apierrors.IsNotFound(err) {
			t.Errorf("%s %s: %v, want not found", o.gvr.Resource, o.name, err)
		}
	}
}

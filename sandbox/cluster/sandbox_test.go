package cluster

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/rest"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/kube"
	"github.com/restore-drill/drill/sandbox/namespace"
)

// fakeNamespace stands in for the namespace sandbox, which has tests of its
// own: it records Destroy and Keep.
type fakeNamespace struct {
	name              string
	labels            map[string]string
	destroyed, kept   int
	gotOpts           namespace.Options
	gotRun            sandbox.Options
	createErr, dstErr error
	// whileDestroying, when set, runs inside Destroy.
	whileDestroying func() error
}

func (f *fakeNamespace) Create(_ context.Context, o sandbox.Options) (sandbox.Sandbox, error) {
	f.gotRun = o
	if f.createErr != nil {
		return nil, f.createErr
	}
	return f, nil
}
func (f *fakeNamespace) Describe() string { return "namespace " + f.name }
func (f *fakeNamespace) Postgres(context.Context, string) (*sandbox.PostgresServer, error) {
	return &sandbox.PostgresServer{Host: "127.0.0.1", Port: 5432}, nil
}
func (f *fakeNamespace) Destroy(context.Context) error {
	f.destroyed++
	if f.whileDestroying != nil {
		if err := f.whileDestroying(); err != nil {
			return err
		}
	}
	return f.dstErr
}
func (f *fakeNamespace) Keep(context.Context) error { f.kept++; return nil }
func (f *fakeNamespace) Kube() sandbox.KubeAccess {
	return sandbox.KubeAccess{Namespace: f.name, Labels: f.labels}
}
func (f *fakeNamespace) Diagnose(context.Context, string) ([]string, error) { return nil, nil }

func testProvider(t *testing.T, cs kubernetes.Interface, ns *fakeNamespace, reachErr error) *Provider {
	t.Helper()
	p := NewProvider(Options{Config: &rest.Config{Host: "https://standby:6443"}, Prefix: "dr"})
	p.clients = func() (kubernetes.Interface, error) { return cs, nil }
	p.namespaces = func(o namespace.Options) sandbox.Provider { ns.gotOpts = o; return ns }
	p.reachable = func(context.Context) error { return reachErr }
	return p
}

func namespaceObject(name string, labels map[string]string) *corev1.Namespace {
	return &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels, UID: types.UID("uid-" + name)}}
}

func TestDestroyDeletesOnlyTheRunsNamespaces(t *testing.T) {
	run := sandbox.Options{RunID: "run-1", Scenario: "rebuild"}
	labels := kube.RunLabels(run.RunID, run.Scenario)
	cs := fake.NewClientset(
		namespaceObject("drill-rebuild-run1", labels),
		namespaceObject("argocd", labels), // made by the run's bootstrap
		namespaceObject("production", nil),
		namespaceObject("drill-rebuild-run2", kube.RunLabels("run-2", "rebuild")),
		namespaceObject("look-alike", map[string]string{kube.LabelRunID: "run-1"}), // not drill's
	)
	ns := &fakeNamespace{name: "drill-rebuild-run1", labels: labels}
	sb, err := testProvider(t, cs, ns, nil).Open(context.Background(), run)
	if err != nil {
		t.Fatal(err)
	}
	if ns.gotOpts.Prefix != "dr" || ns.gotRun != run {
		t.Errorf("namespace sandbox made with %+v for %+v", ns.gotOpts, ns.gotRun)
	}
	if err := sb.Destroy(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := sb.Destroy(context.Background()); err != nil {
		t.Fatal(err)
	}
	if ns.destroyed != 1 {
		t.Errorf("the run's namespace destroyed %d times, want once", ns.destroyed)
	}
	list, err := cs.CoreV1().Namespaces().List(context.Background(), metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, n := range list.Items {
		left = append(left, n.Name)
	}
	// The run's own namespace is the fake's to delete; argocd is gone.
	want := []string{"drill-rebuild-run1", "drill-rebuild-run2", "look-alike", "production"}
	if !slices.Equal(left, want) {
		t.Errorf("namespaces after Destroy: %v, want %v", left, want)
	}
}

func TestKeepDeletesNothing(t *testing.T) {
	run := sandbox.Options{RunID: "run-1", Scenario: "rebuild"}
	labels := kube.RunLabels(run.RunID, run.Scenario)
	cs := fake.NewClientset(namespaceObject("argocd", labels))
	ns := &fakeNamespace{name: "drill-rebuild-run1", labels: labels}
	sb, err := testProvider(t, cs, ns, nil).Open(context.Background(), run)
	if err != nil {
		t.Fatal(err)
	}
	if err := sb.Keep(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := sb.Destroy(context.Background()); err != nil {
		t.Fatal(err)
	}
	if ns.kept != 1 || ns.destroyed != 0 {
		t.Errorf("kept %d, destroyed %d; want kept once, never destroyed", ns.kept, ns.destroyed)
	}
	if _, err := cs.CoreV1().Namespaces().Get(context.Background(), "argocd", metav1.GetOptions{}); err != nil {
		t.Errorf("argocd after Keep and Destroy: %v", err)
	}
}

func TestCreateRefusesAnUnreachableCluster(t *testing.T) {
	ns := &fakeNamespace{name: "x"}
	down := fault.Infra(errors.New("the API server https://standby:6443 does not answer"))
	_, err := testProvider(t, fake.NewClientset(), ns, down).Create(context.Background(), sandbox.Options{RunID: "r", Scenario: "s"})
	if !fault.IsInfra(err) || ns.gotRun.RunID != "" {
		t.Errorf("Create: %v (namespace made for %q); want an infrastructure error and no namespace", err, ns.gotRun.RunID)
	}
}

func TestDiagnoseCoversTheRunsNamespacesAndKubeSystem(t *testing.T) {
	run := sandbox.Options{RunID: "run-1", Scenario: "rebuild"}
	labels := kube.RunLabels(run.RunID, run.Scenario)
	cs := fake.NewClientset(namespaceObject("drill-rebuild-run1", labels), namespaceObject("argocd", labels), namespaceObject("production", nil))
	sb, err := testProvider(t, cs, &fakeNamespace{name: "drill-rebuild-run1", labels: labels}, nil).Open(context.Background(), run)
	if err != nil {
		t.Fatal(err)
	}
	files, err := sb.Diagnose(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"drill-rebuild-run1/events.txt", "argocd/events.txt", "kube-system/pods.txt"} {
		if !slices.Contains(files, want) {
			t.Errorf("Diagnose wrote %v, want %s", files, want)
		}
	}
	for _, f := range files {
		if len(f) >= 10 && f[:10] == "production" {
			t.Errorf("Diagnose wrote %s: production is not the run's", f)
		}
	}
}

// The run's namespaces are deleted at once, not one after another: the
// run's own namespace is still being destroyed when the others' deletes
// come, and Destroy still ends only once they are gone.
func TestDestroyDeletesTheNamespacesTogether(t *testing.T) {
	run := sandbox.Options{RunID: "run-1", Scenario: "rebuild"}
	labels := kube.RunLabels(run.RunID, run.Scenario)
	others := []string{"argocd", "db-a", "db-b"}
	objs := []runtime.Object{namespaceObject("drill-rebuild-run1", labels)}
	for _, n := range others {
		objs = append(objs, namespaceObject(n, labels))
	}
	cs := fake.NewClientset(objs...)
	ns := &fakeNamespace{name: "drill-rebuild-run1", labels: labels}
	ns.whileDestroying = func() error {
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			deletes := 0
			for _, a := range cs.Actions() {
				if a.Matches("delete", "namespaces") {
					deletes++
				}
			}
			if deletes == len(others) {
				return nil
			}
			time.Sleep(10 * time.Millisecond)
		}
		return errors.New("the other namespaces were not deleted while the run's own was")
	}
	sb, err := testProvider(t, cs, ns, nil).Open(context.Background(), run)
	if err != nil {
		t.Fatal(err)
	}
	if err := sb.Destroy(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, n := range others {
		if _, err := cs.CoreV1().Namespaces().Get(context.Background(), n, metav1.GetOptions{}); err == nil {
			t.Errorf("namespace %s is still there after Destroy", n)
		}
	}
}

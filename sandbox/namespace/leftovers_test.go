package namespace

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	dynfake "k8s.io/client-go/dynamic/fake"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/restore-drill/drill/sandbox/kube"
)

var cleanupNow = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// drillNamespace is a namespace of run, with its heartbeat and expiry that
// long before and after cleanupNow.
func drillNamespace(name, run string, heartbeatAgo, expiresIn time.Duration, extra ...string) *corev1.Namespace {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{
		Name: name, UID: types.UID("uid-" + name), Labels: kube.RunLabels(run, "billing"),
		CreationTimestamp: metav1.Time{Time: cleanupNow.Add(-time.Hour)},
		Annotations: map[string]string{
			kube.AnnotationHeartbeat: cleanupNow.Add(-heartbeatAgo).Format(time.RFC3339),
			kube.AnnotationExpires:   cleanupNow.Add(expiresIn).Format(time.RFC3339),
		},
	}}
	for i := 0; i+1 < len(extra); i += 2 {
		ns.Annotations[extra[i]] = extra[i+1]
	}
	return ns
}

func argoObject(kind, name, run string, labelled bool) *unstructured.Unstructured {
	u := &unstructured.Unstructured{}
	u.SetAPIVersion("argoproj.io/v1alpha1")
	u.SetKind(kind)
	u.SetNamespace("argocd")
	u.SetName(name)
	u.SetUID(types.UID("uid-" + name))
	if labelled {
		u.SetLabels(kube.RunLabels(run, "billing"))
	}
	return u
}

// listKinds are the list kinds of every kind Leftovers lists.
func listKinds() map[schema.GroupVersionResource]string {
	m := map[schema.GroupVersionResource]string{}
	for _, k := range labelledKinds {
		m[k.gvr] = k.kind + "List"
	}
	return m
}

func fakeClusters(objects []runtime.Object, argo ...runtime.Object) (*fake.Clientset, *dynfake.FakeDynamicClient) {
	scheme := runtime.NewScheme()
	dyn := dynfake.NewSimpleDynamicClientWithCustomListKinds(scheme, listKinds(), argo...)
	return fake.NewSimpleClientset(objects...), dyn
}

// The cluster of a drill that ran a few times: one live run, one killed an
// hour ago, one past its expiry with a fresh heartbeat, one kept on purpose
// (no heartbeat, not expired), one kept and expired, and namespaces and
// Argo CD objects drill did not make.
func cleanupCluster() (*fake.Clientset, *dynfake.FakeDynamicClient) {
	unlabelled := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "payments", Annotations: map[string]string{
		kube.AnnotationExpires: cleanupNow.Add(-time.Hour).Format(time.RFC3339), // looks expired, but is not drill's
	}}}
	return fakeClusters([]runtime.Object{
		drillNamespace("drill-billing-live", "run-live", 20*time.Second, 24*time.Hour),
		drillNamespace("drill-billing-killed", "run-killed", time.Hour, 23*time.Hour),
		drillNamespace("drill-billing-expired", "run-expired", 10*time.Second, -2*time.Hour),
		drillNamespace("drill-billing-kept", "run-kept", 2*time.Hour, 22*time.Hour, kube.AnnotationRetained, "2026-11-27T10:00:00Z"),
		drillNamespace("drill-billing-kept-old", "run-kept-old", 30*time.Hour, -6*time.Hour, kube.AnnotationRetained, "2026-11-26T06:00:00Z"),
		unlabelled,
	},
		argoObject("Application", "drill-live", "run-live", true),
		argoObject("Application", "drill-killed", "run-killed", true),
		argoObject("Application", "drill-orphan", "run-gone", true),
		argoObject("AppProject", "drill-orphan", "run-gone", true),
		argoObject("Application", "payments", "", false),
	)
}

func summary(ls []Leftover) []string {
	var s []string
	for _, l := range ls {
		s = append(s, l.Kind+" "+l.Name+" ("+l.RunID+"): "+l.Why)
	}
	return s
}

func TestLeftovers(t *testing.T) {
	tests := []struct {
		name string
		opts CleanupOptions
		want []string
	}{
		{"expired and stale", CleanupOptions{}, []string{
			"Application drill-killed (run-killed): its run's namespace drill-billing-killed is a leftover",
			"Application drill-orphan (run-gone): its run's namespace is gone",
			"AppProject drill-orphan (run-gone): its run's namespace is gone",
			"Namespace drill-billing-expired (run-expired): expired 2h0m0s ago",
			"Namespace drill-billing-kept-old (run-kept-old): expired 6h0m0s ago",
			"Namespace drill-billing-killed (run-killed): no heartbeat for 1h0m0s: its run is gone",
		}},
		{"--all", CleanupOptions{All: true}, []string{
			"Application drill-killed (run-killed): its run's namespace drill-billing-killed is a leftover",
			"Application drill-live (run-live): --all",
			"Application drill-orphan (run-gone): its run's namespace is gone",
			"AppProject drill-orphan (run-gone): its run's namespace is gone",
			"Namespace drill-billing-expired (run-expired): expired 2h0m0s ago",
			"Namespace drill-billing-kept (run-kept): --all",
			"Namespace drill-billing-kept-old (run-kept-old): expired 6h0m0s ago",
			"Namespace drill-billing-killed (run-killed): no heartbeat for 1h0m0s: its run is gone",
			"Namespace drill-billing-live (run-live): --all",
		}},
		{"--run of a kept namespace", CleanupOptions{RunID: "run-kept"}, []string{
			"Namespace drill-billing-kept (run-kept): run named by --run",
		}},
		{"--run of a killed run", CleanupOptions{RunID: "run-killed"}, []string{
			"Application drill-killed (run-killed): its run's namespace drill-billing-killed is a leftover",
			"Namespace drill-billing-killed (run-killed): no heartbeat for 1h0m0s: its run is gone",
		}},
		{"a heartbeat may be older when asked", CleanupOptions{StaleAfter: 2 * time.Hour}, []string{
			"Application drill-orphan (run-gone): its run's namespace is gone",
			"AppProject drill-orphan (run-gone): its run's namespace is gone",
			"Namespace drill-billing-expired (run-expired): expired 2h0m0s ago",
			"Namespace drill-billing-kept-old (run-kept-old): expired 6h0m0s ago",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cs, dyn := cleanupCluster()
			assertLeftovers(t, cs, dyn, tc.opts, tc.want)
		})
	}
}

// assertLeftovers checks what Leftovers finds, as summary lines.
func assertLeftovers(t *testing.T, cs *fake.Clientset, dyn *dynfake.FakeDynamicClient, opts CleanupOptions, want []string) {
	t.Helper()
	got, err := Leftovers(context.Background(), cs, dyn, cleanupNow, opts)
	if err != nil {
		t.Fatal(err)
	}
	if s := summary(got); !reflect.DeepEqual(s, want) {
		t.Fatalf("leftovers:\n  %s\nwant:\n  %s", strings.Join(s, "\n  "), strings.Join(want, "\n  "))
	}
}

// A namespace with drill's label but no heartbeat, of a run whose own
// namespace is gone, is a leftover once it is older than StaleAfter: a
// younger one may be a run's that is tearing down.
func TestLeftoversWithoutHeartbeat(t *testing.T) {
	young := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "young", Labels: kube.RunLabels("r1", "s"), CreationTimestamp: metav1.Time{Time: cleanupNow.Add(-time.Minute)}}}
	old := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "old", Labels: kube.RunLabels("r2", "s"), CreationTimestamp: metav1.Time{Time: cleanupNow.Add(-10 * time.Minute)}}}
	cs, dyn := fakeClusters([]runtime.Object{young, old})
	got, err := Leftovers(context.Background(), cs, dyn, cleanupNow, CleanupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s := summary(got); !reflect.DeepEqual(s, []string{"Namespace old (r2): its run's namespace is gone (made 10m0s ago)"}) {
		t.Fatalf("leftovers %v", s)
	}
}

func TestRemove(t *testing.T) {
	cs, dyn := cleanupCluster()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ls, err := Leftovers(ctx, cs, dyn, cleanupNow, CleanupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if err := Remove(ctx, cs, dyn, l); err != nil {
			t.Fatalf("remove %s %s: %v", l.Kind, l.Name, err)
		}
	}
	nss, _ := cs.CoreV1().Namespaces().List(ctx, metav1.ListOptions{})
	var left []string
	for _, ns := range nss.Items {
		left = append(left, ns.Name)
	}
	if want := []string{"drill-billing-kept", "drill-billing-live", "payments"}; !reflect.DeepEqual(left, want) {
		t.Errorf("namespaces left %v, want %v", left, want)
	}
	apps, _ := dyn.Resource(applicationsGVR).Namespace("argocd").List(ctx, metav1.ListOptions{})
	left = nil
	for _, a := range apps.Items {
		left = append(left, a.GetName())
	}
	if want := []string{"drill-live", "payments"}; !reflect.DeepEqual(left, want) {
		t.Errorf("applications left %v, want %v", left, want)
	}
	projects, _ := dyn.Resource(appProjectsGVR).Namespace("argocd").List(ctx, metav1.ListOptions{})
	if len(projects.Items) != 0 {
		t.Errorf("AppProject %s left", projects.Items[0].GetName())
	}
	// Removing again is no error: it is gone.
	for _, l := range ls {
		if err := Remove(ctx, cs, dyn, l); err != nil {
			t.Fatalf("remove %s %s again: %v", l.Kind, l.Name, err)
		}
	}
}

// Remove never deletes what drill did not make, or another run's object,
// even when asked to.
func TestRemoveRefusesWhatIsNotDrills(t *testing.T) {
	cs, dyn := cleanupCluster()
	ctx := context.Background()
	tests := []struct {
		l    Leftover
		want string
	}{
		{Leftover{Kind: KindNamespace, Name: "payments"}, "has no label app.kubernetes.io/managed-by=drill"},
		{Leftover{Kind: KindNamespace, Name: "drill-billing-live", RunID: "run-killed"}, `belongs to run "run-live"`},
		{Leftover{Kind: KindNamespace, Name: "drill-billing-live", RunID: "run-live", UID: "another"}, "is not the one run run-live made"},
		{Leftover{Kind: KindApplication, Name: "payments", Namespace: "argocd"}, "has no label app.kubernetes.io/managed-by=drill"},
		{Leftover{Kind: KindApplication, Name: "drill-live", Namespace: "argocd", RunID: "run-killed"}, `belongs to run "run-live"`},
		{Leftover{Kind: "ConfigMap", Name: "x"}, "drill does not remove that kind"},
	}
	for _, tc := range tests {
		if err := Remove(ctx, cs, dyn, tc.l); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Remove(%s %s): %v, want an error saying %q", tc.l.Kind, tc.l.Name, err, tc.want)
		}
	}
	if _, err := cs.CoreV1().Namespaces().Get(ctx, "payments", metav1.GetOptions{}); err != nil {
		t.Fatalf("namespace payments was deleted: %v", err)
	}
	if _, err := cs.CoreV1().Namespaces().Get(ctx, "drill-billing-live", metav1.GetOptions{}); err != nil {
		t.Fatalf("a live run's namespace was deleted: %v", err)
	}
	if _, err := dyn.Resource(applicationsGVR).Namespace("argocd").Get(ctx, "payments", metav1.GetOptions{}); err != nil {
		t.Fatalf("Application payments was deleted: %v", err)
	}
}

// Without Argo CD in the cluster there is just nothing of it to clean up.
func TestLeftoversWithoutArgoCD(t *testing.T) {
	cs := fake.NewSimpleClientset(drillNamespace("drill-billing-killed", "run-killed", time.Hour, time.Hour))
	dyn := dynfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(), listKinds())
	dyn.PrependReactor("list", "*", notFoundReactor)
	got, err := Leftovers(context.Background(), cs, dyn, cleanupNow, CleanupOptions{})
	if err != nil || len(got) != 1 || got[0].Kind != KindNamespace {
		t.Fatalf("got %v, %v; want the namespace only", summary(got), err)
	}
}

func notFoundReactor(a k8stesting.Action) (bool, runtime.Object, error) {
	return true, nil, apierrors.NewNotFound(a.GetResource().GroupResource(), "")
}

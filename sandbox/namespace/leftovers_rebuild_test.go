package namespace

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	"github.com/restore-drill/drill/sandbox/kube"
)

// labelledNamespace is a namespace a run labelled for teardown (a child
// app's, or the one a Helm install of Argo CD made): the run's labels, no
// heartbeat and no expiry.
func labelledNamespace(name, run string, made time.Duration) *corev1.Namespace {
	return &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{
		Name: name, UID: types.UID("uid-" + name), Labels: kube.RunLabels(run, "platform"),
		CreationTimestamp: metav1.Time{Time: cleanupNow.Add(-made)},
	}}
}

// clusterObject is a labelled object of a Helm install: cluster-scoped
// unless namespace is set.
func clusterObject(apiVersion, kind, namespace, name, run string, extra map[string]string) *unstructured.Unstructured {
	u := &unstructured.Unstructured{}
	u.SetAPIVersion(apiVersion)
	u.SetKind(kind)
	u.SetNamespace(namespace)
	u.SetName(name)
	u.SetUID(types.UID("uid-" + name))
	u.SetCreationTimestamp(metav1.Time{Time: cleanupNow.Add(-time.Hour)})
	if run != "" {
		l := kube.RunLabels(run, "platform")
		for k, v := range extra {
			l[k] = v
		}
		u.SetLabels(l)
	}
	return u
}

// What two rebuilds left in a standby cluster: one killed an hour ago and
// one alive, each with its own namespace, child app namespaces, a root,
// repository Secrets and a Helm install's cluster-scoped objects; plus
// what drill did not make, and a namespace whose run's own namespace is
// gone.
func rebuildCluster() []runtime.Object {
	return []runtime.Object{
		drillNamespace("drill-platform-killed", "killed", time.Hour, 23*time.Hour),
		labelledNamespace("killed-db", "killed", 50*time.Minute),
		labelledNamespace("killed-argocd", "killed", 55*time.Minute),
		drillNamespace("drill-platform-live", "live", 10*time.Second, 24*time.Hour),
		labelledNamespace("live-db", "live", 50*time.Minute), // older than StaleAfter, but its run lives
		labelledNamespace("orphan-db", "gone", 20*time.Minute),
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "argocd"}},
	}
}

func rebuildObjects() []runtime.Object {
	repo := map[string]string{argoSecretType: "repository"}
	return []runtime.Object{
		argoObject("Application", "killed-root", "killed", true),
		argoObject("Application", "killed-web", "", false), // a child, from git: Argo CD deletes it with the root
		argoObject("Application", "live-root", "live", true),
		clusterObject("v1", "Secret", "argocd", "drill-repository-killed", "killed", repo),
		clusterObject("v1", "Secret", "argocd", "drill-repository-live", "live", repo),
		clusterObject("v1", "Secret", "argocd", "sh.helm.release.v1.killed.v1", "killed", nil), // not a repository
		clusterObject("v1", "Secret", "argocd", "production-repository", "", nil),
		clusterObject("apiextensions.k8s.io/v1", "CustomResourceDefinition", "", "widgets.killed.example.com", "killed", nil),
		clusterObject("apiextensions.k8s.io/v1", "CustomResourceDefinition", "", "widgets.live.example.com", "live", nil),
		clusterObject("apiextensions.k8s.io/v1", "CustomResourceDefinition", "", "applications.argoproj.io", "", nil),
		clusterObject("rbac.authorization.k8s.io/v1", "ClusterRole", "", "killed-argocd-controller", "killed", nil),
		clusterObject("rbac.authorization.k8s.io/v1", "ClusterRole", "", "cluster-admin", "", nil),
		// Helm marks a release's objects as its own; drill takes them only
		// when the release is in a namespace drill made for the same run.
		helmObject("killed-argocd-server", "killed", "killed-argocd"),
		helmObject("killed-production-server", "killed", "argocd"),
		helmObject("live-looks-killed", "live", "killed-argocd"),
		clusterObject("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "", "killed-argocd-controller", "killed", nil),
		clusterObject("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "", "live-argocd-controller", "live", nil),
	}
}

// helmObject is a ClusterRole of a Helm release in namespace, with the
// run's id but Helm's mark.
func helmObject(name, run, namespace string) *unstructured.Unstructured {
	u := clusterObject("rbac.authorization.k8s.io/v1", "ClusterRole", "", name, run, map[string]string{kube.LabelManagedBy: helmManaged})
	u.SetAnnotations(map[string]string{helmReleaseNameNote: "argocd", helmReleaseNamespaceNote: namespace})
	return u
}

const helmManaged = "Helm"

func TestLeftoversOfARebuild(t *testing.T) {
	killed := []string{
		"Application killed-root (killed): its run's namespace drill-platform-killed is a leftover",
		"Secret drill-repository-killed (killed): its run's namespace drill-platform-killed is a leftover",
		"ClusterRoleBinding killed-argocd-controller (killed): its run's namespace drill-platform-killed is a leftover",
		"ClusterRole killed-argocd-controller (killed): its run's namespace drill-platform-killed is a leftover",
		"ClusterRole killed-argocd-server (killed): its run's namespace drill-platform-killed is a leftover (Helm release argocd in namespace killed-argocd)",
		"CustomResourceDefinition widgets.killed.example.com (killed): its run's namespace drill-platform-killed is a leftover",
		"Namespace drill-platform-killed (killed): no heartbeat for 1h0m0s: its run is gone",
		"Namespace killed-argocd (killed): its run's namespace drill-platform-killed is a leftover",
		"Namespace killed-db (killed): its run's namespace drill-platform-killed is a leftover",
	}
	tests := []struct {
		name string
		opts CleanupOptions
		want []string
	}{
		{"stale runs", CleanupOptions{}, append(killed[:len(killed):len(killed)],
			"Namespace orphan-db (gone): its run's namespace is gone (made 20m0s ago)",
		)},
		{"--run of the killed run", CleanupOptions{RunID: "killed"}, killed},
		{"--run of the live run", CleanupOptions{RunID: "live"}, []string{
			"Application live-root (live): run named by --run",
			"Secret drill-repository-live (live): run named by --run",
			"ClusterRoleBinding live-argocd-controller (live): run named by --run",
			"CustomResourceDefinition widgets.live.example.com (live): run named by --run",
			"Namespace drill-platform-live (live): run named by --run",
			"Namespace live-db (live): run named by --run",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cs, dyn := fakeClusters(rebuildCluster(), rebuildObjects()...)
			assertLeftovers(t, cs, dyn, tc.opts, tc.want)
		})
	}
}

// Removing a killed rebuild's leftovers takes exactly those: the live
// run's objects and what drill did not make stay.
func TestRemoveARebuildsLeftovers(t *testing.T) {
	cs, dyn := fakeClusters(rebuildCluster(), rebuildObjects()...)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ls, err := Leftovers(ctx, cs, dyn, cleanupNow, CleanupOptions{RunID: "killed"})
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
	if want := []string{"argocd", "drill-platform-live", "live-db", "orphan-db"}; !reflect.DeepEqual(left, want) {
		t.Errorf("namespaces left %v, want %v", left, want)
	}
	want := map[string][]string{
		KindApplication:        {"killed-web", "live-root"},
		KindSecret:             {"drill-repository-live", "production-repository", "sh.helm.release.v1.killed.v1"},
		KindCRD:                {"applications.argoproj.io", "widgets.live.example.com"},
		KindClusterRole:        {"cluster-admin", "killed-production-server", "live-looks-killed"},
		KindClusterRoleBinding: {"live-argocd-controller"},
	}
	for kind, names := range want {
		k, _ := kindOf(kind)
		list, err := k.client(dyn, "argocd").List(ctx, metav1.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, o := range list.Items {
			got = append(got, o.GetName())
		}
		if !reflect.DeepEqual(got, names) {
			t.Errorf("%ss left %v, want %v", kind, got, names)
		}
	}
}

// A cluster-scoped object of another run, or one drill did not make, is
// refused even when named.
func TestRemoveRefusesAnotherRunsClusterObject(t *testing.T) {
	cs, dyn := fakeClusters(rebuildCluster(), rebuildObjects()...)
	ctx := context.Background()
	for _, tc := range []struct {
		l    Leftover
		want string
	}{
		{Leftover{Kind: KindCRD, Name: "applications.argoproj.io", RunID: "killed"}, "has no label app.kubernetes.io/managed-by=drill"},
		{Leftover{Kind: KindClusterRoleBinding, Name: "live-argocd-controller", RunID: "killed"}, `belongs to run "live"`},
		{Leftover{Kind: KindSecret, Name: "production-repository", Namespace: "argocd", RunID: "killed"}, "has no label"},
		{Leftover{Kind: KindClusterRole, Name: "killed-production-server", RunID: "killed"}, `its release's namespace "argocd" is not one drill made for run killed`},
		{Leftover{Kind: KindClusterRole, Name: "live-looks-killed", RunID: "killed"}, `belongs to run "live"`},
	} {
		if err := Remove(ctx, cs, dyn, tc.l); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Remove(%s %s): %v, want an error saying %q", tc.l.Kind, tc.l.Name, err, tc.want)
		}
		k, _ := kindOf(tc.l.Kind)
		if _, err := k.client(dyn, tc.l.Namespace).Get(ctx, tc.l.Name, metav1.GetOptions{}); err != nil {
			t.Errorf("%s %s was deleted: %v", tc.l.Kind, tc.l.Name, err)
		}
	}
}

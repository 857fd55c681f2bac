package helm

import (
	"testing"

	"helm.sh/helm/v3/pkg/release"
	helmtime "helm.sh/helm/v3/pkg/time"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Only the hooks Helm ran made something; each is removed where it is.
func TestRanHooksAreResolvedWhereTheyLive(t *testing.T) {
	ran := release.HookExecution{StartedAt: helmtime.Now()}
	rel := &release.Release{Hooks: []*release.Hook{
		{Manifest: "apiVersion: batch/v1\nkind: Job\nmetadata: {name: init}\n", LastRun: ran},
		{Manifest: "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: init}\n", LastRun: ran},
		{Manifest: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: elsewhere, namespace: other}\n", LastRun: ran},
		{Manifest: "apiVersion: example.com/v1\nkind: Gone\nmetadata: {name: x}\n", LastRun: ran},
		{Manifest: "apiVersion: batch/v1\nkind: Job\nmetadata: {name: never-ran}\n"},
	}}
	mapper := meta.NewDefaultRESTMapper(nil)
	mapper.Add(schema.GroupVersionKind{Group: "batch", Version: "v1", Kind: "Job"}, meta.RESTScopeNamespace)
	mapper.Add(schema.GroupVersionKind{Group: "rbac.authorization.k8s.io", Version: "v1", Kind: "ClusterRole"}, meta.RESTScopeRoot)
	mapper.Add(schema.GroupVersionKind{Version: "v1", Kind: "ConfigMap"}, meta.RESTScopeNamespace)

	var got []string
	for _, h := range ranHooks(rel) {
		if m, ok := h.made(mapper, "argocd"); ok {
			got = append(got, m.String())
		}
	}
	want := []string{"Job argocd/init", "ClusterRole init", "ConfigMap other/elsewhere"}
	if len(got) != len(want) {
		t.Fatalf("hooks to remove %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("hooks to remove %q, want %q", got, want)
		}
	}
	if ranHooks(nil) != nil {
		t.Error("hooks of no release")
	}
}

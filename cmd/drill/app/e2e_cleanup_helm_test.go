//go:build e2e

package app_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/client-go/dynamic"

	"github.com/restore-drill/drill/drills/gitops/helm"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/kube"
	"github.com/restore-drill/drill/sandbox/kube/lab/labtest"
)

// helmTestChart copies the helm package's stand-in for Argo CD's chart
// with its crds/ CRD in group, which Helm does not template.
func helmTestChart(t *testing.T, group string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "platform")
	if err := os.CopyFS(dir, os.DirFS("../../../drills/gitops/helm/testdata/charts/platform")); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "crds", "gadgets.yaml")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, bytes.ReplaceAll(b, []byte("drill-test.example.com"), []byte(group)), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// A run killed after its Helm install of Argo CD (the install's Uninstall
// never runs) leaves the release's namespace, its CRDs, ClusterRole and
// ClusterRoleBinding, all labelled with the run; drill cleanup --run
// removes every one of them. The chart's pre-install hook's ClusterRole
// carries no label (Helm does not label hooks), so it stays: a person
// removes it.
func TestCleanupAfterAKilledHelmInstall(t *testing.T) {
	env := labtest.Start(t)
	cfg := labtest.RESTConfig(t, env)
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := rand.String(6)
	run, ns, release, group := "e2e-"+s, "drill-argocd-"+s, "platform-"+s, s+".drill-test.example.com"
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	in := helm.NewInstaller(helm.Options{}, helm.ClusterApp{Namespace: ns, Chart: helmTestChart(t, group), Release: release, Values: map[string]any{"group": group}})
	var progress bytes.Buffer
	if _, err := in.Install(ctx, sandbox.KubeAccess{Config: cfg, Labels: kube.RunLabels(run, "rebuild")}, &progress); err != nil {
		t.Fatalf("install: %v\n%s", err, progress.String())
	}
	hookRole := release + "-init"
	t.Cleanup(func() {
		_ = dyn.Resource(clusterRolesResource).Delete(context.Background(), hookRole, metav1.DeleteOptions{})
	})

	made := []struct {
		gvr  schema.GroupVersionResource
		name string
	}{
		{schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}, ns},
		{schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}, "gadgets." + group},
		{schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}, "widgets." + group},
		{clusterRolesResource, release + "-reader"},
		{schema.GroupVersionResource{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "clusterrolebindings"}, release + "-reader"},
	}
	for _, m := range made {
		if _, err := dyn.Resource(m.gvr).Get(ctx, m.name, metav1.GetOptions{}); err != nil {
			t.Fatalf("%s %s after install: %v", m.gvr.Resource, m.name, err)
		}
	}

	res := drill(t, "cleanup", "--run", run, "--kubeconfig", env.Kubeconfig)
	if res.code != 0 {
		t.Fatalf("cleanup: exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	t.Logf("drill cleanup --run:\n%s", res.stdout)
	for _, m := range made {
		if _, err := dyn.Resource(m.gvr).Get(ctx, m.name, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			t.Errorf("%s %s after drill cleanup: %v, want not found", m.gvr.Resource, m.name, err)
		}
	}
	if _, err := dyn.Resource(clusterRolesResource).Get(ctx, hookRole, metav1.GetOptions{}); err != nil {
		t.Errorf("the hook's unlabelled ClusterRole %s: %v; drill cleanup should not have touched it", hookRole, err)
	}
}

var clusterRolesResource = schema.GroupVersionResource{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "clusterroles"}

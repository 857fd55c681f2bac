package helm

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/kube"
	"github.com/restore-drill/drill/sandbox/local/localtest"
	"helm.sh/helm/v3/pkg/chart/loader"
	"k8s.io/client-go/rest"
)

const platformChart = "testdata/charts/platform"

// renderPlatform runs the checks Install runs before it creates anything.
func renderPlatform(t *testing.T, values map[string]any, r *sandboxRenderer) error {
	t.Helper()
	ch, err := loader.Load(platformChart)
	if err != nil {
		t.Fatal(err)
	}
	crds, err := chartCRDs(ch)
	if err != nil {
		return err
	}
	if err := check(crds, r.namespace, r.clusterScoped, true); err != nil {
		return err
	}
	return dryRun(context.Background(), ch, values, r.namespace, "argocd", r, nil)
}

func installRenderer() *sandboxRenderer {
	return &sandboxRenderer{namespace: "argocd", labels: kube.RunLabels("run-1", "rebuild"), clusterScoped: clusterScope(nil), clusterWide: true}
}

// A cluster-wide install takes CRDs and cluster RBAC, labels them like the
// rest, and drops Helm's keep policy so that uninstalling removes them.
func TestInstallRendererAllowsClusterScopedObjectsAndLabelsThem(t *testing.T) {
	r := installRenderer()
	if err := renderPlatform(t, nil, r); err != nil {
		t.Fatalf("render: %v", err)
	}
	kinds := map[string]bool{}
	for _, o := range r.objects {
		kinds[o.GetKind()+"/"+o.GetName()] = true
		l := o.GetLabels()
		if l[kube.LabelRunID] != "run-1" || l[kube.LabelScenario] != "rebuild" {
			t.Errorf("%s %s labels %v, want the run's", o.GetKind(), o.GetName(), l)
		}
		if _, kept := o.GetAnnotations()[resourcePolicy]; kept {
			t.Errorf("%s %s still has %s", o.GetKind(), o.GetName(), resourcePolicy)
		}
	}
	for _, want := range []string{
		"CustomResourceDefinition/widgets.drill-test.example.com", "ClusterRole/argocd-reader", "ClusterRoleBinding/argocd-reader",
		"ServiceAccount/argocd-server", "ConfigMap/argocd-config", "Deployment/argocd-server", "Gadget/argocd-first",
	} {
		if !kinds[want] {
			t.Errorf("rendered %v, lacks %s", kinds, want)
		}
	}
	if n := clusterScopedCount(r, nil); n != 3 {
		t.Errorf("%d cluster-scoped objects, want 3 (CRD, ClusterRole, ClusterRoleBinding)", n)
	}
}

// An object aimed at another namespace is refused, named, in the words of
// a cluster-wide install.
func TestInstallRendererRefusesOtherNamespaces(t *testing.T) {
	err := renderPlatform(t, map[string]any{"otherNamespace": "kube-system"}, installRenderer())
	var refused *RefusedError
	if !errors.As(err, &refused) {
		t.Fatalf("render: %v, want a refusal", err)
	}
	if got := strings.Join(refused.Objects, "; "); got != "ConfigMap argocd-escape names namespace kube-system" {
		t.Errorf("refused %q", got)
	}
	if !strings.Contains(err.Error(), "in namespaces other than its own argocd") {
		t.Errorf("error %q", err)
	}
	// The sandbox's deployer still refuses the cluster-scoped objects.
	r := installRenderer()
	r.clusterWide = false
	if err := renderPlatform(t, nil, r); !errors.As(err, &refused) || !strings.Contains(err.Error(), "ClusterRole.rbac.authorization.k8s.io argocd-reader is cluster-scoped") {
		t.Errorf("render in a sandbox: %v", err)
	}
}

func TestChartCRDsTakesOnlyCRDs(t *testing.T) {
	ch, err := loader.Load(platformChart)
	if err != nil {
		t.Fatal(err)
	}
	crds, err := chartCRDs(ch)
	if err != nil || len(crds) != 1 || crds[0].GetName() != "gadgets.drill-test.example.com" {
		t.Fatalf("crds %v, %v; want gadgets.drill-test.example.com", crds, err)
	}
	ch.Files[0].Data = []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: sneaky, namespace: kube-system}\n")
	ch.Files[0].Name = "crds/gadgets.yaml"
	_, err = chartCRDs(ch)
	if err == nil || !strings.Contains(err.Error(), "crds/gadgets.yaml holds ConfigMap sneaky, not a CustomResourceDefinition") {
		t.Errorf("a ConfigMap in crds/: %v", err)
	}
}

func TestInstallerNeedsANamespaceAndARelease(t *testing.T) {
	in := NewInstaller(Options{}, ClusterApp{Chart: platformChart, Release: "argocd"})
	_, err := in.Install(context.Background(), sandbox.KubeAccess{Config: &rest.Config{Host: "https://127.0.0.1:1"}}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "needs a namespace and a release name") {
		t.Errorf("install without a namespace: %v", err)
	}
	if err := in.Uninstall(context.Background()); err != nil {
		t.Errorf("uninstall before anything was installed: %v", err)
	}
}

// A cluster that cannot be reached is an infrastructure error (exit 3),
// found before anything is made; Uninstall after it has nothing to do.
func TestInstallerUnreachableClusterIsAnInfraError(t *testing.T) {
	host := "https://" + localtest.ReservePort(t).Addr()
	in := NewInstaller(Options{}, ClusterApp{Namespace: "argocd", Chart: platformChart, Release: "argocd"})
	_, err := in.Install(context.Background(), sandbox.KubeAccess{Config: &rest.Config{Host: host}, Labels: kube.RunLabels("run-1", "rebuild")}, &bytes.Buffer{})
	if !fault.IsInfra(err) {
		t.Fatalf("install against a closed port: %v, want an infrastructure error", err)
	}
	if err := in.Uninstall(context.Background()); err != nil {
		t.Errorf("uninstall after an install that made nothing: %v", err)
	}
}

package helm

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/restore-drill/drill/sandbox/kube"
	"helm.sh/helm/v3/pkg/chart/loader"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

const testNamespace = "drill-billing-ab12cd"

func testRenderer(clusterScoped scopeFunc) *sandboxRenderer {
	return &sandboxRenderer{namespace: testNamespace, labels: kube.RunLabels("run-1", "billing"), clusterScoped: clusterScoped}
}

// renderChart runs the dry run Up runs before installing anything.
func renderChart(t *testing.T, dir string, values map[string]any, r *sandboxRenderer) error {
	t.Helper()
	ch, err := loader.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := refuseCRDs(ch, testNamespace); err != nil {
		return err
	}
	return dryRun(context.Background(), ch, values, testNamespace, "drill", r, nil)
}

func TestDryRunRefusesObjectsOutsideTheSandbox(t *testing.T) {
	cases := []struct {
		chart   string
		refused []string // nil: accepted
	}{
		{"testdata/web", nil},
		{"testdata/clusterrole", []string{"ClusterRole.rbac.authorization.k8s.io drill-reader is cluster-scoped"}},
		{"testdata/othernamespace", []string{"ConfigMap escape names namespace kube-system"}},
		{"testdata/hook-elsewhere", []string{"Job.batch migrate names namespace production"}},
		{"testdata/crd", []string{"CustomResourceDefinition in crd/crds/things.yaml is cluster-scoped"}},
	}
	for _, c := range cases {
		t.Run(c.chart, func(t *testing.T) {
			err := renderChart(t, c.chart, nil, testRenderer(clusterScope(nil)))
			if c.refused == nil {
				if err != nil {
					t.Fatalf("render: %v", err)
				}
				return
			}
			var refused *RefusedError
			if !errors.As(err, &refused) {
				t.Fatalf("render: %v, want a refusal", err)
			}
			if strings.Join(refused.Objects, "\n") != strings.Join(c.refused, "\n") {
				t.Errorf("refused %q, want %q", refused.Objects, c.refused)
			}
			if !strings.Contains(err.Error(), "outside the sandbox's namespace "+testNamespace) {
				t.Errorf("error %q does not name the sandbox", err)
			}
		})
	}
}

// A kind the cluster serves as cluster-scoped (a custom resource here) is
// refused too: the cluster's discovery decides what the built-in list does
// not know.
func TestDryRunAsksTheClusterAboutOtherKinds(t *testing.T) {
	mapper := meta.NewDefaultRESTMapper(nil)
	mapper.Add(schema.GroupVersionKind{Group: "example.com", Version: "v1", Kind: "Tenant"}, meta.RESTScopeRoot)
	mapper.Add(schema.GroupVersionKind{Group: "example.com", Version: "v1", Kind: "Widget"}, meta.RESTScopeNamespace)
	scope := clusterScope(mapper)
	for gvk, want := range map[schema.GroupVersionKind]bool{
		{Group: "example.com", Version: "v1", Kind: "Tenant"}:          true,
		{Group: "example.com", Version: "v1", Kind: "Widget"}:          false,
		{Group: "example.com", Version: "v1", Kind: "Unknown"}:         false,
		{Version: "v1", Kind: "Namespace"}:                             true,
		{Group: "apps", Version: "v1", Kind: "Deployment"}:             false,
		{Group: "storage.k8s.io", Version: "v1", Kind: "StorageClass"}: true,
	} {
		if got := scope(gvk); got != want {
			t.Errorf("%s cluster-scoped: %v, want %v", gvk, got, want)
		}
	}
}

func TestRendererLabelsEveryObjectWithTheRunsLabels(t *testing.T) {
	r := testRenderer(clusterScope(nil))
	in := `apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  labels: {app.kubernetes.io/managed-by: Helm, team: payments}
---
# an empty document
---
apiVersion: v1
kind: Service
metadata:
  name: b
`
	out, err := r.Run(bytes.NewBufferString(in))
	if err != nil {
		t.Fatal(err)
	}
	objs, err := parseManifests(out.String())
	if err != nil || len(objs) != 2 || len(r.objects) != 2 {
		t.Fatalf("rendered %d objects (%v), kept %d: %s", len(objs), err, len(r.objects), out)
	}
	for _, o := range objs {
		l := o.GetLabels()
		if l[kube.LabelManagedBy] != kube.ManagedBy || l[kube.LabelRunID] != "run-1" || l[kube.LabelScenario] != "billing" {
			t.Errorf("%s labels %v, want the run's", o.GetName(), l)
		}
	}
	if objs[0].GetLabels()["team"] != "payments" {
		t.Errorf("the chart's own label was lost: %v", objs[0].GetLabels())
	}
}

func TestValuesFilesInOrderThenValues(t *testing.T) {
	dir := t.TempDir()
	write(t, dir+"/a.yaml", "image: {repo: a, tag: '1'}\nreplicas: 1\nlist: [1, 2]\n")
	write(t, dir+"/b.yaml", "image: {tag: '2'}\nlist: [3]\n")
	vals, err := mergeValues(App{ValuesFiles: []string{dir + "/a.yaml", dir + "/b.yaml"}, Values: map[string]any{"replicas": 3, "image": map[string]any{"pullPolicy": "Always"}}})
	if err != nil {
		t.Fatal(err)
	}
	img := vals["image"].(map[string]any)
	if img["repo"] != "a" || img["tag"] != "2" || img["pullPolicy"] != "Always" || vals["replicas"] != 3 || len(vals["list"].([]any)) != 1 {
		t.Errorf("merged values %v", vals)
	}
	if _, err := mergeValues(App{ValuesFiles: []string{dir + "/missing.yaml"}}); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("a missing values file: %v", err)
	}
	// Values reach the chart: the other-namespace chart's object is named
	// from them.
	err = renderChart(t, "testdata/othernamespace", map[string]any{"escapeName": "from-values"}, testRenderer(clusterScope(nil)))
	if err == nil || !strings.Contains(err.Error(), "ConfigMap from-values names namespace kube-system") {
		t.Errorf("render with values: %v", err)
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

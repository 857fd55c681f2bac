package ci_test

import (
	"os"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"

	"github.com/restore-drill/drill/scenarios"
)

const (
	kindWorkflow = "../.github/workflows/kind-drill.yml"
	kindScenario = "kind/rebuild.yaml"
)

// The kind drill's workflow passes actionlint (and shellcheck on its
// scripts) and runs the scenario this directory holds.
func TestKindWorkflow(t *testing.T) {
	data, err := os.ReadFile(kindWorkflow)
	if err != nil {
		t.Fatal(err)
	}
	lint(t, kindWorkflow, data)
	for _, want := range []string{"workflow_dispatch:", "schedule:", "ci/kind/rebuild.yaml", "--out ci/kind/backups", "actions/upload-artifact@"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("%s does not contain %q", kindWorkflow, want)
		}
	}
}

// The kind scenario is valid, makes a kind cluster, and its chart renders
// the Service and Secret its restore's target names.
func TestKindScenarioAndChart(t *testing.T) {
	sc, err := scenarios.Load(kindScenario)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Sandbox.Kind != scenarios.SandboxKind || len(sc.Apps) != 1 || sc.Apps[0].Helm == nil {
		t.Fatalf("scenario %s: sandbox %q, apps %+v; want a kind sandbox with one Helm app", kindScenario, sc.Sandbox.Kind, sc.Apps)
	}
	ch, err := loader.Load(sc.Apps[0].Helm.Chart)
	if err != nil {
		t.Fatal(err)
	}
	values, err := chartutil.ToRenderValues(ch, nil, chartutil.ReleaseOptions{Name: "platform", Namespace: "drill-kind-rebuild-x"}, chartutil.DefaultCapabilities)
	if err != nil {
		t.Fatal(err)
	}
	out, err := engine.Render(ch, values)
	if err != nil {
		t.Fatalf("render the chart: %v", err)
	}
	var all strings.Builder
	for _, s := range out {
		all.WriteString(s)
	}
	target := sc.Restores[0].Postgres.Target
	for _, want := range []string{"kind: Service\nmetadata:\n  name: " + target.Service, "name: " + target.Secret, "image: postgres:16", "kind: Deployment\nmetadata:\n  name: web"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("the rendered chart does not contain %q:\n%s", want, all.String())
		}
	}
}

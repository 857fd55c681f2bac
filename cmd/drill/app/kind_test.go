package app_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const kindScenario = `apiVersion: restore-drill.io/v1alpha1
kind: Scenario
metadata:
  name: rebuild
spec:
  sandbox:
    kind: {nodeImage: "kindest/node:v1.31.14"}
  restores:
    - name: app
      source: {path: %q}
      postgres:
        database: app
        target: {service: db}
`

func writeKindScenario(t *testing.T, sandbox string) string {
	t.Helper()
	dir := t.TempDir()
	backup := filepath.Join(dir, "app.dump")
	if err := os.WriteFile(backup, []byte("PGDMP not really"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(kindScenario, `kind: {nodeImage: "kindest/node:v1.31.14"}`, sandbox, 1)
	s = strings.Replace(s, "%q", `"`+backup+`"`, 1)
	path := filepath.Join(dir, "rebuild.yaml")
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// drill plan says what a kind or cluster sandbox would be, and makes
// nothing.
func TestPlanKindAndClusterSandboxes(t *testing.T) {
	for _, tt := range []struct{ sandbox, want string }{
		{`kind: {nodeImage: "kindest/node:v1.31.14"}`, "a new kind cluster drill-rebuild-<run> (docker or podman where drill runs), node image kindest/node:v1.31.14"},
		{`cluster: {}`, "the existing cluster of --kubeconfig/--context, in a new namespace drill-rebuild-<run>"},
	} {
		res := drill(t, "plan", writeKindScenario(t, tt.sandbox))
		if res.code != 0 || !strings.Contains(res.stdout+res.stderr, tt.want) {
			t.Errorf("drill plan with %s: exit %d, output:\n%s%s\nwant %q in it", tt.sandbox, res.code, res.stdout, res.stderr, tt.want)
		}
	}
}

// Where no container runtime answers, drill run of a kind scenario stops
// before anything is made, with exit 3 and the reason.
func TestRunKindWithoutContainerRuntime(t *testing.T) {
	for _, rt := range []string{"docker", "podman", "nerdctl"} {
		if exec.Command(rt, "info").Run() == nil {
			t.Skipf("%s answers on this machine: the real kind drill runs in the kind-drill GitHub Actions workflow", rt)
		}
	}
	t.Setenv("KIND_EXPERIMENTAL_PROVIDER", "")
	res := drill(t, "run", "--results", t.TempDir(), writeKindScenario(t, `kind: {nodeImage: "kindest/node:v1.31.14"}`))
	if res.code != 3 || !strings.Contains(res.stderr, "no usable container runtime for the kind sandbox (docker: ") {
		t.Errorf("drill run: exit %d, stderr:\n%s\nwant exit 3 and why no container runtime can be used", res.code, res.stderr)
	}
}

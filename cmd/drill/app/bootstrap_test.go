package app_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// bootstrapScenario is a rebuild in a standby cluster whose root sits in a
// git repository, one restore waiting for one child.
const bootstrapScenario = `apiVersion: restore-drill.io/v1alpha1
kind: Scenario
metadata:
  name: rebuild
spec:
  sandbox:
    cluster: {}
  bootstrap:
    argocd:
      repositories:
        - url: %[1]s
          username: drill
          passwordEnv: DRILL_TEST_GIT_TOKEN
      root:
        repoURL: %[1]s
        path: apps
        revision: main
  restores:
    - name: orders
      source: {path: %[2]q}
      waitFor: [%[3]s]
      postgres:
        database: orders
        target: {address: "127.0.0.1:5432", secret: db-creds, namespace: orders}
`

// platformGit makes a git repository with a root directory of three child
// Applications in two waves and a ConfigMap (not an Application) beside
// them, and returns its file:// URL.
func platformGit(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: the plan reads the root's children from a git repository")
	}
	dir := t.TempDir()
	child := func(name, wave string, automated bool) string {
		sync := ""
		if automated {
			sync = "\n  syncPolicy: {automated: {}}"
		}
		return fmt.Sprintf(`apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: %[1]s
  annotations: {argocd.argoproj.io/sync-wave: "%[2]s"}
spec:
  project: default
  source: {repoURL: https://git.example.com/platform.git, path: services/%[1]s, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: %[1]s}%[3]s
`, name, wave, sync)
	}
	files := map[string]string{
		"apps/orders.yaml":   child("orders", "0", false),
		"apps/payments.yaml": child("payments", "0", true),
		"apps/web.yaml":      child("web", "1", false),
		"apps/notes.yaml":    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: notes}\n",
	}
	for name, body := range files {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{
		{"init", "-q", "-b", "main"}, {"add", "."},
		{"-c", "user.name=drill", "-c", "user.email=drill@example.com", "commit", "-q", "-m", "platform"},
	} {
		if out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return "file://" + dir
}

func writeBootstrapScenario(t *testing.T, repo, waitFor string) string {
	t.Helper()
	dir := t.TempDir()
	backup := filepath.Join(dir, "orders.dump")
	if err := os.WriteFile(backup, []byte("PGDMP not really"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "rebuild.yaml")
	if err := os.WriteFile(path, []byte(fmt.Sprintf(bootstrapScenario, repo, backup, waitFor)), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// drill plan shows a rebuild's whole graph, read from git: the bootstrap's
// steps after provision, the children wave by wave (an automated child
// only watched), and where the repository's secret comes from, never the
// secret.
func TestPlanShowsTheRebuildGraph(t *testing.T) {
	t.Setenv("DRILL_TEST_GIT_TOKEN", "s3cr3t-t0ken")
	res := drill(t, "plan", writeBootstrapScenario(t, platformGit(t), "orders"))
	out := res.stdout + res.stderr
	for _, want := range []string{
		"bootstrap/argocd", "check that Argo CD's Application CRD is served",
		"bootstrap/repositories", "password from $DRILL_TEST_GIT_TOKEN",
		"app/root", "wave 0:\n    orders:", "    payments: https://git.example.com/platform.git services/payments at main → namespace payments, automated sync",
		"wave 1:\n    web:", "wave 1, after wave 0 (orders, payments)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("drill plan output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "s3cr3t-t0ken") {
		t.Errorf("drill plan printed the repository's token:\n%s", out)
	}
	order := []string{"provision", "bootstrap/argocd", "bootstrap/repositories", "app/root", "app/orders", "app/web", "restore/orders"}
	last := -1
	for _, step := range order {
		i := strings.Index(out, ". "+step+" ")
		if i < last {
			t.Errorf("phase %s at %d, before the step listed ahead of it; want %v in order:\n%s", step, i, order, out)
		}
		last = i
	}
}

// A restore waiting for an app the root's children in git do not include
// is a problem the plan names (the run would fail it).
func TestPlanNamesAWaitForNoChild(t *testing.T) {
	t.Setenv("DRILL_TEST_GIT_TOKEN", "s3cr3t-t0ken")
	res := drill(t, "plan", writeBootstrapScenario(t, platformGit(t), "billing"))
	if res.code == 0 || !strings.Contains(res.stdout, "waits for app billing, which the root's children in git do not include (orders, payments, web)") {
		t.Errorf("exit %d, output:\n%s%s\nwant a problem naming billing and the children", res.code, res.stdout, res.stderr)
	}
}

// A repository secret that is not there stops the run before anything is
// made: exit 2, naming the variable.
func TestRunBootstrapWithoutTheRepositorySecret(t *testing.T) {
	t.Setenv("DRILL_TEST_GIT_TOKEN", "")
	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(kubeconfig, []byte(`apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`), 0o600); err != nil {
		t.Fatal(err)
	}
	res := drill(t, "run", writeBootstrapScenario(t, "https://git.example.com/platform.git", "orders"), "--kubeconfig", kubeconfig, "--store", t.TempDir())
	if res.code != 2 || !strings.Contains(res.stderr, "environment variable DRILL_TEST_GIT_TOKEN, which is empty or unset") {
		t.Errorf("exit %d, stderr:\n%s\nwant 2 naming DRILL_TEST_GIT_TOKEN", res.code, res.stderr)
	}
}

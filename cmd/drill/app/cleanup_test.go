package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/restore-drill/drill/cmd/drill/app"
	"github.com/restore-drill/drill/sandbox/local/localtest"
)

// kubeconfigFor writes a kubeconfig whose cluster is at server.
func kubeconfigFor(t *testing.T, server string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kubeconfig")
	content := `apiVersion: v1
kind: Config
current-context: lab
clusters:
- name: lab
  cluster: {server: "` + server + `"}
users:
- name: me
  user: {token: cleanup-test-token-0815}
contexts:
- name: lab
  context: {cluster: lab, user: me}
`
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// An API server that does not answer is an infrastructure error (exit 3),
// and the error names it without the credentials.
func TestCleanupUnreachableCluster(t *testing.T) {
	server := "https://" + localtest.ReservePort(t).Addr() // nothing listens there
	kubeconfig := kubeconfigFor(t, server)

	for _, args := range [][]string{
		{"cleanup", "--kubeconfig", kubeconfig},
		{"cleanup", "--kubeconfig", kubeconfig, "--dry-run", "-o", "json"},
	} {
		r := drill(t, args...)
		if r.code != app.ExitInfra {
			t.Fatalf("drill %v: exit %d, want %d; stderr:\n%s", args, r.code, app.ExitInfra, r.stderr)
		}
		if !strings.Contains(r.stderr, "the API server "+server+" does not answer") {
			t.Errorf("stderr does not name the server:\n%s", r.stderr)
		}
		if strings.Contains(r.stderr+r.stdout, "cleanup-test-token-0815") {
			t.Fatalf("the token was printed:\n%s%s", r.stdout, r.stderr)
		}
	}
}

func TestCleanupWithoutACluster(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "absent")
	r := drill(t, "cleanup", "--kubeconfig", missing)
	if r.code != app.ExitInfra || !strings.Contains(r.stderr, "kubeconfig "+missing) {
		t.Fatalf("exit %d, want %d naming the kubeconfig; stderr:\n%s", r.code, app.ExitInfra, r.stderr)
	}
	t.Setenv("DRILL_CONTEXT", "no-such-context")
	r = drill(t, "cleanup", "--kubeconfig", kubeconfigFor(t, "https://127.0.0.1:1"))
	if r.code != app.ExitInfra || !strings.Contains(r.stderr, `context "no-such-context" does not exist`) {
		t.Fatalf("DRILL_CONTEXT: exit %d, want %d naming the context; stderr:\n%s", r.code, app.ExitInfra, r.stderr)
	}
}

func TestCleanupUsage(t *testing.T) {
	for _, args := range [][]string{
		{"cleanup", "extra"},
		{"cleanup", "-o", "xml"},
		{"cleanup", "--timeout", "soon"},
	} {
		if r := drill(t, args...); r.code != app.ExitInvalid {
			t.Errorf("drill %v: exit %d, want %d; stderr:\n%s", args, r.code, app.ExitInvalid, r.stderr)
		}
	}
}

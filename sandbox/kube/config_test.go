package kube

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/restore-drill/drill/drills/fault"
)

const twoContexts = `apiVersion: v1
kind: Config
current-context: prod
clusters:
- name: prod
  cluster: {server: "https://prod.example:6443"}
- name: test
  cluster: {server: "https://test.example:6443"}
users:
- name: me
  user: {token: not-a-real-token}
contexts:
- name: prod
  context: {cluster: prod, user: me}
- name: test
  context: {cluster: test, user: me, namespace: drills}
`

func writeKubeconfig(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoad(t *testing.T) {
	path := writeKubeconfig(t, twoContexts)
	tests := []struct {
		name       string
		kubeconfig string
		env        string
		context    string
		wantHost   string
		wantNS     string
	}{
		{"current context of --kubeconfig", path, "", "", "https://prod.example:6443", "default"},
		{"--context", path, "", "test", "https://test.example:6443", "drills"},
		{"KUBECONFIG", "", path, "test", "https://test.example:6443", "drills"},
		{"--kubeconfig wins over KUBECONFIG", path, writeKubeconfig(t, "apiVersion: v1\nkind: Config\n"), "", "https://prod.example:6443", "default"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("KUBECONFIG", tc.env)
			cfg, ns, err := Load(tc.kubeconfig, tc.context)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Host != tc.wantHost || ns != tc.wantNS {
				t.Fatalf("got host %s, namespace %s; want %s, %s", cfg.Host, ns, tc.wantHost, tc.wantNS)
			}
		})
	}
}

func TestLoadErrorsSayWhereAndWhat(t *testing.T) {
	path := writeKubeconfig(t, twoContexts)
	missing := filepath.Join(t.TempDir(), "absent")
	tests := []struct {
		name       string
		kubeconfig string
		env        string
		context    string
		want       []string
	}{
		{"unknown context", path, "", "staging", []string{"kubeconfig " + path, "context staging", `"staging" does not exist`, "--context"}},
		{"missing file", missing, "", "", []string{"kubeconfig " + missing, "--kubeconfig or KUBECONFIG"}},
		{"empty KUBECONFIG file", "", writeKubeconfig(t, ""), "", []string{"no cluster configured", "KUBECONFIG"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("KUBECONFIG", tc.env)
			t.Setenv("KUBERNETES_SERVICE_HOST", "") // not in a pod
			_, _, err := Load(tc.kubeconfig, tc.context)
			if err == nil {
				t.Fatal("no error")
			}
			if !fault.IsInfra(err) {
				t.Errorf("error %v is not an infrastructure error", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

func TestReachable(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/version" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"major":"1","minor":"31","gitVersion":"v1.31.14"}`))
	}))
	defer srv.Close()
	cfg, _, err := Load(writeKubeconfig(t, strings.ReplaceAll(twoContexts, "https://prod.example:6443", srv.URL)), "")
	if err != nil {
		t.Fatal(err)
	}
	if err := Reachable(context.Background(), cfg); err != nil {
		t.Fatalf("a server that answers is unreachable: %v", err)
	}

	srv.Close()
	err = Reachable(context.Background(), cfg)
	if !fault.IsInfra(err) || !strings.Contains(err.Error(), srv.URL) {
		t.Fatalf("a stopped server: %v; want an infrastructure error naming %s", err, srv.URL)
	}
	if strings.Contains(err.Error(), "not-a-real-token") {
		t.Fatalf("the error shows the token: %v", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = Reachable(ctx, cfg)
	if !errors.Is(err, context.Canceled) || fault.IsInfra(err) {
		t.Fatalf("an interrupted check: %v; want the interrupt, not an infrastructure error", err)
	}
}

package kind

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/cluster"
)

var run = sandbox.Options{RunID: "20261127-141500-a1b2c3d4", Scenario: "platform-rebuild"}

func TestCreateAndDestroy(t *testing.T) {
	k := &fakeKind{existing: []string{"kind", "drill-other-12345678"}}
	var progress bytes.Buffer
	p, fc := testProvider(Options{NodeImage: "kindest/node:v1.31.14", ConfigFile: writeFile(t, "kind.yaml"), Progress: &progress}, k, nil)
	p.tempDir = t.TempDir()
	sb, err := p.Create(context.Background(), run)
	if err != nil {
		t.Fatal(err)
	}
	const name = "drill-platform-rebuild-a1b2c3d4"
	if len(k.created) != 1 || k.created[0] != name {
		t.Fatalf("kind created %v, want [%s]", k.created, name)
	}
	o := k.createOpt
	if o.NodeImage != "kindest/node:v1.31.14" || o.ConfigFile != p.opts.ConfigFile || o.WaitForReady != DefaultWaitForReady {
		t.Errorf("create options %+v", o)
	}
	// The kubeconfig is the run's own: a private file in a private
	// directory, never the user's.
	if filepath.Dir(filepath.Dir(o.Kubeconfig)) != p.tempDir {
		t.Errorf("kubeconfig %s, want it in a directory of its own under %s", o.Kubeconfig, p.tempDir)
	}
	assertMode(t, o.Kubeconfig, 0o600)
	assertMode(t, filepath.Dir(o.Kubeconfig), 0o700|os.ModeDir)
	cl := sb.(sandbox.Cluster)
	if cl.Kube().Config == nil || cl.Kube().Config.Host != "https://127.0.0.1:40123" || cl.Kube().Config.BearerToken != "not-a-real-one" {
		t.Errorf("Kube().Config = %+v, want the new cluster's from the private kubeconfig", cl.Kube().Config)
	}
	if fc.run != run || fc.opts.Describe != "kind cluster "+name {
		t.Errorf("cluster sandbox opened with %+v for %+v", fc.opts, fc.run)
	}
	if d := sb.Describe(); !strings.Contains(d, name) || !strings.Contains(d, "docker") || strings.Contains(d, "not-a-real-one") {
		t.Errorf("Describe() = %q", d)
	}
	if !strings.Contains(progress.String(), "creating kind cluster "+name+" with docker, node image kindest/node:v1.31.14") {
		t.Errorf("progress %q", progress.String())
	}

	if err := sb.Destroy(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(k.deleted) != 1 || k.deleted[0] != name || k.deleteKC != o.Kubeconfig {
		t.Errorf("kind deleted %v with kubeconfig %s; want [%s] with the private one", k.deleted, k.deleteKC, name)
	}
	if _, err := os.Stat(filepath.Dir(o.Kubeconfig)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("private kubeconfig directory after Destroy: %v, want it gone", err)
	}
	if fc.destroyed != 1 {
		t.Errorf("run's namespace released %d times, want once", fc.destroyed)
	}
	if err := sb.Destroy(context.Background()); err != nil || len(k.deleted) != 1 {
		t.Errorf("second Destroy: %v, kind deleted %v; want nothing more", err, k.deleted)
	}
}

func TestKeepKeepsTheCluster(t *testing.T) {
	k := &fakeKind{}
	var progress bytes.Buffer
	p, fc := testProvider(Options{Name: "dr-rehearsal", Progress: &progress}, k, nil)
	p.tempDir = t.TempDir()
	sb, err := p.Create(context.Background(), run)
	if err != nil {
		t.Fatal(err)
	}
	if err := sb.(sandbox.Keeper).Keep(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := sb.Destroy(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(k.deleted) != 0 || fc.kept != 1 || fc.destroyed != 0 {
		t.Errorf("kind deleted %v, namespace kept %d destroyed %d; want the cluster kept", k.deleted, fc.kept, fc.destroyed)
	}
	if !strings.Contains(progress.String(), "kind delete cluster --name dr-rehearsal") {
		t.Errorf("progress %q does not say how to delete the cluster", progress.String())
	}
	if _, err := os.Stat(filepath.Dir(k.createOpt.Kubeconfig)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("private kubeconfig after Keep: %v, want it removed", err)
	}
}

func TestCreateRefuses(t *testing.T) {
	tests := []struct {
		name      string
		kind      *fakeKind
		opts      Options
		detectErr error
		want      string
	}{
		{
			name:      "no container runtime",
			kind:      &fakeKind{},
			detectErr: errors.New("no usable container runtime for the kind sandbox (docker: not found)"),
			want:      "docker: not found",
		},
		{
			name: "a cluster of that name exists",
			kind: &fakeKind{existing: []string{"dr"}},
			opts: Options{Name: "dr"},
			want: "kind cluster dr already exists: drill never uses or deletes a cluster it did not make",
		},
		{
			name: "config file missing",
			kind: &fakeKind{},
			opts: Options{ConfigFile: "/nonexistent/kind.yaml"},
			want: "kind config file: stat /nonexistent/kind.yaml",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := testProvider(tt.opts, tt.kind, tt.detectErr)
			p.tempDir = t.TempDir()
			_, err := p.Create(context.Background(), run)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !fault.IsInfra(err) {
				t.Fatalf("Create: %v, want an infrastructure error containing %q", err, tt.want)
			}
			if len(tt.kind.created) != 0 || len(tt.kind.deleted) != 0 {
				t.Errorf("kind created %v, deleted %v; want nothing touched", tt.kind.created, tt.kind.deleted)
			}
			assertEmpty(t, p.tempDir)
		})
	}
}

// A create that fails, or a cluster sandbox that cannot be opened in it,
// leaves nothing: the cluster is deleted and the kubeconfig removed.
func TestCreateFailureLeavesNothing(t *testing.T) {
	for _, tt := range []struct {
		name    string
		kind    *fakeKind
		openErr error
		want    string
	}{
		{name: "kind fails", kind: &fakeKind{createErr: errors.New("failed to init node with kubeadm")}, want: "failed to init node with kubeadm"},
		{name: "namespace fails", kind: &fakeKind{}, openErr: errors.New("the API server does not answer"), want: "does not answer"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := testProvider(Options{}, tt.kind, nil)
			p.tempDir = t.TempDir()
			if tt.openErr != nil {
				p.open = func(context.Context, cluster.Options, sandbox.Options) (clusterSandbox, error) {
					return nil, tt.openErr
				}
			}
			_, err := p.Create(context.Background(), run)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !fault.IsInfra(err) {
				t.Fatalf("Create: %v, want an infrastructure error containing %q", err, tt.want)
			}
			if len(tt.kind.deleted) != 1 || tt.kind.deleted[0] != tt.kind.created[0] {
				t.Errorf("kind created %v, deleted %v; want the cluster deleted again", tt.kind.created, tt.kind.deleted)
			}
			assertEmpty(t, p.tempDir)
		})
	}
}

// An interrupt while kind makes the cluster deletes it under kind, waits
// for kind to give up, and returns the context's error, unmarked.
func TestCreateInterrupted(t *testing.T) {
	k := &fakeKind{block: make(chan struct{}), createErr: errors.New("node container gone")}
	p, _ := testProvider(Options{}, k, nil)
	p.tempDir = t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err := p.Create(ctx, run)
	if !errors.Is(err, context.Canceled) || fault.IsInfra(err) {
		t.Fatalf("Create: %v, want context.Canceled, not an infrastructure error", err)
	}
	if len(k.deleted) < 1 {
		t.Errorf("kind deleted %v, want the cluster being made deleted", k.deleted)
	}
	assertEmpty(t, p.tempDir)
}

func TestName(t *testing.T) {
	for _, tt := range []struct{ scenario, runID, want string }{
		{"billing", "20261127-141500-a1b2c3d4", "drill-billing-a1b2c3d4"},
		{"a-very-long-scenario-name-for-the-quarterly-full-cluster-rebuild", "20261127-141500-a1b2c3d4", "drill-a-very-long-scenario-name-for-the-q-a1b2c3d4"},
	} {
		got := Name(tt.scenario, tt.runID)
		if got != tt.want || len(got) > MaxName {
			t.Errorf("Name(%q) = %q (%d characters), want %q (at most %d)", tt.scenario, got, len(got), tt.want, MaxName)
		}
	}
}

func writeFile(t *testing.T, name string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode() != want {
		t.Errorf("%s has mode %v, want %v", path, fi.Mode(), want)
	}
}

func assertEmpty(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("%s holds %v, want nothing left", dir, entries)
	}
}

package kind

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/cluster"
)

// fakeKind stands in for kind's provider (Docker is not there in tests): it
// records every call, and Create writes a kubeconfig as kind does.
type fakeKind struct {
	mu        sync.Mutex
	existing  []string
	created   []string
	createOpt createOptions
	deleted   []string
	deleteKC  string
	createErr error
	block     chan struct{} // when set, Create waits for it to close
}

func (f *fakeKind) Create(name string, o createOptions) error {
	f.mu.Lock()
	f.created = append(f.created, name)
	f.createOpt = o
	block := f.block
	f.mu.Unlock()
	if block != nil {
		<-block
	}
	if f.createErr != nil {
		return f.createErr
	}
	return os.WriteFile(o.Kubeconfig, []byte(fmt.Sprintf(kubeconfigFor, name, name, name, name, name, name)), 0o644)
}

func (f *fakeKind) Delete(name, kubeconfig string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.deleted = append(f.deleted, name)
	f.deleteKC = kubeconfig
	if f.block != nil {
		select {
		case <-f.block:
		default:
			close(f.block) // the nodes are gone: kind's create fails
		}
	}
	return nil
}

func (f *fakeKind) List() ([]string, error) { return f.existing, nil }

// kubeconfigFor is what kind writes for cluster NAME: context kind-NAME.
const kubeconfigFor = `apiVersion: v1
kind: Config
clusters:
- name: kind-%s
  cluster: {server: "https://127.0.0.1:40123"}
users:
- name: kind-%s
  user: {token: not-a-real-one}
contexts:
- name: kind-%s
  context: {cluster: kind-%s, user: kind-%s}
current-context: kind-%s
`

// fakeCluster stands in for sandbox/cluster's sandbox, which has tests of
// its own.
type fakeCluster struct {
	opts            cluster.Options
	run             sandbox.Options
	destroyed, kept int
}

func (f *fakeCluster) Describe() string { return "fake" }
func (f *fakeCluster) Postgres(context.Context, string) (*sandbox.PostgresServer, error) {
	return nil, errors.New("no targets in the fake")
}
func (f *fakeCluster) Destroy(context.Context) error { f.destroyed++; return nil }
func (f *fakeCluster) Keep(context.Context) error    { f.kept++; return nil }
func (f *fakeCluster) Kube() sandbox.KubeAccess {
	return sandbox.KubeAccess{Config: f.opts.Config, Namespace: "drill-" + f.run.Scenario + "-x", Labels: map[string]string{"run": f.run.RunID}}
}
func (f *fakeCluster) Diagnose(_ context.Context, dir string) ([]string, error) {
	return []string{filepath.Join("kube-system", "events.txt")}, nil
}

// testProvider is a provider with a fake kind, a fake cluster sandbox and
// runtime detection that finds docker (or fails with detectErr).
func testProvider(o Options, k *fakeKind, detectErr error) (*Provider, *fakeCluster) {
	p := NewProvider(o)
	fc := &fakeCluster{}
	p.detect = func(context.Context) (string, error) {
		if detectErr != nil {
			return "", detectErr
		}
		return Docker, nil
	}
	p.kind = func(string) clusters { return k }
	p.open = func(_ context.Context, co cluster.Options, so sandbox.Options) (clusterSandbox, error) {
		fc.opts, fc.run = co, so
		return fc, nil
	}
	return p, fc
}

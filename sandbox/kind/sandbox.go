package kind

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"k8s.io/client-go/rest"

	"github.com/restore-drill/drill/sandbox"
)

// Sandbox is one run's kind cluster.
type Sandbox struct {
	p          *Provider
	kind       clusters
	name       string
	runtime    string
	dir        string // private: holds the kubeconfig; removed at teardown
	kubeconfig string
	config     *rest.Config
	inner      clusterSandbox // the run's namespace in the new cluster

	mu      sync.Mutex
	deleted bool // the cluster is gone
	kept    bool // Keep was called: Destroy deletes nothing
}

var (
	_ sandbox.Cluster = (*Sandbox)(nil)
	_ sandbox.Keeper  = (*Sandbox)(nil)
)

// Name is the kind cluster's name.
func (s *Sandbox) Name() string { return s.name }

// Describe names the cluster, its runtime, API server and the run's
// namespace.
func (s *Sandbox) Describe() string {
	return fmt.Sprintf("kind cluster %s (%s, API server %s), namespace %s", s.name, s.runtime, restHost(s.config), s.inner.Kube().Namespace)
}

// Kube is the run's namespace in the new cluster, reached through the
// private kubeconfig.
func (s *Sandbox) Kube() sandbox.KubeAccess { return s.inner.Kube() }

// Postgres resolves the restore's target in the run's namespace, as the
// namespace sandbox does.
func (s *Sandbox) Postgres(ctx context.Context, restore string) (*sandbox.PostgresServer, error) {
	return s.inner.Postgres(ctx, restore)
}

// Diagnose writes the diagnostics of the run's namespaces and kube-system
// (see sandbox/cluster).
func (s *Sandbox) Diagnose(ctx context.Context, dir string) ([]string, error) {
	return s.inner.Diagnose(ctx, dir)
}

// Destroy deletes the cluster and the private kubeconfig. After Keep it
// deletes nothing. Safe to call more than once: a call after one that
// failed tries again.
func (s *Sandbox) Destroy(ctx context.Context) error {
	s.mu.Lock()
	kept := s.kept
	s.mu.Unlock()
	if kept {
		return nil
	}
	// The run's namespace goes with the cluster; deleting it first only
	// stops this process's port-forwards and heartbeat cleanly.
	releaseCtx, cancel := context.WithTimeout(ctx, releaseTimeout)
	if err := s.inner.Destroy(releaseCtx); err != nil && ctx.Err() == nil {
		fmt.Fprintf(s.p.opts.Progress, "warning: %v (the cluster is deleted anyway)\n", err)
	}
	cancel()
	return s.deleteCluster(ctx)
}

// Keep leaves the cluster for a person to look into: it stops this
// process's port-forwards and heartbeat, removes the private kubeconfig
// (it holds the cluster's admin credentials) and says how to reach and
// delete the cluster. Only the first call of Keep or Destroy does anything.
func (s *Sandbox) Keep(ctx context.Context) error {
	s.mu.Lock()
	if s.kept || s.deleted {
		s.mu.Unlock()
		return nil
	}
	s.kept = true
	s.mu.Unlock()
	err := s.inner.Keep(ctx)
	if rmErr := os.RemoveAll(s.dir); rmErr != nil {
		err = errors.Join(err, fmt.Errorf("remove the private kubeconfig of kind cluster %s: %w", s.name, rmErr))
	}
	fmt.Fprintf(s.p.opts.Progress, "kind cluster %s kept; reach it with: kind export kubeconfig --name %s; delete it with: kind delete cluster --name %s\n", s.name, s.name, s.name)
	return err
}

// createCluster runs kind's create, which takes no context: when ctx ends
// first, the cluster is deleted under it (so that kind's next step fails
// at once) and createCluster waits for kind to return.
func (s *Sandbox) createCluster(ctx context.Context) error {
	done := make(chan error, 1)
	go func() {
		done <- s.kind.Create(s.name, createOptions{
			NodeImage:    s.p.opts.NodeImage,
			ConfigFile:   s.p.opts.ConfigFile,
			Kubeconfig:   s.kubeconfig,
			WaitForReady: s.p.opts.WaitForReady,
		})
	}()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("create kind cluster %s: %w", s.name, err)
		}
		return nil
	case <-ctx.Done():
		fmt.Fprintf(s.p.opts.Progress, "interrupted: deleting kind cluster %s while it is made\n", s.name)
		_ = s.kind.Delete(s.name, s.kubeconfig)
		<-done
		return fmt.Errorf("create kind cluster %s: %w", s.name, context.Cause(ctx))
	}
}

// deleteCluster deletes the cluster (its nodes; the kubeconfig's entry is
// removed from the private file only) and then the private directory.
// kind's delete takes no context; ctx bounds only the wait for it.
func (s *Sandbox) deleteCluster(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.deleted {
		done := make(chan error, 1)
		go func() { done <- s.kind.Delete(s.name, s.kubeconfig) }()
		select {
		case err := <-done:
			if err != nil {
				return fmt.Errorf("delete kind cluster %s: %w; delete it with: kind delete cluster --name %s", s.name, err, s.name)
			}
		case <-ctx.Done():
			return fmt.Errorf("delete kind cluster %s: %w; delete it with: kind delete cluster --name %s", s.name, context.Cause(ctx), s.name)
		}
		s.deleted = true
		fmt.Fprintf(s.p.opts.Progress, "kind cluster %s deleted\n", s.name)
	}
	if err := os.RemoveAll(s.dir); err != nil {
		return fmt.Errorf("remove the private kubeconfig of kind cluster %s: %w", s.name, err)
	}
	return nil
}

package namespace

import (
	"context"
	"fmt"
	"sync"

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"

	"github.com/restore-drill/drill/sandbox"
)

// Sandbox is one run's namespace.
type Sandbox struct {
	p      *Provider
	cs     kubernetes.Interface
	name   string
	uid    types.UID // of the namespace Create made; deletion is bound to it
	runID  string
	labels map[string]string

	heartbeat *heartbeat

	mu       sync.Mutex
	servers  map[string]*sandbox.PostgresServer // by restore
	forwards []portForward
	stopped  bool // forwards and heartbeat stopped by Destroy
}

var _ sandbox.Cluster = (*Sandbox)(nil)

// Namespace is the sandbox's namespace.
func (s *Sandbox) Namespace() string { return s.name }

// Describe names the namespace and the cluster; a retained one says how to
// remove it later.
func (s *Sandbox) Describe() string {
	d := fmt.Sprintf("namespace %s on %s", s.name, kubeConfigHost(s.p.opts.Config))
	if s.p.opts.Retain {
		d += fmt.Sprintf(" (kept after the run; remove it with: drill cleanup --run %s)", s.runID)
	}
	return d
}

// Kube is the sandbox's place in the cluster.
func (s *Sandbox) Kube() sandbox.KubeAccess {
	return sandbox.KubeAccess{Config: s.p.opts.Config, Namespace: s.name, Labels: copyMap(s.labels)}
}

// Destroy stops the port-forwards and the heartbeat, then deletes the
// namespace and watches until it is gone, bounded by ctx. With Retain it
// deletes nothing and says how to remove the namespace later. It never
// deletes a namespace that does not carry this run's label, and is safe to
// call more than once: a call after one that ctx cut short tries again.
func (s *Sandbox) Destroy(ctx context.Context) error {
	firstStop := s.stop()
	if s.p.opts.Retain {
		if firstStop {
			if err := markRetained(ctx, s.cs, s.name, s.p.now()); err != nil {
				fmt.Fprintf(s.p.opts.Progress, "    warning: %v: drill cleanup will take it for a leftover once its heartbeat is 3 minutes old\n", err)
			}
			fmt.Fprintf(s.p.opts.Progress, "    namespace %s kept; remove it with: drill cleanup --run %s\n", s.name, s.runID)
		}
		return nil
	}
	if err := deleteNamespace(ctx, s.cs, s.name, s.runID, s.uid); err != nil {
		return fmt.Errorf("%w; drill cleanup --run %s removes it later", err, s.runID)
	}
	return nil
}

// stop closes the port-forwards and ends the heartbeat, once. It says
// whether this call did it.
func (s *Sandbox) stop() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return false
	}
	s.stopped = true
	for _, f := range s.forwards {
		f.Close()
	}
	s.forwards = nil
	if err := s.heartbeat.stop(); err != nil {
		// The run went on; only cleanup's view of it may have been wrong.
		fmt.Fprintf(s.p.opts.Progress, "    warning: %v\n", err)
	}
	return true
}

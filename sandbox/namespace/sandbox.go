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
	stopped  bool // forwards and heartbeat stopped by Keep or Destroy
	kept     bool // Keep was called: Destroy deletes nothing
}

var (
	_ sandbox.Cluster = (*Sandbox)(nil)
	_ sandbox.Keeper  = (*Sandbox)(nil)
)

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
// namespace and watches until it is gone, bounded by ctx. With Retain, or
// after Keep, it deletes nothing (see Keep). It never deletes a namespace
// that does not carry this run's label, and is safe to call more than once:
// a call after one that ctx cut short tries again.
func (s *Sandbox) Destroy(ctx context.Context) error {
	if s.p.opts.Retain {
		return s.Keep(ctx)
	}
	s.stop()
	s.mu.Lock()
	kept := s.kept
	s.mu.Unlock()
	if kept {
		return nil
	}
	if err := deleteNamespace(ctx, s.cs, s.name, s.runID, s.uid); err != nil {
		return fmt.Errorf("%w; drill cleanup --run %s removes it later", err, s.runID)
	}
	return nil
}

// Keep leaves the namespace for a person to look into: it stops the
// port-forwards and the heartbeat, marks the namespace as kept on purpose
// (so that drill cleanup leaves it until it expires or its run is named),
// says how to remove it, and deletes nothing. Only the first call of Keep or
// Destroy does anything.
func (s *Sandbox) Keep(ctx context.Context) error {
	if !s.stop() {
		return nil
	}
	s.mu.Lock()
	s.kept = true
	s.mu.Unlock()
	fmt.Fprintf(s.p.opts.Progress, "    namespace %s kept; remove it with: drill cleanup --run %s\n", s.name, s.runID)
	if err := markRetained(ctx, s.cs, s.name, s.p.now()); err != nil {
		return fmt.Errorf("%w: drill cleanup will take it for a leftover once its heartbeat is %s old", err, DefaultStaleAfter)
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

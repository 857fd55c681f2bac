package cluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"sync"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/kubernetes"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/kube"
	"github.com/restore-drill/drill/sandbox/namespace"
)

// systemNamespace is diagnosed besides the run's namespaces: a cluster
// whose DNS, network or storage is not up fails every app.
const systemNamespace = "kube-system"

// Provider creates cluster sandboxes.
type Provider struct {
	opts Options

	// Replaced in tests: the clientset, the namespace sandbox's provider
	// and the reachability check.
	clients    func() (kubernetes.Interface, error)
	namespaces func(namespace.Options) sandbox.Provider
	reachable  func(context.Context) error
}

var _ sandbox.Provider = (*Provider)(nil)

// NewProvider returns a provider of sandboxes in the cluster o.Config
// reaches. Nothing is contacted until Create.
func NewProvider(o Options) *Provider {
	return &Provider{
		opts: o,
		clients: func() (kubernetes.Interface, error) {
			if o.Config == nil {
				return nil, errors.New("no cluster configured: load one with sandbox/kube.Load")
			}
			return kubernetes.NewForConfig(o.Config)
		},
		namespaces: namespace.NewProvider,
		reachable: func(ctx context.Context) error {
			if o.Config == nil {
				return errors.New("no cluster configured: load one with sandbox/kube.Load")
			}
			return kube.Reachable(ctx, o.Config)
		},
	}
}

// Create checks that the cluster answers and makes the run's namespace.
// On error nothing is left behind. Errors other than ctx's end are marked
// with fault.Infra.
func (p *Provider) Create(ctx context.Context, o sandbox.Options) (sandbox.Sandbox, error) {
	sb, err := p.Open(ctx, o)
	if err != nil {
		return nil, err
	}
	return sb, nil
}

// Open is Create with the concrete type, for the kind sandbox.
func (p *Provider) Open(ctx context.Context, o sandbox.Options) (*Sandbox, error) {
	if err := p.reachable(ctx); err != nil {
		return nil, fmt.Errorf("create cluster sandbox for run %s: %w", o.RunID, err)
	}
	cs, err := p.clients()
	if err != nil {
		return nil, fault.Infra(fmt.Errorf("create cluster sandbox for run %s: %w", o.RunID, err))
	}
	progress := p.opts.Progress
	if progress == nil {
		progress = io.Discard
	}
	inner, err := p.namespaces(namespace.Options{
		Config:   p.opts.Config,
		Prefix:   p.opts.Prefix,
		Targets:  p.opts.Targets,
		Progress: progress,
		BinDir:   p.opts.BinDir,
	}).Create(ctx, o)
	if err != nil {
		return nil, err // already says what, and marked
	}
	cl, ok := inner.(sandbox.Cluster)
	if !ok {
		return nil, fmt.Errorf("the namespace sandbox of run %s is not a cluster sandbox", o.RunID)
	}
	return &Sandbox{opts: p.opts, cs: cs, inner: cl, runID: o.RunID, progress: progress}, nil
}

// Sandbox is one run's place in an existing cluster.
type Sandbox struct {
	opts     Options
	cs       kubernetes.Interface
	inner    sandbox.Cluster // the run's own namespace
	runID    string
	progress io.Writer

	mu   sync.Mutex
	done bool // Keep or Destroy has run to completion
}

var (
	_ sandbox.Cluster = (*Sandbox)(nil)
	_ sandbox.Keeper  = (*Sandbox)(nil)
)

// Describe names the cluster and the run's namespace.
func (s *Sandbox) Describe() string {
	what := s.opts.Describe
	if what == "" && s.opts.Config != nil {
		what = "cluster " + s.opts.Config.Host
	}
	return fmt.Sprintf("%s, namespace %s", what, s.inner.Kube().Namespace)
}

// Kube is the run's namespace in the cluster, and the run's labels.
func (s *Sandbox) Kube() sandbox.KubeAccess { return s.inner.Kube() }

// Postgres resolves the restore's target in the run's namespace.
func (s *Sandbox) Postgres(ctx context.Context, restore string) (*sandbox.PostgresServer, error) {
	return s.inner.Postgres(ctx, restore)
}

// Diagnose writes the diagnostics of every namespace of the run and of
// kube-system, each into its own directory under dir (see
// sandbox/kube.Diagnose), and returns the files' names relative to dir.
func (s *Sandbox) Diagnose(ctx context.Context, dir string) ([]string, error) {
	names, err := s.runNamespaces(ctx)
	names = append(names, systemNamespace)
	var files []string
	errs := []error{err}
	for _, ns := range names {
		got, err := kube.Diagnose(ctx, s.cs, ns, filepath.Join(dir, ns))
		for _, f := range got {
			files = append(files, filepath.Join(ns, f))
		}
		errs = append(errs, err)
	}
	return files, errors.Join(errs...)
}

// runNamespaces names the namespaces that carry this run's labels, the
// run's own first.
func (s *Sandbox) runNamespaces(ctx context.Context) ([]string, error) {
	own := s.inner.Kube().Namespace
	names := []string{own}
	list, err := s.cs.CoreV1().Namespaces().List(ctx, metav1.ListOptions{LabelSelector: s.selector()})
	if err != nil {
		return names, fmt.Errorf("list the namespaces of run %s: %w", s.runID, err)
	}
	var others []string
	for _, ns := range list.Items {
		if ns.Name != own {
			others = append(others, ns.Name)
		}
	}
	sort.Strings(others)
	return append(names, others...), nil
}

// selector matches what this run made: drill's mark and the run's id.
func (s *Sandbox) selector() string {
	return labels.SelectorFromSet(labels.Set{kube.LabelManagedBy: kube.ManagedBy, kube.LabelRunID: s.runID}).String()
}

// Destroy deletes the run's namespace and every other namespace labelled
// with this run (each only after checking its labels again), all at once,
// and watches until every one is gone, bounded by ctx: a namespace's
// deletion mostly waits on the cluster's namespace controller, so one by
// one would add those waits up. The cluster and everything without the
// run's labels stay. After Keep it deletes nothing. Safe to call more than
// once.
func (s *Sandbox) Destroy(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return nil
	}
	names, listErr := s.runNamespaces(ctx)
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, ns := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i == 0 {
				errs[i] = s.inner.Destroy(ctx)
				return
			}
			errs[i] = namespace.Remove(ctx, s.cs, nil, namespace.Leftover{Kind: namespace.KindNamespace, Name: ns, RunID: s.runID})
		}()
	}
	wg.Wait()
	if err := errors.Join(append(errs, listErr)...); err != nil {
		return fmt.Errorf("tear down the cluster sandbox of run %s: %w; drill cleanup --run %s removes what is left", s.runID, err, s.runID)
	}
	s.done = true
	return nil
}

// Keep leaves the run's namespaces for a person to look into (see
// namespace.Sandbox.Keep) and deletes nothing.
func (s *Sandbox) Keep(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return nil
	}
	s.done = true
	if k, ok := s.inner.(sandbox.Keeper); ok {
		return k.Keep(ctx)
	}
	return nil
}

package kind

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"k8s.io/client-go/rest"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/cluster"
	"github.com/restore-drill/drill/sandbox/kube"
)

// Provider creates kind sandboxes.
type Provider struct {
	opts Options

	// Replaced in tests: the runtime's detection, kind itself, and opening
	// the new cluster as a cluster sandbox.
	detect  func(context.Context) (string, error)
	kind    func(runtime string) clusters
	open    func(context.Context, cluster.Options, sandbox.Options) (clusterSandbox, error)
	tempDir string // where the private kubeconfig's directory goes; "" is os.TempDir
}

// clusterSandbox is what the kind sandbox needs of sandbox/cluster's.
type clusterSandbox interface {
	sandbox.Cluster
	sandbox.Keeper
}

var _ sandbox.Provider = (*Provider)(nil)

// NewProvider returns a provider of kind clusters. Nothing is made, and no
// runtime asked, until Create.
func NewProvider(o Options) *Provider {
	o = o.withDefaults()
	return &Provider{
		opts:   o,
		detect: func(ctx context.Context) (string, error) { return detectRuntime(ctx, os.Getenv) },
		kind:   func(runtime string) clusters { return newKindClusters(runtime, o.Progress) },
		open: func(ctx context.Context, co cluster.Options, so sandbox.Options) (clusterSandbox, error) {
			return cluster.NewProvider(co).Open(ctx, so)
		},
	}
}

// Create makes the cluster, writes its kubeconfig to a private file and
// opens it as a cluster sandbox (the run's namespace). It refuses at once
// when no container runtime answers, and when a cluster of that name
// exists already (drill never uses or deletes a cluster it did not make).
// On error nothing is left: the cluster is deleted again, even when ctx has
// ended. Errors other than ctx's end are marked with fault.Infra.
func (p *Provider) Create(ctx context.Context, o sandbox.Options) (sandbox.Sandbox, error) {
	sb, err := p.create(ctx, o)
	if err != nil {
		if ctx.Err() == nil {
			err = fault.Infra(err)
		}
		return nil, fmt.Errorf("create kind sandbox for run %s: %w", o.RunID, err)
	}
	return sb, nil
}

func (p *Provider) create(ctx context.Context, o sandbox.Options) (_ *Sandbox, err error) {
	runtime, err := p.detect(ctx)
	if err != nil {
		return nil, err
	}
	name := p.opts.Name
	if name == "" {
		name = Name(o.Scenario, o.RunID)
	}
	if p.opts.ConfigFile != "" {
		if _, err := os.Stat(p.opts.ConfigFile); err != nil {
			return nil, fmt.Errorf("kind config file: %w", err)
		}
	}
	k := p.kind(runtime)
	existing, err := k.List()
	if err != nil {
		return nil, fmt.Errorf("list the kind clusters of %s: %w", runtime, err)
	}
	if slices.Contains(existing, name) {
		return nil, fmt.Errorf("kind cluster %s already exists: drill never uses or deletes a cluster it did not make; delete it with kind delete cluster --name %s, or give the scenario another sandbox.kind.name", name, name)
	}
	dir, err := os.MkdirTemp(p.tempDir, "drill-kind-"+name+"-")
	if err != nil {
		return nil, fmt.Errorf("directory for the kubeconfig of kind cluster %s: %w", name, err)
	}
	sb := &Sandbox{p: p, kind: k, name: name, runtime: runtime, dir: dir, kubeconfig: filepath.Join(dir, "kubeconfig")}
	defer func() {
		if err != nil {
			undoCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), undoTimeout)
			defer cancel()
			if undoErr := sb.deleteCluster(undoCtx); undoErr != nil {
				err = errors.Join(err, fmt.Errorf("remove the half-made kind cluster: %w", undoErr))
			}
		}
	}()
	fmt.Fprintf(p.opts.Progress, "creating kind cluster %s with %s%s\n", name, runtime, p.describeCreate())
	if err := sb.createCluster(ctx); err != nil {
		return nil, err
	}
	if err := os.Chmod(sb.kubeconfig, 0o600); err != nil {
		return nil, fmt.Errorf("kubeconfig of kind cluster %s: %w", name, err)
	}
	cfg, _, err := kube.Load(sb.kubeconfig, "kind-"+name)
	if err != nil {
		return nil, err
	}
	sb.config = cfg
	inner, err := p.open(ctx, cluster.Options{
		Config:   cfg,
		Describe: "kind cluster " + name,
		Targets:  p.opts.Targets,
		Progress: p.opts.Progress,
		BinDir:   p.opts.BinDir,
	}, o)
	if err != nil {
		return nil, err
	}
	sb.inner = inner
	return sb, nil
}

// describeCreate is what the progress line says besides the name.
func (p *Provider) describeCreate() string {
	s := ""
	if p.opts.NodeImage != "" {
		s += ", node image " + p.opts.NodeImage
	}
	if p.opts.ConfigFile != "" {
		s += ", config " + p.opts.ConfigFile
	}
	return s
}

// restHost is the API server of cfg, or "" before there is one.
func restHost(cfg *rest.Config) string {
	if cfg == nil {
		return ""
	}
	return cfg.Host
}

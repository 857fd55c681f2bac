package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/argoproj/argo-cd/v2/pkg/apis/application/v1alpha1"
	"k8s.io/client-go/rest"

	"github.com/restore-drill/drill/drills/gitops"
	"github.com/restore-drill/drill/drills/gitops/argocd"
	"github.com/restore-drill/drill/sandbox"
)

// Step names and kinds of a bootstrap (see gitops.Step).
const (
	StepArgoCD       = "bootstrap/argocd"
	StepRepositories = "bootstrap/repositories"
	appStepPrefix    = "app/"
	kindArgoCD       = "argocd"
	kindHelm         = "helm"
)

// platform is one bootstrap, from Up to Down.
type platform struct {
	opts    Options
	connect func(*rest.Config) (*clients, error)

	mu sync.Mutex
	// Set by Up as it goes, before each thing is created, so that Down
	// finds what a failed Up left.
	c           *clients
	secrets     []string // repository Secrets' names
	rootCreated bool
	children    []child
	// before are the namespaces there when Up began: any other that a child
	// deploys into is labelled for teardown.
	before map[string]bool
	labels map[string]string // the run's
}

var _ gitops.Platform = (*platform)(nil)

// New returns a Platform that bootstraps as opts say. It contacts nothing
// until Up.
func New(opts Options) gitops.Platform {
	return &platform{opts: opts.withDefaults(), connect: connect}
}

// Up runs the steps in order: Argo CD, the repository credentials, the
// root app, then the children wave by wave. It returns the first step's
// error that failed, which names it.
func (p *platform) Up(ctx context.Context, sb sandbox.Cluster, ev gitops.Events, progress io.Writer) error {
	if progress == nil {
		progress = io.Discard
	}
	progress = &lockedWriter{w: progress} // the children of a wave write at once
	kube := sb.Kube()
	c, err := p.connect(kube.Config)
	if err != nil {
		return err
	}
	p.mu.Lock()
	p.c = c
	p.mu.Unlock()
	first := gitops.Step{Name: StepArgoCD, Kind: kindArgoCD}
	if p.opts.Install != nil {
		first.Kind = kindHelm
	}
	var before map[string]bool
	if err := runStep(ev, first, func() (gitops.Result, error) {
		// What is there before anything is made: the namespaces a child
		// deploys into besides these are the run's.
		if before, err = namespaceNames(ctx, c); err != nil {
			return gitops.Result{}, err
		}
		p.mu.Lock()
		p.before, p.labels = before, kube.Labels
		p.mu.Unlock()
		return p.argoCD(ctx, c, kube, progress)
	}); err != nil {
		return err
	}
	prev := first
	if len(p.opts.Repositories) > 0 {
		step := gitops.Step{Name: StepRepositories, Kind: kindArgoCD, After: []string{prev.Name}}
		if err := runStep(ev, step, func() (gitops.Result, error) { return p.registerRepositories(ctx, c, kube, progress) }); err != nil {
			return err
		}
		prev = step
	}
	rootStep := appStep(p.opts.Root.Name, 0, []string{prev.Name})
	var root *v1alpha1.Application
	if err := runStep(ev, rootStep, func() (res gitops.Result, err error) {
		root, res, err = p.upRoot(ctx, c, kube.Labels, progress)
		return res, err
	}); err != nil {
		return err
	}
	return p.upChildren(ctx, c, root, rootStep, ev, kube.Labels, before, progress)
}

// runStep tells ev that step begins, runs it, and tells how it ended.
func runStep(ev gitops.Events, step gitops.Step, run func() (gitops.Result, error)) error {
	ev.Begin(step)
	res, err := run()
	if err != nil {
		ev.End(step, gitops.Result{}, err)
		return err
	}
	ev.End(step, res, nil)
	return nil
}

func appStep(app string, wave int, after []string) gitops.Step {
	return gitops.Step{Name: appStepPrefix + app, App: app, Kind: kindArgoCD, Wave: wave, After: after}
}

// clientsNow are the clients Up made, nil before Up.
func (p *platform) clientsNow() *clients {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.c
}

var errNotUp = errors.New("the bootstrap has not been brought up: call Up first")

// Status reads the named app now: the root or one of its children.
func (p *platform) Status(ctx context.Context, app string) (gitops.Status, error) {
	c := p.clientsNow()
	if c == nil {
		return gitops.Status{}, fmt.Errorf("argocd app %s: %w", app, errNotUp)
	}
	ns := p.opts.Namespace
	for _, ch := range p.knownChildren() {
		if ch.Name == app {
			ns = ch.Namespace
		}
	}
	a, err := readApplication(ctx, c, ns, app)
	if err != nil {
		return gitops.Status{}, err
	}
	return argocd.StatusOf(a), nil
}

// lockedWriter serializes writes: each progress line arrives whole.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

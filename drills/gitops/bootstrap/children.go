package bootstrap

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"sync"

	"github.com/argoproj/argo-cd/v2/pkg/apis/application/v1alpha1"
	synccommon "github.com/argoproj/gitops-engine/pkg/sync/common"

	"github.com/restore-drill/drill/drills/gitops"
	"github.com/restore-drill/drill/drills/gitops/argocd"
)

// child is one Application the root created.
type child struct {
	Name, Namespace string
	Wave            int
	// Automated children sync by themselves: drill only watches them.
	Automated bool
	// CreatesNamespace is the in-cluster destination namespace a manual
	// child's sync would create (syncOptions CreateNamespace=true), "" when
	// there is none.
	CreatesNamespace string
}

// childrenOf reads the child Applications the root holds, as its status
// lists them (what the root's sync applied), ordered by wave then name.
func childrenOf(ctx context.Context, c *clients, root *v1alpha1.Application) ([]child, error) {
	var out []child
	for _, r := range root.Status.Resources {
		if r.Group != applicationsResource.Group || r.Kind != "Application" {
			continue
		}
		ns := r.Namespace
		if ns == "" {
			ns = root.Namespace
		}
		app, err := readApplication(ctx, c, ns, r.Name)
		if err != nil {
			return nil, fmt.Errorf("child app %s: %w", r.Name, err)
		}
		wave := 0
		if s, ok := app.Annotations[synccommon.AnnotationSyncWave]; ok && s != "" {
			if wave, err = strconv.Atoi(s); err != nil {
				return nil, fmt.Errorf("child app %s: its %s annotation %q is not a whole number: fix it in git", r.Name, synccommon.AnnotationSyncWave, s)
			}
		}
		automated := app.Spec.SyncPolicy != nil && app.Spec.SyncPolicy.Automated != nil
		ch := child{Name: r.Name, Namespace: ns, Wave: wave, Automated: automated}
		if !automated && createsNamespace(app) {
			ch.CreatesNamespace = app.Spec.Destination.Namespace
		}
		out = append(out, ch)
	}
	slices.SortFunc(out, byWave)
	return out, nil
}

func byWave(a, b child) int {
	return cmp.Or(cmp.Compare(a.Wave, b.Wave), cmp.Compare(a.Name, b.Name))
}

// waves groups children (in wave order) by wave.
func waves(children []child) [][]child {
	var out [][]child
	for i, ch := range children {
		if i == 0 || ch.Wave != children[i-1].Wave {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], ch)
	}
	return out
}

// childSteps are the children's steps: each waits for every child of the
// wave before it, or for the root.
func childSteps(children []child, rootStep gitops.Step) [][]gitops.Step {
	after := []string{rootStep.Name}
	var out [][]gitops.Step
	for _, wave := range waves(children) {
		var steps []gitops.Step
		var names []string
		for _, ch := range wave {
			s := appStep(ch.Name, ch.Wave, slices.Clone(after))
			steps = append(steps, s)
			names = append(names, s.Name)
		}
		out = append(out, steps)
		after = names
	}
	return out
}

// upChildren tells ev about every child, then brings them up wave by wave:
// every child of a wave at once, the next wave once each is ready. The
// first wave with a failed child ends Up with those children's errors.
func (p *platform) upChildren(ctx context.Context, c *clients, root *v1alpha1.Application, rootStep gitops.Step, ev gitops.Events, labels map[string]string, before map[string]bool, progress io.Writer) error {
	children, err := childrenOf(ctx, c, root)
	if err != nil {
		return err
	}
	p.mu.Lock()
	p.children = children
	p.mu.Unlock()
	steps := childSteps(children, rootStep)
	ev.Children(slices.Concat(steps...))
	fmt.Fprintf(progress, "argocd: root %s holds %d child application(s) in %d wave(s)\n", p.opts.Root.Name, len(children), len(steps))

	for i, wave := range waves(children) {
		errs := make([]error, len(wave))
		var wg sync.WaitGroup
		for j, ch := range wave {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[j] = runStep(ev, steps[i][j], func() (gitops.Result, error) {
					return p.upChild(ctx, c, ch, labels, before, progress)
				})
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return err
		}
	}
	return nil
}

// upChild syncs one child (unless it syncs by itself), watches it until it
// is ready, and labels the namespaces it made.
func (p *platform) upChild(ctx context.Context, c *clients, ch child, labels map[string]string, before map[string]bool, progress io.Writer) (gitops.Result, error) {
	if err := makeNamespace(ctx, c, ch.CreatesNamespace, labels, before); err != nil {
		return gitops.Result{}, fmt.Errorf("child app %s: %w", ch.Name, err)
	}
	// An empty revision syncs each source at its own target revision.
	app, readyAt, err := p.syncAndWait(ctx, c, ch.Namespace, ch.Name, "", !ch.Automated, progress)
	if err != nil {
		return gitops.Result{}, fmt.Errorf("child app %s: %w", ch.Name, err)
	}
	if err := labelNewNamespaces(ctx, c, app, labels, before, progress); err != nil {
		return gitops.Result{}, fmt.Errorf("child app %s: %w", ch.Name, err)
	}
	res := argocd.ReadyResult(app, readyAt)
	fmt.Fprintf(progress, "argocd: %s %s\n", ch.Name, res.Detail)
	return res, nil
}

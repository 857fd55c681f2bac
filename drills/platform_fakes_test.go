package drills_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/restore-drill/drill/drills/gitops"
	"github.com/restore-drill/drill/sandbox"
)

// fakeChild is one child app of a fakePlatform: ready after delay, or
// failing with err. A child with after set waits for that child of its
// wave to end before its own delay, so that which of the two ends last
// does not hang on how timers fire on a loaded machine.
type fakeChild struct {
	name  string
	wave  int
	delay time.Duration
	err   error
	after string
}

// fakePlatform plays a bootstrap as a Platform would report it: Argo CD,
// the root, then its children wave by wave, each wave's children at once,
// a wave only after the one before is ready. It stands where Argo CD and
// the Kubernetes API would be.
type fakePlatform struct {
	install  time.Duration
	root     time.Duration
	children []fakeChild

	mu    sync.Mutex
	downs int
	ups   int
}

func (p *fakePlatform) Up(ctx context.Context, _ sandbox.Cluster, ev gitops.Events, progress io.Writer) error {
	p.mu.Lock()
	p.ups++
	p.mu.Unlock()
	step := func(s gitops.Step, d time.Duration, err error, after <-chan struct{}) error {
		ev.Begin(s)
		if after != nil {
			select {
			case <-after:
			case <-ctx.Done():
			}
		}
		select {
		case <-time.After(d):
		case <-ctx.Done():
			err = ctx.Err()
		}
		if err != nil {
			ev.End(s, gitops.Result{}, err)
			return err
		}
		ev.End(s, gitops.Result{Kind: s.Kind, Revision: "3f2a9c1", ReadyAt: time.Now(), Detail: "Synced + Healthy"}, nil)
		return nil
	}
	argocd := gitops.Step{Name: "bootstrap/argocd", Kind: "helm"}
	if err := step(argocd, p.install, nil, nil); err != nil {
		return err
	}
	root := gitops.Step{Name: "app/root", App: "root", Kind: "argocd", After: []string{argocd.Name}}
	if err := step(root, p.root, nil, nil); err != nil {
		return err
	}
	var steps []gitops.Step
	for _, c := range p.children {
		steps = append(steps, gitops.Step{Name: "app/" + c.name, App: c.name, Kind: "argocd", Wave: c.wave})
	}
	ev.Children(steps)
	ended := map[string]chan struct{}{}
	for _, c := range p.children {
		ended[c.name] = make(chan struct{})
	}
	after := []string{root.Name}
	for wave := 0; wave <= 1; wave++ {
		var wg sync.WaitGroup
		errs := make(chan error, len(steps))
		var names []string
		for i, c := range p.children {
			if c.wave != wave {
				continue
			}
			s := steps[i]
			s.After = after
			names = append(names, s.Name)
			wg.Add(1)
			var wait chan struct{}
			if c.after != "" {
				wait = ended[c.after]
			}
			go func() {
				defer wg.Done()
				defer close(ended[c.name])
				if err := step(s, c.delay, c.err, wait); err != nil {
					errs <- fmt.Errorf("child app %s: %w", c.name, err)
				}
			}()
		}
		wg.Wait()
		close(errs)
		if err := <-errs; err != nil {
			return err
		}
		after = names
	}
	return nil
}

func (p *fakePlatform) Status(_ context.Context, app string) (gitops.Status, error) {
	for _, c := range p.children {
		if c.name == app {
			return gitops.Status{Sync: "Synced", Health: "Healthy", Revision: "3f2a9c1"}, nil
		}
	}
	return gitops.Status{}, errors.New("no app " + app)
}

func (p *fakePlatform) Down(context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.downs++
	return nil
}

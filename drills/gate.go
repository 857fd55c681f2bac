package drills

import (
	"context"
	"slices"
	"sync"

	"github.com/restore-drill/drill/drills/gitops"
	"github.com/restore-drill/drill/scenarios"
)

// appGate lets a restore wait for the apps it needs, and no longer. Each
// app's channel closes when it has settled, one way or the other. A
// bootstrap's apps are known only once its root has synced, so every name a
// restore waits for gets a channel up front, and the bootstrap settles them
// as its children come up; when it ends, what is still open never will.
type appGate struct {
	mu   sync.Mutex
	done map[string]chan struct{}
	ok   map[string]bool
	// why says, for an app that did not settle well, why ("did not come
	// up", "is not a child of root").
	why map[string]string
	all sync.WaitGroup
	// platform closes when the bootstrap has ended; platformOK says whether
	// every step of it passed. Without a bootstrap it is closed and true.
	platform   chan struct{}
	platformOK bool
	// deployers are the apps' deployers by name, for the argocd check.
	deployers map[string]gitops.Deployer
	// phases are the phases of the apps by app name ("app/NAME"), and
	// platformPhases every phase of the bootstrap, for what waits on them.
	platformPhases []string
}

func newAppGate(sc *scenarios.Scenario) *appGate {
	g := &appGate{
		done: map[string]chan struct{}{}, ok: map[string]bool{}, why: map[string]string{},
		platform: make(chan struct{}), deployers: map[string]gitops.Deployer{},
	}
	for _, a := range sc.Apps {
		g.done[a.Name] = make(chan struct{})
	}
	for _, r := range sc.Restores {
		for _, n := range r.WaitFor {
			if g.done[n] == nil {
				g.done[n] = make(chan struct{})
			}
		}
	}
	if sc.Bootstrap == nil {
		g.platformOK = true
		close(g.platform)
	}
	return g
}

// settle marks an app up (ok) or not, with why it is not, once; later calls
// for the same app change nothing.
func (g *appGate) settle(name string, ok bool, why string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	ch := g.done[name]
	if ch == nil {
		return // nothing waits for it
	}
	select {
	case <-ch:
		return
	default:
	}
	g.ok[name] = ok
	if !ok {
		g.why[name] = why
	}
	close(ch)
}

// settleRest settles every app not settled yet as not up, for why.
func (g *appGate) settleRest(why func(name string) string) {
	g.mu.Lock()
	var open []string
	for n, ch := range g.done {
		select {
		case <-ch:
		default:
			open = append(open, n)
		}
	}
	g.mu.Unlock()
	for _, n := range open {
		g.settle(n, false, why(n))
	}
}

// endPlatform closes the bootstrap's gate.
func (g *appGate) endPlatform(ok bool, phases []string) {
	g.mu.Lock()
	g.platformOK = ok
	g.platformPhases = slices.Clone(phases)
	g.mu.Unlock()
	close(g.platform)
}

// wait blocks until every named app is up, and the whole bootstrap too when
// platform is set, and says what did not come up ("" when all did).
func (g *appGate) wait(ctx context.Context, names []string, platform bool) string {
	for _, n := range names {
		select {
		case <-g.done[n]:
		case <-ctx.Done():
			return "not started: the run ended while waiting for app " + n
		}
		g.mu.Lock()
		ok, why := g.ok[n], g.why[n]
		g.mu.Unlock()
		if !ok {
			return "not started: app " + n + " " + why
		}
	}
	if !platform {
		return ""
	}
	select {
	case <-g.platform:
	case <-ctx.Done():
		return "not started: the run ended while waiting for the bootstrap"
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.platformOK {
		return "not started: the bootstrap did not bring the platform up"
	}
	return ""
}

// waitAll waits for every app and the bootstrap and says whether all came
// up.
func (g *appGate) waitAll(ctx context.Context) bool {
	g.all.Wait()
	<-g.platform
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, ok := range g.ok {
		if !ok {
			return false
		}
	}
	return g.platformOK && ctx.Err() == nil
}

// appsByName copies the deployers, for a check to read.
func (g *appGate) appsByName() map[string]gitops.Deployer {
	g.mu.Lock()
	defer g.mu.Unlock()
	apps := make(map[string]gitops.Deployer, len(g.deployers))
	for k, d := range g.deployers {
		apps[k] = d
	}
	return apps
}

// phasesOf names the phases restore r waited for: provision, the apps it
// names and, when it waits for the whole bootstrap, every step of it.
func (g *appGate) phasesOf(r scenarios.Restore) []string {
	after := []string{"provision"}
	for _, n := range r.WaitFor {
		after = append(after, "app/"+n)
	}
	if r.WaitForPlatform {
		g.mu.Lock()
		after = append(after, g.platformPhases...)
		g.mu.Unlock()
	}
	return after
}

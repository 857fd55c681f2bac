package drills

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/restore-drill/drill/assertions"
	"github.com/restore-drill/drill/drills/gitops"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/scenarios"
)

// startApps brings every app up at once, each in its own goroutine, and
// returns the gate restores wait at. An app's removal is on the undo stack
// before it is created, so Ctrl-C during a sync still removes it.
func (x *execution) startApps(ctx context.Context) *appGate {
	g := newAppGate(x.sc)
	for i, a := range x.sc.Apps {
		g.all.Add(1)
		go func() {
			defer g.all.Done()
			ok := x.bringUp(ctx, i, a, g)
			g.settle(a.Name, ok, "did not come up")
		}()
	}
	x.startPlatform(ctx, g)
	return g
}

// bringUp brings one app up and records it.
func (x *execution) bringUp(ctx context.Context, i int, a scenarios.App, g *appGate) bool {
	name := "app/" + a.Name
	c := x.ctxs
	var cancel context.CancelFunc
	c.step, cancel = context.WithTimeoutCause(ctx, a.Timeout, fmt.Errorf("app %s was not up after %s", a.Name, a.Timeout))
	defer cancel()
	end := x.st.phase(name, "provision")
	done := x.prog.start(name, a.Kind())

	res, err := x.deploy(c.step, a, g)
	outcome, msg := classify(err, c), ""
	if err != nil {
		msg = fmt.Sprintf("app %s: %s", a.Name, appMessage(err, c))
		// An app that is not up within its own timeout is a finding of the
		// drill (the application does not start), not a run out of time.
		if outcome == results.Timeout && c.run.Err() == nil {
			outcome = results.Failed
		}
		x.fail(outcome, msg)
	} else {
		msg = res.Detail
		x.passed(res.ReadyAt, nil)
	}
	took := end(outcome, msg)
	x.st.update(func(rec *results.Record) {
		ra := &rec.Apps[i]
		ra.Outcome, ra.Message, ra.Seconds = outcome, msg, took.Seconds()
		ra.Revision, ra.Resources = res.Revision, res.Resources
		if !res.ReadyAt.IsZero() {
			at := res.ReadyAt.UTC()
			ra.ReadyAt = &at
		}
	})
	done(outcome, took, msg)
	x.st.save(ctx)
	return err == nil
}

func (x *execution) deploy(ctx context.Context, a scenarios.App, g *appGate) (gitops.Result, error) {
	cl, ok := x.sb.(sandbox.Cluster)
	if !ok {
		return gitops.Result{}, fmt.Errorf("apps need a cluster sandbox (namespace), and this one is %s", x.opts.SandboxKind)
	}
	if x.opts.Apps == nil {
		return gitops.Result{}, fmt.Errorf("this drill cannot bring apps up")
	}
	d, err := x.opts.Apps(a)
	if err != nil {
		return gitops.Result{}, err
	}
	g.mu.Lock()
	g.deployers[a.Name] = d
	g.mu.Unlock()
	x.undo.push(func(ctx context.Context) error {
		if x.keep() {
			return nil
		}
		return d.Down(ctx)
	})
	return d.Up(ctx, cl, x.prog.under("    "+a.Name+": "))
}

// clusterChecks runs every check that reads the cluster, all at once.
func (x *execution) clusterChecks(ctx context.Context, v *verifyPhase, g *appGate) {
	cl, _ := x.sb.(sandbox.Cluster)
	var wg sync.WaitGroup
	for j, c := range x.sc.Checks {
		if !c.InCluster() {
			continue
		}
		v.begin()
		wg.Add(1)
		go func() {
			defer wg.Done()
			x.runClusterCheck(ctx, j, c, cl, g)
		}()
	}
	wg.Wait()
}

func (x *execution) runClusterCheck(ctx context.Context, j int, sc scenarios.Check, cl sandbox.Cluster, g *appGate) {
	x.judgeCheck(ctx, j, sc, x.clusterPhases(), func(ctx context.Context) (checkResult, error) {
		if cl == nil {
			return checkResult{}, fmt.Errorf("a %s check reads a cluster, and the %s sandbox is none", sc.Kind(), x.opts.SandboxKind)
		}
		if x.opts.ClusterChecks == nil {
			return checkResult{}, fmt.Errorf("this drill cannot run %s checks", sc.Kind())
		}
		chk, err := x.opts.ClusterChecks(sc)
		if err != nil {
			return checkResult{}, err
		}
		return resultOf(chk.Run(ctx, assertions.ClusterEnv{Kube: cl.Kube(), Apps: g.appsByName()})), nil
	})
}

// diagnose collects what a person needs to see why a cluster sandbox's run
// did not pass, before teardown removes it. It never changes the outcome.
func (x *execution) diagnose(caller context.Context) {
	cl, ok := x.sb.(sandbox.Cluster)
	if !ok || x.opts.DiagnosticsDir == "" {
		return
	}
	x.mu.Lock()
	verdict := x.verdict
	x.mu.Unlock()
	if verdict == results.Passed || verdict == results.Interrupted {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(caller), time.Minute)
	defer cancel()
	dir := x.opts.DiagnosticsDir + "/" + x.opts.RunID
	files, err := cl.Diagnose(ctx, dir)
	for k, f := range files {
		files[k] = x.opts.RunID + "/" + f
	}
	x.st.update(func(r *results.Record) { r.Diagnostics = files })
	msg := fmt.Sprintf("%d file(s) in %s", len(files), dir)
	if err != nil {
		msg += "; incomplete: " + err.Error()
	}
	x.prog.printf("  diagnostics: %s", strings.TrimSpace(msg))
}

// appMessage keeps both why the step ended ("app shop was not up after
// 10m") and the app's last status that the deployer reported with it.
func appMessage(err error, c contexts) string {
	why := stepMessage(err, c)
	if why == err.Error() || errors.Is(err, context.Canceled) || err.Error() == context.DeadlineExceeded.Error() {
		return why
	}
	return why + ": " + err.Error()
}

// clusterPhases names every app, bootstrap and restore phase so far: a
// check of the cluster runs once all of them have ended.
func (x *execution) clusterPhases() []string {
	var names []string
	x.st.update(func(r *results.Record) {
		for _, p := range r.Phases {
			if strings.HasPrefix(p.Name, "app/") || strings.HasPrefix(p.Name, "restore/") || strings.HasPrefix(p.Name, "bootstrap/") {
				names = append(names, p.Name)
			}
		}
	})
	return names
}

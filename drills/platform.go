package drills

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/restore-drill/drill/drills/gitops"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/sandbox"
)

// startPlatform runs the scenario's bootstrap, if it has one, in its own
// goroutine beside the apps: Argo CD, repositories, the root and its
// children, each a phase as it happens. Restores waiting for a child start
// as soon as the gate settles that child.
func (x *execution) startPlatform(ctx context.Context, g *appGate) {
	if x.sc.Bootstrap == nil {
		return
	}
	ev := &platformEvents{x: x, g: g, ends: map[string]func(results.Outcome, string) time.Duration{}, prints: map[string]func(results.Outcome, time.Duration, string){}}
	g.all.Add(1)
	go func() {
		defer g.all.Done()
		err := x.bringPlatformUp(ctx, ev, g)
		if err != nil && !ev.failedStep() {
			// Up failed outside any step (building or reaching the
			// platform): the run's reason is that.
			c := x.ctxs
			x.fail(classify(err, c), "bootstrap: "+appMessage(err, c))
		}
		children := ev.childNames()
		g.settleRest(func(name string) string {
			if children != nil && !slices.Contains(children, name) {
				return fmt.Sprintf("is not an app of the bootstrap: the root's children are %v", children)
			}
			return "did not come up: the bootstrap ended first"
		})
		g.endPlatform(err == nil, ev.phaseNames())
	}()
}

func (x *execution) bringPlatformUp(ctx context.Context, ev *platformEvents, g *appGate) error {
	cl, ok := x.sb.(sandbox.Cluster)
	if !ok {
		return fmt.Errorf("a bootstrap needs a cluster sandbox (kind or cluster), and this one is %s", x.opts.SandboxKind)
	}
	if x.opts.Platform == nil {
		return errors.New("this drill cannot bootstrap a platform")
	}
	p, err := x.opts.Platform(x.sc.Bootstrap)
	if err != nil {
		return err
	}
	ev.platform = p
	x.undo.push(func(ctx context.Context) error {
		if x.keep() {
			return nil
		}
		return p.Down(ctx)
	})
	return p.Up(ctx, cl, ev, x.prog.under("    "))
}

// platformEvents turn a Platform's steps into phases, app records and
// settled gates.
type platformEvents struct {
	x        *execution
	g        *appGate
	platform gitops.Platform

	mu       sync.Mutex
	ends     map[string]func(results.Outcome, string) time.Duration
	prints   map[string]func(results.Outcome, time.Duration, string)
	phases   []string
	children []string
	failed   bool
}

func (e *platformEvents) Children(children []gitops.Step) {
	names := []string{}
	for _, c := range children {
		names = append(names, c.App)
	}
	e.mu.Lock()
	e.children = names
	e.mu.Unlock()
	e.x.prog.printf("    %d child app(s): %s", len(children), describeWaves(children))
}

func (e *platformEvents) Begin(s gitops.Step) {
	after := s.After
	if len(after) == 0 {
		after = []string{"provision"}
	}
	end := e.x.st.phase(s.Name, after...)
	done := e.x.prog.start(s.Name, s.Kind)
	e.mu.Lock()
	e.ends[s.Name], e.prints[s.Name] = end, done
	e.phases = append(e.phases, s.Name)
	e.mu.Unlock()
	if s.App != "" {
		e.x.st.update(func(r *results.Record) {
			r.Apps = append(r.Apps, results.App{Name: s.App, Kind: s.Kind, Outcome: results.Running})
		})
	}
}

func (e *platformEvents) End(s gitops.Step, res gitops.Result, err error) {
	e.mu.Lock()
	end, done := e.ends[s.Name], e.prints[s.Name]
	e.mu.Unlock()
	if end == nil {
		e.Begin(s) // a step ended without beginning: time it as empty
		e.End(s, res, err)
		return
	}
	x, c := e.x, e.x.ctxs
	outcome, msg := classify(err, c), res.Detail
	if err != nil {
		what := s.Name
		if s.App != "" {
			what = "app " + s.App
		}
		msg = fmt.Sprintf("%s: %s", what, appMessage(err, c))
		// An app or step that does not come up within its own timeout is
		// a finding (the platform does not come back), unless the whole
		// run ran out of time.
		if outcome == results.Timeout && c.run.Err() == nil {
			outcome = results.Failed
		}
		x.fail(outcome, msg)
		e.mu.Lock()
		e.failed = true
		e.mu.Unlock()
	} else if s.App != "" {
		x.passed(res.ReadyAt, nil)
	}
	took := end(outcome, msg)
	if s.App != "" {
		x.st.update(func(rec *results.Record) {
			for i := range rec.Apps {
				if ra := &rec.Apps[i]; ra.Name == s.App && ra.Outcome == results.Running {
					ra.Outcome, ra.Message, ra.Seconds = outcome, msg, took.Seconds()
					ra.Revision, ra.Resources = res.Revision, res.Resources
					if !res.ReadyAt.IsZero() {
						at := res.ReadyAt.UTC()
						ra.ReadyAt = &at
					}
				}
			}
		})
		e.g.mu.Lock()
		e.g.deployers[s.App] = platformApp{p: e.platform, name: s.App}
		e.g.mu.Unlock()
		e.g.settle(s.App, err == nil, "did not come up")
	}
	done(outcome, took, msg)
	x.st.save(context.Background())
}

func (e *platformEvents) failedStep() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.failed
}

// childNames are the root's children, nil until it has synced.
func (e *platformEvents) childNames() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.children
}

func (e *platformEvents) phaseNames() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.phases)
}

// describeWaves writes "wave 0: db-a, db-b; wave 1: web".
func describeWaves(children []gitops.Step) string {
	s, wave := "", 0
	for i, c := range children {
		switch {
		case i == 0:
			s = fmt.Sprintf("wave %d: %s", c.Wave, c.App)
		case c.Wave != wave:
			s += fmt.Sprintf("; wave %d: %s", c.Wave, c.App)
		default:
			s += ", " + c.App
		}
		wave = c.Wave
	}
	return s
}

// platformApp is one of a bootstrap's apps as a check reads it: its
// status comes from the platform; the platform brings it up and down.
type platformApp struct {
	p    gitops.Platform
	name string
}

func (a platformApp) Up(context.Context, sandbox.Cluster, io.Writer) (gitops.Result, error) {
	return gitops.Result{}, fmt.Errorf("app %s is brought up by the bootstrap", a.name)
}

func (a platformApp) Status(ctx context.Context) (gitops.Status, error) {
	return a.p.Status(ctx, a.name)
}

func (a platformApp) Down(context.Context) error { return nil }

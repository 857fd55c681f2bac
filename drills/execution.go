package drills

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/restore-drill/drill/drills/restore"
	"github.com/restore-drill/drill/drills/source"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/scenarios"
)

// execution is one run in progress.
type execution struct {
	sc   *scenarios.Scenario
	opts Options
	st   *runState
	prog *progress
	ctxs contexts
	undo cleanupStack

	// located holds each restore's method and backup, by restore index.
	located []located
	sb      sandbox.Sandbox
	// downloads is the directory backups from object stores go to.
	downloads string

	mu sync.Mutex
	// verdict is the worst outcome of any step so far.
	verdict results.Outcome
	// reason is the first thing that went wrong, in one line.
	reason string
	// lastPass is when the last check passed (monotonic); newest is the
	// oldest "newest data" an rpo check found.
	lastPass time.Time
	newest   *time.Time
}

// lastPhase names the phase that ended last: provision waits for locate,
// or for preflight when there was one.
func (x *execution) lastPhase() string {
	name := ""
	x.st.update(func(r *results.Record) {
		if n := len(r.Phases); n > 0 {
			name = r.Phases[n-1].Name
		}
	})
	return name
}

type located struct {
	method restore.Method
	art    *source.Artifact // nil for a restore without a source (a job)
	insp   restore.Inspection
}

// name is the backup's name for people, or the restore method's when the
// restore has no backup of drill's choosing.
func (l located) name() string {
	if l.art == nil {
		return l.insp.Format
	}
	return l.art.Name()
}

// fail records a step that did not pass.
func (x *execution) fail(outcome results.Outcome, reason string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.reason == "" || severity[outcome] > severity[x.verdict] {
		x.reason = reason
	}
	x.verdict = worse(x.verdict, outcome)
	x.st.update(func(r *results.Record) { r.Findings = append(r.Findings, reason) })
}

// execute runs the phases up to and including verification. It stops at the
// first phase that did not pass; teardown is not its business.
func (x *execution) execute(ctx context.Context) {
	x.verdict = results.Passed
	if !x.locate(ctx) {
		return
	}
	if !x.preflight(ctx) {
		return
	}
	if !x.provision(ctx) {
		return
	}
	x.recoverAll(ctx)
}

// locate picks every restore's backup and reads what it is, before anything
// is provisioned: a missing or unreadable backup fails in milliseconds.
func (x *execution) locate(ctx context.Context) bool {
	end := x.st.phase("locate")
	done := x.prog.start("locate", fmt.Sprintf("%d backup(s)", len(x.sc.Restores)))
	x.located = make([]located, len(x.sc.Restores))
	outcome, msg := results.Passed, ""
	for i, r := range x.sc.Restores {
		l, err := x.locateOne(ctx, r)
		if err != nil {
			c := x.ctxs
			outcome = classify(err, c)
			msg = fmt.Sprintf("restore %s: %s", r.Name, stepMessage(err, c))
			x.st.update(func(rec *results.Record) {
				rec.Restores[i].Outcome = outcome
				rec.Restores[i].Message = msg
			})
			x.fail(outcome, msg)
			break
		}
		x.located[i] = l
		if l.art == nil {
			x.prog.printf("    %s: %s (no backup of drill's choosing: the restore fetches its own)", r.Name, l.insp.Format)
			continue
		}
		age := x.st.start.Sub(l.art.ModTime)
		x.st.update(func(rec *results.Record) {
			a := &rec.Restores[i].Archive
			a.Path, a.Bytes, a.ModTime, a.SHA256 = l.art.Name(), l.art.Bytes, l.art.ModTime.UTC(), l.art.SHA256
			if o := l.art.Object; o != nil {
				a.Bucket, a.Key, a.ETag = o.Bucket, o.Key, o.ETag
			}
			a.Format, a.DumpedBy, a.DumpedFrom = l.insp.Format, l.insp.DumpedBy, l.insp.DumpedFrom
			rec.Restores[i].Jobs = l.insp.Jobs
			if old := rec.RPO.BackupAgeSeconds; old == nil || age.Seconds() > *old {
				rec.RPO.BackupAgeSeconds = seconds(age)
			}
		})
		x.prog.printf("    %s: %s (%s, %s, backup age %s)", r.Name, l.art.Name(), l.insp.Format, results.FormatBytes(l.art.Bytes), results.FormatDuration(age))
		for _, n := range l.insp.Notes {
			x.prog.printf("    %s: note: %s", r.Name, n)
		}
	}
	took := end(outcome, msg)
	done(outcome, took, msg)
	x.st.save(ctx)
	return outcome == results.Passed
}

func (x *execution) locateOne(ctx context.Context, r scenarios.Restore) (located, error) {
	m, err := x.opts.Methods(r)
	if err != nil {
		return located{}, err
	}
	if !r.Source.Set() {
		insp, err := m.Inspect(ctx, nil)
		return located{method: m, insp: insp}, err
	}
	art, err := findBackup(ctx, m, r.Source)
	if err != nil {
		return located{}, err
	}
	if !isLocator(m) {
		if err := x.fetch(ctx, r, art); err != nil {
			return located{}, err
		}
	}
	insp, err := m.Inspect(ctx, art)
	if err != nil {
		return located{}, err
	}
	return located{method: m, art: art, insp: insp}, nil
}

// provision creates the sandbox and puts its removal on the undo stack.
func (x *execution) provision(ctx context.Context) bool {
	end := x.st.phase("provision", x.lastPhase())
	done := x.prog.start("provision", x.opts.SandboxKind+" sandbox")
	sb, err := x.opts.Sandbox.Create(ctx, sandbox.Options{RunID: x.opts.RunID, Scenario: x.sc.Name})
	outcome, msg := classify(err, x.ctxs), ""
	if err != nil {
		msg = "provision sandbox: " + stepMessage(err, x.ctxs)
		x.fail(outcome, msg)
	} else {
		x.sb = sb
		x.undo.push(func(ctx context.Context) error {
			if k, ok := sb.(sandbox.Keeper); ok && x.keep() {
				x.st.update(func(r *results.Record) { r.Sandbox.Retained = true })
				x.prog.printf("    kept for debugging (--retain): %s", sb.Describe())
				return k.Keep(ctx)
			}
			return sb.Destroy(ctx)
		})
		msg = sb.Describe()
		x.st.update(func(r *results.Record) {
			r.Sandbox.Description = msg
			if cl, ok := sb.(sandbox.Cluster); ok {
				r.Sandbox.Namespace = cl.Kube().Namespace
			}
		})
	}
	took := end(outcome, msg)
	done(outcome, took, msg)
	x.st.save(ctx)
	return err == nil
}

// keep says whether teardown keeps the sandbox and its apps: --retain, and
// a run that did not pass (a passed run has nothing to debug).
func (x *execution) keep() bool {
	if !x.opts.Retain {
		return false
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.verdict != results.Passed
}

// teardown empties the undo stack under a context of its own, which the
// caller's cancellation does not reach.
func (x *execution) teardown(caller context.Context) {
	if x.undo.empty() {
		return
	}
	ctx, cancel := context.WithTimeoutCause(context.WithoutCancel(caller), x.opts.TeardownTimeout,
		fmt.Errorf("teardown timed out after %s", x.opts.TeardownTimeout))
	defer cancel()
	end := x.st.phase("teardown")
	done := x.prog.start("teardown", "")
	err := x.undo.run(ctx)
	outcome, msg := results.Passed, ""
	if err != nil {
		// Something may be left behind: that is an infrastructure problem
		// whatever the drill proved.
		outcome = results.Error
		msg = "teardown: " + err.Error()
		x.fail(outcome, msg)
	}
	took := end(outcome, msg)
	done(outcome, took, msg)
}

package drills

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/restore-drill/drill/assertions"
	"github.com/restore-drill/drill/drills/source"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/scenarios"
)

// recoverAll brings the apps up and runs every restore at once; a restore
// starts as soon as the apps it waits for are up, and its checks run as soon
// as it is done, so a small database is proven while a big one is still
// restoring. Cluster checks run once every app and restore has finished. The
// verify phase spans the first check's start to the last check's end.
func (x *execution) recoverAll(ctx context.Context) {
	v := &verifyPhase{x: x}
	gate := x.startApps(ctx)
	var wg sync.WaitGroup
	for i, r := range x.sc.Restores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if missing := gate.wait(ctx, r.WaitFor, r.WaitForPlatform); missing != "" {
				x.skipRestore(i, missing)
				return
			}
			if x.restoreOne(ctx, i, gate.phasesOf(r)) {
				x.checksOf(ctx, i, v)
			}
		}()
	}
	wg.Wait()
	if gate.waitAll(ctx) {
		x.clusterChecks(ctx, v, gate)
	}
	v.end()
	x.st.save(ctx)
}

// skipRestore records a restore that did not start because an app it waits
// for did not come up; the app's own failure is the run's reason, unless
// nothing failed (it waits for an app the bootstrap does not have).
func (x *execution) skipRestore(i int, why string) {
	r := x.sc.Restores[i]
	x.st.update(func(rec *results.Record) {
		rec.Restores[i].Message = why
	})
	x.prog.printf("  - restore/%s  %s", r.Name, why)
	x.mu.Lock()
	nothingFailed := x.verdict == results.Passed
	x.mu.Unlock()
	if nothingFailed {
		// No app failed: the restore waits for one that never comes.
		x.fail(results.Failed, fmt.Sprintf("restore %s: %s", r.Name, why))
	}
}

// restoreOne restores one backup, computing its checksum at the same time
// (both read the same file; the checksum must not add to the RTO).
func (x *execution) restoreOne(ctx context.Context, i int, after []string) bool {
	r, l := x.sc.Restores[i], x.located[i]
	name := "restore/" + r.Name
	c := x.ctxs
	c.step = ctx
	if r.Timeout > 0 {
		var cancel context.CancelFunc
		c.step, cancel = context.WithTimeoutCause(ctx, r.Timeout, fmt.Errorf("restore %s timed out after %s", r.Name, r.Timeout))
		defer cancel()
	}
	end := x.st.phase(name, after...)
	done := x.prog.start(name, fmt.Sprintf("%s → %s", l.name(), restoreTarget(r)))

	var (
		sum    string
		sumErr error
		sumWG  sync.WaitGroup
	)
	if l.art != nil {
		sum = l.art.SHA256 // known when the backup was downloaded
	}
	if sum == "" && l.art != nil && l.art.Path != "" {
		sumWG.Add(1)
		go func() {
			defer sumWG.Done()
			sum, sumErr = source.Digest(c.step, l.art)
		}()
	}
	res, err := l.method.Restore(c.step, x.sb, l.art, x.opts.ToolLog)
	sumWG.Wait()
	if err == nil && sumErr != nil {
		err = fmt.Errorf("checksum of %s: %w", l.art.Path, sumErr)
	}

	outcome, msg := classify(err, c), ""
	if err != nil {
		msg = fmt.Sprintf("restore %s: %s", r.Name, stepMessage(err, c))
		x.fail(outcome, msg)
	} else {
		x.passed(time.Now(), res.NewestData) // recovered here if no check reads it
	}
	took := end(outcome, msg)
	x.st.update(func(rec *results.Record) {
		rr := &rec.Restores[i]
		rr.Outcome, rr.Message, rr.Seconds = outcome, msg, took.Seconds()
		rr.Archive.SHA256 = sum
		rr.Log = res.LogTail
		if res.Database != "" {
			rr.Database = res.Database
		}
	})
	detail := msg
	if err == nil && l.art != nil {
		detail = fmt.Sprintf("%s restored (%s)", results.FormatBytes(l.art.Bytes), l.insp.Format)
	} else if err == nil {
		detail = "done (" + l.insp.Format + ")"
	}
	done(outcome, took, detail)
	x.st.save(ctx)
	return err == nil
}

func databaseOf(r scenarios.Restore) string {
	switch {
	case r.Postgres != nil:
		return r.Postgres.Database
	case r.Barman != nil:
		return r.Barman.Database
	case r.PgBackRest != nil:
		return r.PgBackRest.Database
	case r.CNPG != nil:
		return r.CNPG.Database
	}
	return r.Name
}

// checksOf runs, in order, the checks that read restore i.
func (x *execution) checksOf(ctx context.Context, i int, v *verifyPhase) {
	r := x.sc.Restores[i]
	if !slices.ContainsFunc(x.sc.Checks, func(c scenarios.Check) bool { return c.Restore() == r.Name }) {
		return // nothing reads a database of it: an etcd snapshot, a job
	}
	srv, err := x.sb.Postgres(ctx, r.Name)
	if err != nil {
		x.fail(classify(err, x.ctxs), fmt.Sprintf("checks of %s: %s", r.Name, stepMessage(err, x.ctxs)))
		return
	}
	conn := srv.ConnString(databaseOf(r))
	// Checks of one restore run one after another: each waits for the
	// restore and the check before it.
	after := []string{"restore/" + r.Name}
	for j, c := range x.sc.Checks {
		if c.Restore() != r.Name {
			continue
		}
		v.begin()
		x.runCheck(ctx, j, c, conn, after)
		after = []string{"restore/" + r.Name, "check/" + c.Name}
	}
}

func (x *execution) runCheck(ctx context.Context, j int, sc scenarios.Check, conn string, after []string) {
	x.judgeCheck(ctx, j, sc, after, func(ctx context.Context) (checkResult, error) {
		chk, err := x.opts.Checks(sc)
		if err != nil {
			return checkResult{}, err
		}
		return resultOf(chk.Run(ctx, conn)), nil
	})
}

// judgeCheck runs one check under its timeout and records its verdict.
func (x *execution) judgeCheck(ctx context.Context, j int, sc scenarios.Check, after []string, run func(context.Context) (checkResult, error)) {
	name := "check/" + sc.Name
	c := x.ctxs
	var cancel context.CancelFunc
	c.step, cancel = context.WithTimeoutCause(ctx, sc.Timeout, fmt.Errorf("check %s timed out after %s", sc.Name, sc.Timeout))
	defer cancel()
	done := x.prog.start(name, "")
	started := time.Now()

	res, err := run(c.step)
	if err != nil {
		res = checkResult{outcome: results.Error, message: err.Error()}
	} else if res.outcome != results.Passed && c.step.Err() != nil {
		// The check reports what it saw; the contexts say whether it was
		// cut short by a timeout or by the person at the keyboard.
		res.outcome = classify(c.step.Err(), c)
		res.message = stepMessage(c.step.Err(), c)
	}
	finished := time.Now()
	took := finished.Sub(started)
	passedAt := finished
	if res.readyAt != nil && res.readyAt.Before(finished) {
		passedAt = *res.readyAt
	}
	if res.outcome != results.Passed {
		x.fail(res.outcome, fmt.Sprintf("check %s: %s", sc.Name, res.describe()))
	} else {
		x.passed(passedAt, res.newest)
	}
	x.st.update(func(rec *results.Record) {
		rc := &rec.Checks[j]
		rc.Outcome, rc.Expected, rc.Observed, rc.Message = res.outcome, res.expected, res.observed, res.message
		rc.Seconds = took.Seconds()
		rc.After = after
		if res.outcome == results.Passed {
			at := passedAt.UTC()
			rc.PassedAt = &at
		}
	})
	done(res.outcome, took, res.describe())
}

func resultOf(r assertions.Result) checkResult {
	return checkResult{outcome: r.Outcome, expected: r.Expected, observed: r.Observed, message: r.Message, newest: r.Newest, readyAt: r.ReadyAt}
}

type checkResult struct {
	outcome            results.Outcome
	expected, observed string
	message            string
	newest             *time.Time
	readyAt            *time.Time
}

// describe is the one line a person needs: what was expected and what was
// found, and why it failed when it did.
func (r checkResult) describe() string {
	s := ""
	if r.expected != "" || r.observed != "" {
		s = fmt.Sprintf("expected %s, observed %s", r.expected, r.observed)
	}
	if r.message != "" && r.outcome != results.Passed {
		if s != "" {
			s += ": "
		}
		s += r.message
	}
	return s
}

// passed notes a passed restore or check: the last one to pass marks the
// recovery.
func (x *execution) passed(at time.Time, newest *time.Time) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if at.After(x.lastPass) {
		x.lastPass = at
	}
	if newest != nil && (x.newest == nil || newest.Before(*x.newest)) {
		t := *newest
		x.newest = &t
	}
}

// verifyPhase opens the verify phase when the first check starts.
type verifyPhase struct {
	x    *execution
	once sync.Once
	mu   sync.Mutex
	stop func(results.Outcome, string) time.Duration
}

func (v *verifyPhase) begin() {
	v.once.Do(func() {
		stop := v.x.st.phase("verify")
		v.mu.Lock()
		v.stop = stop
		v.mu.Unlock()
	})
}

func (v *verifyPhase) end() {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.stop == nil {
		return
	}
	outcome := results.Passed
	v.x.st.update(func(rec *results.Record) {
		for _, c := range rec.Checks {
			if c.Outcome != results.Passed && c.Outcome != results.Skipped {
				outcome = worse(outcome, c.Outcome)
			}
		}
	})
	v.stop(outcome, "")
}

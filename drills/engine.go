package drills

import (
	"context"
	"fmt"
	"time"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/scenarios"
)

// Run carries out one scenario and returns its record. The outcome of the
// drill is in the record (passed, failed, error, timeout, interrupted); the
// error is only for what lies outside the drill, such as a record that could
// not be written.
//
// ctx is the caller's: cancelling it interrupts the run. Teardown runs in
// every case, with Options.TeardownTimeout of its own.
func Run(ctx context.Context, sc *scenarios.Scenario, opts Options) (*results.Record, error) {
	opts.defaults()
	start := time.Now()
	if opts.RunID == "" {
		opts.RunID = NewRunID(start)
	}
	st := &runState{rec: newRecord(sc, opts, start), start: start, store: opts.Store}
	st.save(ctx)
	if st.saveErr != nil {
		return st.rec, fmt.Errorf("write the run record before starting: %w", st.saveErr)
	}

	timeout := sc.Timeout
	if opts.Timeout > 0 {
		timeout = opts.Timeout
	}
	runCtx, cancel := context.WithTimeoutCause(ctx, timeout, fmt.Errorf("run timed out after %s", timeout))
	defer cancel()

	x := &execution{
		sc:   sc,
		opts: opts,
		st:   st,
		prog: &progress{w: opts.Progress, heartbeat: opts.Heartbeat},
		ctxs: contexts{caller: ctx, run: runCtx},
	}
	x.prog.printf("drill %s: run %s, sandbox %s", sc.Name, opts.RunID, opts.SandboxKind)
	x.execute(runCtx)
	x.diagnose(ctx)
	x.teardown(ctx)
	x.finish()
	st.save(ctx)
	if st.saveErr != nil {
		return st.rec, fmt.Errorf("write the run record: %w", st.saveErr)
	}
	return st.rec, nil
}

// newRecord is the record as it stands when the run starts: every restore and
// check is listed, "skipped" until it runs, so an interrupted run shows what
// never happened.
func newRecord(sc *scenarios.Scenario, opts Options, start time.Time) *results.Record {
	rec := &results.Record{
		APIVersion:   results.APIVersion,
		Kind:         results.Kind,
		RunID:        opts.RunID,
		Scenario:     sc.Name,
		ScenarioFile: sc.File,
		Labels:       sc.Labels,
		Cadence:      sc.Cadence.Name,
		DrillVersion: opts.DrillVersion,
		Host:         opts.Host,
		Sandbox:      results.Sandbox{Kind: opts.SandboxKind},
		Outcome:      results.Running,
		StartedAt:    start.UTC(),
		Phases:       []results.Phase{},
		Restores:     []results.Restore{},
		Checks:       []results.Check{},
	}
	if sc.Objectives.RTO > 0 {
		rec.Objectives.RTOSeconds = seconds(sc.Objectives.RTO)
	}
	if sc.Objectives.RPO > 0 {
		rec.Objectives.RPOSeconds = seconds(sc.Objectives.RPO)
	}
	for _, a := range sc.Apps {
		rec.Apps = append(rec.Apps, results.App{Name: a.Name, Kind: a.Kind(), Outcome: results.Skipped, Message: "not run"})
	}
	for _, r := range sc.Restores {
		rr := results.Restore{Name: r.Name, Method: r.Method(), Outcome: results.Skipped, Message: "not run"}
		if r.Postgres != nil {
			rr.Database = r.Postgres.Database
			rr.Jobs = r.Postgres.Jobs
		}
		rr.Archive.Path = r.Source.String()
		rec.Restores = append(rec.Restores, rr)
	}
	for _, c := range sc.Checks {
		rec.Checks = append(rec.Checks, results.Check{
			Name: c.Name, Kind: c.Kind(), Restore: c.Restore(), Outcome: results.Skipped, Message: "not run",
		})
	}
	return rec
}

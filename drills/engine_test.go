package drills_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/restore-drill/drill/assertions"
	"github.com/restore-drill/drill/drills"
	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/drills/restore"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/scenarios"
)

type harness struct {
	provider *fakeProvider
	methods  map[string]*fakeMethod
	checks   map[string]assertions.Result
	store    *results.MemStore
}

func newHarness() *harness {
	return &harness{
		provider: &fakeProvider{},
		methods:  map[string]*fakeMethod{},
		checks:   map[string]assertions.Result{},
		store:    &results.MemStore{},
	}
}

func (h *harness) options() drills.Options {
	return drills.Options{
		Sandbox:     h.provider,
		SandboxKind: "local",
		Methods: func(r scenarios.Restore) (restore.Method, error) {
			if m, ok := h.methods[r.Name]; ok {
				return m, nil
			}
			return &fakeMethod{}, nil
		},
		Checks: func(c scenarios.Check) (assertions.Check, error) {
			if r, ok := h.checks[c.Name]; ok {
				return fakeCheck{r}, nil
			}
			return fakeCheck{assertions.Result{Outcome: results.Passed, Expected: "== 1", Observed: "1"}}, nil
		},
		Store:           h.store,
		TeardownTimeout: 5 * time.Second,
	}
}

func phase(t *testing.T, rec *results.Record, name string) results.Phase {
	t.Helper()
	for _, p := range rec.Phases {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("record has no phase %q; phases: %+v", name, rec.Phases)
	return results.Phase{}
}

func TestRunPassesAndMeasures(t *testing.T) {
	h := newHarness()
	h.methods["billing"] = &fakeMethod{delay: 40 * time.Millisecond}
	h.methods["identity"] = &fakeMethod{delay: 40 * time.Millisecond}
	sc := scenario(t, "billing", "identity")
	sc.Objectives = scenarios.Objectives{RTO: time.Minute, RPO: 2 * time.Hour}

	rec, err := drills.Run(context.Background(), sc, h.options())
	if err != nil {
		t.Fatal(err)
	}
	if rec.Outcome != results.Passed {
		t.Fatalf("outcome = %s (%s), want passed", rec.Outcome, rec.Reason)
	}
	if rec.RTOSeconds == nil || *rec.RTOSeconds < 0.04 {
		t.Fatalf("rtoSeconds = %v, want at least the restore time", rec.RTOSeconds)
	}
	if rec.RecoveredAt == nil || rec.RecoveredAt.Before(rec.StartedAt) {
		t.Fatalf("recoveredAt = %v, startedAt = %v", rec.RecoveredAt, rec.StartedAt)
	}
	// RTO ends when the last check passed, before teardown.
	td := phase(t, rec, "teardown")
	if rec.RecoveredAt.After(td.Start) {
		t.Errorf("recovered at %v, after teardown started at %v", rec.RecoveredAt, td.Start)
	}
	// The two restores ran at the same time.
	a, b := phase(t, rec, "restore/billing"), phase(t, rec, "restore/identity")
	if !a.Start.Before(*b.End) || !b.Start.Before(*a.End) {
		t.Errorf("restores did not overlap: billing %v–%v, identity %v–%v", a.Start, a.End, b.Start, b.End)
	}
	if age := rec.RPO.BackupAgeSeconds; age == nil || *age < 3500 || *age > 3700 {
		t.Errorf("backupAgeSeconds = %v, want about 3600", age)
	}
	if rec.RPO.DataLossSeconds != nil {
		t.Errorf("dataLossSeconds = %v without an rpo check, want null", *rec.RPO.DataLossSeconds)
	}
	for _, c := range rec.Checks {
		if c.Outcome != results.Passed || c.PassedAt == nil {
			t.Errorf("check %s: outcome %s, passedAt %v", c.Name, c.Outcome, c.PassedAt)
		}
	}
	if d := h.provider.sandbox().destroyed; d != 1 {
		t.Errorf("sandbox destroyed %d times, want 1", d)
	}
	stored, err := h.store.Load(context.Background(), sc.Name, rec.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Outcome != results.Passed {
		t.Errorf("stored outcome = %s, want passed", stored.Outcome)
	}
}

func TestRunVerdicts(t *testing.T) {
	tests := []struct {
		name        string
		setup       func(h *harness, sc *scenarios.Scenario)
		want        results.Outcome
		reason      string
		wantRTO     bool
		provisioned bool
	}{
		{
			name: "check does not hold",
			setup: func(h *harness, sc *scenarios.Scenario) {
				h.checks["billing-rows"] = assertions.Result{Outcome: results.Failed, Expected: ">= 1000", Observed: "12"}
			},
			want: results.Failed, reason: "check billing-rows: expected >= 1000, observed 12", provisioned: true,
		},
		{
			name: "restore tool fails",
			setup: func(h *harness, sc *scenarios.Scenario) {
				h.methods["billing"] = &fakeMethod{err: errRestoreTool}
			},
			want: results.Failed, reason: "restore billing: pg_restore: error", provisioned: true,
		},
		{
			name: "database unreachable during restore",
			setup: func(h *harness, sc *scenarios.Scenario) {
				h.methods["billing"] = &fakeMethod{err: fault.Infra(errRestoreTool)}
			},
			want: results.Error, reason: "restore billing:", provisioned: true,
		},
		{
			name: "sandbox cannot be created",
			setup: func(h *harness, sc *scenarios.Scenario) {
				h.provider.createErr = fault.Infra(errRestoreTool)
			},
			want: results.Error, reason: "provision sandbox:",
		},
		{
			name: "no backup",
			setup: func(h *harness, sc *scenarios.Scenario) {
				sc.Restores[0].Source.Path = t.TempDir()
			},
			want: results.Failed, reason: "restore billing: ",
		},
		{
			name: "rto objective missed",
			setup: func(h *harness, sc *scenarios.Scenario) {
				h.methods["billing"] = &fakeMethod{delay: 30 * time.Millisecond}
				sc.Objectives.RTO = time.Millisecond
			},
			want: results.Failed, reason: "missed the objective 1ms by", wantRTO: true, provisioned: true,
		},
		{
			name: "rpo objective missed by backup age",
			setup: func(h *harness, sc *scenarios.Scenario) {
				sc.Objectives.RPO = 30 * time.Minute
			},
			want: results.Failed, reason: "RPO (backup age) 1h missed the objective 30m by 30m", wantRTO: true, provisioned: true,
		},
		{
			name: "rpo objective missed by data loss",
			setup: func(h *harness, sc *scenarios.Scenario) {
				newest := time.Now().Add(-3 * time.Hour)
				sc.Checks = append(sc.Checks, scenarios.Check{Name: "newest", Timeout: time.Minute,
					RPO: &scenarios.RPOCheck{Restore: "billing", Query: "select max(t) from x"}})
				h.checks["newest"] = assertions.Result{Outcome: results.Passed, Newest: &newest}
				sc.Objectives.RPO = 2 * time.Hour
			},
			want: results.Failed, reason: "RPO (data loss) 3h missed the objective 2h by 1h", wantRTO: true, provisioned: true,
		},
		{
			name: "run timeout",
			setup: func(h *harness, sc *scenarios.Scenario) {
				h.methods["billing"] = &fakeMethod{block: true}
				sc.Timeout = 50 * time.Millisecond
			},
			want: results.Timeout, reason: "run timed out after 50ms", provisioned: true,
		},
		{
			name: "restore timeout",
			setup: func(h *harness, sc *scenarios.Scenario) {
				h.methods["billing"] = &fakeMethod{block: true}
				sc.Restores[0].Timeout = 50 * time.Millisecond
			},
			want: results.Timeout, reason: "restore billing timed out after 50ms", provisioned: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness()
			sc := scenario(t, "billing")
			tt.setup(h, sc)
			rec, err := drills.Run(context.Background(), sc, h.options())
			if err != nil {
				t.Fatal(err)
			}
			if rec.Outcome != tt.want {
				t.Fatalf("outcome = %s (%s), want %s", rec.Outcome, rec.Reason, tt.want)
			}
			if !strings.Contains(rec.Reason, tt.reason) {
				t.Errorf("reason = %q, want it to contain %q", rec.Reason, tt.reason)
			}
			if (rec.RTOSeconds != nil) != tt.wantRTO {
				t.Errorf("rtoSeconds = %v, want set: %v", rec.RTOSeconds, tt.wantRTO)
			}
			if rec.FinishedAt == nil {
				t.Error("finishedAt not set")
			}
			sb := h.provider.sandbox()
			if tt.provisioned && (sb == nil || sb.destroyed != 1) {
				t.Errorf("sandbox was not destroyed exactly once: %+v", sb)
			}
			if !tt.provisioned && sb != nil {
				t.Errorf("a sandbox was created although the run should have stopped before")
			}
		})
	}
}

func TestRunInterruptedTearsDown(t *testing.T) {
	h := newHarness()
	started := make(chan struct{})
	h.methods["billing"] = &fakeMethod{block: true, started: started}
	sc := scenario(t, "billing")

	ctx, cancel := context.WithCancelCause(context.Background())
	go func() {
		<-started
		cancel(errInterruptedForTest)
	}()
	rec, err := drills.Run(ctx, sc, h.options())
	if err != nil {
		t.Fatal(err)
	}
	if rec.Outcome != results.Interrupted {
		t.Fatalf("outcome = %s (%s), want interrupted", rec.Outcome, rec.Reason)
	}
	if !strings.Contains(rec.Reason, errInterruptedForTest.Error()) {
		t.Errorf("reason = %q, want the interrupt's cause", rec.Reason)
	}
	sb := h.provider.sandbox()
	if sb.destroyed != 1 || sb.destroyCtxErr != nil {
		t.Errorf("destroyed %d times with context error %v; want once, with a live context", sb.destroyed, sb.destroyCtxErr)
	}
	stored, err := h.store.Load(context.Background(), sc.Name, rec.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Outcome != results.Interrupted {
		t.Errorf("stored outcome = %s, want interrupted", stored.Outcome)
	}
}

func TestRunRecordsRunningAtStart(t *testing.T) {
	h := newHarness()
	started := make(chan struct{})
	release := make(chan struct{})
	h.methods["billing"] = &fakeMethod{delay: time.Hour, started: started}
	sc := scenario(t, "billing")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan *results.Record)
	go func() {
		rec, _ := drills.Run(ctx, sc, h.options())
		<-release
		done <- rec
	}()
	<-started
	// While the restore runs, the stored record says the run is running
	// and lists what has not happened yet.
	recs, err := h.store.List(ctx, sc.Name)
	if err != nil || len(recs) != 1 {
		t.Fatalf("stored records = %d, %v; want 1", len(recs), err)
	}
	if got := recs[0].Outcome; got != results.Running {
		t.Errorf("outcome while running = %s, want running", got)
	}
	if got := recs[0].Checks[0].Outcome; got != results.Skipped {
		t.Errorf("check outcome before it ran = %s, want skipped", got)
	}
	cancel()
	close(release)
	if rec := <-done; rec.Outcome != results.Interrupted {
		t.Errorf("outcome = %s, want interrupted", rec.Outcome)
	}
}

type testInterrupt struct{}

func (testInterrupt) Error() string { return "interrupted by test" }

var errInterruptedForTest error = testInterrupt{}

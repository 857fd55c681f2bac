package metrics_test

import (
	"testing"
	"time"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/results/metrics"
)

func TestFromRecords(t *testing.T) {
	passed := record("r1", day0, results.Passed)
	older := record("r0", day0.Add(-31*24*time.Hour), results.Passed)
	older.RTOSeconds = ptr(200)
	failed := record("r2", day0.Add(24*time.Hour), results.Failed)
	stuck := record("r-stuck", day0.Add(-62*24*time.Hour), results.Running)

	// The history holds the run itself too, as the store does after the run.
	s := metrics.FromRecords(failed, []*results.Record{passed, stuck, failed, older})

	if s.Outcome != results.Failed || !s.LastRun.Equal(*failed.FinishedAt) {
		t.Errorf("outcome %s last run %s, want failed at %s", s.Outcome, s.LastRun, failed.FinishedAt)
	}
	if s.LastSuccess == nil || !s.LastSuccess.Equal(*passed.FinishedAt) {
		t.Errorf("last success %v, want the newest passed run's end %s", s.LastSuccess, passed.FinishedAt)
	}
	if s.RTO == nil || *s.RTO != 81.7 {
		t.Errorf("RTO %v, want 81.7 from the latest run that recovered", s.RTO)
	}
	if got := s.RPO[metrics.MeasureDataLoss]; got != 10800 {
		t.Errorf("data loss %v, want 10800 carried from the latest run that measured it", got)
	}
	want := map[results.Outcome]float64{results.Passed: 2, results.Failed: 1}
	if len(s.Runs) != len(want) || s.Runs[results.Passed] != 2 || s.Runs[results.Failed] != 1 {
		t.Errorf("runs %v, want %v (the running record not counted, the run counted once)", s.Runs, want)
	}
	if s.Cadence == nil || *s.Cadence != (31*24*time.Hour).Seconds() {
		t.Errorf("cadence %v, want 31 days", s.Cadence)
	}
	if len(s.Phases) != 5 || s.Phases[2].Name != "restore/billing" {
		t.Errorf("phases %v", s.Phases)
	}
}

func TestFromRecordsWithoutHistory(t *testing.T) {
	s := metrics.FromRecords(record("r2", day0, results.Error), nil)
	if s.LastSuccess != nil || s.RTO != nil {
		t.Errorf("a lone failed run must not invent a last success (%v) or an RTO (%v)", s.LastSuccess, s.RTO)
	}
	if s.Runs[results.Error] != 1 {
		t.Errorf("runs %v, want error: 1", s.Runs)
	}
}

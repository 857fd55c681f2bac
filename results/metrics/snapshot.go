package metrics

import (
	"slices"
	"time"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/scenarios"
)

// RPO measures, the values of the measure label of drill_rpo_seconds.
const (
	MeasureBackupAge = "backup_age"
	MeasureDataLoss  = "data_loss"
)

// Snapshot is what one scenario's metrics say after a run. Nil pointers are
// series that are left out: nothing is known of them.
type Snapshot struct {
	Scenario string
	// Outcome is the latest run's.
	Outcome results.Outcome
	// LastRun is when the latest run ended.
	LastRun time.Time
	// LastSuccess is when the latest passed run ended.
	LastSuccess *time.Time
	// RTO is of the latest run that recovered.
	RTO *float64
	// RPO holds the latest value of each measure (MeasureBackupAge,
	// MeasureDataLoss) that some run measured.
	RPO map[string]float64

	RTOObjective *float64
	RPOObjective *float64
	Cadence      *float64

	// Runs counts runs by outcome; runs still running are not counted.
	Runs map[results.Outcome]float64
	// Phases are the latest run's, in order.
	Phases []Phase
}

// Phase is one timed phase of the latest run.
type Phase struct {
	Name    string
	Seconds float64
}

// FromRecords builds the snapshot after run rec from the scenario's history
// (the results store's records, in any order; it may or may not hold rec).
func FromRecords(rec *results.Record, history []*results.Record) Snapshot {
	s := Snapshot{
		Scenario:     rec.Scenario,
		Outcome:      rec.Outcome,
		LastRun:      endOf(rec),
		RTOObjective: rec.Objectives.RTOSeconds,
		RPOObjective: rec.Objectives.RPOSeconds,
		RPO:          map[string]float64{},
		Runs:         map[results.Outcome]float64{},
	}
	if c, err := scenarios.ParseCadence(rec.Cadence); err == nil && rec.Cadence != "" {
		sec := c.Interval.Seconds()
		s.Cadence = &sec
	}
	for _, p := range rec.Phases {
		s.Phases = append(s.Phases, Phase{Name: p.Name, Seconds: p.Seconds})
	}

	// The run itself first, then the history newest first, so that the
	// first value found for a carried-over series is the latest.
	runs := []*results.Record{rec}
	seen := map[string]bool{rec.RunID: true}
	for _, h := range newestFirst(history) {
		if !seen[h.RunID] {
			seen[h.RunID] = true
			runs = append(runs, h)
		}
	}
	for _, r := range runs {
		if r.Outcome != results.Running {
			s.Runs[r.Outcome]++
		}
		if r.Outcome == results.Passed && s.LastSuccess == nil {
			t := endOf(r)
			s.LastSuccess = &t
		}
		if s.RTO == nil && r.RTOSeconds != nil {
			s.RTO = r.RTOSeconds
		}
		setOnce(s.RPO, MeasureBackupAge, r.RPO.BackupAgeSeconds)
		setOnce(s.RPO, MeasureDataLoss, r.RPO.DataLossSeconds)
	}
	return s
}

// endOf is when a run ended, or its start while it has not.
func endOf(r *results.Record) time.Time {
	if r.FinishedAt != nil {
		return *r.FinishedAt
	}
	return r.StartedAt
}

func setOnce(m map[string]float64, key string, v *float64) {
	if _, ok := m[key]; !ok && v != nil {
		m[key] = *v
	}
}

// newestFirst returns the records sorted by start, newest first, without
// changing the caller's slice.
func newestFirst(rs []*results.Record) []*results.Record {
	out := slices.Clone(rs)
	slices.SortStableFunc(out, func(a, b *results.Record) int {
		return b.StartedAt.Compare(a.StartedAt)
	})
	return out
}

package metrics_test

import (
	"time"

	"github.com/restore-drill/drill/results"
)

var day0 = time.Date(2026, 11, 2, 3, 17, 0, 0, time.UTC)

func ptr(v float64) *float64 { return &v }

// record makes the record of a run that started at start and took 90 s.
func record(id string, start time.Time, outcome results.Outcome) *results.Record {
	end := start.Add(90 * time.Second)
	r := &results.Record{
		APIVersion: results.APIVersion,
		Kind:       results.Kind,
		RunID:      id,
		Scenario:   "billing-monthly",
		Cadence:    "monthly",
		Outcome:    outcome,
		StartedAt:  start,
		FinishedAt: &end,
		Objectives: results.Objectives{RTOSeconds: ptr(600), RPOSeconds: ptr(93600)},
		Phases: []results.Phase{
			{Name: "locate", Seconds: 0.01, Outcome: results.Passed},
			{Name: "provision", Seconds: 1.7, Outcome: results.Passed},
			{Name: "restore/billing", Seconds: 60, Outcome: outcome},
			{Name: "verify", Seconds: 20, Outcome: outcome},
			{Name: "teardown", Seconds: 0.1, Outcome: results.Passed},
		},
		RPO: results.RPO{BackupAgeSeconds: ptr(7200)},
	}
	if outcome == results.Passed {
		r.RTOSeconds = ptr(81.7)
		r.RPO.DataLossSeconds = ptr(10800)
	}
	return r
}

package results

import "time"

func ptr[T any](v T) *T { return &v }

// passedRecord is a run that recovered within its objectives.
func passedRecord() *Record {
	start := time.Date(2025, 3, 1, 2, 0, 0, 0, time.UTC)
	at := func(s float64) time.Time { return start.Add(time.Duration(s * float64(time.Second))) }
	return &Record{
		APIVersion:   APIVersion,
		Kind:         Kind,
		RunID:        "20250301T020000Z-7f3a",
		Scenario:     "orders-db",
		ScenarioFile: "scenarios/orders-db.yaml",
		Labels:       map[string]string{"team": "platform", "tier": "gold"},
		Cadence:      "monthly",
		DrillVersion: "v0.1.0",
		Host:         "runner-1",
		Sandbox:      Sandbox{Kind: "local", Description: "local PostgreSQL 15.18 on 127.0.0.1:41234"},
		Outcome:      Passed,
		StartedAt:    start,
		FinishedAt:   ptr(at(75.5)),
		RecoveredAt:  ptr(at(72.25)),
		RTOSeconds:   ptr(72.25),
		RPO: RPO{
			BackupAgeSeconds: ptr(12000.0),
			DataLossSeconds:  ptr(12300.0),
			NewestData:       ptr(start.Add(-12300 * time.Second)),
		},
		Objectives: Objectives{RTOSeconds: ptr(900.0), RPOSeconds: ptr(86400.0)},
		Phases: []Phase{
			{Name: "provision", Start: start, End: ptr(at(2.1)), Seconds: 2.1, Outcome: Passed},
			{Name: "restore/orders", Start: at(2.1), End: ptr(at(70.0)), Seconds: 67.9, Outcome: Passed},
			{Name: "verify", Start: at(70.0), End: ptr(at(72.25)), Seconds: 2.25, Outcome: Passed},
			{Name: "teardown", Start: at(72.25), End: ptr(at(75.5)), Seconds: 3.25, Outcome: Passed},
		},
		Restores: []Restore{{
			Name:   "orders",
			Method: "postgres",
			Archive: Archive{
				Path:       "/backups/orders/orders-2025-03-01.dump",
				Format:     "custom",
				Bytes:      1288490189,
				SHA256:     "3fa9c1d2e4b5a6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f",
				ModTime:    start.Add(-12000 * time.Second),
				DumpedBy:   "15.18",
				DumpedFrom: "15.18",
			},
			Database: "orders",
			Jobs:     4,
			Seconds:  67.9,
			Outcome:  Passed,
			Log:      "pg_restore: creating TABLE \"public.orders\"\n",
		}},
		Checks: []Check{
			{Name: "orders-count", Kind: "sql", Restore: "orders", Outcome: Passed, Expected: ">= 1000", Observed: "1043", Seconds: 0.21, PassedAt: ptr(at(70.5))},
			{Name: "orders-newest", Kind: "rpo", Restore: "orders", Outcome: Passed, Observed: "2025-02-28T22:35:00Z", Seconds: 0.05, PassedAt: ptr(at(72.25)),
				After: []string{"restore/orders", "check/orders-count"}},
		},
		CriticalPath: []string{"locate", "provision", "restore/orders", "check/orders-count", "check/orders-newest"},
	}
}

// failedRecord is a run whose data did not hold (so it never recovered)
// and whose backup was older than the RPO objective, with values that need
// escaping in every format.
func failedRecord() *Record {
	r := passedRecord()
	r.CriticalPath = nil
	start := r.StartedAt
	at := func(s float64) time.Time { return start.Add(time.Duration(s * float64(time.Second))) }
	r.RunID = "20250301T020000Z-9c1e"
	r.Outcome = Failed
	r.Reason = "2 checks failed, 1 could not run; RPO objective missed by 2h"
	r.Findings = []string{
		"check orders-total failed: expected == 12.50, observed 11.00",
		`check legacy | pipes failed: ERROR: relation "legacy" does not exist`,
		"backup age 26h exceeds the RPO objective 24h by 2h",
		"<b>*not bold*</b> [not a link](x)",
	}
	r.FinishedAt = ptr(at(1016.5))
	r.RecoveredAt = nil
	r.RTOSeconds = nil
	r.RPO.BackupAgeSeconds = ptr(93600.0)
	r.Restores[0].Seconds = 1000
	r.Restores[0].Archive.SHA256 = ""
	r.Restores[0].Archive.ModTime = start.Add(-26 * time.Hour)
	r.Phases = []Phase{
		{Name: "provision", Start: start, End: ptr(at(2.1)), Seconds: 2.1, Outcome: Passed},
		{Name: "restore/orders", Start: at(2.1), End: ptr(at(1002.1)), Seconds: 1000, Outcome: Passed},
		{Name: "verify", Start: at(1002.1), End: ptr(at(1013.2)), Seconds: 11.1, Outcome: Failed, Message: "2 of 5 checks failed\nsee below"},
		{Name: "teardown", Start: at(1013.2), End: ptr(at(1016.5)), Seconds: 3.3, Outcome: Passed},
	}
	r.Checks = []Check{
		{Name: "orders-total", Kind: "sql", Restore: "orders", Outcome: Failed, Expected: "== 12.50", Observed: "11.00", Seconds: 0.3},
		{Name: "legacy | pipes", Kind: "sql", Restore: "orders", Outcome: Failed, Expected: "a|b", Observed: "a`|`b\tc\nd",
			Message: "ERROR: relation \"legacy\" does not exist (SQLSTATE 42P01)", Seconds: 0.01},
		{Name: "audit", Kind: "sql", Restore: "orders", Outcome: Error, Expected: "rows 3",
			Message: "connect to 127.0.0.1:41234 database orders: connection refused", Seconds: 10},
		{Name: "late", Kind: "sql", Restore: "orders", Outcome: Skipped, Message: "not run: the run ended first"},
		{Name: "orders-newest", Kind: "rpo", Restore: "orders", Outcome: Passed, Observed: "2025-02-28T22:35:00Z", Seconds: 0.05, PassedAt: ptr(at(1002.2))},
	}
	return r
}

// erroredRecord is a run that ended before any restore or check ran.
func erroredRecord() *Record {
	start := time.Date(2025, 5, 1, 2, 0, 0, 0, time.UTC)
	return &Record{
		APIVersion:   APIVersion,
		Kind:         Kind,
		RunID:        "20250501T020000Z-0b2d",
		Scenario:     "orders-db",
		DrillVersion: "v0.1.0",
		Sandbox:      Sandbox{Kind: "local"},
		Outcome:      Error,
		Reason:       "provision: initdb not found; install the PostgreSQL server packages",
		StartedAt:    start,
		FinishedAt:   ptr(start.Add(400 * time.Millisecond)),
		Phases: []Phase{
			{Name: "provision", Start: start, End: ptr(start.Add(400 * time.Millisecond)), Seconds: 0.4, Outcome: Error, Message: "initdb not found"},
		},
	}
}

// clusterRecord is a failed namespace run: an app came up, a workload check
// failed, diagnostics were collected and the sandbox was retained.
func clusterRecord() *Record {
	r := failedRecord()
	start := r.StartedAt
	at := func(s float64) time.Time { return start.Add(time.Duration(s * float64(time.Second))) }
	r.RunID = "20250401T020000Z-5d2a"
	r.Reason = "check web-ready: expected rolled out, observed 0/2 ready"
	r.Findings = []string{r.Reason}
	r.Sandbox = Sandbox{Kind: "namespace", Description: "namespace drill-shop-5d2a0c1e in cluster lab", Namespace: "drill-shop-5d2a0c1e", Retained: true}
	r.Apps = []App{{Name: "shop", Kind: "argocd", Outcome: Passed, Message: "Synced + Healthy at 3f2a9c1, 4 resources", Seconds: 41.5, Revision: "3f2a9c1", Resources: 4, ReadyAt: ptr(at(43.6))}}
	r.Checks = []Check{{Name: "web-ready", Kind: "workload", Outcome: Failed, Expected: "rolled out", Observed: "0/2 ready", Seconds: 300}}
	r.Diagnostics = []string{r.RunID + "/events.txt", r.RunID + "/pods.txt", r.RunID + "/logs/web-7d9f_web.txt"}
	return r
}

// Package metrics exports the outcome of drills to Prometheus: a file for
// node-exporter's textfile collector, or a push to a Pushgateway.
//
// Every series is labelled by scenario, never by run id, so that the number
// of series stays fixed however often a drill runs:
//
//	drill_last_run_timestamp_seconds       when the latest run ended
//	drill_last_run_success                 1 if the latest run passed, else 0
//	drill_last_success_timestamp_seconds   when the latest passed run ended
//	drill_runs_total{outcome}              runs by outcome
//	drill_rto_seconds                      RTO of the latest run that recovered
//	drill_rto_objective_seconds            the scenario's RTO objective
//	drill_rpo_seconds{measure}             latest RPO: backup_age or data_loss
//	drill_rpo_objective_seconds            the scenario's RPO objective
//	drill_cadence_seconds                  how often the scenario should run
//	drill_phase_duration_seconds{phase}    each phase of the latest run
//
// drill check exports its own series, labelled by scenario and restore, to
// its own textfile and Pushgateway groups (check.go): drill_backup_check_*,
// drill_backup_age_seconds and drill_backup_size_bytes.
//
// A failed run must never erase the last success. The values that describe
// an earlier run (last success, latest RTO and RPO) are therefore carried
// over: from the results store's history, and for a textfile also from the
// file the previous run wrote. A Pushgateway push uses add semantics (POST):
// a series the push leaves out keeps the value pushed before.
package metrics

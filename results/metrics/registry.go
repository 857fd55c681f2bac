package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/restore-drill/drill/results"
)

// Metric names; the alert rules and the dashboard in ci/ use them.
const (
	NameLastRun        = "drill_last_run_timestamp_seconds"
	NameLastRunSuccess = "drill_last_run_success"
	NameLastSuccess    = "drill_last_success_timestamp_seconds"
	NameRuns           = "drill_runs_total"
	NameRTO            = "drill_rto_seconds"
	NameRTOObjective   = "drill_rto_objective_seconds"
	NameRPO            = "drill_rpo_seconds"
	NameRPOObjective   = "drill_rpo_objective_seconds"
	NameCadence        = "drill_cadence_seconds"
	NamePhaseDuration  = "drill_phase_duration_seconds"
)

// Names lists every metric drill exports.
func Names() []string {
	return []string{
		NameLastRun, NameLastRunSuccess, NameLastSuccess, NameRuns, NameRTO,
		NameRTOObjective, NameRPO, NameRPOObjective, NameCadence, NamePhaseDuration,
	}
}

// register adds the snapshot's series to reg. It takes a Registerer so that
// the caller decides how the scenario is named: as a label on every series
// (textfile) or as the Pushgateway's grouping key (push), never both.
func register(reg prometheus.Registerer, s Snapshot) error {
	var cs []prometheus.Collector
	gauge := func(name, help string, v float64) {
		g := prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help})
		g.Set(v)
		cs = append(cs, g)
	}
	optional := func(name, help string, v *float64) {
		if v != nil {
			gauge(name, help, *v)
		}
	}

	gauge(NameLastRun, "When the latest drill run ended, in seconds since the epoch.", unix(s.LastRun))
	success := 0.0
	if s.Outcome == results.Passed {
		success = 1
	}
	gauge(NameLastRunSuccess, "1 if the latest drill run passed, 0 if it did not.", success)
	if s.LastSuccess != nil {
		gauge(NameLastSuccess, "When the latest passed drill run ended, in seconds since the epoch.", unix(*s.LastSuccess))
	}
	optional(NameRTO, "Recovery time of the latest drill run that recovered, in seconds.", s.RTO)
	optional(NameRTOObjective, "The scenario's RTO objective, in seconds.", s.RTOObjective)
	optional(NameRPOObjective, "The scenario's RPO objective, in seconds.", s.RPOObjective)
	optional(NameCadence, "How often the scenario should run, in seconds.", s.Cadence)

	cs = appendVec(cs, NameRPO, "Latest measured RPO in seconds: backup_age (age of the backup used) or data_loss (run start minus the newest restored data).",
		"measure", s.RPO, false)
	runs := map[string]float64{}
	for outcome, n := range s.Runs {
		runs[string(outcome)] = n
	}
	cs = appendVec(cs, NameRuns, "Drill runs by outcome.", "outcome", runs, true)
	phases := map[string]float64{}
	for _, p := range s.Phases {
		phases[p.Name] = p.Seconds
	}
	cs = appendVec(cs, NamePhaseDuration, "Duration of each phase of the latest drill run, in seconds.", "phase", phases, false)
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}

// unix is t in seconds since the epoch, with its fraction.
func unix(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

// appendVec adds a family with one series per value of label; a family
// without values is left out, so that a push does not replace it.
func appendVec(cs []prometheus.Collector, name, help, label string, values map[string]float64, counter bool) []prometheus.Collector {
	if len(values) == 0 {
		return cs
	}
	if counter {
		v := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, []string{label})
		for k, n := range values {
			v.WithLabelValues(k).Add(n)
		}
		return append(cs, v)
	}
	v := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, []string{label})
	for k, n := range values {
		v.WithLabelValues(k).Set(n)
	}
	return append(cs, v)
}

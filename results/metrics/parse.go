package metrics

import (
	"fmt"
	"io"
	"time"

	"github.com/prometheus/common/expfmt"

	"github.com/restore-drill/drill/results"
)

// parseText reads back, from Prometheus text format, the series of one
// scenario that a later run may carry over (last success, latest RTO and
// RPO, the run counters) and when the last run ended.
func parseText(r io.Reader, scenario string) (Snapshot, error) {
	var p expfmt.TextParser
	families, err := p.TextToMetricFamilies(r)
	if err != nil {
		return Snapshot{}, fmt.Errorf("not in Prometheus text format: %w", err)
	}
	s := Snapshot{Scenario: scenario, RPO: map[string]float64{}, Runs: map[results.Outcome]float64{}}
	for name, mf := range families {
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["scenario"] != scenario {
				continue
			}
			v := m.GetGauge().GetValue()
			switch name {
			case NameLastRun:
				s.LastRun = fromUnix(v)
			case NameLastSuccess:
				t := fromUnix(v)
				s.LastSuccess = &t
			case NameRTO:
				s.RTO = &v
			case NameRPO:
				s.RPO[labels["measure"]] = v
			case NameRuns:
				s.Runs[results.Outcome(labels["outcome"])] = m.GetCounter().GetValue()
			}
		}
	}
	return s, nil
}

func fromUnix(sec float64) time.Time { return time.Unix(0, int64(sec*1e9)).UTC() }

package ci_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/prometheus/model/histogram"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/tsdb/chunkenc"
	"github.com/prometheus/prometheus/tsdb/chunks"
	"github.com/prometheus/prometheus/util/annotations"
)

// Three scenarios, each with a cadence of 5h (stale after 5.5h, 19800 s,
// without a success), looked at 10h (36000 s) after the epoch:
//   - fresh: passed at 30000 s, RTO and data loss within their objectives
//     (its backup age is over the RPO objective, which does not count when
//     data loss is measured);
//   - stale: last passed at 1000 s, its latest run failed, RTO over the
//     objective, no rpo check and a backup older than the RPO objective;
//   - never: has run but never passed; data loss within the objective.
//
// drill check of fresh: its billing backup passed, its ledger backup failed.
var alertSeries = map[string]float64{
	`drill_cadence_seconds{scenario="fresh"}`:                         18000,
	`drill_cadence_seconds{scenario="stale"}`:                         18000,
	`drill_cadence_seconds{scenario="never"}`:                         18000,
	`drill_last_success_timestamp_seconds{scenario="fresh"}`:          30000,
	`drill_last_success_timestamp_seconds{scenario="stale"}`:          1000,
	`drill_last_run_timestamp_seconds{scenario="fresh"}`:              30000,
	`drill_last_run_timestamp_seconds{scenario="stale"}`:              33000,
	`drill_last_run_timestamp_seconds{scenario="never"}`:              33000,
	`drill_last_run_success{scenario="fresh"}`:                        1,
	`drill_last_run_success{scenario="stale"}`:                        0,
	`drill_last_run_success{scenario="never"}`:                        0,
	`drill_rto_seconds{scenario="fresh"}`:                             120,
	`drill_rto_seconds{scenario="stale"}`:                             900,
	`drill_rto_objective_seconds{scenario="fresh"}`:                   600,
	`drill_rto_objective_seconds{scenario="stale"}`:                   600,
	`drill_rpo_seconds{scenario="fresh", measure="backup_age"}`:       7200,
	`drill_rpo_seconds{scenario="fresh", measure="data_loss"}`:        3600,
	`drill_rpo_seconds{scenario="stale", measure="backup_age"}`:       7200,
	`drill_rpo_seconds{scenario="never", measure="backup_age"}`:       90000,
	`drill_rpo_seconds{scenario="never", measure="data_loss"}`:        1800,
	`drill_rpo_objective_seconds{scenario="fresh"}`:                   5400,
	`drill_rpo_objective_seconds{scenario="stale"}`:                   5400,
	`drill_rpo_objective_seconds{scenario="never"}`:                   5400,
	`drill_backup_check_success{scenario="fresh", restore="billing"}`: 1,
	`drill_backup_check_success{scenario="fresh", restore="ledger"}`:  0,
}

// alertsFiring is what each alert's expression returns at 10h: the series
// it fires for (labels without the metric name) and their values, and no
// other. The labels matter: the annotations print them.
var alertsFiring = map[string]map[string]float64{
	"DrillStale":              {`{scenario="stale"}`: 35000},
	"DrillNeverPassed":        {`{scenario="never"}`: 33000},
	"DrillFailing":            {`{scenario="stale"}`: 0, `{scenario="never"}`: 0},
	"DrillRTOOverObjective":   {`{scenario="stale"}`: 900},
	"DrillRPOOverObjective":   {`{measure="backup_age", scenario="stale"}`: 7200},
	"DrillBackupCheckFailing": {`{restore="ledger", scenario="fresh"}`: 0},
}

// TestAlertsFireForTheScenariosInTrouble evaluates each alert's expression
// with Prometheus's query engine over series shaped like drill's.
func TestAlertsFireForTheScenariosInTrouble(t *testing.T) {
	exprs := loadAlerts(t)
	for name := range exprs {
		if _, ok := alertsFiring[name]; !ok {
			t.Errorf("alert %s has no case in this test", name)
		}
	}
	at := time.Unix(36000, 0)
	store := memorySeries(t, alertSeries, at.Add(-time.Minute))
	engine := promql.NewEngine(promql.EngineOpts{MaxSamples: 100000, Timeout: time.Minute, LookbackDelta: 5 * time.Minute})
	for name, want := range alertsFiring {
		t.Run(name, func(t *testing.T) {
			q, err := engine.NewInstantQuery(context.Background(), store, nil, exprs[name], at)
			if err != nil {
				t.Fatalf("%q: %v", exprs[name], err)
			}
			defer q.Close()
			vec, err := q.Exec(context.Background()).Vector()
			if err != nil {
				t.Fatalf("%q: %v", exprs[name], err)
			}
			got := map[string]float64{}
			for _, s := range vec {
				got[s.Metric.DropMetricName().String()] = s.F
			}
			if len(got) != len(want) {
				t.Errorf("fires for %v, want %v", got, want)
			}
			for labels, v := range want {
				if g, ok := got[labels]; !ok || g != v {
					t.Errorf("series %s = %v (present %v), want %v; all: %v", labels, g, ok, v, got)
				}
			}
		})
	}
}

// memorySeries is a storage holding one sample of each series at time at.
func memorySeries(t *testing.T, series map[string]float64, at time.Time) storage.Queryable {
	t.Helper()
	var all []storage.Series
	for text, v := range series {
		ls, err := parser.ParseMetric(text)
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		all = append(all, storage.NewListSeries(ls, []chunks.Sample{floatSample{at.UnixMilli(), v}}))
	}
	slices.SortFunc(all, func(a, b storage.Series) int { return labels.Compare(a.Labels(), b.Labels()) })
	return &storage.MockQueryable{MockQuerier: &storage.MockQuerier{
		SelectMockFunction: func(_ bool, _ *storage.SelectHints, ms ...*labels.Matcher) storage.SeriesSet {
			var out []storage.Series
			for _, s := range all {
				if matchesAll(s.Labels(), ms) {
					out = append(out, s)
				}
			}
			return &seriesList{series: out, i: -1}
		},
	}}
}

func matchesAll(ls labels.Labels, ms []*labels.Matcher) bool {
	for _, m := range ms {
		if !m.Matches(ls.Get(m.Name)) {
			return false
		}
	}
	return true
}

type floatSample struct {
	t int64
	f float64
}

func (s floatSample) T() int64                      { return s.t }
func (s floatSample) F() float64                    { return s.f }
func (s floatSample) H() *histogram.Histogram       { return nil }
func (s floatSample) FH() *histogram.FloatHistogram { return nil }
func (s floatSample) Type() chunkenc.ValueType      { return chunkenc.ValFloat }

type seriesList struct {
	series []storage.Series
	i      int
}

func (l *seriesList) Next() bool                        { l.i++; return l.i < len(l.series) }
func (l *seriesList) At() storage.Series                { return l.series[l.i] }
func (l *seriesList) Err() error                        { return nil }
func (l *seriesList) Warnings() annotations.Annotations { return nil }

package ci_test

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/prometheus/promql"
)

const dashboardFile = "monitoring/drill-dashboard.json"

type dashboard struct {
	Title  string `json:"title"`
	UID    string `json:"uid"`
	Panels []struct {
		Title   string `json:"title"`
		Type    string `json:"type"`
		Targets []struct {
			Expr string `json:"expr"`
		} `json:"targets"`
	} `json:"panels"`
	Templating struct {
		List []struct {
			Name  string          `json:"name"`
			Type  string          `json:"type"`
			Query json.RawMessage `json:"query"`
		} `json:"list"`
	} `json:"templating"`
}

// grafanaVariables stands in for what Grafana substitutes before a query
// reaches Prometheus.
var grafanaVariables = strings.NewReplacer("$__range", "30d", "$scenario", ".*")

func TestDashboardQueriesDrillMetrics(t *testing.T) {
	data, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	dec := json.NewDecoder(strings.NewReader(string(data)))
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("%s is not valid JSON: %v", dashboardFile, err)
	}
	if d.Title == "" || d.UID == "" {
		t.Errorf("the dashboard needs a title and a uid (for provisioning): %q %q", d.Title, d.UID)
	}
	if len(d.Panels) < 5 {
		t.Errorf("%d panels; want at least outcome, staleness, RTO, RPO and phases", len(d.Panels))
	}
	used := map[string]bool{}
	for _, p := range d.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, tg := range p.Targets {
			checkMetricNames(t, "panel "+p.Title, grafanaVariables.Replace(tg.Expr))
			for _, name := range []string{"drill_rto_seconds", "drill_rpo_seconds", "drill_phase_duration_seconds", "drill_last_run_success"} {
				if strings.Contains(tg.Expr, name+"{") {
					used[name] = true
				}
			}
		}
	}
	checkPanelsShowData(t, &d)
	for _, name := range []string{"drill_rto_seconds", "drill_rpo_seconds", "drill_phase_duration_seconds", "drill_last_run_success"} {
		if !used[name] {
			t.Errorf("no panel shows %s", name)
		}
	}
	for _, v := range d.Templating.List {
		if v.Type != "query" {
			continue
		}
		var q struct {
			Query string `json:"query"`
		}
		if err := json.Unmarshal(v.Query, &q); err != nil {
			t.Fatalf("variable %s: %v", v.Name, err)
		}
		// label_values(METRIC, LABEL) is Grafana's, not PromQL: check METRIC.
		inner := strings.TrimSuffix(strings.TrimPrefix(q.Query, "label_values("), ")")
		metric, _, _ := strings.Cut(inner, ",")
		checkMetricNames(t, "variable "+v.Name, metric)
	}
}

// checkPanelsShowData evaluates each instant query of the dashboard with
// Prometheus's engine over drill-shaped series: a query whose vectors do not
// match (a label missing on one side) would show an empty panel.
func checkPanelsShowData(t *testing.T, d *dashboard) {
	t.Helper()
	series := maps.Clone(alertSeries)
	series[`drill_phase_duration_seconds{scenario="fresh", phase="restore/billing"}`] = 60
	series[`drill_runs_total{scenario="fresh", outcome="passed"}`] = 3
	at := time.Unix(36000, 0)
	store := memorySeries(t, series, at.Add(-time.Minute))
	engine := promql.NewEngine(promql.EngineOpts{MaxSamples: 100000, Timeout: time.Minute, LookbackDelta: 5 * time.Minute})
	for _, p := range d.Panels {
		for _, tg := range p.Targets {
			if strings.Contains(tg.Expr, "[") {
				continue // a range needs a history; its syntax is checked above
			}
			expr := grafanaVariables.Replace(tg.Expr)
			q, err := engine.NewInstantQuery(context.Background(), store, nil, expr, at)
			if err != nil {
				t.Errorf("panel %q: %q: %v", p.Title, expr, err)
				continue
			}
			vec, err := q.Exec(context.Background()).Vector()
			q.Close()
			if err != nil || len(vec) == 0 {
				t.Errorf("panel %q: %q shows nothing for drill's series (error %v)", p.Title, expr, err)
			}
		}
	}
}

package ci_test

import (
	"slices"
	"testing"

	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/restore-drill/drill/results/metrics"
)

const alertsFile = "monitoring/drill-alerts.yaml"

// loadAlerts parses the rules with Prometheus's own rule parser, which also
// parses every expression and template.
func loadAlerts(t *testing.T) map[string]string {
	t.Helper()
	groups, errs := rulefmt.ParseFile(alertsFile)
	if len(errs) > 0 {
		t.Fatalf("%s does not parse as Prometheus rules: %v", alertsFile, errs)
	}
	exprs := map[string]string{}
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			if r.Alert.Value == "" {
				continue
			}
			exprs[r.Alert.Value] = r.Expr.Value
			if r.Labels["severity"] == "" || r.Annotations["summary"] == "" {
				t.Errorf("alert %s needs a severity label and a summary", r.Alert.Value)
			}
		}
	}
	return exprs
}

func TestAlertRulesParseAndUseDrillMetrics(t *testing.T) {
	exprs := loadAlerts(t)
	for _, want := range []string{"DrillStale", "DrillNeverPassed", "DrillFailing", "DrillRTOOverObjective", "DrillRPOOverObjective", "DrillBackupCheckFailing"} {
		if _, ok := exprs[want]; !ok {
			t.Errorf("alert %s is missing", want)
		}
	}
	for name, expr := range exprs {
		checkMetricNames(t, "alert "+name, expr)
	}
}

// checkMetricNames fails when expr selects a metric drill does not export:
// a renamed metric would leave an alert or a panel that never shows anything.
func checkMetricNames(t *testing.T, where, expr string) {
	t.Helper()
	e, err := parser.ParseExpr(expr)
	if err != nil {
		t.Errorf("%s: %q does not parse: %v", where, expr, err)
		return
	}
	n := 0
	parser.Inspect(e, func(node parser.Node, _ []parser.Node) error {
		if vs, ok := node.(*parser.VectorSelector); ok {
			n++
			exported := append(metrics.Names(), metrics.CheckNames()...)
			if !slices.Contains(exported, vs.Name) {
				t.Errorf("%s selects %q, which drill does not export (it exports %v)", where, vs.Name, exported)
			}
		}
		return nil
	})
	if n == 0 {
		t.Errorf("%s: %q selects no metric", where, expr)
	}
}

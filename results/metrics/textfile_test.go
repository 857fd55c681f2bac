package metrics_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/results/metrics"
)

// readProm parses a textfile the way Prometheus does and returns its series
// by name and then by their labels other than scenario ("" when none).
func readProm(t *testing.T, path, scenario string) map[string]map[string]float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var p expfmt.TextParser
	families, err := p.TextToMetricFamilies(f)
	if err != nil {
		t.Fatalf("%s does not parse as Prometheus text: %v", path, err)
	}
	out := map[string]map[string]float64{}
	for name, mf := range families {
		out[name] = map[string]float64{}
		for _, m := range mf.GetMetric() {
			var key []string
			sawScenario := false
			for _, l := range m.GetLabel() {
				switch {
				case l.GetName() == "scenario":
					sawScenario = l.GetValue() == scenario
				default:
					key = append(key, l.GetName()+"="+l.GetValue())
				}
			}
			if !sawScenario {
				t.Errorf("%s %v is not labelled scenario=%q", name, m.GetLabel(), scenario)
			}
			out[name][strings.Join(key, ",")] = value(mf, m)
		}
	}
	return out
}

func value(mf *dto.MetricFamily, m *dto.Metric) float64 {
	if mf.GetType() == dto.MetricType_COUNTER {
		return m.GetCounter().GetValue()
	}
	return m.GetGauge().GetValue()
}

func TestWriteTextfile(t *testing.T) {
	dir := t.TempDir()
	rec := record("r1", day0, results.Passed)
	path, err := metrics.WriteTextfile(dir, metrics.FromRecords(rec, []*results.Record{rec}))
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) != "drill_billing-monthly.prom" {
		t.Errorf("file %s, want one file per scenario named after it", path)
	}
	got := readProm(t, path, "billing-monthly")
	want := map[string]map[string]float64{
		metrics.NameLastRun:        {"": float64(rec.FinishedAt.Unix())},
		metrics.NameLastRunSuccess: {"": 1},
		metrics.NameLastSuccess:    {"": float64(rec.FinishedAt.Unix())},
		metrics.NameRuns:           {"outcome=passed": 1},
		metrics.NameRTO:            {"": 81.7},
		metrics.NameRTOObjective:   {"": 600},
		metrics.NameRPO:            {"measure=backup_age": 7200, "measure=data_loss": 10800},
		metrics.NameRPOObjective:   {"": 93600},
		metrics.NameCadence:        {"": 31 * 86400},
		metrics.NamePhaseDuration: {
			"phase=locate": 0.01, "phase=provision": 1.7, "phase=restore/billing": 60,
			"phase=verify": 20, "phase=teardown": 0.1,
		},
	}
	for _, name := range metrics.Names() {
		if _, ok := got[name]; !ok {
			t.Errorf("%s is missing", name)
		}
	}
	assertSeries(t, got, want)
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d files, want only the textfile (no temporary file left)", len(entries))
	}
}

// A failed run must not erase the last success, and the run counters must
// keep counting, even when the results store has lost the history.
func TestTextfileCarriesOverAcrossRuns(t *testing.T) {
	dir := t.TempDir()
	passed := record("r1", day0, results.Passed)
	if _, err := metrics.WriteTextfile(dir, metrics.FromRecords(passed, nil)); err != nil {
		t.Fatal(err)
	}
	failed := record("r2", day0.Add(31*24*time.Hour), results.Failed)
	path, err := metrics.WriteTextfile(dir, metrics.FromRecords(failed, nil))
	if err != nil {
		t.Fatal(err)
	}
	got := readProm(t, path, "billing-monthly")
	if v := got[metrics.NameLastSuccess][""]; v != float64(passed.FinishedAt.Unix()) {
		t.Errorf("last success %v after a failed run, want the earlier success %d", v, passed.FinishedAt.Unix())
	}
	if v := got[metrics.NameLastRun][""]; v != float64(failed.FinishedAt.Unix()) {
		t.Errorf("last run %v, want the failed run's end", v)
	}
	if v := got[metrics.NameLastRunSuccess][""]; v != 0 {
		t.Errorf("last run success %v, want 0", v)
	}
	if v := got[metrics.NameRTO][""]; v != 81.7 {
		t.Errorf("RTO %v, want the last measured 81.7 kept", v)
	}
	if r := got[metrics.NameRuns]; r["outcome=passed"] != 1 || r["outcome=failed"] != 1 {
		t.Errorf("runs %v, want passed 1 and failed 1", r)
	}

	// A third run whose store does know the history counts each run once.
	third := record("r3", day0.Add(62*24*time.Hour), results.Passed)
	path, err = metrics.WriteTextfile(dir, metrics.FromRecords(third, []*results.Record{passed, failed, third}))
	if err != nil {
		t.Fatal(err)
	}
	got = readProm(t, path, "billing-monthly")
	if r := got[metrics.NameRuns]; r["outcome=passed"] != 2 || r["outcome=failed"] != 1 {
		t.Errorf("runs %v, want passed 2 and failed 1", r)
	}
	if v := got[metrics.NameLastSuccess][""]; v != float64(third.FinishedAt.Unix()) {
		t.Errorf("last success %v, want the third run's end", v)
	}
}

func TestTextfileScenariosShareADirectory(t *testing.T) {
	dir := t.TempDir()
	a := record("r1", day0, results.Passed)
	b := record("r1", day0, results.Failed)
	b.Scenario = "identity-weekly"
	for _, r := range []*results.Record{a, b} {
		if _, err := metrics.WriteTextfile(dir, metrics.FromRecords(r, nil)); err != nil {
			t.Fatal(err)
		}
	}
	if got := readProm(t, metrics.TextfilePath(dir, "billing-monthly"), "billing-monthly"); got[metrics.NameLastRunSuccess][""] != 1 {
		t.Errorf("billing-monthly's file was changed by another scenario's run: %v", got[metrics.NameLastRunSuccess])
	}
	if got := readProm(t, metrics.TextfilePath(dir, "identity-weekly"), "identity-weekly"); got[metrics.NameLastRunSuccess][""] != 0 {
		t.Errorf("identity-weekly last run success %v, want 0", got[metrics.NameLastRunSuccess])
	}
}

func TestTextfileRefusesAGarbledPreviousFile(t *testing.T) {
	dir := t.TempDir()
	path := metrics.TextfilePath(dir, "billing-monthly")
	if err := os.WriteFile(path, []byte("drill_runs_total{outcome=\"passed\" 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := metrics.WriteTextfile(dir, metrics.FromRecords(record("r1", day0, results.Passed), nil))
	if err == nil || !strings.Contains(err.Error(), "remove it") {
		t.Errorf("error %v, want a refusal that says to remove the file (counters would restart silently)", err)
	}
}

func TestTextfileMissingDirectory(t *testing.T) {
	_, err := metrics.WriteTextfile(filepath.Join(t.TempDir(), "absent"), metrics.FromRecords(record("r1", day0, results.Passed), nil))
	if err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("error %v, want one that names the missing directory", err)
	}
}

// The names, units and help texts follow Prometheus's conventions, as
// promtool check metrics would judge them.
func TestTextfilePassesPromlint(t *testing.T) {
	dir := t.TempDir()
	rec := record("r1", day0, results.Passed)
	path, err := metrics.WriteTextfile(dir, metrics.FromRecords(rec, nil))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	problems, err := promlint.New(f).Lint()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s: %s", p.Metric, p.Text)
	}
}

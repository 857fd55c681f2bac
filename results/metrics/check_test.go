package metrics_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/results/metrics"
)

// checkRecord makes the record of a drill check of two restores that started
// at start: billing's backup of 2 h and 4096 bytes, and ledger's, which
// passes only when ledgerOK and else has no backup at all.
func checkRecord(start time.Time, ledgerOK bool) *results.Record {
	end := start.Add(3 * time.Second)
	r := &results.Record{
		Scenario: "billing-monthly", Sandbox: results.Sandbox{Kind: "none"},
		Outcome: results.Passed, StartedAt: start, FinishedAt: &end,
		Restores: []results.Restore{
			{Name: "billing", Archive: results.Archive{Path: "/b/billing.dump", Bytes: 4096, ModTime: start.Add(-2 * time.Hour)}},
			{Name: "ledger"},
		},
	}
	for _, kind := range []string{"backup-exists", "backup-age", "backup-size", "backup-format"} {
		r.Checks = append(r.Checks, results.Check{Kind: kind, Restore: "billing", Outcome: results.Passed})
	}
	// No age limit: a skipped age check does not fail a restore.
	r.Checks[1].Outcome = results.Skipped
	if ledgerOK {
		r.Restores[1].Archive = results.Archive{Path: "/b/ledger.dump", Bytes: 10, ModTime: start.Add(-time.Hour)}
		r.Checks = append(r.Checks, results.Check{Kind: "backup-exists", Restore: "ledger", Outcome: results.Passed})
		return r
	}
	r.Outcome = results.Failed
	r.Checks = append(r.Checks,
		results.Check{Kind: "backup-exists", Restore: "ledger", Outcome: results.Failed},
		results.Check{Kind: "backup-size", Restore: "ledger", Outcome: results.Skipped})
	return r
}

func TestWriteCheckTextfile(t *testing.T) {
	dir := t.TempDir()
	rec := checkRecord(day0, true)
	path, err := metrics.WriteCheckTextfile(dir, metrics.FromCheck(rec))
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) != "drill_check_billing-monthly.prom" || path == metrics.TextfilePath(dir, "billing-monthly") {
		t.Errorf("file %s, want one of its own beside the drill's", path)
	}
	got := readProm(t, path, "billing-monthly")
	end := float64(rec.FinishedAt.Unix())
	want := map[string]map[string]float64{
		metrics.NameBackupCheckSuccess:     {"restore=billing": 1, "restore=ledger": 1},
		metrics.NameBackupCheckLastRun:     {"restore=billing": end, "restore=ledger": end},
		metrics.NameBackupCheckLastSuccess: {"restore=billing": end, "restore=ledger": end},
		metrics.NameBackupAge:              {"restore=billing": 7200, "restore=ledger": 3600},
		metrics.NameBackupSize:             {"restore=billing": 4096, "restore=ledger": 10},
	}
	assertSeries(t, got, want)
}

// A failed check keeps the last success of the file before; a restore that
// never passed has none, and a backup that is not there has no age or size.
func TestWriteCheckTextfileKeepsTheLastSuccess(t *testing.T) {
	dir := t.TempDir()
	first := checkRecord(day0, true)
	if _, err := metrics.WriteCheckTextfile(dir, metrics.FromCheck(first)); err != nil {
		t.Fatal(err)
	}
	second := checkRecord(day0.Add(24*time.Hour), false)
	path, err := metrics.WriteCheckTextfile(dir, metrics.FromCheck(second))
	if err != nil {
		t.Fatal(err)
	}
	got := readProm(t, path, "billing-monthly")
	want := map[string]map[string]float64{
		metrics.NameBackupCheckSuccess:     {"restore=billing": 1, "restore=ledger": 0},
		metrics.NameBackupCheckLastRun:     {"restore=billing": float64(second.FinishedAt.Unix()), "restore=ledger": float64(second.FinishedAt.Unix())},
		metrics.NameBackupCheckLastSuccess: {"restore=billing": float64(second.FinishedAt.Unix()), "restore=ledger": float64(first.FinishedAt.Unix())},
		metrics.NameBackupAge:              {"restore=billing": 7200},
		metrics.NameBackupSize:             {"restore=billing": 4096},
	}
	assertSeries(t, got, want)

	// Without a file before, a failed restore has no last success at all.
	fresh := t.TempDir()
	path, err = metrics.WriteCheckTextfile(fresh, metrics.FromCheck(second))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := readProm(t, path, "billing-monthly")[metrics.NameBackupCheckLastSuccess]["restore=ledger"]; ok {
		t.Errorf("a restore that never passed got a last success")
	}
}

func TestWriteCheckTextfileRefusesAGarbledFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(metrics.CheckTextfilePath(dir, "billing-monthly"), []byte("not {prometheus\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := metrics.WriteCheckTextfile(dir, metrics.FromCheck(checkRecord(day0, false)))
	if err == nil || !strings.Contains(err.Error(), "remove it") {
		t.Errorf("error %v, want one saying to remove the file", err)
	}
}

// Each restore is pushed to its own group {job, scenario, kind="check",
// restore}, so a failed restore's missing last success leaves the pushed one
// in place, and nothing replaces the drill's own group.
func TestPushCheckGroupsPerRestore(t *testing.T) {
	gw := newPushgateway(t, http.StatusOK)
	rec := checkRecord(day0, false)
	if err := metrics.PushCheck(context.Background(), metrics.Pushgateway{URL: gw.URL}, metrics.FromCheck(rec)); err != nil {
		t.Fatal(err)
	}
	gw.mu.Lock()
	defer gw.mu.Unlock()
	if len(gw.requests) != 2 {
		t.Fatalf("the Pushgateway got %d requests, want one per restore", len(gw.requests))
	}
	for _, p := range gw.requests {
		if p.method != http.MethodPost {
			t.Errorf("method %s, want POST", p.method)
		}
		parts := strings.Split(strings.TrimPrefix(p.path, "/metrics/"), "/")
		key := map[string]string{}
		for i := 0; i+1 < len(parts); i += 2 {
			key[parts[i]] = parts[i+1]
		}
		if key["job"] != metrics.DefaultJob || key["scenario"] != "billing-monthly" || key["kind"] != "check" || key["restore"] == "" {
			t.Errorf("path %s, want the grouping key job, scenario, kind=check, restore", p.path)
			continue
		}
		_, hasLastSuccess := p.families[metrics.NameBackupCheckLastSuccess]
		success := p.families[metrics.NameBackupCheckSuccess].GetMetric()[0].GetGauge().GetValue()
		switch key["restore"] {
		case "billing":
			if success != 1 || !hasLastSuccess {
				t.Errorf("billing: success %v, last success pushed %v; want 1 and pushed", success, hasLastSuccess)
			}
		case "ledger":
			if success != 0 || hasLastSuccess {
				t.Errorf("ledger: success %v, last success pushed %v; want 0 and left out", success, hasLastSuccess)
			}
		}
	}
}

func TestCheckNamesAreApartFromTheDrills(t *testing.T) {
	for _, n := range metrics.CheckNames() {
		if slices.Contains(metrics.Names(), n) {
			t.Errorf("%s is both a drill and a check metric: one would overwrite the other", n)
		}
	}
}

// assertSeries compares every family and series of got with want.
func assertSeries(t *testing.T, got, want map[string]map[string]float64) {
	t.Helper()
	for name, series := range want {
		for key, v := range series {
			if g, ok := got[name][key]; !ok || g != v {
				t.Errorf("%s{%s} = %v (present %v), want %v", name, key, g, ok, v)
			}
		}
		if len(got[name]) != len(series) {
			t.Errorf("%s has series %v, want %v", name, got[name], series)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("unexpected family %s", name)
		}
	}
}

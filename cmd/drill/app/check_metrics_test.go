package app_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"

	"github.com/restore-drill/drill/results/metrics"
)

// TestCheckExportsMetrics checks a real archive, then a missing one under the
// same scenario, with a textfile directory and a Pushgateway (a real HTTP
// server on 127.0.0.1): the failed check keeps the last success, and
// nothing lands where drill run's metrics go.
func TestCheckExportsMetrics(t *testing.T) {
	b := makeBackups(t)
	var mu sync.Mutex
	var pushes []string
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		pushes = append(pushes, r.Method+" "+r.URL.Path)
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	defer gw.Close()
	t.Setenv("GITHUB_ACTIONS", "")
	textfiles := t.TempDir()
	info, err := os.Stat(b.custom)
	if err != nil {
		t.Fatal(err)
	}

	passed := drill(t, "check", writeScenario(t, b.custom, "1"), "-o", "json", "--metrics-textfile", textfiles, "--pushgateway", gw.URL)
	if passed.code != 0 {
		t.Fatalf("exit %d, want 0; stderr:\n%s", passed.code, passed.stderr)
	}
	var rec struct{ StartedAt, FinishedAt time.Time }
	if err := json.Unmarshal([]byte(passed.stdout), &rec); err != nil {
		t.Fatalf("stdout is not the JSON record: %v", err)
	}
	got := readCheckMetrics(t, metrics.CheckTextfilePath(textfiles, "billing-monthly"))
	wantAge := rec.StartedAt.Sub(info.ModTime()).Seconds()
	switch {
	case got[metrics.NameBackupCheckSuccess] != 1:
		t.Errorf("success %v, want 1", got[metrics.NameBackupCheckSuccess])
	case got[metrics.NameBackupSize] != float64(info.Size()):
		t.Errorf("size %v, want the archive's %d bytes", got[metrics.NameBackupSize], info.Size())
	case got[metrics.NameBackupAge] < wantAge-1 || got[metrics.NameBackupAge] > wantAge+1:
		t.Errorf("age %v, want about %v", got[metrics.NameBackupAge], wantAge)
	case int64(got[metrics.NameBackupCheckLastSuccess]) != rec.FinishedAt.Unix():
		t.Errorf("last success %v, want the check's end %s", got[metrics.NameBackupCheckLastSuccess], rec.FinishedAt)
	}

	failed := drill(t, "check", writeScenario(t, filepath.Join(t.TempDir(), "gone"), "1"), "--metrics-textfile", textfiles, "--pushgateway", gw.URL)
	if failed.code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", failed.code, failed.stderr)
	}
	got = readCheckMetrics(t, metrics.CheckTextfilePath(textfiles, "billing-monthly"))
	if got[metrics.NameBackupCheckSuccess] != 0 || int64(got[metrics.NameBackupCheckLastSuccess]) != rec.FinishedAt.Unix() {
		t.Errorf("after the failed check: success %v, last success %v; want 0 and the passed check's end %d",
			got[metrics.NameBackupCheckSuccess], got[metrics.NameBackupCheckLastSuccess], rec.FinishedAt.Unix())
	}
	if _, ok := got[metrics.NameBackupAge]; ok {
		t.Errorf("a backup that is not there has an age: %v", got)
	}
	if _, err := os.Stat(metrics.TextfilePath(textfiles, "billing-monthly")); err == nil {
		t.Errorf("drill check wrote drill run's textfile")
	}

	mu.Lock()
	defer mu.Unlock()
	want := "POST /metrics/job/drill/scenario/billing-monthly/kind/check/restore/billing"
	if len(pushes) != 2 || !samePath(pushes[0], want) || !samePath(pushes[1], want) {
		t.Errorf("pushes %q, want two of %q", pushes, want)
	}
}

// samePath says whether two pushes have the same method and grouping key,
// whatever the order of the key's labels (the push library does not fix it).
func samePath(a, b string) bool {
	key := func(s string) []string {
		method, path, _ := strings.Cut(s, " ")
		parts := strings.Split(strings.TrimPrefix(path, "/metrics/"), "/")
		var pairs []string
		for i := 0; i+1 < len(parts); i += 2 {
			pairs = append(pairs, parts[i]+"="+parts[i+1])
		}
		slices.Sort(pairs)
		return append(pairs, method)
	}
	return slices.Equal(key(a), key(b))
}

// readCheckMetrics parses the check textfile the way Prometheus does and
// returns each family's value for the restore billing of billing-monthly.
func readCheckMetrics(t *testing.T, path string) map[string]float64 {
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
	out := map[string]float64{}
	for name, mf := range families {
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["scenario"] != "billing-monthly" || labels["restore"] != "billing" {
				t.Errorf("%s has labels %v, want scenario billing-monthly and restore billing", name, labels)
			}
			out[name] = m.GetGauge().GetValue()
		}
	}
	return out
}

package app_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/restore-drill/drill/results/metrics"
	"github.com/restore-drill/drill/sandbox/local/localtest"
)

// TestRunExportsMetrics runs a drill that passes and then one that fails,
// with a textfile directory and a Pushgateway (a real HTTP server on
// 127.0.0.1): the failed run must keep the last success in both.
func TestRunExportsMetrics(t *testing.T) {
	b := makeBackups(t)
	var mu sync.Mutex
	var pushes []string
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, _ := r.BasicAuth()
		mu.Lock()
		pushes = append(pushes, r.Method+" "+r.URL.Path+" "+user+":"+pass)
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	defer gw.Close()
	t.Setenv("GITHUB_ACTIONS", "") // outside GitHub Actions a secret is never written
	t.Setenv("DRILL_PUSHGATEWAY_USERNAME", "drill")
	t.Setenv("DRILL_PUSHGATEWAY_PASSWORD", "pushgateway-s3cret")
	resultsDir, textfiles := t.TempDir(), t.TempDir()
	t.Setenv("DRILL_METRICS_TEXTFILE", textfiles) // flags come from DRILL_* too

	passed := drill(t, "run", writeScenario(t, b.custom, ">= 1000"), "--results", resultsDir, "--pushgateway", gw.URL)
	if passed.code != 0 {
		t.Fatalf("exit %d, want 0; stderr:\n%s", passed.code, passed.stderr)
	}
	firstEnd := finishedAt(t, resultsDir)
	failed := drill(t, "run", writeScenario(t, filepath.Join(t.TempDir(), "gone"), ">= 1000"), "--results", resultsDir, "--pushgateway", gw.URL)
	if failed.code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", failed.code, failed.stderr)
	}
	for _, r := range []result{passed, failed} {
		if strings.Contains(r.stderr+r.stdout, "pushgateway-s3cret") {
			t.Errorf("the Pushgateway password was printed:\n%s", r.stderr)
		}
	}

	mu.Lock()
	got := append([]string(nil), pushes...)
	mu.Unlock()
	want := "POST /metrics/job/drill/scenario/billing-monthly drill:pushgateway-s3cret"
	if len(got) != 2 || got[0] != want || got[1] != want {
		t.Errorf("pushes %q, want two of %q", got, want)
	}

	// Read back with the Prometheus text parser.
	snap, err := metrics.ReadTextfile(metrics.TextfilePath(textfiles, "billing-monthly"), "billing-monthly")
	if err != nil {
		t.Fatal(err)
	}
	if snap.LastSuccess == nil || snap.LastSuccess.Unix() != firstEnd.Unix() {
		t.Errorf("last success %v after the failed run, want the passed run's end %s", snap.LastSuccess, firstEnd)
	}
	if !snap.LastRun.After(firstEnd) {
		t.Errorf("last run %s, want the failed run's end, after %s", snap.LastRun, firstEnd)
	}
	if r := snap.Runs; r["passed"] != 1 || r["failed"] != 1 || len(r) != 2 {
		t.Errorf("runs %v, want passed 1 and failed 1", r)
	}
}

func TestRunMetricsExportFailureKeepsTheOutcome(t *testing.T) {
	closed := "http://drill:pushgateway-s3cret@" + localtest.ReservePort(t).Addr() // nothing listens there
	sc := writeScenario(t, filepath.Join(t.TempDir(), "gone"), ">= 1000")
	t.Setenv("GITHUB_ACTIONS", "")
	r := drill(t, "run", sc, "--results", t.TempDir(), "--pushgateway", closed)
	if r.code != 1 {
		t.Errorf("exit %d, want 1: the drill's own outcome wins over the failed push; stderr:\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "Pushgateway") {
		t.Errorf("stderr does not mention the failed push:\n%s", r.stderr)
	}
	if strings.Contains(r.stderr, "s3cret") {
		t.Errorf("the password in the URL was printed:\n%s", r.stderr)
	}
}

// finishedAt reads the end of the only run recorded in dir.
func finishedAt(t *testing.T, dir string) time.Time {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "billing-monthly", "*.json"))
	if len(files) != 1 {
		t.Fatalf("records %v, want one", files)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		FinishedAt time.Time `json:"finishedAt"`
	}
	if err := json.Unmarshal(data, &rec); err != nil {
		t.Fatal(err)
	}
	return rec.FinishedAt
}

// In GitHub Actions the password in the URL is masked before anything could
// print it: the runner then hides it from the log.
func TestRunMasksThePushgatewayPasswordInGitHubActions(t *testing.T) {
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) }))
	defer gw.Close()
	t.Setenv("GITHUB_ACTIONS", "true")
	t.Setenv("GITHUB_STEP_SUMMARY", filepath.Join(t.TempDir(), "summary.md"))
	t.Setenv("DRILL_PUSHGATEWAY_TOKEN", "t0ken-s3cret")
	u := strings.Replace(gw.URL, "http://", "http://drill:url-s3cret@", 1)
	sc := writeScenario(t, filepath.Join(t.TempDir(), "gone"), ">= 1000")
	r := drill(t, "run", sc, "--results", t.TempDir(), "--pushgateway", u)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", r.code, r.stderr)
	}
	for _, secret := range []string{"url-s3cret", "t0ken-s3cret"} {
		mask := "::add-mask::" + secret + "\n"
		if strings.Count(r.stderr, secret) != 1 || !strings.Contains(r.stderr, mask) {
			t.Errorf("stderr shows %s other than in one mask command:\n%s", secret, r.stderr)
		}
	}
}

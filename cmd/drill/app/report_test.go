package app_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/results/resultstest"
)

// historyStore writes n generated records of the three sample scenarios
// into a new directory store, the newest ending at end.
func historyStore(t *testing.T, n int, end time.Time) (string, []*results.Record) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "records")
	records := resultstest.Generate(4, n, resultstest.Scenarios, end)
	for _, r := range records {
		if err := (results.DirStore{Dir: dir}).Save(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	return dir, records
}

func TestReportCommand(t *testing.T) {
	dir, records := historyStore(t, 60, time.Now())
	html := drill(t, "report", "--store", dir, "-o", "html")
	if html.code != 0 {
		t.Fatalf("report -o html: exit %d\n%s", html.code, html.stderr)
	}
	if n := strings.Count(html.stdout, "<svg"); n != 9 {
		t.Errorf("HTML report has %d charts, want 9 (RTO, RPO, waterfall of 3 scenarios)", n)
	}
	js := drill(t, "report", "--store", dir, "-o", "json", "--scenario", "gitlab-weekly")
	var rep struct {
		Records   int
		Scenarios []struct{ Name string }
	}
	if err := json.Unmarshal([]byte(js.stdout), &rep); err != nil || js.code != 0 {
		t.Fatalf("report -o json: exit %d, %v\n%s", js.code, err, js.stderr)
	}
	if len(rep.Scenarios) != 1 || rep.Scenarios[0].Name != "gitlab-weekly" || rep.Records != 20 {
		t.Errorf("report --scenario gitlab-weekly covers %+v, want only gitlab-weekly's 20 records", rep)
	}
	md := drill(t, "report", "--store", dir)
	if md.code != 0 || !strings.HasPrefix(md.stdout, "# Recovery trend report") {
		t.Errorf("report (markdown by default): exit %d\n%s", md.code, md.stdout)
	}

	run := records[len(records)-1]
	ex := drill(t, "report", "--store", dir, "--exercise", run.RunID, "--participant", "Ada (DBA)", "--sign-off", "Grace")
	if ex.code != 0 {
		t.Fatalf("report --exercise: exit %d\n%s", ex.code, ex.stderr)
	}
	for _, want := range []string{run.RunID, "Ada (DBA)", "Signed off by: Grace", run.Restores[0].Archive.SHA256} {
		if !strings.Contains(ex.stdout, want) {
			t.Errorf("exercise report lacks %q", want)
		}
	}
	for _, args := range [][]string{
		{"report", "--store", dir, "--exercise", "no-such-run"},
		{"report", "--store", dir, "-o", "pdf"},
		{"report", "--store", dir, "--regression-threshold", "0"},
	} {
		if r := drill(t, args...); r.code != 2 {
			t.Errorf("drill %v: exit %d, want 2 (invalid input)\n%s", args, r.code, r.stderr)
		}
	}
}

func TestListCommand(t *testing.T) {
	now := time.Now()
	dir, records := historyStore(t, 30, now.AddDate(0, 0, -60))
	// gitlab-weekly passed an hour ago; the others last ran two months ago.
	fresh := *records[len(records)/3]
	fresh.RunID, fresh.StartedAt, fresh.Outcome = "fresh", now.Add(-time.Hour), results.Passed
	if err := (results.DirStore{Dir: dir}).Save(context.Background(), &fresh); err != nil {
		t.Fatal(err)
	}
	scenarioDir := t.TempDir()
	for _, name := range []string{"identity-daily", "gitlab-weekly", "billing-monthly", "never-ran"} {
		cadence := map[string]string{"identity-daily": "daily", "gitlab-weekly": "weekly"}[name]
		if cadence == "" {
			cadence = "monthly"
		}
		writeFile(t, filepath.Join(scenarioDir, name+".yaml"), strings.NewReplacer(
			"name: billing-monthly", "name: "+name, "cadence: monthly", "cadence: "+cadence, "{{PATH}}", "/var/backups/x", "{{EXPECT}}", ">= 1",
		).Replace(readFile(t, "testdata/billing.yaml.tmpl")))
	}
	writeFile(t, filepath.Join(scenarioDir, "not-a-scenario.yaml"), "kind: ConfigMap\n")

	r := drill(t, "list", scenarioDir, "--store", dir, "-o", "json")
	if r.code != 0 {
		t.Fatalf("list: exit %d\n%s", r.code, r.stderr)
	}
	var lines []struct {
		Scenario string
		Runs     int
		Overdue  bool
		LastRun  *struct{ RunID string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &lines); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, l := range lines {
		got[l.Scenario] = l.Overdue
		if l.Scenario == "gitlab-weekly" && (l.LastRun == nil || l.LastRun.RunID != "fresh" || l.Runs != 11) {
			t.Errorf("gitlab-weekly: %d runs, last %+v; want 11 runs, the last one \"fresh\"", l.Runs, l.LastRun)
		}
	}
	want := map[string]bool{"identity-daily": true, "gitlab-weekly": false, "billing-monthly": true, "never-ran": true}
	if len(got) != len(want) {
		t.Errorf("list shows %v, want %v", got, want)
	}
	for name, overdue := range want {
		if got[name] != overdue {
			t.Errorf("%s: overdue %v, want %v", name, got[name], overdue)
		}
	}
	if !strings.Contains(r.stderr, "not-a-scenario.yaml") {
		t.Errorf("list does not name the file it skipped:\n%s", r.stderr)
	}
	text := drill(t, "list", scenarioDir, "--store", dir)
	if text.code != 0 || !strings.Contains(text.stdout, "OVERDUE") || !strings.Contains(text.stdout, "never-ran") {
		t.Errorf("list as text: exit %d\n%s", text.code, text.stdout)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

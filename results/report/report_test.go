package report_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/results/report"
	"github.com/restore-drill/drill/results/resultstest"
)

func ptr[T any](v T) *T { return &v }

// runOf is a passed run of scenario s with the given RTO, started at start.
func runOf(s string, start time.Time, rto float64) *results.Record {
	return &results.Record{
		APIVersion: results.APIVersion, Kind: results.Kind,
		RunID: start.Format("20060102-150405"), Scenario: s, Cadence: "weekly",
		Outcome: results.Passed, StartedAt: start, RTOSeconds: ptr(rto),
	}
}

func TestBuildRegressionAgainstMedianOfPreviousRuns(t *testing.T) {
	day := func(d int) time.Time { return end.AddDate(0, 0, d) }
	tests := []struct {
		name      string
		rtos      []float64
		threshold float64
		want      bool
	}{
		{"steady", []float64{100, 110, 90, 105}, 0.2, false},
		{"just under the threshold", []float64{100, 100, 100, 119}, 0.2, false},
		{"above the threshold", []float64{100, 100, 100, 121}, 0.2, true},
		{"an outlier in the past does not move the median", []float64{100, 900, 100, 100, 130}, 0.2, true},
		{"a looser threshold", []float64{100, 100, 100, 130}, 0.5, false},
		{"one run has nothing to compare with", []float64{500}, 0.2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var records []*results.Record
			for i, rto := range tt.rtos {
				records = append(records, runOf("orders", day(-len(tt.rtos)+i), rto))
			}
			rep := report.Build(records, report.Options{Now: end, RegressionThreshold: tt.threshold})
			got := rep.Scenarios[0].Regression
			if (got != nil) != tt.want {
				t.Fatalf("regression = %+v, want regression: %v", got, tt.want)
			}
			if got != nil && got.LatestSeconds != tt.rtos[len(tt.rtos)-1] {
				t.Errorf("regression names RTO %v, want the latest %v", got.LatestSeconds, tt.rtos[len(tt.rtos)-1])
			}
		})
	}
}

func TestBuildOverdueFromLastPassedRun(t *testing.T) {
	passedLongAgo := runOf("orders", end.AddDate(0, 0, -10), 60)
	failedYesterday := runOf("orders", end.AddDate(0, 0, -1), 60)
	failedYesterday.RunID += "-f"
	failedYesterday.Outcome = results.Failed
	recent := runOf("users", end.AddDate(0, 0, -2), 60)
	rep := report.Build([]*results.Record{passedLongAgo, failedYesterday, recent},
		report.Options{Now: end, Scenarios: []string{"never-ran"}, Cadences: map[string]string{"never-ran": "monthly"}})
	got := map[string]report.Scenario{}
	for _, s := range rep.Scenarios {
		got[s.Name] = s
	}
	orders := got["orders"]
	if !orders.Overdue || orders.OverdueSeconds != 3*24*3600 {
		t.Errorf("orders: overdue %v by %vs; want overdue by 3 days: a failed run does not count", orders.Overdue, orders.OverdueSeconds)
	}
	if orders.LastRun.Outcome != results.Failed {
		t.Errorf("orders: last run %+v, want the failed one", orders.LastRun)
	}
	if got["users"].Overdue {
		t.Errorf("users passed 2 days ago with a weekly cadence; report says overdue")
	}
	if never := got["never-ran"]; !never.Overdue || never.Runs != 0 {
		t.Errorf("a scenario that never ran: %+v, want overdue with no runs", never)
	}
}

func TestBuildWaterfallCriticalPath(t *testing.T) {
	r := resultstest.Generate(3, 6, resultstest.Scenarios[1:2], end)[5] // gitlab: two restores at once
	if r.Outcome != results.Passed {
		t.Skipf("generated run %s did not pass; pick another seed", r.RunID)
	}
	w := report.BuildWaterfall(r)
	want := []string{"locate", "provision", "restore/gitlab", "check/rows-gitlab", "check/newest-gitlab"}
	if !slices.Equal(w.CriticalPath, want) {
		t.Errorf("critical path %v, want %v: gitlab's restore is the slower one", w.CriticalPath, want)
	}
	// The critical path ends when the run recovered.
	for _, s := range w.Steps {
		if s.Name == "check/newest-gitlab" {
			if d := s.Offset + s.Seconds - *r.RTOSeconds; d > 1e-6 || d < -1e-6 {
				t.Errorf("the last critical step ends at %vs, the RTO is %vs", s.Offset+s.Seconds, *r.RTOSeconds)
			}
		}
	}
}

func TestRenderersAgree(t *testing.T) {
	records := resultstest.Generate(7, 60, resultstest.Scenarios, end)
	rep := report.Build(records, report.Options{Now: end.AddDate(0, 2, 0)})
	var md, js bytes.Buffer
	if err := report.WriteMarkdown(&md, rep); err != nil {
		t.Fatal(err)
	}
	if err := report.WriteJSON(&js, rep); err != nil {
		t.Fatal(err)
	}
	var back report.Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatalf("JSON report does not parse: %v", err)
	}
	if back.Records != 60 || len(back.Scenarios) != 3 {
		t.Errorf("JSON report has %d records over %d scenarios, want 60 over 3", back.Records, len(back.Scenarios))
	}
	for _, s := range rep.Scenarios {
		if !s.Overdue {
			t.Errorf("%s: two months after the last run it should be overdue", s.Name)
		}
		if !strings.Contains(md.String(), "## "+s.Name) {
			t.Errorf("Markdown report has no section for %s", s.Name)
		}
		if s.Waterfall == nil || !strings.Contains(md.String(), "Latest run `"+s.Waterfall.RunID+"`") {
			t.Errorf("Markdown report has no waterfall for %s", s.Name)
		}
	}
	if got := strings.Count(md.String(), "Pass/fail, oldest first (last 20 runs): "); got != 3 {
		t.Errorf("Markdown report has %d pass/fail lines of 20 runs, want one per scenario", got)
	}
	if got := strings.Count(md.String(), "**overdue**"); got != 3 {
		t.Errorf("Markdown summary marks %d scenarios overdue, want 3", got)
	}
}

func TestBuildPhaseCosts(t *testing.T) {
	records := resultstest.Generate(8, 30, resultstest.Scenarios[1:2], end) // gitlab: two restores
	rep := report.Build(records, report.Options{Now: end})
	costs := rep.Scenarios[0].PhaseCosts
	var names []string
	for _, c := range costs {
		names = append(names, c.Name)
	}
	want := []string{"restore/gitlab", "restore/registry", "provision", "locate"}
	if !slices.Equal(names, want) {
		t.Fatalf("phases by cost %v, want %v", names, want)
	}
	if share := costs[0].Share; share < 0.9 || share > 1 {
		t.Errorf("the slowest restore takes %.2f of the RTO, want most of it", share)
	}
	if costs[0].Runs != 10 {
		t.Errorf("costs taken over %d runs, want the regression window of 10", costs[0].Runs)
	}
}

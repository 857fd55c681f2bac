package report_test

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/restore-drill/drill/results/report"
	"github.com/restore-drill/drill/results/resultstest"
)

var end = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

func TestWriteHTMLDrawsChartsForEveryScenario(t *testing.T) {
	records := resultstest.Generate(1, 60, resultstest.Scenarios, end)
	rep := report.Build(records, report.Options{Now: end})
	var buf bytes.Buffer
	if err := report.WriteHTML(&buf, rep); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	if n := strings.Count(page, "<svg"); n != 9 {
		t.Errorf("page has %d SVG charts, want 9 (RTO, RPO and waterfall for 3 scenarios)", n)
	}
	for _, banned := range []string{"http://", "https://", "<script", "<link"} {
		if strings.Contains(strings.ReplaceAll(page, "http://www.w3.org/", ""), banned) {
			t.Errorf("page contains %q: it must not fetch anything", banned)
		}
	}
	if os.Getenv("REPORT_OUT") != "" {
		os.WriteFile(os.Getenv("REPORT_OUT"), buf.Bytes(), 0o644)
	}
}

package report_test

import (
	"io"
	"syscall"
	"testing"

	"github.com/restore-drill/drill/results/report"
	"github.com/restore-drill/drill/results/resultstest"
)

// BenchmarkReport builds the trend report over 10,000 records of three
// scenarios and renders it as HTML (with its charts), Markdown and JSON.
// Goal: ≤ 1 s and ≤ 200 MB per report. B/op is what one report allocates;
// peak-rss-MB is the process's peak resident memory, records included.
func BenchmarkReport(b *testing.B) {
	records := resultstest.Generate(42, 10000, resultstest.Scenarios, end)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rep := report.Build(records, report.Options{Now: end})
		if err := report.WriteHTML(io.Discard, rep); err != nil {
			b.Fatal(err)
		}
		if err := report.WriteMarkdown(io.Discard, rep); err != nil {
			b.Fatal(err)
		}
		if err := report.WriteJSON(io.Discard, rep); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-rss-MB") // Maxrss is in KiB on Linux
	}
}

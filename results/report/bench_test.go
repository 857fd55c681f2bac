package report_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/results/report"
	"github.com/restore-drill/drill/results/resultstest"
)

// reportBudget is the most one report over 10,000 records may allocate.
const reportBudget = 200 << 20

// BenchmarkReport makes the trend report over 10,000 records of three
// scenarios and renders it as HTML (with its charts), Markdown and JSON:
// "memory" from records already read, "dir-store" reading them from a
// directory store first, as drill report does. Goal: ≤ 1 s and ≤ 200 MB
// per report. B/op is what one report allocates; peak-rss-MB is the
// process's peak resident memory, records and generator included.
func BenchmarkReport(b *testing.B) {
	records := resultstest.Generate(42, 10000, resultstest.Scenarios, end)
	b.Run("memory", func(b *testing.B) {
		benchReport(b, func() []*results.Record { return records })
	})
	b.Run("dir-store", func(b *testing.B) {
		store := results.DirStore{Dir: filepath.Join(b.TempDir(), "records")}
		ctx := context.Background()
		// The files DirStore.Save writes, without its fsyncs, which would
		// make the setup take minutes.
		for _, r := range records {
			data, err := results.EncodeJSON(r)
			if err == nil {
				err = os.MkdirAll(filepath.Join(store.Dir, r.Scenario), 0o755)
			}
			if err == nil {
				err = os.WriteFile(filepath.Join(store.Dir, r.Scenario, r.RunID+".json"), data, 0o644)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		benchReport(b, func() []*results.Record {
			all, err := results.ReadAll(ctx, store)
			if err != nil || len(all) != len(records) {
				b.Fatalf("read %d records: %v", len(all), err)
			}
			return all
		})
	})
}

func benchReport(b *testing.B, read func() []*results.Record) {
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		rep := report.Build(read(), report.Options{Now: end})
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
	runtime.ReadMemStats(&after)
	if perReport := (after.TotalAlloc - before.TotalAlloc) / uint64(b.N); perReport > reportBudget {
		b.Errorf("one report allocates %d MB, over the budget of %d MB", perReport>>20, reportBudget>>20)
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-rss-MB") // Maxrss is in KiB on Linux
	}
}

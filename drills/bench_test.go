package drills_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/restore-drill/drill/assertions"
	"github.com/restore-drill/drill/drills"
	"github.com/restore-drill/drill/drills/restore"
	"github.com/restore-drill/drill/drills/restore/postgres"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/local"
	"github.com/restore-drill/drill/sandbox/local/sampledb"
	"github.com/restore-drill/drill/scenarios"
)

// BenchmarkDrill compares a whole local drill with the same work done by the
// bare PostgreSQL programs (testdata/bare-drill.sh: initdb, pg_ctl start,
// createdb, pg_restore, two psql queries, pg_ctl stop) on the same archive,
// alternating which goes first. It reports:
//
//   - restore-ratio: drill's restore phase / bare createdb+pg_restore (goal ≤ 1.03)
//   - overhead-s:    drill's wall time − the bare script's (goal ≤ 1 s)
//
// Sub-benchmarks: "large" on an archive of DRILL_BENCH_MB megabytes (default
// 200), "small" on a small one, where the fixed overhead shows most. Archives
// are made once and kept in DRILL_BENCH_DIR (default .bench at the top of the
// repository). Run with make bench.
func BenchmarkDrill(b *testing.B) {
	bins, err := local.FindBinaries("")
	if err != nil {
		b.Skipf("skipping: %v", err)
	}
	mb := 200
	if v := os.Getenv("DRILL_BENCH_MB"); v != "" {
		if mb, err = strconv.Atoi(v); err != nil || mb < 1 {
			b.Fatalf("DRILL_BENCH_MB=%q: want a number of megabytes", v)
		}
	}
	for _, size := range []struct {
		name string
		mb   int
	}{{"small", 0}, {"large", mb}} {
		b.Run(size.name, func(b *testing.B) {
			archive := benchArchive(b, bins, size.mb)
			benchmarkDrill(b, bins, archive)
		})
	}
}

func benchmarkDrill(b *testing.B, bins *local.Binaries, archive string) {
	const jobs = 2
	sc := &scenarios.Scenario{
		Name:    "bench",
		Timeout: time.Hour,
		Sandbox: scenarios.Sandbox{Kind: scenarios.SandboxLocal, Local: &scenarios.LocalSandbox{}},
		Restores: []scenarios.Restore{{
			Name: "billing", Source: scenarios.Source{Path: archive},
			Postgres: &scenarios.PostgresRestore{Database: "billing", Jobs: jobs},
		}},
		Checks: []scenarios.Check{
			{Name: "count", Timeout: time.Minute, SQL: &scenarios.SQLCheck{Restore: "billing", Query: "select count(*) from invoices", Expect: ">= 0"}},
			{Name: "newest", Timeout: time.Minute, RPO: &scenarios.RPOCheck{Restore: "billing", Query: "select max(created_at) from invoices"}},
		},
	}
	opts := drills.Options{
		Sandbox:     local.NewProvider(local.Options{}),
		SandboxKind: scenarios.SandboxLocal,
		Methods: func(r scenarios.Restore) (restore.Method, error) {
			return postgres.New(r.Name, r.Postgres), nil
		},
		Checks: assertions.New,
		Store:  results.DirStore{Dir: b.TempDir()},
	}
	var drillWall, drillRestore, bareWall, bareRestore time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		runDrill := func() {
			start := time.Now()
			rec, err := drills.Run(context.Background(), sc, opts)
			drillWall += time.Since(start)
			if err != nil || rec.Outcome != results.Passed {
				b.Fatalf("drill did not pass: %v %s %s", err, rec.Outcome, rec.Reason)
			}
			for _, p := range rec.Phases {
				if p.Name == "restore/billing" {
					drillRestore += time.Duration(p.Seconds * float64(time.Second))
				}
			}
		}
		runBare := func() {
			steps := bareDrill(b, bins, archive, jobs)
			bareWall += steps["total"]
			bareRestore += steps["restore"]
		}
		if i%2 == 0 {
			runDrill()
			runBare()
		} else {
			runBare()
			runDrill()
		}
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(drillRestore.Seconds()/bareRestore.Seconds(), "restore-ratio")
	b.ReportMetric((drillWall-bareWall).Seconds()/n, "overhead-s")
	b.ReportMetric(drillRestore.Seconds()/n, "drill-restore-s")
	b.ReportMetric(bareRestore.Seconds()/n, "bare-restore-s")
	b.ReportMetric(drillWall.Seconds()/n, "drill-wall-s")
	b.ReportMetric(bareWall.Seconds()/n, "bare-wall-s")
}

// bareDrill runs testdata/bare-drill.sh and returns its step timings.
func bareDrill(b *testing.B, bins *local.Binaries, archive string, jobs int) map[string]time.Duration {
	port, err := freePort()
	if err != nil {
		b.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command("testdata/bare-drill.sh", bins.Dir, archive, strconv.Itoa(jobs), strconv.Itoa(port))
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("bare drill: %v\n%s", err, stderr.String())
	}
	steps := map[string]time.Duration{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		name, secs, ok := strings.Cut(sc.Text(), " ")
		f, err := strconv.ParseFloat(secs, 64)
		if !ok || err != nil {
			b.Fatalf("bare drill printed %q", sc.Text())
		}
		steps[name] = time.Duration(f * float64(time.Second))
	}
	return steps
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// benchArchive returns a custom-format archive of at least mb megabytes (a
// small one for 0), made once with the sample database and kept.
func benchArchive(b *testing.B, bins *local.Binaries, mb int) string {
	dir := os.Getenv("DRILL_BENCH_DIR")
	if dir == "" {
		dir = filepath.Join("..", ".bench")
	}
	path, err := filepath.Abs(filepath.Join(dir, fmt.Sprintf("billing-%dmb-pg%d.dump", mb, bins.Major)))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := os.Stat(path); err == nil {
		return path
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	// The custom format compresses the sample's payload to about 60%:
	// 1750 invoices of 1000 bytes per megabyte of archive, with a margin.
	o := sampledb.Options{Invoices: 20000, Newest: time.Now().Add(-time.Hour)}
	if mb > 0 {
		o = sampledb.Options{Invoices: mb * 1800, PayloadBytes: 1000, Newest: time.Now().Add(-time.Hour)}
	}
	b.Logf("making a %d MB sample archive at %s (once)", mb, path)
	ctx := context.Background()
	sb, err := local.NewProvider(local.Options{}).Create(ctx, sandbox.Options{RunID: "bench-archive", Scenario: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer sb.Destroy(context.Background())
	srv, err := sb.Postgres(ctx, "billing")
	if err != nil {
		b.Fatal(err)
	}
	if err := sampledb.Create(ctx, srv, "billing", o); err != nil {
		b.Fatal(err)
	}
	tmp := path + ".partial"
	if err := sampledb.Dump(ctx, srv, "billing", "custom", tmp, 1); err != nil {
		b.Fatal(err)
	}
	if fi, err := os.Stat(tmp); err != nil || fi.Size() < int64(mb)*1_000_000 {
		b.Fatalf("sample archive is smaller than %d MB: %v", mb, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

package barman_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/restore-drill/drill/assertions"
	"github.com/restore-drill/drill/drills"
	"github.com/restore-drill/drill/drills/restore"
	"github.com/restore-drill/drill/drills/restore/barman"
	"github.com/restore-drill/drill/drills/source/s3test"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/local"
	"github.com/restore-drill/drill/sandbox/local/localtest"
	"github.com/restore-drill/drill/scenarios"
)

// production is a real PostgreSQL server archiving its WAL to a real S3
// server with barman-cloud-wal-archive, with one barman-cloud-backup.
type production struct {
	s3      *s3test.Server
	conn    *pgx.Conn
	server  *sandbox.PostgresServer
	src     scenarios.Source
	walRoot string
}

const serverName = "billing-db"

func needBarman(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"barman-cloud-backup", "barman-cloud-wal-archive", "barman-cloud-restore", "barman-cloud-wal-restore"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("skipping: %s is not installed (apt-get install barman-cli-cloud python3-boto3; ci/install-deps.sh does)", tool)
		}
	}
}

func newProvider(t *testing.T) *local.Provider {
	return local.NewProvider(local.Options{Log: testLog{t}})
}

func startProduction(t *testing.T, ctx context.Context) *production {
	t.Helper()
	needBarman(t)
	s3 := s3test.Start(t)
	s3.MakeBucket(t, "backups")
	seed := localtest.Start(t)
	creds := []string{"AWS_ACCESS_KEY_ID=" + s3.AccessKey, "AWS_SECRET_ACCESS_KEY=" + s3.SecretKey, "HOME=" + os.TempDir()}
	dest := "s3://backups/pg"
	tool := "--cloud-provider aws-s3 --endpoint-url " + s3.Endpoint

	sb, err := newProvider(t).Create(ctx, sandbox.Options{RunID: "test-barman-prod", Scenario: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Destroy(context.Background()) })
	rec, err := sb.(sandbox.Recoverer).Recover(ctx, "prod", sandbox.Recovery{
		Prepare: func(ctx context.Context, dataDir string) error {
			cmd := exec.CommandContext(ctx, filepath.Join(seed.BinDir, "pg_basebackup"), "-D", dataDir, "-X", "stream", "-c", "fast")
			cmd.Env = append(os.Environ(), seed.ClientEnv("postgres")...)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Logf("pg_basebackup: %s", out)
			}
			return err
		},
		Settings: []string{"archive_mode=on", "wal_level=replica",
			"archive_command=barman-cloud-wal-archive " + tool + " " + dest + " " + serverName + " %p"},
		Env:  creds,
		User: seed.User,
	})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, rec.Server.ConnString("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	if _, err := conn.Exec(ctx, "create table events (id serial primary key, batch int not null, at timestamptz not null default clock_timestamp())"); err != nil {
		t.Fatal(err)
	}
	p := &production{s3: s3, conn: conn, server: rec.Server, walRoot: filepath.Join(s3.Root, "backups", "pg", serverName, "wals")}
	p.insert(t, ctx, 1)

	backup := exec.CommandContext(ctx, "barman-cloud-backup", append(strings.Fields(tool),
		"-h", "127.0.0.1", "-p", itoa(rec.Server.Port), "-U", rec.Server.User, dest, serverName)...)
	backup.Env = append(os.Environ(), creds...)
	if out, err := backup.CombinedOutput(); err != nil {
		t.Fatalf("barman-cloud-backup: %v\n%s", err, out)
	}
	p.src = scenarios.Source{S3: &scenarios.S3Source{Endpoint: s3.Endpoint, Bucket: "backups", Prefix: "pg/", PathStyle: true,
		Credentials: scenarios.S3Credentials{AccessKeyIDEnv: "DRILL_TEST_KEY", SecretAccessKeyEnv: "DRILL_TEST_SECRET"}}}
	t.Setenv("DRILL_TEST_KEY", s3.AccessKey)
	t.Setenv("DRILL_TEST_SECRET", s3.SecretKey)
	return p
}

// insert writes ten rows of a batch, ends the WAL segment and waits until
// it is archived, so that the batch is in the object store.
func (p *production) insert(t *testing.T, ctx context.Context, batch int) string {
	t.Helper()
	if _, err := p.conn.Exec(ctx, "insert into events (batch) select $1 from generate_series(1, 10)", batch); err != nil {
		t.Fatal(err)
	}
	var seg string
	if err := p.conn.QueryRow(ctx, "select pg_walfile_name(pg_switch_wal())").Scan(&seg); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		var last *string
		var failed int64
		if err := p.conn.QueryRow(ctx, "select last_archived_wal, failed_count from pg_stat_archiver").Scan(&last, &failed); err != nil {
			t.Fatal(err)
		}
		if last != nil && *last >= seg {
			return seg
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("segment %s was not archived within a minute", seg)
	return ""
}

// recoverTo runs the barman method into a fresh local sandbox and returns
// the rows found there by batch, or the method's error.
func recoverTo(t *testing.T, ctx context.Context, p *production, spec scenarios.BarmanRestore) (map[int]int, restore.Result, error) {
	t.Helper()
	spec.ServerName, spec.User, spec.Database = serverName, p.server.User, "postgres"
	m := barman.New("billing", &spec, p.src)
	art, err := m.(restore.Locator).Locate(ctx, p.src)
	if err != nil {
		return nil, restore.Result{}, err
	}
	sb, err := newProvider(t).Create(ctx, sandbox.Options{RunID: "test-barman-drill", Scenario: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Destroy(context.Background())
	res, err := m.Restore(ctx, sb, art, testLog{t})
	if err != nil {
		return nil, res, err
	}
	srv, err := sb.Postgres(ctx, "billing")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, srv.ConnString("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, "select batch, count(*) from events group by batch")
	if err != nil {
		t.Fatal(err)
	}
	found := map[int]int{}
	for rows.Next() {
		var b, n int
		if err := rows.Scan(&b, &n); err != nil {
			t.Fatal(err)
		}
		found[b] = n
	}
	return found, res, rows.Err()
}

func itoa(n int) string { return strconv.Itoa(n) }

type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// TestPointInTimeRecovery: rows before the target are back, rows after it
// are not; with a WAL segment gone, neither a time target nor latest passes.
func TestPointInTimeRecovery(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	p := startProduction(t, ctx)
	beforeGap := time.Now()
	gap := p.insert(t, ctx, 2) // after the backup, before the target
	time.Sleep(1100 * time.Millisecond)
	target := time.Now()
	time.Sleep(1100 * time.Millisecond)
	p.insert(t, ctx, 3) // after the target

	t.Run("time target", func(t *testing.T) {
		found, res, err := recoverTo(t, ctx, p, scenarios.BarmanRestore{TargetTime: target})
		if err != nil {
			t.Fatal(err)
		}
		if found[1] != 10 || found[2] != 10 || found[3] != 0 {
			t.Errorf("rows by batch %v: want batches 1 and 2 (before the target) and not 3", found)
		}
		if res.NewestData == nil || res.NewestData.After(target) || res.NewestData.Before(beforeGap) {
			t.Errorf("last replayed commit %v, want batch 2's, between %s and the target %s", res.NewestData, beforeGap, target)
		}
	})
	t.Run("latest", func(t *testing.T) {
		found, _, err := recoverTo(t, ctx, p, scenarios.BarmanRestore{})
		if err != nil {
			t.Fatal(err)
		}
		if found[1] != 10 || found[2] != 10 || found[3] != 10 {
			t.Errorf("rows by batch %v: want all three batches", found)
		}
	})
	t.Run("target before every backup", func(t *testing.T) {
		_, _, err := recoverTo(t, ctx, p, scenarios.BarmanRestore{TargetTime: time.Now().Add(-time.Hour)})
		if err == nil || !strings.Contains(err.Error(), "no finished backup ended before the target") {
			t.Errorf("err = %v, want a refusal", err)
		}
	})

	t.Run("a whole drill", func(t *testing.T) {
		rec := drillTo(t, ctx, p, target)
		if rec.Outcome != results.Passed || rec.RPO.NewestData == nil || rec.RPO.NewestData.After(target) {
			t.Errorf("drill: %s: %s; newest data %v (target %s); phases %+v", rec.Outcome, rec.Reason, rec.RPO.NewestData, target, rec.Phases)
		}
	})

	t.Run("check passes", func(t *testing.T) {
		if rec := checkBackups(t, ctx, p); rec.Outcome != results.Passed {
			t.Errorf("drill check: %s: %s", rec.Outcome, rec.Reason)
		}
	})

	// Lose the segment that holds batch 2.
	matches, _ := filepath.Glob(filepath.Join(p.walRoot, "*", gap+"*"))
	if len(matches) != 1 {
		t.Fatalf("archived files of %s: %v", gap, matches)
	}
	if err := os.Remove(matches[0]); err != nil {
		t.Fatal(err)
	}
	t.Run("check fails over the gap", func(t *testing.T) {
		rec := checkBackups(t, ctx, p)
		if rec.Outcome != results.Failed || !strings.Contains(rec.Reason, "WAL segment "+gap+" is missing") {
			t.Errorf("drill check: %s: %s; want failed naming %s", rec.Outcome, rec.Reason, gap)
		}
	})
	for _, tt := range []struct {
		name string
		spec scenarios.BarmanRestore
	}{{"time target over a gap", scenarios.BarmanRestore{TargetTime: target}}, {"latest over a gap", scenarios.BarmanRestore{}}} {
		t.Run(tt.name, func(t *testing.T) {
			found, _, err := recoverTo(t, ctx, p, tt.spec)
			if err == nil || !strings.Contains(err.Error(), "WAL segment "+gap+" is missing from the archive") {
				t.Errorf("err = %v (rows %v), want the missing segment %s named", err, found, gap)
			}
		})
	}
}

// checkBackups runs drill check on the production's backups.
func checkBackups(t *testing.T, ctx context.Context, p *production) *results.Record {
	t.Helper()
	spec := &scenarios.BarmanRestore{ServerName: serverName, User: p.server.User, Database: "postgres"}
	sc := &scenarios.Scenario{Name: "billing-pitr", Timeout: time.Minute, Restores: []scenarios.Restore{{Name: "billing", Source: p.src, Barman: spec}}}
	return drills.Check(ctx, sc, drills.CheckOptions{
		Methods: func(r scenarios.Restore) (restore.Method, error) { return barman.New(r.Name, r.Barman, r.Source), nil },
		MaxAge:  time.Hour,
	})
}

// drillTo runs a whole drill through the engine: locate, preflight, a local
// sandbox, the recovery, and a check that batches 1 and 2 (20 rows) are back.
func drillTo(t *testing.T, ctx context.Context, p *production, target time.Time) *results.Record {
	t.Helper()
	spec := &scenarios.BarmanRestore{ServerName: serverName, TargetTime: target, User: p.server.User, Database: "postgres"}
	sc := &scenarios.Scenario{
		Name: "billing-pitr", Timeout: 5 * time.Minute,
		Sandbox:  scenarios.Sandbox{Kind: scenarios.SandboxLocal, Local: &scenarios.LocalSandbox{}},
		Restores: []scenarios.Restore{{Name: "billing", Source: p.src, Barman: spec}},
		Checks: []scenarios.Check{{Name: "rows-before-target", Timeout: time.Minute,
			SQL: &scenarios.SQLCheck{Restore: "billing", Query: "select count(*) from events", Expect: "20"}}},
	}
	rec, err := drills.Run(ctx, sc, drills.Options{
		Sandbox:     newProvider(t),
		SandboxKind: scenarios.SandboxLocal,
		Methods:     func(r scenarios.Restore) (restore.Method, error) { return barman.New(r.Name, r.Barman, r.Source), nil },
		Checks:      assertions.New,
		Progress:    testLog{t},
	})
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

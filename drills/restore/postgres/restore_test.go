package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/drills/source"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/local/localtest"
	"github.com/restore-drill/drill/sandbox/local/sampledb"
	"github.com/restore-drill/drill/scenarios"
)

// oneServer is a sandbox whose every restore goes to one server.
type oneServer struct{ srv *sandbox.PostgresServer }

func (s oneServer) Describe() string { return "test server " + s.srv.Redacted("") }
func (s oneServer) Postgres(context.Context, string) (*sandbox.PostgresServer, error) {
	return s.srv, nil
}
func (s oneServer) Destroy(context.Context) error { return nil }

// dumps makes the sample database on srv and an archive of it in each
// format, returning the paths by format.
func dumps(t *testing.T, ctx context.Context, srv *sandbox.PostgresServer, o sampledb.Options, formats ...string) map[string]string {
	t.Helper()
	db := "source_" + strings.ToLower(strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()))
	if err := sampledb.Create(ctx, srv, db, o); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out := map[string]string{}
	for _, f := range formats {
		jobs := 1
		if f == FormatDirectory {
			jobs = 2
		}
		path := filepath.Join(dir, "billing-"+f+sampledb.Ext(f))
		if err := sampledb.Dump(ctx, srv, db, f, path, jobs); err != nil {
			t.Fatal(err)
		}
		out[f] = path
	}
	return out
}

func artifact(t *testing.T, path string) *source.Artifact {
	t.Helper()
	art, err := source.Pick(context.Background(), scenarios.Source{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	return art
}

func count(t *testing.T, ctx context.Context, srv *sandbox.PostgresServer, database, table string) int {
	t.Helper()
	conn, err := pgx.Connect(ctx, srv.ConnString(database))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM "+pgx.Identifier{table}.Sanitize()).Scan(&n); err != nil {
		t.Fatalf("count %s in %s: %v", table, database, err)
	}
	return n
}

func TestRestoreEachFormat(t *testing.T) {
	srv := localtest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	const invoices, customers = 3000, 150
	archives := dumps(t, ctx, srv, sampledb.Options{Invoices: invoices, PayloadBytes: 64},
		FormatCustom, FormatDirectory, FormatTar, FormatPlain, FormatPlainGzip)
	tests := []struct {
		format   string
		jobs     int
		wantJobs int
		note     string
	}{
		{format: FormatCustom, jobs: 1, wantJobs: 1},
		{format: FormatCustom, jobs: 2, wantJobs: 2},
		{format: FormatDirectory, jobs: 1, wantJobs: 1},
		{format: FormatDirectory, jobs: 2, wantJobs: 2},
		{format: FormatTar, jobs: 2, wantJobs: 1, note: "cannot run them in parallel"},
		{format: FormatPlain, jobs: 1, wantJobs: 1},
		{format: FormatPlainGzip, jobs: 1, wantJobs: 1},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s jobs %d", tt.format, tt.jobs), func(t *testing.T) {
			database := strings.NewReplacer(".", "_").Replace(fmt.Sprintf("r_%s_%d", tt.format, tt.jobs))
			m := New("billing", &scenarios.PostgresRestore{Database: database, Jobs: tt.jobs})
			var log bytes.Buffer
			res, err := m.Restore(ctx, oneServer{srv}, artifact(t, archives[tt.format]), &log)
			if err != nil {
				t.Fatalf("Restore: %v\nlog:\n%s", err, log.String())
			}
			if res.Format != tt.format || res.Jobs != tt.wantJobs || res.Database != database {
				t.Errorf("result: format %s, jobs %d, database %s; want %s, %d, %s", res.Format, res.Jobs, res.Database, tt.format, tt.wantJobs, database)
			}
			if majorOf(res.DumpedBy) != srv.Major || majorOf(res.DumpedFrom) != srv.Major {
				t.Errorf("dumped by %q from %q, want PostgreSQL %d for both", res.DumpedBy, res.DumpedFrom, srv.Major)
			}
			if tt.note != "" && !strings.Contains(strings.Join(res.Notes, "\n"), tt.note) {
				t.Errorf("notes %q should say %q", res.Notes, tt.note)
			}
			if got := count(t, ctx, srv, database, "invoices"); got != invoices {
				t.Errorf("restored %d invoices, want %d", got, invoices)
			}
			if got := count(t, ctx, srv, database, "customers"); got != customers {
				t.Errorf("restored %d customers, want %d", got, customers)
			}
		})
	}
}

func TestRestoreTruncatedArchives(t *testing.T) {
	srv := localtest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	archives := dumps(t, ctx, srv, sampledb.Options{Invoices: 5000, PayloadBytes: 256}, FormatCustom, FormatPlainGzip)
	dir := t.TempDir()
	half := func(format string) string {
		full, err := os.ReadFile(archives[format])
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "half-"+filepath.Base(archives[format]))
		if err := os.WriteFile(path, full[:len(full)/2], 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	custom, plainGz := half(FormatCustom), half(FormatPlainGzip)
	tests := []struct {
		name    string
		path    string
		jobs    int
		toolErr string // the tool's own message, or
		corrupt bool   // drill's own word that the stream breaks off
	}{
		{name: "custom, one job", path: custom, jobs: 1, toolErr: "pg_restore: error:"},
		{name: "custom, two jobs", path: custom, jobs: 2, toolErr: "pg_restore: error:"},
		{name: "gzip plain", path: plainGz, jobs: 1, corrupt: true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New("billing", &scenarios.PostgresRestore{Database: fmt.Sprintf("half_%d", i), Jobs: tt.jobs})
			ctx, cancel := context.WithTimeout(ctx, time.Minute) // a hang fails here, not in the go test timeout
			defer cancel()
			res, err := m.Restore(ctx, oneServer{srv}, artifact(t, tt.path), nil)
			if err == nil {
				t.Fatal("a truncated archive restored without error")
			}
			if ctx.Err() != nil {
				t.Fatalf("the restore ran until the test's deadline: %v", err)
			}
			if fault.IsInfra(err) {
				t.Errorf("a truncated archive is the backup's fault, not the infrastructure's: %v", err)
			}
			if tt.corrupt {
				if !errors.Is(err, ErrNotArchive) || !strings.Contains(err.Error(), tt.path+" is corrupt") {
					t.Errorf("err = %v, want ErrNotArchive saying %s is corrupt", err, tt.path)
				}
				return
			}
			var te *ToolError
			if !errors.As(err, &te) {
				t.Fatalf("err = %v, want a *ToolError", err)
			}
			if !strings.Contains(err.Error(), "pg_restore failed on "+tt.path) || !strings.Contains(te.Message, tt.toolErr) {
				t.Errorf("err = %q, want %q naming %s", err, tt.toolErr, tt.path)
			}
			if !strings.Contains(res.LogTail, tt.toolErr) {
				t.Errorf("log tail %q lacks the tool's error", res.LogTail)
			}
		})
	}
}

func TestRestorePlainNeedsItsRoles(t *testing.T) {
	srv := localtest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	const owner = "billing_app"
	if err := sampledb.Create(ctx, srv, "owned", sampledb.Options{Invoices: 100}); err != nil {
		t.Fatal(err)
	}
	exec := func(database, sql string) {
		t.Helper()
		conn, err := pgx.Connect(ctx, srv.ConnString(database))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec("postgres", "CREATE ROLE "+owner)
	exec("owned", "ALTER TABLE invoices OWNER TO "+owner)
	path := filepath.Join(t.TempDir(), "owned.sql")
	if err := sampledb.Dump(ctx, srv, "owned", FormatPlain, path, 1); err != nil {
		t.Fatal(err)
	}
	// The sandbox a backup lands in does not have the production roles.
	exec("postgres", "DROP DATABASE owned")
	exec("postgres", "DROP ROLE "+owner)

	tests := []struct {
		name   string
		roles  []string
		errHas string
	}{
		{name: "missing role", errHas: `role "` + owner + `" does not exist`},
		{name: "role listed", roles: []string{owner}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			database := fmt.Sprintf("plain_%d", i)
			m := New("billing", &scenarios.PostgresRestore{Database: database, Roles: tt.roles})
			_, err := m.Restore(ctx, oneServer{srv}, artifact(t, path), nil)
			if tt.errHas == "" {
				if err != nil {
					t.Fatal(err)
				}
				if got := count(t, ctx, srv, database, "invoices"); got != 100 {
					t.Errorf("restored %d invoices, want 100", got)
				}
				return
			}
			var te *ToolError
			if !errors.As(err, &te) || te.Tool != "psql" || !strings.Contains(err.Error(), tt.errHas) {
				t.Fatalf("err = %v, want psql's error saying %s", err, tt.errHas)
			}
		})
	}
}

func TestRestoreArchiveTooNew(t *testing.T) {
	srv := localtest.Start(t)
	if srv.Major >= 17 {
		t.Skipf("skipping: the sandbox runs PostgreSQL %s, which reads pg_dump 17's archives", srv.Version)
	}
	dir := t.TempDir()
	tests := []struct {
		name   string
		header fakeHeader
		errHas string
	}{
		{
			name:   "pg_dump 17",
			header: fakeHeader{vmaj: 1, vmin: 16, format: codeCustom, database: "billing", dumpedFrom: "17.2", dumpedBy: "17.2 (Debian 17.2-1)"},
			errHas: "archive was made by pg_dump 17.2; this sandbox's PostgreSQL is " + srv.Version + ": install PostgreSQL 17 or newer (apt-get install postgresql-17) or set spec.sandbox.local.binDir",
		},
		{
			name:   "a format newer than any known",
			header: fakeHeader{vmaj: 1, vmin: 20, format: codeCustom},
			errHas: "archive format 1.20 is newer than pg_restore",
		},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, fmt.Sprintf("new-%d.dump", i))
			if err := os.WriteFile(path, tt.header.bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			m := New("billing", &scenarios.PostgresRestore{Database: fmt.Sprintf("new_%d", i)})
			_, err := m.Restore(context.Background(), oneServer{srv}, artifact(t, path), nil)
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Fatalf("err = %v, want one saying %q", err, tt.errHas)
			}
			if !fault.IsInfra(err) {
				t.Errorf("an archive the sandbox cannot read is the sandbox's fault: want fault.Infra, got %v", err)
			}
		})
	}
}

func TestRestoreCancelled(t *testing.T) {
	srv := localtest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	// Large enough that the restore is still busy when it is cancelled.
	archives := dumps(t, ctx, srv, sampledb.Options{Invoices: 150_000, PayloadBytes: 512}, FormatCustom, FormatDirectory)
	for i, format := range []string{FormatCustom, FormatDirectory} {
		t.Run(format, func(t *testing.T) {
			path := archives[format]
			m := New("billing", &scenarios.PostgresRestore{Database: fmt.Sprintf("cancelled_%d", i), Jobs: 2})
			rctx, rcancel := context.WithCancel(ctx)
			var cancelledAt time.Time
			go func() {
				// pg_restore is quiet until it fails, so wait until it runs.
				for !running(path) && rctx.Err() == nil {
					time.Sleep(10 * time.Millisecond)
				}
				time.Sleep(200 * time.Millisecond)
				cancelledAt = time.Now()
				rcancel()
			}()
			_, err := m.Restore(rctx, oneServer{srv}, artifact(t, path), nil)
			returned := time.Now()
			rcancel()
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled: was the restore over before the cancel?", err)
			}
			if took := returned.Sub(cancelledAt); took > 3*time.Second {
				t.Errorf("Restore returned %s after the cancel, want promptly", took)
			}
			if running(path) {
				t.Errorf("a pg_restore of %s outlived the cancelled restore", path)
			}
		})
	}
}

// running reports whether any process has path among its arguments.
func running(path string) bool {
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		for _, arg := range bytes.Split(b, []byte{0}) {
			if string(arg) == path {
				return true
			}
		}
	}
	return false
}

func TestRestoreRejectsWhatIsNotAnArchive(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		content []byte
		errHas  string
	}{
		{"empty", nil, "is empty"},
		{"random bytes", randomBytes(10_000), "is not a pg_dump archive"},
		{"JPEG", append([]byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0}, randomBytes(2000)...), "JPEG"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, fmt.Sprintf("backup-%d.dump", i))
			if err := os.WriteFile(path, tt.content, 0o644); err != nil {
				t.Fatal(err)
			}
			m := New("billing", &scenarios.PostgresRestore{Database: "billing"})
			art := artifact(t, path)
			if _, err := m.Inspect(context.Background(), art); !errors.Is(err, ErrNotArchive) || !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("Inspect: err = %v, want ErrNotArchive saying %q", err, tt.errHas)
			}
			_, err := m.Restore(context.Background(), noServer{t}, art, io.Discard)
			if !errors.Is(err, ErrNotArchive) || fault.IsInfra(err) {
				t.Errorf("Restore: err = %v, want ErrNotArchive, not an infrastructure error", err)
			}
		})
	}
}

// noServer is a sandbox that a restore must not reach.
type noServer struct{ t *testing.T }

func (s noServer) Describe() string { return "no server" }
func (s noServer) Postgres(context.Context, string) (*sandbox.PostgresServer, error) {
	s.t.Error("the restore asked for a server although the backup is unusable")
	return nil, errors.New("no server")
}
func (s noServer) Destroy(context.Context) error { return nil }

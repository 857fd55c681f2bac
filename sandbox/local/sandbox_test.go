package local

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/sandbox"
)

// realProvider returns a provider of real servers whose sandboxes go into a
// fresh directory, or skips the test with the reason.
func realProvider(t *testing.T, log *syncBuffer) (*Provider, string) {
	t.Helper()
	if testing.Short() {
		t.Skip("skipping: starts real PostgreSQL servers, which -short leaves out")
	}
	if _, err := FindBinaries(""); err != nil {
		t.Skipf("skipping: %v", err)
	}
	parent := reachableTempDir(t)
	o := Options{TempDir: parent}
	if log != nil {
		o.Log = log
	}
	return NewProvider(o), parent
}

// reachableTempDir is a fresh directory that the server's user can enter
// when tests run as root (t.TempDir's parent is private to root), removed
// when the test ends.
func reachableTempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "drill-local-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if acct, err := serverAccount(); err == nil {
		if err := acct.checkReachable(dir); err != nil {
			t.Skipf("skipping: %v", err)
		}
	}
	return dir
}

// syncBuffer is a Log that tests can read while sandboxes write to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func create(t *testing.T, p *Provider, runID string) *localSandbox {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	sb, err := p.Create(ctx, sandbox.Options{RunID: runID, Scenario: "unit"})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	ls := sb.(*localSandbox)
	t.Cleanup(func() {
		if err := ls.Destroy(context.Background()); err != nil {
			t.Errorf("Destroy: %v", err)
		}
	})
	return ls
}

// processAlive reports whether pid, or any process in the group it led,
// still runs. Zombies do not count: they are dead, waiting for init to reap
// them, and hold no port or file.
func processAlive(t *testing.T, pid int) bool {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Skipf("skipping: cannot list processes: %v", err)
	}
	for _, e := range entries {
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
		i := bytes.LastIndexByte(stat, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(stat[i+1:]))
		if len(f) < 3 || f[0] == "Z" || f[0] == "X" {
			continue
		}
		if e.Name() == strconv.Itoa(pid) || f[2] == strconv.Itoa(pid) {
			return true
		}
	}
	return false
}

// processesIn lists processes whose working directory or command line is
// inside dir: a postgres backend works in its data directory.
func processesIn(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Skipf("skipping: cannot list processes: %v", err)
	}
	var found []string
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		cwd, _ := os.Readlink(filepath.Join("/proc", e.Name(), "cwd"))
		cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if strings.HasPrefix(cwd, dir) || bytes.Contains(cmdline, []byte(dir)) {
			found = append(found, e.Name()+" "+string(bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '})))
		}
	}
	return found
}

func query(ctx context.Context, srv *sandbox.PostgresServer, sql string) (string, error) {
	conn, err := pgx.Connect(ctx, srv.ConnString("postgres"))
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	var s string
	err = conn.QueryRow(ctx, sql).Scan(&s)
	return s, err
}

func TestCreateQueryDestroy(t *testing.T) {
	log := &syncBuffer{}
	p, _ := realProvider(t, log)
	sb := create(t, p, "create-query-destroy")
	ctx := context.Background()

	srv, err := sb.Postgres(ctx, "any-restore")
	if err != nil {
		t.Fatalf("Postgres: %v", err)
	}
	if srv.Host != "127.0.0.1" || srv.Port == 0 || srv.User != Superuser || len(srv.Password) < 32 || srv.BinDir == "" {
		t.Errorf("server = %s (password %d chars, bin dir %q): want 127.0.0.1, a port, user %s, a long password, a bin dir",
			srv.Redacted("postgres"), len(srv.Password), srv.BinDir, Superuser)
	}
	if _, err := os.Stat(filepath.Join(srv.BinDir, "pg_restore")); err != nil {
		t.Errorf("BinDir has no pg_restore: %v", err)
	}
	version, err := query(ctx, srv, "SHOW server_version")
	if err != nil {
		t.Fatalf("query %s: %v", srv.Redacted("postgres"), err)
	}
	if !strings.HasPrefix(version, srv.Version) || !strings.HasPrefix(srv.Version, strconv.Itoa(srv.Major)) {
		t.Errorf("server says version %q; sandbox says %q, major %d", version, srv.Version, srv.Major)
	}
	if want := regexp.MustCompile(`^local PostgreSQL \d+\S* on 127\.0\.0\.1:\d+$`); !want.MatchString(sb.Describe()) ||
		!strings.HasSuffix(sb.Describe(), ":"+strconv.Itoa(srv.Port)) {
		t.Errorf("Describe = %q", sb.Describe())
	}
	wrong := *srv
	wrong.Password = "not-the-password"
	if _, err := query(ctx, &wrong, "SELECT 1::text"); err == nil {
		t.Error("connected with a wrong password, want password authentication to refuse")
	}

	m, err := ReadMarker(sb.dir)
	if err != nil {
		t.Fatalf("ReadMarker: %v", err)
	}
	if m.RunID != "create-query-destroy" || m.Scenario != "unit" || m.PID != os.Getpid() || m.Kind != "local" {
		t.Errorf("marker = %+v", m)
	}
	if !strings.HasPrefix(filepath.Base(sb.dir), "drill-create-query-destroy-") {
		t.Errorf("dir %s is not named after the run", sb.dir)
	}
	if _, err := os.Stat(filepath.Join(sb.dir, "pwfile")); !os.IsNotExist(err) {
		t.Errorf("the password file is still there after start (stat: %v)", err)
	}

	pid := sb.server.pid()
	for i := 1; i <= 2; i++ {
		if err := sb.Destroy(ctx); err != nil {
			t.Fatalf("Destroy #%d: %v", i, err)
		}
	}
	if processAlive(t, pid) {
		t.Errorf("postgres (pid %d) or one of its processes still exists after Destroy", pid)
	}
	if _, err := os.Stat(sb.dir); !os.IsNotExist(err) {
		t.Errorf("sandbox dir %s still exists after Destroy (stat: %v)", sb.dir, err)
	}
	if _, err := sb.Postgres(ctx, "r"); err == nil {
		t.Error("Postgres after Destroy succeeded, want an error")
	}
	for _, want := range []string{"ready on 127.0.0.1:", "stopped PostgreSQL"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log.String(), srv.Password) {
		t.Error("the log shows the password")
	}
}

func TestDestroyWithEndedContextStillCleansUp(t *testing.T) {
	p, _ := realProvider(t, nil)
	sb := create(t, p, "destroy-ended-ctx")
	pid := sb.server.pid()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := sb.Destroy(ctx); err != nil {
		t.Fatalf("Destroy: %v", err)
	}
	if processAlive(t, pid) {
		t.Errorf("postgres (pid %d) still exists", pid)
	}
	if _, err := os.Stat(sb.dir); !os.IsNotExist(err) {
		t.Errorf("sandbox dir still exists (stat: %v)", err)
	}
}

// cancelOn is a Log that cancels when a line contains a text.
type cancelOn struct {
	text   string
	cancel context.CancelFunc
}

func (c cancelOn) Write(p []byte) (int, error) {
	if strings.Contains(string(p), c.text) {
		c.cancel()
	}
	return len(p), nil
}

func TestCreateCancelledLeavesNothing(t *testing.T) {
	tests := []struct {
		name string
		// start cancels ctx at the moment the test is about.
		start func(cancel context.CancelFunc) (log *cancelOn)
		// stage is what the error names as interrupted.
		stage string
	}{
		{name: "before create", stage: "initdb", start: func(cancel context.CancelFunc) *cancelOn { cancel(); return nil }},
		{name: "during initdb", start: func(cancel context.CancelFunc) *cancelOn {
			time.AfterFunc(300*time.Millisecond, cancel)
			return nil
		}, stage: "initdb"},
		{name: "during server start", start: func(cancel context.CancelFunc) *cancelOn {
			return &cancelOn{text: "initdb done", cancel: cancel}
		}, stage: "start postgres"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, parent := realProvider(t, nil)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if log := tt.start(cancel); log != nil {
				p.opts.Log = log
			}
			sb, err := p.Create(ctx, sandbox.Options{RunID: "cancelled"})
			if err == nil {
				sb.Destroy(context.Background())
				t.Fatal("Create succeeded despite the cancelled context")
			}
			if !errors.Is(err, context.Canceled) || fault.IsInfra(err) || !strings.Contains(err.Error(), tt.stage) {
				t.Errorf("error %v: want context.Canceled in %s, not marked as infra", err, tt.stage)
			}
			left, _ := filepath.Glob(filepath.Join(parent, "drill-*"))
			if len(left) > 0 {
				t.Errorf("left behind: %v", left)
			}
			if procs := processesIn(t, parent); len(procs) > 0 {
				t.Errorf("processes left running: %v", procs)
			}
		})
	}
}

func TestServerRunsAsUnprivilegedUserUnderRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("skipping: only meaningful when tests run as root")
	}
	p, _ := realProvider(t, nil)
	sb := create(t, p, "as-other-user")
	acct, err := serverAccount()
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(sb.dir, "data"))
	if err != nil {
		t.Fatal(err)
	}
	if owner := st.Sys().(*syscall.Stat_t).Uid; owner != acct.uid || owner == 0 {
		t.Errorf("data dir owner uid = %d, want %d (%s)", owner, acct.uid, acct)
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", sb.server.pid()))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^Uid:\s+(\d+)\s+(\d+)`).FindSubmatch(status)
	if m == nil {
		t.Fatalf("no Uid line in the server's status:\n%s", status)
	}
	if real, eff := string(m[1]), string(m[2]); real != fmt.Sprint(acct.uid) || eff != fmt.Sprint(acct.uid) {
		t.Errorf("server runs as uid %s/%s, want %d (%s)", real, eff, acct.uid, acct)
	}
}

func TestTwoSandboxesAtOnce(t *testing.T) {
	p, _ := realProvider(t, nil)
	sbs := make([]*localSandbox, 2)
	var wg sync.WaitGroup
	errs := make([]error, len(sbs))
	for i := range sbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sb, err := p.Create(context.Background(), sandbox.Options{RunID: fmt.Sprintf("twin-%d", i)})
			if err != nil {
				errs[i] = err
				return
			}
			sbs[i] = sb.(*localSandbox)
			t.Cleanup(func() { sb.Destroy(context.Background()) })
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("Create: %v", err)
	}
	if sbs[0].info.Port == sbs[1].info.Port || sbs[0].dir == sbs[1].dir {
		t.Errorf("both sandboxes use port %d / dirs %s, %s", sbs[0].info.Port, sbs[0].dir, sbs[1].dir)
	}
	if sbs[0].info.Password == sbs[1].info.Password {
		t.Error("both sandboxes got the same password")
	}
	for _, sb := range sbs {
		if _, err := query(context.Background(), &sb.info, "SELECT 1::text"); err != nil {
			t.Errorf("%s: %v", sb.Describe(), err)
		}
	}
}

func TestCreateRetriesWhenPortIsTaken(t *testing.T) {
	log := &syncBuffer{}
	p, _ := realProvider(t, log)
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	takenPort := taken.Addr().(*net.TCPAddr).Port
	calls := 0
	p.pickPort = func() (int, error) {
		calls++
		if calls == 1 {
			return takenPort, nil // as if another process bound it after we looked
		}
		return freePort()
	}
	sb := create(t, p, "port-race")
	// At least 2 picks: the port found free for the second may be taken by
	// another program too before postgres binds it.
	if sb.info.Port == takenPort || calls < 2 {
		t.Errorf("port %d after %d picks, want another port than %d after 2 or more picks", sb.info.Port, calls, takenPort)
	}
	if !strings.Contains(log.String(), fmt.Sprintf("port %d was taken", takenPort)) {
		t.Errorf("log does not mention the retry:\n%s", log)
	}
}

func TestStartFailureShowsServerLog(t *testing.T) {
	p, _ := realProvider(t, nil)
	bins, err := p.Binaries()
	if err != nil {
		t.Fatal(err)
	}
	acct, err := serverAccount()
	if err != nil {
		t.Skipf("skipping: %v", err)
	}
	dir := reachableTempDir(t)
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	// No initdb: postgres finds no cluster and exits at once.
	_, err = startServer(context.Background(), bins, acct, filepath.Join(dir, "data"), dir, port, time.Minute, serverExtra{})
	if err == nil {
		t.Fatal("startServer on a missing data dir succeeded")
	}
	for _, want := range []string{"exited while starting", "last log lines", "data"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

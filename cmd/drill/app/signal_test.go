package app_test

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/restore-drill/drill/sandbox/local"
)

// slowPlainDump is a plain-SQL archive whose restore takes two minutes: the
// signal arrives while psql is restoring it.
const slowPlainDump = `--
-- PostgreSQL database dump
--
CREATE TABLE invoices (id bigint, created_at timestamptz);
SELECT pg_sleep(120);
`

// TestRunInterrupted sends SIGINT or SIGTERM to a real drill process during
// the restore: it must exit 130 within seconds, leave no PostgreSQL process
// and no temporary directory, and mark its record interrupted.
func TestRunInterrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: builds drill and starts PostgreSQL, which -short leaves out")
	}
	if _, err := local.FindBinaries(""); err != nil {
		t.Skipf("skipping: %v", err)
	}
	bin := buildDrill(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			// The server runs as an unprivileged user when drill is root: its
			// temporary directory must be reachable by that user.
			tmp, err := os.MkdirTemp("", "drill-signal-test-")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.RemoveAll(tmp) })
			if err := os.Chmod(tmp, 0o755); err != nil {
				t.Fatal(err)
			}
			work := t.TempDir()
			archive := filepath.Join(work, "slow.sql")
			if err := os.WriteFile(archive, []byte(slowPlainDump), 0o644); err != nil {
				t.Fatal(err)
			}
			resultsDir := filepath.Join(work, "results")
			cmd := exec.Command(bin, "run", writeScenario(t, archive, ">= 0"), "--results", resultsDir)
			cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			var seen bytes.Buffer
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			restoring := make(chan struct{})
			go func() {
				sc := bufio.NewScanner(stderr)
				signalled := false
				for sc.Scan() {
					seen.WriteString(sc.Text() + "\n")
					if !signalled && strings.Contains(sc.Text(), "→ restore/billing") {
						signalled = true
						close(restoring)
					}
				}
			}()
			select {
			case <-restoring:
			case <-time.After(time.Minute):
				cmd.Process.Kill()
				t.Fatalf("the restore did not start within a minute")
			}
			time.Sleep(time.Second) // let psql get into pg_sleep
			sent := time.Now()
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			waitErr := make(chan error, 1)
			go func() { waitErr <- cmd.Wait() }()
			var exitErr *exec.ExitError
			select {
			case err := <-waitErr:
				if !errors.As(err, &exitErr) || exitErr.ExitCode() != 130 {
					t.Fatalf("exit: %v, want code 130; stderr:\n%s", err, seen.String())
				}
			case <-time.After(20 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("drill did not exit within 20s of %s", sig)
			}
			took := time.Since(sent)
			t.Logf("exited 130 %s after %s", took.Round(time.Millisecond), sig)
			if took > 10*time.Second {
				t.Errorf("drill took %s to stop, want a few seconds", took)
			}
			if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
				t.Errorf("left behind in the temporary directory: %v", entries)
			}
			if pids := processesMentioning(tmp); len(pids) > 0 {
				t.Errorf("processes left running from the sandbox: %v", pids)
			}
			recs, _ := filepath.Glob(filepath.Join(resultsDir, "billing-monthly", "*.json"))
			if len(recs) != 1 {
				t.Fatalf("records: %v, want one", recs)
			}
			data, _ := os.ReadFile(recs[0])
			if !strings.Contains(string(data), `"outcome": "interrupted"`) {
				t.Errorf("record is not marked interrupted:\n%s", data)
			}
		})
	}
}

func buildDrill(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "drill-test-bin-")
		if built.err != nil {
			return
		}
		built.path = filepath.Join(built.dir, "drill")
		built.out, built.err = exec.Command("go", "build", "-o", built.path, "github.com/restore-drill/drill/cmd/drill").CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("build drill: %v\n%s", built.err, built.out)
	}
	return built.path
}

// built is the drill binary the tests run, built once per test binary (it
// is large: linking it for each test would cost a minute each) and removed
// by TestMain.
var built struct {
	once      sync.Once
	dir, path string
	out       []byte
	err       error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// processesMentioning lists the pids whose command line contains s.
func processesMentioning(s string) []string {
	var pids []string
	cmdlines, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, f := range cmdlines {
		b, err := os.ReadFile(f)
		if err == nil && bytes.Contains(b, []byte(s)) {
			pids = append(pids, filepath.Base(filepath.Dir(f)))
		}
	}
	return pids
}

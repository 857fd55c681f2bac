package postgres

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/restore-drill/drill/drills/fault"
)

// fakeTool writes a shell script that stands in for pg_restore or psql.
func fakeTool(t *testing.T, script string) string {
	t.Helper()
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh to run a fake tool with")
	}
	path := filepath.Join(t.TempDir(), "tool")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+script+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestToolRunOutcomes(t *testing.T) {
	tests := []struct {
		name     string
		script   string
		stdin    string
		tail     string
		errHas   string // empty: success
		infra    bool
		toolErr  bool
		errIsNot error
	}{
		{
			name:   "success keeps the output",
			script: `echo restored; echo done`,
			tail:   "restored\ndone",
		},
		{
			name:   "stdin is fed",
			script: `cat`,
			stdin:  "SELECT 1;\nSELECT 2;\n",
			tail:   "SELECT 1;\nSELECT 2;",
		},
		{
			name:   "stdin is closed when not used",
			script: `cat; echo "read to the end"`,
			tail:   "read to the end",
		},
		{
			name:    "a failure carries the tool's message",
			script:  `echo "pg_restore: error: could not read from input file: end of file" >&2; exit 1`,
			tail:    "pg_restore: error: could not read from input file: end of file",
			errHas:  "pg_restore failed on /b/x.dump (exit status 1): pg_restore: error: could not read from input file: end of file",
			toolErr: true,
		},
		{
			name:    "an unreachable server is an infrastructure error",
			script:  `echo 'pg_restore: error: connection to server at "127.0.0.1", port 1 failed: Connection refused' >&2; exit 1`,
			errHas:  "Connection refused",
			infra:   true,
			toolErr: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := toolRun{tool: "pg_restore", bin: fakeTool(t, tt.script), archive: "/b/x.dump", env: os.Environ()}
			if tt.stdin != "" {
				run.stdin = strings.NewReader(tt.stdin)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			tail, err := run.run(ctx, nil)
			if tt.tail != "" && tail != tt.tail {
				t.Errorf("tail = %q, want %q", tail, tt.tail)
			}
			if tt.errHas == "" {
				if err != nil {
					t.Fatalf("run: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Fatalf("err = %v, want one containing %q", err, tt.errHas)
			}
			if fault.IsInfra(err) != tt.infra {
				t.Errorf("IsInfra = %v, want %v", !tt.infra, tt.infra)
			}
			var te *ToolError
			if errors.As(err, &te) != tt.toolErr {
				t.Errorf("errors.As(*ToolError) = %v, want %v", !tt.toolErr, tt.toolErr)
			}
		})
	}
}

func TestToolRunMissingBinary(t *testing.T) {
	run := toolRun{tool: "pg_restore", bin: filepath.Join(t.TempDir(), "pg_restore"), archive: "/b/x.dump"}
	_, err := run.run(context.Background(), nil)
	if err == nil || !fault.IsInfra(err) || !strings.Contains(err.Error(), "binDir") {
		t.Fatalf("err = %v, want an infrastructure error that says how to fix it", err)
	}
}

// firstWrite is a log that says when the tool first wrote to it.
type firstWrite struct {
	once sync.Once
	c    chan struct{}
}

func (f *firstWrite) Write(p []byte) (int, error) {
	f.once.Do(func() { close(f.c) })
	return len(p), nil
}

// A cancelled restore stops at once, and no process of the tool is left,
// not even a worker that ignores SIGTERM.
func TestToolRunCancelStopsTheProcessGroup(t *testing.T) {
	if testing.Short() {
		t.Skip("waits out the stop grace period")
	}
	// The worker ignores SIGTERM and keeps the output open, as a parallel
	// restore's worker busy on the server may. It writes its pid only once
	// its trap is set, and the leader says "started" only after that, so
	// the cancel always meets a worker that outlives the SIGTERM.
	pidFile := filepath.Join(t.TempDir(), "worker.pid")
	script := `sh -c 'trap "" TERM; echo $$ > ` + pidFile + `.tmp; mv ` + pidFile + `.tmp ` + pidFile + `; while :; do sleep 1; done' &
while [ ! -s ` + pidFile + ` ]; do sleep 0.05; done
echo started
wait`
	run := toolRun{tool: "pg_restore", bin: fakeTool(t, script), archive: "/b/x.dump", env: os.Environ()}
	log := &firstWrite{c: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-log.c: // output arrives while the tool runs: it is streamed
		case <-time.After(10 * time.Second):
		}
		cancel()
	}()
	start := time.Now()
	_, err := run.run(ctx, log)
	took := time.Since(start)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// A bound against a hang, not a speed goal: the worker holds the
	// output open until stopGrace ends and the group is killed.
	if took > stopGrace+10*time.Second {
		t.Errorf("took %s to stop, want about stopGrace (%s)", took, stopGrace)
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	// The call has returned, so the worker must already be gone: a short
	// grace covers only the kernel delivering the SIGKILL.
	deadline := time.Now().Add(2 * time.Second)
	for alive(pid) {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("worker %d outlived the cancelled run", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// alive reports whether pid runs. A killed orphan stays a zombie until init
// reaps it, which is dead enough.
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return !errors.Is(err, os.ErrNotExist)
	}
	// The state follows the command name, which is in parentheses.
	i := strings.LastIndexByte(string(stat), ')')
	return i < 0 || i+2 >= len(stat) || stat[i+2] != 'Z'
}

// A tool that ignores SIGTERM is killed after stopGrace.
func TestToolRunKillsAToolThatIgnoresTerm(t *testing.T) {
	if testing.Short() {
		t.Skip("waits out the stop grace period")
	}
	run := toolRun{tool: "pg_restore", bin: fakeTool(t, `trap "" TERM; echo started; while :; do sleep 1; done`), archive: "/b/x.dump", env: os.Environ()}
	log := &firstWrite{c: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-log.c; cancel() }()
	start := time.Now()
	_, err := run.run(ctx, log)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if took := time.Since(start); took > stopGrace+3*time.Second {
		t.Errorf("took %s, want about stopGrace (%s)", took, stopGrace)
	}
}

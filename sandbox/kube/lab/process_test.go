package lab

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func newTestLab(t *testing.T) *Lab {
	t.Helper()
	dir := t.TempDir()
	for _, sub := range []string{"logs", pidsDir, "home"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	return &Lab{Dir: dir}
}

func TestStopDirEndsMarkedProgramsAndRemovesTheDirectory(t *testing.T) {
	l := newTestLab(t)
	run := "test-" + strconv.Itoa(os.Getpid())
	t.Setenv(RunEnv, run)
	// sh runs sleep as a child: the whole process group must go.
	if err := l.startProgram(program{name: "sleeper", path: "/bin/sh", args: []string{"-c", "sleep 300 & wait"}}); err != nil {
		t.Fatal(err)
	}
	if !l.running("sleeper") {
		t.Fatalf("sleeper not running; log: %s", l.logTail("sleeper"))
	}
	var pids []int
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		// sh and its sleep both carry the marks.
		if pids = Processes(DirEnv, l.Dir); len(pids) == 2 {
			break
		}
	}
	if len(pids) != 2 {
		t.Fatalf("processes marked with the lab's directory: %v, want sh and sleep", pids)
	}
	if got := Processes(RunEnv, run); len(got) != 2 {
		t.Fatalf("processes marked with the run: %v, want 2", got)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := StopDir(ctx, l.Dir); err != nil {
		t.Fatal(err)
	}
	for _, pid := range pids {
		if alive(pid) {
			t.Errorf("process %d alive after StopDir", pid)
		}
	}
	if _, err := os.Stat(l.Dir); !os.IsNotExist(err) {
		t.Errorf("lab directory still there: %v", err)
	}
	if err := StopDir(ctx, l.Dir); err != nil {
		t.Errorf("StopDir again: %v", err)
	}
}

func TestStopDirLeavesAReusedPIDAlone(t *testing.T) {
	l := newTestLab(t)
	// A process that is not the lab's, recorded as if it were (its PID
	// reused after the lab's program died).
	other := exec.Command("sleep", "300")
	if err := other.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.Process.Kill(); _ = other.Wait() })
	if err := os.WriteFile(filepath.Join(l.Dir, pidsDir, "etcd"), []byte(strconv.Itoa(other.Process.Pid)+" 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := StopDir(context.Background(), l.Dir); err != nil {
		t.Fatal(err)
	}
	if !alive(other.Process.Pid) {
		t.Fatal("StopDir killed a process that was not the lab's")
	}
}

func TestStartProgramReportsAProgramThatExits(t *testing.T) {
	l := newTestLab(t)
	if err := l.startProgram(program{name: "broken", path: "/bin/sh", args: []string{"-c", "echo cannot bind port 1 >&2; exit 1"}}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := l.waitReady(ctx, "broken", func(context.Context) error { return os.ErrNotExist })
	if err == nil || !strings.Contains(err.Error(), "cannot bind port 1") {
		t.Fatalf("waitReady: %v, want the program's log in the error", err)
	}
}

func TestSweepNeedsARunID(t *testing.T) {
	if err := Sweep(context.Background(), ""); err == nil {
		t.Fatal("Sweep with no run id: no error, want one (it would match nothing or everything)")
	}
}

func TestFreePortsDiffer(t *testing.T) {
	// Two labs starting at once in one process ask one after the other;
	// no port may be handed out twice, nor come from the ephemeral range.
	a, err := freePorts(9)
	if err != nil {
		t.Fatal(err)
	}
	b, err := freePorts(9)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, p := range append(a, b...) {
		if p < firstPort || p > lastPort || seen[p] {
			t.Fatalf("ports %v and %v: not distinct ports between %d and %d", a, b, firstPort, lastPort)
		}
		seen[p] = true
	}
}

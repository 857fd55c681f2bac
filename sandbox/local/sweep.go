package local

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Leftover is a sandbox directory whose drill process is gone, found after
// a crash.
type Leftover struct {
	Dir    string
	Marker Marker
	// ServerPID is the postmaster still running in Dir; 0 when none is.
	ServerPID int
}

// FindLeftovers lists the sandbox directories in tempDir ("" means
// os.TempDir()) whose drill process no longer runs. Directories of a
// running drill are not listed: they are still in use.
func FindLeftovers(tempDir string) ([]Leftover, error) {
	if tempDir == "" {
		tempDir = os.TempDir()
	}
	dirs, err := filepath.Glob(filepath.Join(tempDir, "drill-*"))
	if err != nil {
		return nil, err
	}
	var found []Leftover
	for _, dir := range dirs {
		m, err := ReadMarker(dir)
		if err != nil || m.Kind != "local" {
			continue // not a sandbox directory
		}
		if m.PID > 0 && processRuns(m.PID) {
			continue
		}
		found = append(found, Leftover{Dir: dir, Marker: *m, ServerPID: runningPostmaster(filepath.Join(dir, "data"))})
	}
	return found, nil
}

// RemoveLeftover stops a server still running in the leftover and removes
// its directory.
func RemoveLeftover(ctx context.Context, l Leftover) error {
	if pid := runningPostmaster(filepath.Join(l.Dir, "data")); pid > 0 {
		if err := stopPostmaster(ctx, pid); err != nil {
			return fmt.Errorf("stop the leftover server of run %s (pid %d): %w", l.Marker.RunID, pid, err)
		}
	}
	if err := os.RemoveAll(l.Dir); err != nil {
		return fmt.Errorf("remove the leftover sandbox of run %s: %w", l.Marker.RunID, err)
	}
	return nil
}

// processRuns reports whether a process with this id exists and is not a zombie.
func processRuns(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true // no /proc: trust kill
	}
	i := strings.LastIndexByte(string(stat), ')')
	f := strings.Fields(string(stat[i+1:]))
	return len(f) > 0 && f[0] != "Z" && f[0] != "X"
}

// runningPostmaster is the pid in dataDir/postmaster.pid when that process
// runs with dataDir as its working directory, as a postmaster does; 0
// otherwise, so that a reused pid is never mistaken for the server.
func runningPostmaster(dataDir string) int {
	b, err := os.ReadFile(filepath.Join(dataDir, "postmaster.pid"))
	if err != nil {
		return 0
	}
	first, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(first))
	if err != nil || pid <= 0 || !processRuns(pid) {
		return 0
	}
	cwd, err := os.Readlink(fmt.Sprintf("/proc/%d/cwd", pid))
	if err != nil {
		return 0
	}
	want, err := filepath.EvalSymlinks(dataDir)
	if err != nil || cwd != want {
		return 0
	}
	return pid
}

// stopPostmaster shuts down a server that is not our child: SIGQUIT, then
// SIGKILL to its process group after stopGrace.
func stopPostmaster(ctx context.Context, pid int) error {
	if err := syscall.Kill(pid, syscall.SIGQUIT); err != nil {
		return err
	}
	deadline := time.Now().Add(stopGrace)
	killed := false
	// Not our child, so there is nothing to wait on: look every 50ms.
	for processRuns(pid) {
		if !killed && (time.Now().After(deadline) || ctx.Err() != nil) {
			_ = syscall.Kill(-pid, syscall.SIGKILL)
			_ = syscall.Kill(pid, syscall.SIGKILL)
			killed = true
			deadline = time.Now().Add(killWait)
		} else if killed && time.Now().After(deadline) {
			return fmt.Errorf("still running %v after SIGKILL", killWait)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil
}

package lab

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const (
	// DirEnv marks every lab process with its lab's directory.
	DirEnv = "DRILL_LAB_DIR"
	dirEnv = DirEnv
	// RunEnv, when set, is copied into every lab process, so that Sweep can
	// find every lab one test run started.
	RunEnv = "DRILL_LAB_RUN"
	// pidsDir holds one file per running program: name → PID.
	pidsDir = "pids"
	// stopGrace is how long a program gets between SIGTERM and SIGKILL.
	stopGrace = 10 * time.Second
)

// program is one process of the lab.
type program struct {
	name string // also the name of its log and PID files
	path string
	args []string
	env  []string // added to the lab's environment
}

// startProgram starts p detached from the caller: in its own session, with
// its output in logs/NAME.log, so that it keeps running after the starting
// process exits. Its PID is recorded before startProgram returns.
func (l *Lab) startProgram(p program) error {
	logf, err := os.OpenFile(filepath.Join(l.Dir, "logs", p.name+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("open the log of %s: %w", p.name, err)
	}
	defer logf.Close()
	cmd := exec.Command(p.path, p.args...)
	cmd.Dir = l.Dir
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.Env = append(l.baseEnv(), p.env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", p.name, err)
	}
	// Reap the child if it dies while this process lives, so that it does
	// not linger as a zombie that still looks alive to Stop.
	go func() { _ = cmd.Wait() }()
	pidFile := filepath.Join(l.Dir, pidsDir, p.name)
	// The start time tells this process from a later one with the same
	// PID. (The environment mark cannot: Redis overwrites its environment
	// block with its process title.)
	record := fmt.Sprintf("%d %s\n", cmd.Process.Pid, startTime(cmd.Process.Pid))
	if err := os.WriteFile(pidFile, []byte(record), 0o600); err != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		return fmt.Errorf("record the PID of %s: %w", p.name, err)
	}
	l.started = append(l.started, p.name)
	return nil
}

// baseEnv is the environment of every lab program: the caller's, with the
// lab's marks, and with a home of its own so that no user configuration
// (~/.kube, ~/.kwok, ~/.config/argocd) changes what the programs do.
func (l *Lab) baseEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		switch {
		case strings.HasPrefix(kv, "KUBECONFIG="), strings.HasPrefix(kv, "HOME="),
			strings.HasPrefix(kv, "ARGOCD_"), strings.HasPrefix(kv, dirEnv+"="):
			continue
		}
		env = append(env, kv)
	}
	return append(env, dirEnv+"="+l.Dir, "HOME="+filepath.Join(l.Dir, "home"))
}

// logTail returns the end of a program's log, for error messages.
func (l *Lab) logTail(name string) string {
	b, err := os.ReadFile(filepath.Join(l.Dir, "logs", name+".log"))
	if err != nil {
		return ""
	}
	const max = 2000
	if len(b) > max {
		b = b[len(b)-max:]
	}
	return string(bytes.TrimSpace(b))
}

// StopDir ends every program recorded in the lab directory dir (SIGTERM to
// its process group, SIGKILL after a grace period) and removes dir. A PID
// whose process no longer carries dir in its environment has been reused by
// something else and is left alone. It is safe to repeat, and to call on a
// directory that does not exist.
func StopDir(ctx context.Context, dir string) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("lab directory %s: %w", dir, err)
	}
	entries, err := os.ReadDir(filepath.Join(dir, pidsDir))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("read the PIDs of the lab in %s: %w", dir, err)
	}
	var pids []int
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, pidsDir, e.Name()))
		if err != nil {
			continue
		}
		if pid, ok := recordedPID(string(b)); ok {
			pids = append(pids, pid)
		}
	}
	if err := stopPIDs(ctx, pids); err != nil {
		return fmt.Errorf("stop the lab in %s: %w", dir, err)
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("remove the lab directory %s: %w", dir, err)
	}
	return nil
}

// recordedPID reads a PID file ("PID STARTTIME") and says whether that
// process still runs: same PID, same start time.
func recordedPID(record string) (int, bool) {
	f := strings.Fields(record)
	if len(f) != 2 {
		return 0, false
	}
	pid, err := strconv.Atoi(f[0])
	if err != nil || pid <= 1 {
		return 0, false
	}
	return pid, f[1] != "" && startTime(pid) == f[1]
}

// startTime is the process's start time in clock ticks since boot (field
// 22 of /proc/PID/stat), or "" when it does not run.
func startTime(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ""
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return ""
	}
	f := strings.Fields(s[i+1:]) // f[0] is field 3, the state
	if len(f) < 20 {
		return ""
	}
	return f[19]
}

// Sweep ends every lab process whose environment has DRILL_LAB_RUN=run: what
// one test run started, even where the process that started it was killed.
func Sweep(ctx context.Context, run string) error {
	if run == "" {
		return errors.New("sweep: empty run id; set " + RunEnv)
	}
	// Stop each marked process's whole lab by its PID files first: that
	// also reaches a program whose environment mark is unreadable (Redis).
	dirs := map[string]bool{}
	for _, pid := range Processes(RunEnv, run) {
		if d := envValue(pid, dirEnv); d != "" {
			dirs[d] = true
		}
	}
	var errs []error
	for d := range dirs {
		if err := StopDir(ctx, d); err != nil {
			errs = append(errs, err)
		}
	}
	if err := stopPIDs(ctx, Processes(RunEnv, run)); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Processes lists the live lab processes marked key=value: key is RunEnv
// (a test run's labs) or DRILL_LAB_DIR (one lab, by its directory).
func Processes(key, value string) []int {
	procs, _ := filepath.Glob("/proc/[0-9]*")
	var pids []int
	for _, p := range procs {
		pid, err := strconv.Atoi(filepath.Base(p))
		if err != nil || pid == os.Getpid() {
			continue
		}
		if markedWith(pid, key, value) && hasEnv(pid, dirEnv) && alive(pid) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// stopPIDs sends SIGTERM to each process group, waits for the processes to
// exit until the grace period or ctx ends, then sends SIGKILL.
func stopPIDs(ctx context.Context, pids []int) error {
	for _, pid := range pids {
		_ = syscall.Kill(-pid, syscall.SIGTERM)
		_ = syscall.Kill(pid, syscall.SIGTERM)
	}
	deadline := time.Now().Add(stopGrace)
	for time.Now().Before(deadline) && ctx.Err() == nil && anyAlive(pids) {
		time.Sleep(100 * time.Millisecond)
	}
	for _, pid := range pids {
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end) && anyAlive(pids); {
		time.Sleep(50 * time.Millisecond)
	}
	var still []string
	groups := liveGroups()
	for _, pid := range pids {
		if alive(pid) || groups[pid] {
			still = append(still, strconv.Itoa(pid))
		}
	}
	if len(still) > 0 {
		return fmt.Errorf("processes %s (or their children) still alive after SIGKILL", strings.Join(still, ", "))
	}
	return nil
}

// anyAlive reports whether one of pids runs, or a process of the group it
// leads: a program's children (a shell's, the repo server's git) get the
// signals with it but may end a moment after it, and the lab is stopped
// only when they are gone too.
func anyAlive(pids []int) bool {
	groups := liveGroups()
	for _, pid := range pids {
		if alive(pid) || groups[pid] {
			return true
		}
	}
	return false
}

// liveGroups are the process groups that have a process that runs (a
// zombie has ended: only its reaping is left).
func liveGroups() map[int]bool {
	groups := map[int]bool{}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		fields := strings.Fields(s[i+1:]) // state, ppid, pgrp, ...
		if len(fields) < 3 || fields[0] == "Z" || fields[0] == "X" {
			continue
		}
		if pgrp, err := strconv.Atoi(fields[2]); err == nil {
			groups[pgrp] = true
		}
	}
	return groups
}

// alive reports whether pid runs; a zombie (exited, not yet reaped by its
// parent) counts as gone.
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the command name, which is in parentheses.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}

// markedWith reports whether process pid has key=value in its environment.
func markedWith(pid int, key, value string) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid))
	if err != nil {
		return false
	}
	want := []byte(key + "=" + value)
	for _, kv := range bytes.Split(b, []byte{0}) {
		if bytes.Equal(kv, want) {
			return true
		}
	}
	return false
}

// envValue is the value of key in process pid's environment, or "".
func envValue(pid int, key string) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid))
	if err != nil {
		return ""
	}
	for _, kv := range bytes.Split(b, []byte{0}) {
		if v, ok := bytes.CutPrefix(kv, []byte(key+"=")); ok {
			return string(v)
		}
	}
	return ""
}

// hasEnv reports whether process pid has key in its environment.
func hasEnv(pid int, key string) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid))
	if err != nil {
		return false
	}
	for _, kv := range bytes.Split(b, []byte{0}) {
		if bytes.HasPrefix(kv, []byte(key+"=")) {
			return true
		}
	}
	return false
}

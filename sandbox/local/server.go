package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"time"
)

const (
	// readyLine is what postgres logs once it accepts connections.
	readyLine = "ready to accept connections"
	// addrInUse is in the log when another process took the port first.
	addrInUse = "Address already in use"
	// stopGrace is how long an immediate shutdown may take before the whole
	// process group is killed.
	stopGrace = 10 * time.Second
	// killWait bounds the wait for processes that were sent SIGKILL.
	killWait = 5 * time.Second
)

// errPortTaken means the server lost the race for its port; retry with another.
var errPortTaken = errors.New("port taken by another process")

// serverSettings favour speed over durability: the data is thrown away.
// Messages in C keep readyLine recognisable.
func serverSettings(port int, socketDir string) []string {
	return []string{
		"listen_addresses=127.0.0.1",
		"port=" + strconv.Itoa(port),
		"unix_socket_directories=" + socketDir,
		"lc_messages=C",
		"logging_collector=off",
		"log_destination=stderr",
		"fsync=off",
		"synchronous_commit=off",
		"full_page_writes=off",
		"max_wal_size=1GB",
		"checkpoint_timeout=30min",
	}
}

// serverExtra is what a server started on a restored data directory needs
// beyond the defaults: settings that come later win over earlier ones.
type serverExtra struct {
	settings []string
	env      []string
	// log also receives the server's whole output.
	log io.Writer
}

// server is one running postgres process (the postmaster), our child.
type server struct {
	cmd    *exec.Cmd
	port   int
	log    *logTail
	exited chan struct{} // closed once the process is gone and its output read
	err    error         // Wait's result; read only after exited is closed
}

// startServer starts postgres and waits until it accepts connections, it
// exits, ctx ends or timeout passes. On any error the process is gone.
func startServer(ctx context.Context, bins *Binaries, acct *account, dataDir, socketDir string, port int, timeout time.Duration, extra serverExtra) (*server, error) {
	args := []string{"-D", dataDir}
	for _, s := range append(serverSettings(port, socketDir), extra.settings...) {
		args = append(args, "-c", s)
	}
	// Not exec.CommandContext: the server outlives ctx, which only bounds the start.
	// SIGQUIT on drill's death is an immediate shutdown: the postmaster
	// takes its backends down with it.
	cmd := serverCommand(exec.Command(bins.Path("postgres"), args...), acct, filepath.Dir(dataDir), syscall.SIGQUIT)
	cmd.Env = append(cmd.Env, extra.env...)
	s := &server{cmd: cmd, port: port, log: newLogTail(readyLine), exited: make(chan struct{})}
	var out io.Writer = s.log
	if extra.log != nil {
		// The file first: once the tail sees readyLine, Recover returns
		// and its caller may read the file, which must hold that line.
		out = io.MultiWriter(extra.log, s.log)
	}
	// One writer for both streams, so exec copies them through one pipe.
	cmd.Stdout, cmd.Stderr = out, out
	if err := startOnOwnThread(cmd, s); err != nil {
		return nil, fmt.Errorf("start postgres: %w", err)
	}

	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-s.log.Seen():
		return s, nil
	case <-s.exited:
		if s.log.Contains(addrInUse) {
			return nil, fmt.Errorf("%w: port %d", errPortTaken, port)
		}
		return nil, fmt.Errorf("postgres exited while starting (%v); its last log lines:\n%s", s.err, s.log)
	case <-ctx.Done():
		_ = s.stop(ctx) // ctx has ended: no grace, kill at once
		return nil, fmt.Errorf("start postgres: %w", ctx.Err())
	case <-timer.C:
		_ = s.stop(context.Background())
		return nil, fmt.Errorf("postgres did not accept connections within %v; its last log lines:\n%s", timeout, s.log)
	}
}

// startOnOwnThread starts cmd from a goroutine locked to its OS thread for
// the server's whole life, then waits for it and closes s.exited. The kernel
// sends the parent-death signal when the thread that forked the child ends,
// not the process; Go ends a thread when a goroutine locked to it returns,
// which any goroutine of the program may do. Holding the thread rules that
// out: the signal then comes only when drill itself dies.
func startOnOwnThread(cmd *exec.Cmd, s *server) error {
	started := make(chan error)
	go func() {
		runtime.LockOSThread()
		// Never unlocked: the thread ends with this goroutine, after the server.
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		s.err = cmd.Wait()
		close(s.exited)
	}()
	return <-started
}

// pid is the postmaster's process id.
func (s *server) pid() int { return s.cmd.Process.Pid }

// stop shuts the server down immediately (SIGQUIT); when it is not gone
// within stopGrace, or ctx ends first, its whole process group is killed.
// Calling it again after the server is gone does nothing.
func (s *server) stop(ctx context.Context) error {
	select {
	case <-s.exited:
		return nil
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGQUIT)
	grace := time.NewTimer(stopGrace)
	defer grace.Stop()
	select {
	case <-s.exited:
		return nil
	case <-grace.C:
	case <-ctx.Done():
	}
	// The group outlives the postmaster while a backend lingers, so this
	// also reaches backends whose postmaster is already gone.
	_ = killGroup(s.pid(), syscall.SIGKILL)
	select {
	case <-s.exited:
		return nil
	case <-time.After(killWait):
		return fmt.Errorf("postgres (pid %d) still running %v after SIGKILL", s.pid(), killWait)
	}
}

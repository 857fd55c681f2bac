package local

import (
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// waitDelay bounds how long Wait waits for a program's output after it has
// exited, in case a leftover child still holds the pipe.
const waitDelay = 5 * time.Second

// programEnv is drill's environment without libpq's PG* variables, which
// would change what initdb and postgres do, and with C messages, because
// readiness is read from the server's log.
func programEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PG") || strings.HasPrefix(kv, "LC_") || strings.HasPrefix(kv, "LANG=") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "LC_ALL=C", "LANG=C")
}

// serverCommand prepares one of the server's programs. It runs as acct in its
// own process group, so that a terminal's Ctrl-C reaches drill (which then
// tears down in order) and not the server, and it gets deathSignal when
// drill dies, so that even a killed drill leaves nothing running.
func serverCommand(cmd *exec.Cmd, acct *account, dir string, deathSignal syscall.Signal) *exec.Cmd {
	cmd.Dir = dir
	cmd.Env = programEnv()
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Setpgid:    true,
		Pdeathsig:  deathSignal,
		Credential: acct.credential(),
	}
	cmd.WaitDelay = waitDelay
	return cmd
}

// killGroup sends sig to every process in the group that pid leads.
func killGroup(pid int, sig syscall.Signal) error {
	return syscall.Kill(-pid, sig)
}

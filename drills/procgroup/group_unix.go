//go:build unix

package procgroup

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// Own makes cmd start in a process group of its own, and the end of its
// context send SIGTERM to the whole group; after grace, Wait stops waiting
// for the program and its output. Call Kill after Wait for what remains.
func Own(cmd *exec.Cmd, grace time.Duration) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return signalGroup(cmd, syscall.SIGTERM) }
	cmd.WaitDelay = grace
}

// Kill sends SIGKILL to cmd's process group: the processes that outlived
// the program, or ignored SIGTERM. It is safe to call when none is left.
func Kill(cmd *exec.Cmd) error { return signalGroup(cmd, syscall.SIGKILL) }

// signalGroup sends sig to cmd's process group.
func signalGroup(cmd *exec.Cmd, sig syscall.Signal) error {
	if cmd.Process == nil {
		return nil
	}
	err := syscall.Kill(-cmd.Process.Pid, sig)
	if errors.Is(err, syscall.ESRCH) {
		return os.ErrProcessDone
	}
	return err
}

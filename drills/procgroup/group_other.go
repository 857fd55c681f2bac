//go:build !unix

package procgroup

import (
	"os/exec"
	"time"
)

// Without process groups, stopping the program reaches the program alone.

// Own makes the end of cmd's context kill it; after grace, Wait stops
// waiting for its output.
func Own(cmd *exec.Cmd, grace time.Duration) { cmd.WaitDelay = grace }

// Kill kills the program.
func Kill(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	return cmd.Process.Kill()
}

package local

import (
	"os/exec"
	"runtime"
)

// runOnOwnThread runs cmd to its end from a goroutine locked to its OS
// thread. The kernel sends a child's parent-death signal when the thread
// that forked it ends, not the process. An unlocked thread can later be
// taken by any goroutine that locks it and returns, which ends the thread;
// holding the thread until cmd has ended rules that out, as
// startOnOwnThread does for the server.
func runOnOwnThread(cmd *exec.Cmd) error {
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		// Never unlocked: the thread ends with this goroutine, after cmd.
		done <- cmd.Run()
	}()
	return <-done
}

package local

import (
	"errors"
	"os/exec"
	"runtime"
	"sync"
	"syscall"
	"testing"
)

// A child started with a parent-death signal survives goroutines that lock
// a thread and return (which ends that thread) while it runs, when it was
// started through runOnOwnThread. Started from an ordinary goroutine, the
// thread that forked it can be one of those, and the child is killed.
func TestRunOnOwnThreadSurvivesThreadsEndingMeanwhile(t *testing.T) {
	if _, err := exec.LookPath("sleep"); err != nil {
		t.Skip("skipping: no sleep program")
	}
	const children = 8
	var wg sync.WaitGroup
	errs := make([]error, children)
	stop := make(chan struct{})
	var churn sync.WaitGroup
	// Goroutines that end locked, each ending the thread it ran on.
	for range 4 {
		churn.Add(1)
		go func() {
			defer churn.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				ended := make(chan struct{})
				go func() { runtime.LockOSThread(); close(ended) }()
				<-ended
			}
		}()
	}
	for i := range children {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command("sleep", "0.5")
			cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
			errs[i] = runOnOwnThread(cmd)
		}()
	}
	wg.Wait()
	close(stop)
	churn.Wait()
	for i, err := range errs {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Errorf("child %d: %v, want it to end by itself", i, err)
		} else if err != nil {
			t.Fatalf("child %d: %v", i, err)
		}
	}
}

package command

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"time"

	"github.com/restore-drill/drill/assertions"
	"github.com/restore-drill/drill/drills/procgroup"
	"github.com/restore-drill/drill/results"
)

// stopGrace is how long a program has, after SIGTERM, to stop before its
// process group is killed.
const stopGrace = 2 * time.Second

// localCheck runs the program on this machine against a restored database.
type localCheck struct {
	name    string
	timeout time.Duration
	argv    []string
	expect  expectation
}

// Run runs the program with the PG* environment of the database connString
// names (it holds a password: it never reaches the program's arguments, a
// message or the record), no input, in a process group of its own that is
// killed when the program ends, times out or is interrupted, so that
// nothing it started is left.
func (c *localCheck) Run(ctx context.Context, connString string) assertions.Result {
	env, password, err := clientEnviron(connString)
	if err != nil {
		return assertions.Result{Outcome: results.Error, Expected: c.expect.String(), Observed: "not run", Message: err.Error()}
	}
	ctx, cancel := withTimeout(ctx, c.timeout)
	defer cancel()
	out := newOutput(c.expect.stdout)
	cmd := exec.CommandContext(ctx, c.argv[0], c.argv[1:]...)
	cmd.Env = env
	cmd.Stdin = nil // the null device: a program that asks for input reads its end at once
	cmd.Stdout, cmd.Stderr = out.stdout, out.stderr
	procgroup.Own(cmd, stopGrace)
	err = cmd.Run()
	_ = procgroup.Kill(cmd) // what the program left running, or what ignored SIGTERM
	program := describe(c.argv)
	if cmd.Process == nil && ctx.Err() == nil {
		out.abandon()
		return assertions.Result{Outcome: results.Error, Expected: c.expect.String(), Observed: "not run",
			Message: fmt.Sprintf("cannot run %s: %v: install it on the machine drill runs on, or name it by its full path", c.argv[0], err)}
	}
	if ctx.Err() != nil {
		out.abandon()
		return stopped(ctx, c.timeout, program, c.expect, out.tail(password))
	}
	var exitErr *exec.ExitError
	// ErrWaitDelay: the program ended with 0 but a child it left kept its
	// output open past stopGrace; the program's own output is all there.
	if err != nil && !errors.As(err, &exitErr) && !errors.Is(err, exec.ErrWaitDelay) {
		out.abandon()
		return assertions.Result{Outcome: results.Error, Expected: c.expect.String(), Observed: "no verdict",
			Message: withTail(fmt.Sprintf("%s: %v", program, err), out.tail(password))}
	}
	code := cmd.ProcessState.ExitCode()
	if code < 0 {
		out.abandon()
		return assertions.Result{Outcome: results.Failed, Expected: c.expect.String(), Observed: cmd.ProcessState.String(),
			Message: withTail(fmt.Sprintf("%s was stopped: %s", program, cmd.ProcessState), out.tail(password))}
	}
	return c.expect.judge(program, ending{code: code, matched: out.matched(), tail: out.tail(password)})
}

// stopped is the verdict of a program stopped because ctx ended: its own
// timeout or the run's deadline passed, or the run was interrupted.
func stopped(ctx context.Context, timeout time.Duration, program string, expect expectation, tail string) assertions.Result {
	res := assertions.Result{Outcome: endedBy(ctx), Expected: expect.String(), Observed: "no exit code"}
	if res.Outcome == results.Timeout {
		why := "the run's deadline passed"
		if timeout > 0 {
			why = "the check's timeout of " + timeout.String() + " passed"
		}
		res.Message = withTail(fmt.Sprintf("%s was stopped: %s before it ended", program, why), tail)
		return res
	}
	res.Message = withTail(fmt.Sprintf("%s was stopped: the check was interrupted", program), tail)
	return res
}

// endedBy is the outcome of a check cut short by ctx's end: a deadline
// (the check's timeout or the run's) or an interruption.
func endedBy(ctx context.Context) results.Outcome {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return results.Timeout
	}
	return results.Interrupted
}

// withTimeout bounds ctx by a check's own timeout, when it has one.
func withTimeout(ctx context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	if timeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, timeout)
}

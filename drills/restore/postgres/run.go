package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"time"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/drills/procgroup"
)

// stopGrace is how long a tool has, after SIGTERM, to stop before it is
// killed. pg_restore uses it to cancel its queries on the server.
const stopGrace = 5 * time.Second

// toolRun is one run of pg_restore or psql on an archive.
type toolRun struct {
	// tool is the program's name for messages; bin is what is executed.
	tool, bin string
	args      []string
	env       []string
	// stdin is fed to the tool; nil gives it an empty, closed input so
	// that it can never wait for a person to type.
	stdin   io.Reader
	archive string
}

// run runs the tool to its end, or until ctx ends, copying its output to
// log. It returns the last lines of the output either way.
func (t toolRun) run(ctx context.Context, log io.Writer) (string, error) {
	rec := newRecorder(log)
	cmd := exec.CommandContext(ctx, t.bin, t.args...)
	cmd.Env = t.env
	cmd.Stdin = t.stdin
	cmd.Stdout, cmd.Stderr = rec.Stdout(), rec.Stderr()
	procgroup.Own(cmd, stopGrace)
	err := cmd.Run()
	rec.close()
	if err == nil {
		return rec.tail(), nil
	}
	if cmd.Process == nil {
		return rec.tail(), fault.Infra(fmt.Errorf("cannot run %s: %w: install the PostgreSQL client programs or set spec.sandbox.local.binDir", t.bin, err))
	}
	if ctx.Err() != nil {
		// A parallel restore's workers may outlive their leader; none may
		// outlive the call.
		_ = procgroup.Kill(cmd)
		return rec.tail(), fmt.Errorf("%s on %s stopped: %w", t.tool, t.archive, ctx.Err())
	}
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		return rec.tail(), fmt.Errorf("%s on %s: %w", t.tool, t.archive, err)
	}
	terr := &ToolError{Tool: t.tool, Archive: t.archive, Err: err, Message: toolMessage(rec.errorLines())}
	if unreachable(terr.Message) {
		return rec.tail(), fault.Infra(terr)
	}
	return rec.tail(), terr
}

package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/scenarios"
)

// Exit codes, the same for every command.
const (
	ExitPassed      = 0
	ExitFailed      = 1
	ExitInvalid     = 2
	ExitInfra       = 3
	ExitTimeout     = 4
	ExitInterrupted = 130
)

// usageError is a command line that cannot be run as given.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// outcomeError ends a command whose drill did not pass. The command has
// already shown the record; Main only adds the one-line reason.
type outcomeError struct {
	outcome results.Outcome
	reason  string
}

func (e outcomeError) Error() string {
	if e.reason == "" {
		return fmt.Sprintf("drill %s", e.outcome)
	}
	return fmt.Sprintf("drill %s: %s", e.outcome, e.reason)
}

var outcomeCodes = map[results.Outcome]int{
	results.Passed:      ExitPassed,
	results.Failed:      ExitFailed,
	results.Error:       ExitInfra,
	results.Timeout:     ExitTimeout,
	results.Interrupted: ExitInterrupted,
	results.Running:     ExitInfra, // a run that never finished
}

// ExitCode prints err (if any) and returns the exit code it stands for. It
// is the one place where errors become exit codes.
func ExitCode(err error, w io.Writer) int {
	if err == nil {
		return ExitPassed
	}
	fmt.Fprintf(w, "error: %s\n", err)
	return codeOf(err)
}

func codeOf(err error) int {
	var oe outcomeError
	var ue usageError
	switch {
	case errors.As(err, &oe):
		return outcomeCodes[oe.outcome]
	case scenarios.IsInvalid(err), errors.As(err, &ue), isCobraUsage(err):
		return ExitInvalid
	case errors.Is(err, context.Canceled):
		return ExitInterrupted
	case errors.Is(err, context.DeadlineExceeded):
		return ExitTimeout
	case fault.IsInfra(err):
		return ExitInfra
	default:
		return ExitFailed
	}
}

// isCobraUsage recognises the usage errors cobra makes itself, which carry
// no type: an unknown command.
func isCobraUsage(err error) bool {
	return strings.HasPrefix(err.Error(), "unknown command ")
}

package drills

import (
	"context"
	"errors"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/results"
)

// contexts are the three levels a step's context derives from: the caller's
// (cancelled means interrupted), the run's (its deadline is the run timeout)
// and the step's own.
type contexts struct {
	caller, run, step context.Context
}

// classify turns a step's error into its outcome. An interruption beats a
// timeout, which beats an infrastructure error, which beats a plain failure:
// the first says most about why the step did not finish.
func classify(err error, c contexts) results.Outcome {
	switch {
	case err == nil:
		return results.Passed
	case c.caller.Err() != nil:
		return results.Interrupted
	case errors.Is(c.run.Err(), context.DeadlineExceeded),
		c.step != nil && errors.Is(c.step.Err(), context.DeadlineExceeded):
		return results.Timeout
	case fault.IsInfra(err):
		return results.Error
	default:
		return results.Failed
	}
}

// severity orders outcomes for the run's verdict.
var severity = map[results.Outcome]int{
	results.Passed:      0,
	results.Skipped:     0,
	results.Failed:      1,
	results.Error:       2,
	results.Timeout:     3,
	results.Interrupted: 4,
}

// worse returns the more severe of two outcomes.
func worse(a, b results.Outcome) results.Outcome {
	if severity[b] > severity[a] {
		return b
	}
	return a
}

// stepMessage is an error's text, or the context's cause when the step was
// cut short, which says more ("run timed out after 10m") than "context
// deadline exceeded".
func stepMessage(err error, c contexts) string {
	if err == nil {
		return ""
	}
	for _, ctx := range []context.Context{c.caller, c.run, c.step} {
		if ctx != nil && ctx.Err() != nil {
			if cause := context.Cause(ctx); cause != nil && cause != ctx.Err() {
				return cause.Error()
			}
		}
	}
	return err.Error()
}

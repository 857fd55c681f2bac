package cluster

import (
	"context"
	"errors"
	"time"

	"github.com/restore-drill/drill/assertions"
	"github.com/restore-drill/drill/results"
)

// endOfWait is the verdict of a check whose wait ended before what it waited
// for was seen: subject (deployment web) reaching state (rolled out). parent
// is the context the check was given: when it ended, the run ended (deadline
// or cancel); otherwise the check's own timeout passed, which fails the check.
func endOfWait(parent context.Context, timeout time.Duration, subject, state string) assertions.Result {
	switch {
	case errors.Is(parent.Err(), context.DeadlineExceeded):
		return assertions.Result{Outcome: results.Timeout, Message: "the run's deadline passed before " + subject + " was " + state}
	case parent.Err() != nil:
		return assertions.Result{Outcome: results.Interrupted, Message: "the check was interrupted before " + subject + " was " + state}
	}
	return assertions.Result{Outcome: results.Failed, Message: subject + " not " + state + " within the check's timeout of " + timeout.String()}
}

// errorResult is a check that could not run: the cluster could not be
// reached or refused the question.
func errorResult(expected string, err error) assertions.Result {
	return assertions.Result{Outcome: results.Error, Expected: expected, Observed: "no answer", Message: err.Error()}
}

// passed is a passing result seen at the given moment.
func passed(expected, observed string, at time.Time) assertions.Result {
	return assertions.Result{Outcome: results.Passed, Expected: expected, Observed: observed, ReadyAt: &at}
}

package command

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/restore-drill/drill/assertions"
	"github.com/restore-drill/drill/results"
)

// expectation is how the program must end.
type expectation struct {
	exitCode int
	// stdout is nil when the output is not matched.
	stdout *regexp.Regexp
}

func (e expectation) String() string {
	s := fmt.Sprintf("exit code %d", e.exitCode)
	if e.stdout != nil {
		s += fmt.Sprintf(", stdout matching %q", e.stdout.String())
	}
	return s
}

// ending is how a program ended: its exit code, whether its standard output
// matched, and the last lines of what it printed (secrets removed).
type ending struct {
	code    int
	matched bool
	tail    string
}

// judge compares an ending with the expectation.
func (e expectation) judge(program string, end ending) assertions.Result {
	res := assertions.Result{Expected: e.String(), Observed: fmt.Sprintf("exit code %d", end.code)}
	if e.stdout != nil {
		if end.matched {
			res.Observed += ", stdout matched"
		} else {
			res.Observed += ", stdout not matching"
		}
	}
	switch {
	case end.code != e.exitCode:
		res.Outcome = results.Failed
		res.Message = withTail(fmt.Sprintf("%s exited with code %d, not %d", program, end.code, e.exitCode), end.tail)
	case !end.matched:
		res.Outcome = results.Failed
		res.Message = withTail(fmt.Sprintf("the standard output of %s does not match %q", program, e.stdout.String()), end.tail)
	default:
		res.Outcome = results.Passed
		now := time.Now()
		res.ReadyAt = &now
	}
	return res
}

// withTail adds the last lines of the output to a message.
func withTail(msg, tail string) string {
	if strings.TrimSpace(tail) == "" {
		return msg + "; it printed nothing"
	}
	return msg + "; last output:\n" + tail
}

// describe names a program with its arguments for messages, shortened.
func describe(argv []string) string {
	const max = 80
	s := strings.Join(argv, " ")
	if len(s) > max {
		s = s[:max] + "..."
	}
	return s
}

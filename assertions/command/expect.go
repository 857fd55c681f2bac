package command

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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
	pattern := ""
	if e.stdout != nil {
		pattern = e.stdout.String()
	}
	return Expected(e.exitCode, pattern)
}

// Expected says how a program must end, in a check's results and in drill
// plan: `exit code 0, stdout matching "^ok$"`. An empty stdout is not
// matched.
func Expected(exitCode int, stdout string) string {
	s := fmt.Sprintf("exit code %d", exitCode)
	if stdout != "" {
		s += fmt.Sprintf(", stdout matching %q", stdout)
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

// withTail adds the last lines of the output to a message, indented so
// that they stand apart from drill's own words in the progress and errors.
func withTail(msg, tail string) string {
	if strings.TrimSpace(tail) == "" {
		return msg + "; it printed nothing"
	}
	lines := strings.Split(tail, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = outputIndent + l
		}
	}
	return msg + "; last output:\n" + strings.Join(lines, "\n")
}

// outputIndent sets a program's output apart in a message.
const outputIndent = "    "

// describe names a program with its arguments for messages, shortened.
func describe(argv []string) string {
	const max = 80
	s := Line(argv)
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return s
}

// Line writes argv as a person would type it, quoting the arguments a
// shell would split or expand: sh -c "exit 3".
func Line(argv []string) string {
	words := make([]string, len(argv))
	for i, a := range argv {
		words[i] = a
		if a == "" || strings.ContainsAny(a, " \t\n'\"\\$`*?;&|<>()") {
			words[i] = strconv.Quote(a)
		}
	}
	return strings.Join(words, " ")
}

package scenarios

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Problem is one thing wrong with a scenario.
type Problem struct {
	// File is the scenario file; "" when the scenario has none.
	File string
	// Line is the 1-based line the problem is on; 0 when it has none (a file
	// that cannot be read, a scenario built in code).
	Line int
	// Field is the path of the field at fault, such as
	// spec.restores[0].postgres.jobs; "" when the problem is the whole file.
	Field string
	// Message says what is wrong and, where it can, what to write instead.
	Message string
}

// String is "file:line: field: message", leaving out the parts it lacks.
func (p Problem) String() string {
	var b strings.Builder
	switch {
	case p.File != "" && p.Line > 0:
		b.WriteString(p.File + ":" + strconv.Itoa(p.Line) + ": ")
	case p.File != "":
		b.WriteString(p.File + ": ")
	case p.Line > 0:
		b.WriteString("line " + strconv.Itoa(p.Line) + ": ")
	}
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Error is an invalid scenario: every problem found, in the order of the
// lines they are on. The command line exits with code 2 for it (see
// IsInvalid).
type Error struct {
	// File is the scenario file; "" when the scenario has none.
	File     string
	Problems []Problem
	// Omitted counts problems found beyond the ones listed, which are capped
	// so that a broken file cannot produce an endless report.
	Omitted int
	// cause is the error behind a file that could not be read.
	cause error
}

// Error lists each problem on its own line.
func (e *Error) Error() string {
	lines := make([]string, 0, len(e.Problems)+1)
	for _, p := range e.Problems {
		lines = append(lines, p.String())
	}
	if e.Omitted > 0 {
		lines = append(lines, fmt.Sprintf("%s: and %d more problems", e.name(), e.Omitted))
	}
	if len(lines) == 0 {
		return e.name() + ": invalid scenario"
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the error behind a file that could not be read, so that
// errors.Is(err, fs.ErrNotExist) works.
func (e *Error) Unwrap() error { return e.cause }

func (e *Error) name() string {
	if e.File == "" {
		return "scenario"
	}
	return e.File
}

// IsInvalid reports whether err, or an error it wraps, is an *Error: the
// scenario is wrong (or unreadable), not the infrastructure a run needs.
func IsInvalid(err error) bool {
	var e *Error
	return errors.As(err, &e)
}

package postgres

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNotArchive means the backup is not something this method can restore:
// empty, truncated, or not a pg_dump archive at all. A drill that meets one
// has failed (the backup is bad); it is not an infrastructure error.
var ErrNotArchive = errors.New("not a pg_dump archive")

// archiveError says why a backup is unusable. It matches ErrNotArchive.
type archiveError struct {
	path   string
	what   string // "is not a pg_dump archive", "is empty"
	reason string
}

func (e *archiveError) Error() string {
	if e.reason == "" {
		return e.path + " " + e.what
	}
	return fmt.Sprintf("%s %s: %s", e.path, e.what, e.reason)
}

func (e *archiveError) Is(target error) bool { return target == ErrNotArchive }

func notArchive(path, format string, args ...any) error {
	return &archiveError{path: path, what: "is not a pg_dump archive", reason: fmt.Sprintf(format, args...)}
}

// ToolError is a restore tool (pg_restore, psql) that ended badly. Its
// message carries the tool's own last words, which say what went wrong far
// better than an exit status.
type ToolError struct {
	// Tool is "pg_restore" or "psql".
	Tool string
	// Archive is the backup the tool was reading.
	Archive string
	// Err is how the process ended, e.g. "exit status 1".
	Err error
	// Message is the tool's error output, condensed to one line.
	Message string
}

func (e *ToolError) Error() string {
	return fmt.Sprintf("%s failed on %s (%v): %s", e.Tool, e.Archive, e.Err, e.Message)
}

func (e *ToolError) Unwrap() error { return e.Err }

// unreachable reports whether a tool's message says it lost the server: that
// is the sandbox failing, not the backup.
func unreachable(message string) bool {
	for _, s := range []string{
		"connection to server",
		"could not connect",
		"server closed the connection unexpectedly",
		"Connection refused",
	} {
		if strings.Contains(message, s) {
			return true
		}
	}
	return false
}

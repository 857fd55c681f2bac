package restore

import (
	"context"
	"io"
	"time"

	"github.com/restore-drill/drill/drills/source"
	"github.com/restore-drill/drill/sandbox"
)

// Method restores one backup into a sandbox. A Method is built from one
// restore of a scenario and knows its own options.
type Method interface {
	// Inspect reads the backup without restoring it: its format and what made
	// it. drill plan uses it; Restore calls it too. A backup that is not one
	// this method can restore is an error here.
	Inspect(ctx context.Context, art *source.Artifact) (Inspection, error)
	// Restore brings the backup back into the sandbox. The tool's own output
	// is copied to log as it comes. Errors name the backup and carry the
	// tool's message; infrastructure problems are marked with fault.Infra.
	Restore(ctx context.Context, sb sandbox.Sandbox, art *source.Artifact, log io.Writer) (Result, error)
}

// Inspection is what a backup says about itself.
type Inspection struct {
	// Format is the method's name for the backup's format, e.g. "custom".
	Format string
	// DumpedBy is the version of the tool that wrote it, when known.
	DumpedBy string
	// DumpedFrom is the version of the server it was taken from, when known.
	DumpedFrom string
	// Jobs is the parallelism the restore will use for this backup.
	Jobs int
	// RestoreBytes is about how much disk the restored data will take, for
	// the preflight's disk check; 0 when the method cannot tell.
	RestoreBytes int64
	// ExactMajor, when set, is the only PostgreSQL major version that can
	// run the restored data: a physical backup's files are not readable by
	// another major version.
	ExactMajor int
	// Notes are things a person should know ("tar archives restore with one
	// job: pg_restore cannot run them in parallel").
	Notes []string
}

// Result is what a finished restore reports for the record.
type Result struct {
	Inspection
	// Database is where the data went.
	Database string
	// LogTail is the last lines of the tool's output.
	LogTail string
	// NewestData, when set, is the time of the last transaction the restore
	// brought back (a point-in-time recovery's last replayed commit): run
	// start minus it is the data loss.
	NewestData *time.Time
}

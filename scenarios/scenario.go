package scenarios

import "time"

// Scenario is one loaded, defaulted and validated scenario.
type Scenario struct {
	// Name is metadata.name: the scenario's identity in records and reports.
	Name string
	// File is the path the scenario was loaded from ("" when loaded from bytes
	// without a name).
	File string
	// Labels are metadata.labels, copied into every record.
	Labels map[string]string
	// Cadence is how often the drill is meant to run.
	Cadence Cadence
	// Objectives are the targets a run is judged against.
	Objectives Objectives
	// Timeout bounds the whole run, teardown excluded. Always set (defaulted).
	Timeout time.Duration
	// Sandbox says where the data is restored.
	Sandbox Sandbox
	// Restores bring data back; they run concurrently.
	Restores []Restore
	// Checks prove the recovery; each runs as soon as the restore it reads is done.
	Checks []Check
}

// Cadence is a named schedule ("monthly") or a plain interval.
type Cadence struct {
	// Name is what the user wrote: daily, weekly, monthly, quarterly, yearly,
	// or a Go duration such as "72h". Empty when the scenario has no cadence.
	Name string
	// Interval is the longest time allowed between two passed runs.
	Interval time.Duration
}

// Objectives are the recovery targets. Zero means "no objective".
type Objectives struct {
	RTO time.Duration
	RPO time.Duration
}

// Sandbox kinds.
const (
	SandboxLocal = "local"
)

// Sandbox is the throwaway place. Exactly one kind is set.
type Sandbox struct {
	// Kind is one of the Sandbox* constants.
	Kind  string
	Local *LocalSandbox
}

// LocalSandbox is a throwaway PostgreSQL server on this machine.
type LocalSandbox struct {
	// BinDir, when set, is where initdb, postgres and pg_restore are looked up
	// first. Empty: PATH, pg_config --bindir, then /usr/lib/postgresql/*/bin.
	BinDir string
}

// Restore brings one backup back into the sandbox. Exactly one method is set.
type Restore struct {
	Name string
	// Timeout bounds this restore; 0 means only the run's timeout applies.
	Timeout  time.Duration
	Source   Source
	Postgres *PostgresRestore
}

// Method names the restore method that is set.
func (r Restore) Method() string {
	switch {
	case r.Postgres != nil:
		return "postgres"
	}
	return ""
}

// Source says where the backup is.
type Source struct {
	// Path is one archive (a file, or a pg_dump directory-format directory),
	// or a directory holding archives, of which the newest is used.
	Path string
}

// PostgresRestore restores a pg_dump archive (custom, directory, tar, plain
// SQL, or gzip-compressed plain SQL) into a new database of the sandbox.
type PostgresRestore struct {
	// Database is created in the sandbox and restored into.
	Database string
	// Jobs is pg_restore's --jobs; used for custom and directory archives.
	// Defaulted to 1.
	Jobs int
	// Roles are created (NOLOGIN) before the restore, for archives that name
	// owners or grantees that the sandbox does not have.
	Roles []string
	// KeepOwners restores ownership and privileges as recorded in the
	// archive; by default pg_restore runs with --no-owner --no-privileges.
	KeepOwners bool
}

// Check kinds.
const (
	CheckSQL = "sql"
	CheckRPO = "rpo"
)

// Check proves something about the restored data. Exactly one kind is set.
type Check struct {
	Name string
	// Timeout bounds this check. Defaulted.
	Timeout time.Duration
	SQL     *SQLCheck
	RPO     *RPOCheck
}

// Kind names the check kind that is set.
func (c Check) Kind() string {
	switch {
	case c.SQL != nil:
		return CheckSQL
	case c.RPO != nil:
		return CheckRPO
	}
	return ""
}

// Restore names the restore whose data the check reads.
func (c Check) Restore() string {
	switch {
	case c.SQL != nil:
		return c.SQL.Restore
	case c.RPO != nil:
		return c.RPO.Restore
	}
	return ""
}

// SQLCheck runs a query in the restored database and compares the result.
// Exactly one of Expect and Rows is set.
type SQLCheck struct {
	Restore string
	Query   string
	// Expect compares the single value the query returns: "== N", "!= N",
	// "> N", ">= N", "< N", "<= N" against a number, a bare number (==), or
	// any other text, which must equal the value exactly.
	Expect string
	// Rows, when set, is the exact number of rows the query must return.
	Rows *int
}

// RPOCheck runs a query that returns the newest timestamp in the restored
// data; run start minus that timestamp is the data a disaster would have lost.
type RPOCheck struct {
	Restore string
	Query   string
}

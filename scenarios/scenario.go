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
	Barman   *BarmanRestore
	// PgBackRest reads a posix repository: Source.Path is its repo1-path.
	PgBackRest *PgBackRestRestore
}

// Method names the restore method that is set.
func (r Restore) Method() string {
	switch {
	case r.Postgres != nil:
		return "postgres"
	case r.Barman != nil:
		return "barman"
	case r.PgBackRest != nil:
		return "pgbackrest"
	}
	return ""
}

// PgBackRestRestore recovers a pgBackRest backup to a point in time; its
// target works as BarmanRestore's (BackupID is a backup label).
type PgBackRestRestore struct {
	Stanza     string
	TargetTime time.Time
	BackupID   string
	User       string
	Database   string
}

// BarmanRestore recovers a Barman Cloud base backup and its WAL to a point
// in time. At most one of TargetTime and BackupID is set; neither means the
// end of the archived WAL.
type BarmanRestore struct {
	ServerName string
	TargetTime time.Time
	BackupID   string
	// User is the superuser checks connect as; Database the database they
	// read. Defaulted to postgres.
	User     string
	Database string
}

// Source says where the backup is. Exactly one of Path and S3 is set.
type Source struct {
	// Path is one archive (a file, or a pg_dump directory-format directory),
	// or a directory holding archives, of which one is picked.
	Path string
	// S3 is a bucket holding archives, of which one is picked.
	S3 *S3Source
	// Pick chooses among the backups a source holds.
	Pick Pick
}

// String names the source for people: its path, or s3://BUCKET/PREFIX.
func (s Source) String() string {
	if s.S3 != nil {
		return "s3://" + s.S3.Bucket + "/" + s.S3.Prefix
	}
	return s.Path
}

// Pick rules.
const (
	PickNewest = "newest"
	PickRandom = "random"
)

// Pick chooses one backup among those a source holds.
type Pick struct {
	// Rule is PickNewest or PickRandom; empty means PickNewest.
	Rule string
	// Window, when positive, limits the candidates to backups modified at
	// most this long before the run's start.
	Window time.Duration
	// Pattern, when set, is a path.Match pattern the backup's name must match.
	Pattern string
}

// S3Source is a bucket of an S3-compatible object store.
type S3Source struct {
	// Endpoint is the store's URL; its scheme says whether TLS is used.
	// Defaulted to https://s3.amazonaws.com.
	Endpoint string
	Bucket   string
	// Prefix is the start of the backups' keys; only objects directly under
	// it are candidates.
	Prefix string
	// Region is the bucket's region; empty lets the client find out.
	Region string
	// PathStyle addresses the bucket as ENDPOINT/BUCKET.
	PathStyle bool
	// CAFile is a PEM file of extra certificate authorities.
	CAFile string
	// InsecureSkipVerify accepts any certificate (tests only).
	InsecureSkipVerify bool
	// Credentials say where the keys are read from. Never the keys themselves.
	Credentials S3Credentials
}

// S3Credentials name where the access keys are: environment variables
// (defaulted to the AWS names), or an AWS shared credentials file.
type S3Credentials struct {
	AccessKeyIDEnv     string
	SecretAccessKeyEnv string
	SessionTokenEnv    string
	// File, when set, is an AWS shared credentials file read instead of the
	// environment; Profile is its section (defaulted to "default").
	File    string
	Profile string
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

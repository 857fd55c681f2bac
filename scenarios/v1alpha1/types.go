package v1alpha1

// APIVersion and Kind identify a scenario file of this version.
const (
	APIVersion = "restore-drill.io/v1alpha1"
	Kind       = "Scenario"
)

// Scenario is one disaster-recovery drill: which backups to restore into a
// throwaway sandbox, which checks prove the data came back, and the recovery
// objectives a run is judged against.
type Scenario struct {
	// APIVersion is the version of this format: restore-drill.io/v1alpha1. Required.
	APIVersion string `json:"apiVersion" jsonschema:"enum=restore-drill.io/v1alpha1"`
	// Kind is the type of document: Scenario. Required.
	Kind string `json:"kind" jsonschema:"enum=Scenario"`
	// Metadata names the scenario. Required.
	Metadata ObjectMeta `json:"metadata"`
	// Spec describes the drill. Required.
	Spec ScenarioSpec `json:"spec"`
}

// ObjectMeta names a scenario and carries labels for records and reports.
type ObjectMeta struct {
	// Name identifies the scenario in run records, reports and the names of
	// what a run creates: a DNS-1123 label (lowercase letters, digits and '-',
	// starting and ending with a letter or digit, at most 63 characters). Required.
	Name string `json:"name" jsonschema:"pattern=^[a-z0-9]([-a-z0-9]*[a-z0-9])?$,maxLength=63"`
	// Labels are copied into every run record, so that reports can group and
	// filter runs (team, service, tier). Keys and values follow Kubernetes
	// label syntax. Default: none.
	Labels map[string]string `json:"labels,omitempty"`
	// Annotations are free-form notes for people and tools (a runbook link, an
	// owner). drill does not read them. Default: none.
	Annotations map[string]string `json:"annotations,omitempty"`
}

// ScenarioSpec is what a drill restores, where, how it proves the recovery,
// and its targets.
type ScenarioSpec struct {
	// Cadence is how often the drill is meant to pass: daily (24h), weekly
	// (7 days), monthly (31 days), quarterly (92 days), yearly (366 days), or a
	// Go duration such as "72h". drill list reports a scenario whose last
	// passed run is older than this as overdue. Default: none (never overdue).
	Cadence Cadence `json:"cadence,omitempty"`
	// Objectives are the recovery targets a run must meet to pass.
	// Default: none (a run passes when every check passes).
	Objectives *Objectives `json:"objectives,omitempty"`
	// Timeout bounds the whole run, teardown excluded; a run that takes longer
	// is stopped and recorded as timed out. Default: 1h.
	Timeout Duration `json:"timeout,omitempty" jsonschema:"default=1h"`
	// Sandbox is the throwaway place the backups are restored into. Exactly one
	// kind is set. Required.
	Sandbox Sandbox `json:"sandbox"`
	// Restores are the backups to bring back; they run concurrently. At least
	// one is required.
	Restores []Restore `json:"restores" jsonschema:"minItems=1"`
	// Checks prove the recovery: each runs as soon as the restore it reads has
	// finished, and the recovery time (RTO) ends when all of them have passed.
	// Default: none.
	Checks []Check `json:"checks,omitempty"`
}

// Objectives are the recovery targets. A run that recovers but misses one
// fails, and says by how much.
type Objectives struct {
	// RTO (recovery time objective) is the longest a recovery may take: from
	// the run's start until every check has passed. Default: none.
	RTO Duration `json:"rto,omitempty"`
	// RPO (recovery point objective) is the most data a disaster may lose: the
	// age of the backup used and, with an rpo check, run start minus the newest
	// timestamp found in the restored data. Default: none.
	RPO Duration `json:"rpo,omitempty"`
}

// Sandbox is the throwaway place data is restored into. Exactly one kind is
// set.
type Sandbox struct {
	// Local is a throwaway PostgreSQL server started on this machine (initdb
	// in a temporary directory, listening on a free 127.0.0.1 port), removed
	// when the run ends. Write local: {} for the defaults.
	Local *LocalSandbox `json:"local,omitempty"`
}

// LocalSandbox is a throwaway PostgreSQL server on this machine.
type LocalSandbox struct {
	// BinDir is the directory holding initdb, postgres and pg_restore, looked
	// up first; a relative path is taken from the scenario file's directory.
	// Default: PATH, then pg_config --bindir, then the newest
	// /usr/lib/postgresql/*/bin.
	BinDir string `json:"binDir,omitempty"`
}

// Restore brings one backup back into the sandbox. Exactly one method
// (postgres) is set.
type Restore struct {
	// Name identifies the restore in checks, records and reports: a DNS-1123
	// label, unique within the scenario. Required.
	Name string `json:"name" jsonschema:"pattern=^[a-z0-9]([-a-z0-9]*[a-z0-9])?$,maxLength=63"`
	// Timeout bounds this restore. Default: none (only spec.timeout applies).
	Timeout Duration `json:"timeout,omitempty"`
	// Source says where the backup is. Required.
	Source Source `json:"source"`
	// Postgres restores a pg_dump archive into a new database.
	Postgres *PostgresRestore `json:"postgres,omitempty"`
}

// Source says where a backup is.
type Source struct {
	// Path is one archive (a file, or the directory of a directory-format
	// pg_dump archive), or a directory holding archives, of which the newest
	// is used. A relative path is taken from the scenario file's directory.
	// Required.
	Path string `json:"path" jsonschema:"minLength=1"`
}

// PostgresRestore restores a pg_dump archive (custom, directory, tar, plain
// SQL, or gzip-compressed plain SQL) into a new database of the sandbox.
type PostgresRestore struct {
	// Database is the database created in the sandbox and restored into: a
	// lowercase PostgreSQL identifier (letters, digits and '_', not starting
	// with a digit, at most 63 characters), unique within the scenario.
	// Required.
	Database string `json:"database" jsonschema:"pattern=^[a-z_][a-z0-9_]*$,maxLength=63"`
	// Jobs is how many parallel jobs pg_restore runs (its --jobs), from 1 to
	// 64; used for custom and directory archives. Default: 1.
	Jobs *int `json:"jobs,omitempty" jsonschema:"minimum=1,maximum=64,default=1"`
	// Roles are created (NOLOGIN) before the restore, for archives that name
	// owners or grantees the sandbox does not have: lowercase PostgreSQL
	// identifiers. Default: none.
	Roles []string `json:"roles,omitempty" jsonschema:"pattern=^[a-z_][a-z0-9_]*$,maxLength=63"`
	// KeepOwners restores ownership and privileges as the archive records
	// them; list the roles it names under roles. Default: false (objects are
	// owned by the sandbox's superuser and grants are skipped).
	KeepOwners bool `json:"keepOwners,omitempty"`
}

// Check proves one thing about the restored data. Exactly one kind (sql or
// rpo) is set.
type Check struct {
	// Name identifies the check in records and reports: a DNS-1123 label,
	// unique within the scenario. Required.
	Name string `json:"name" jsonschema:"pattern=^[a-z0-9]([-a-z0-9]*[a-z0-9])?$,maxLength=63"`
	// Timeout bounds this check, query included. Default: 5m.
	Timeout Duration `json:"timeout,omitempty" jsonschema:"default=5m"`
	// SQL runs a query in a restored database and compares its result.
	SQL *SQLCheck `json:"sql,omitempty"`
	// RPO runs a query that returns the newest timestamp in a restored
	// database, to measure the data a disaster would have lost.
	RPO *RPOCheck `json:"rpo,omitempty"`
}

// SQLCheck runs a query in a restored database and compares the result.
// Exactly one of expect and rows is set.
type SQLCheck struct {
	// Restore is the name of the restore whose database the query runs in.
	// Required.
	Restore string `json:"restore" jsonschema:"pattern=^[a-z0-9]([-a-z0-9]*[a-z0-9])?$,maxLength=63"`
	// Query is the SQL to run. Required.
	Query string `json:"query" jsonschema:"minLength=1"`
	// Expect compares the single value the query returns: an operator (==,
	// !=, >, >=, <, <=) and a number (">= 1000"; quote it, since YAML reads a
	// leading > or ! as syntax), a bare number (== that number), or any other
	// text, which the value must equal exactly.
	Expect Expect `json:"expect,omitempty"`
	// Rows is the exact number of rows the query must return.
	Rows *int `json:"rows,omitempty" jsonschema:"minimum=0"`
}

// RPOCheck runs a query returning the newest timestamp in the restored data
// (e.g. select max(created_at) from invoices); run start minus that
// timestamp is the data a disaster at that moment would have lost.
type RPOCheck struct {
	// Restore is the name of the restore whose database the query runs in.
	// Required.
	Restore string `json:"restore" jsonschema:"pattern=^[a-z0-9]([-a-z0-9]*[a-z0-9])?$,maxLength=63"`
	// Query returns one timestamp (timestamp or timestamptz). Required.
	Query string `json:"query" jsonschema:"minLength=1"`
}

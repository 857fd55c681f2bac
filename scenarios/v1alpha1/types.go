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
	// Apps are the applications brought up in a namespace sandbox (through
	// Argo CD or Helm) before the restores that wait for them: the drill
	// proves that the service starts, not only that its data is intact.
	// Only in a namespace sandbox. Default: none.
	Apps []App `json:"apps,omitempty"`
	// Bootstrap brings a whole platform back in a kind or cluster sandbox:
	// Argo CD, repository credentials and a root app-of-apps whose children
	// are followed wave by wave. Only with a kind or cluster sandbox.
	// Default: none.
	Bootstrap *Bootstrap `json:"bootstrap,omitempty"`
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
	// Namespace is a new namespace in an existing Kubernetes cluster (the
	// current kubeconfig context, or --kubeconfig and --context), labelled
	// with the run and deleted, to completion, when the run ends. Write
	// namespace: {} for the defaults.
	Namespace *NamespaceSandbox `json:"namespace,omitempty"`
	// Kind is a new kind cluster, deleted when the run ends. Write kind: {}
	// for the defaults.
	Kind *KindSandbox `json:"kind,omitempty"`
	// Cluster is an existing, empty cluster (--kubeconfig, --context) where
	// drill makes and deletes only what it labels. Write cluster: {}.
	Cluster *ClusterSandbox `json:"cluster,omitempty"`
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
// (postgres, barman, pgbackrest or job) is set.
type Restore struct {
	// Name identifies the restore in checks, records and reports: a DNS-1123
	// label, unique within the scenario. Required.
	Name string `json:"name" jsonschema:"pattern=^[a-z0-9]([-a-z0-9]*[a-z0-9])?$,maxLength=63"`
	// Timeout bounds this restore. Default: none (only spec.timeout applies).
	Timeout Duration `json:"timeout,omitempty"`
	// Source says where the backup is. Required, except for a job restore,
	// whose container fetches its backup itself (a source given there is
	// located and recorded, and its age counts as the backup age).
	Source Source `json:"source,omitempty"`
	// Postgres restores a pg_dump archive into a new database.
	Postgres *PostgresRestore `json:"postgres,omitempty"`
	// Barman recovers a base backup and its WAL, as Barman Cloud and
	// CloudNativePG write them to an object store, into a server of its own
	// in the local sandbox, to a point in time. Its source is s3: bucket and
	// prefix are the destinationPath.
	Barman *BarmanRestore `json:"barman,omitempty"`
	// PgBackRest recovers a pgBackRest backup and its WAL from a posix
	// repository (source.path is its repo1-path) or an s3 one (source.s3:
	// bucket, and prefix is the repo1-path; https only) into a server of its
	// own in the local sandbox, to a point in time, with the same proofs as
	// barman.
	PgBackRest *PgBackRestRestore `json:"pgbackrest,omitempty"`
	// CNPG recovers a Barman Cloud backup into a new CloudNativePG Cluster
	// in a namespace sandbox, bootstrapped by recovery from the s3 source.
	CNPG *CNPGRestore `json:"cnpg,omitempty"`
	// Etcd restores an etcd snapshot into a throwaway etcd of the run and
	// checks its revision, its objects per resource and named objects.
	Etcd *EtcdRestore `json:"etcd,omitempty"`
	// Job runs a container as a Kubernetes Job in a namespace sandbox and
	// waits for it to succeed; the container restores by itself (GitLab,
	// Harbor, MySQL, anything). Its logs are kept with the run record. Only
	// in a namespace sandbox.
	Job *JobRestore `json:"job,omitempty"`
	// WaitFor names the apps that must be up before this restore starts,
	// e.g. the app that runs the PostgreSQL server restored into: apps of
	// spec.apps, and with a bootstrap its root Application or any child
	// Application (by its name in Argo CD), which are known only once the
	// root has synced. Default: every app of the scenario, and with a
	// bootstrap every child too (the whole platform). waitFor: [] starts the
	// restore at once, without waiting for any app.
	WaitFor *[]string `json:"waitFor,omitempty" jsonschema:"uniqueItems=true"`
}

// PgBackRestRestore recovers a pgBackRest backup to a point in time.
type PgBackRestRestore struct {
	// Stanza is the pgBackRest stanza of the backed-up cluster. Required.
	Stanza string `json:"stanza" jsonschema:"minLength=1"`
	// Target is where recovery stops; backupID is a backup label.
	// Default: the end of the archived WAL (latest).
	Target *RecoveryTarget `json:"target,omitempty"`
	// User is a superuser of the backed-up cluster that checks connect as.
	// Default: postgres.
	User string `json:"user,omitempty" jsonschema:"minLength=1"`
	// Database is the database checks read. Default: postgres.
	Database string `json:"database,omitempty" jsonschema:"minLength=1"`
	// Encryption reads an encrypted repository. Default: none (the
	// repository is not encrypted).
	Encryption *PgBackRestEncryption `json:"encryption,omitempty"`
}

// BarmanRestore recovers a Barman Cloud backup to a point in time, and
// proves the point was reached: the WAL from the backup to the target must
// be complete, and the server's log must show where recovery stopped.
type BarmanRestore struct {
	// ServerName is the backups' server name: the folder under the
	// destinationPath (CloudNativePG: the Cluster's name). Required.
	ServerName string `json:"serverName" jsonschema:"minLength=1"`
	// Target is where recovery stops. Default: the end of the archived WAL
	// (latest).
	Target *RecoveryTarget `json:"target,omitempty"`
	// User is a superuser of the backed-up cluster that checks connect as.
	// Default: postgres.
	User string `json:"user,omitempty" jsonschema:"minLength=1"`
	// Database is the database checks read. Default: postgres.
	Database string `json:"database,omitempty" jsonschema:"minLength=1"`
}

// RecoveryTarget is where a point-in-time recovery stops. At most one field
// is set.
type RecoveryTarget struct {
	// Time is an RFC 3339 time ("2026-11-27T03:00:00Z"): recovery replays
	// every transaction committed up to it, from the newest backup that
	// ended before it.
	Time string `json:"time,omitempty" jsonschema:"format=date-time"`
	// BackupID restores that backup and the WAL up to its end only.
	BackupID string `json:"backupID,omitempty" jsonschema:"minLength=1"`
}

// Source says where a backup is. Exactly one of path and s3 is set.
type Source struct {
	// Path is one archive (a file, or the directory of a directory-format
	// pg_dump archive), or a directory holding archives, of which one is
	// picked (see pick). A relative path is taken from the scenario file's
	// directory.
	Path string `json:"path,omitempty" jsonschema:"minLength=1"`
	// S3 is a bucket of an S3-compatible object store holding archives, of
	// which one is picked (see pick) and downloaded for the restore.
	S3 *S3Source `json:"s3,omitempty"`
	// Pick says which backup to use when the source holds several.
	// Default: the newest.
	Pick *Pick `json:"pick,omitempty"`
}

// Pick rules.
const (
	PickNewest = "newest"
	PickRandom = "random"
)

// Pick chooses one backup among those a source holds. Hidden and temporary
// files (*.tmp, *.partial, ...) are never candidates.
type Pick struct {
	// Rule is newest (the most recently modified backup) or random (any
	// backup within window, so that over many drills older backups are
	// proven too). The record names the backup used. Default: newest.
	Rule string `json:"rule,omitempty" jsonschema:"enum=newest,enum=random,default=newest"`
	// Window limits the candidates to backups modified at most this long
	// before the run starts, e.g. "720h" for 30 days. Default: none (every
	// backup is a candidate).
	Window Duration `json:"window,omitempty"`
	// Pattern is a shell pattern the backup's name (a file name, or the last
	// part of an object key) must match, e.g. "billing-*.dump"; see Go's
	// path.Match. Default: none (every name).
	Pattern string `json:"pattern,omitempty" jsonschema:"minLength=1"`
}

// S3Source is a bucket of an S3-compatible object store (AWS S3, MinIO,
// Ceph, ...). Objects whose key ends in "/" are not archives; a
// directory-format pg_dump archive cannot be read from a bucket.
type S3Source struct {
	// Endpoint is the URL of the object store, e.g. https://s3.eu-west-1.amazonaws.com
	// or http://127.0.0.1:9000: its scheme says whether TLS is used.
	// Default: https://s3.amazonaws.com.
	Endpoint string `json:"endpoint,omitempty" jsonschema:"pattern=^https?://"`
	// Bucket is the bucket's name. Required.
	Bucket string `json:"bucket" jsonschema:"minLength=3,maxLength=63"`
	// Prefix is the start of the keys of the backups, e.g. "billing/"; only
	// objects directly under it (no further "/") are candidates.
	// Default: none (the top of the bucket).
	Prefix string `json:"prefix,omitempty"`
	// Region is the bucket's region, e.g. eu-west-1. Default: found out
	// from the store (us-east-1 when it does not say; pgbackrest, which
	// cannot ask, is told us-east-1).
	Region string `json:"region,omitempty"`
	// PathStyle addresses the bucket as ENDPOINT/BUCKET rather than
	// BUCKET.ENDPOINT, as most self-hosted stores need. Default: false
	// (decided from the endpoint).
	PathStyle bool `json:"pathStyle,omitempty"`
	// TLS adjusts how the store's certificate is checked. Default: the
	// system's certificate authorities.
	TLS *S3TLS `json:"tls,omitempty"`
	// Credentials say where the access keys are read from; they are never
	// written into records or output. Default: the environment variables
	// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
	Credentials *S3Credentials `json:"credentials,omitempty"`
}

// S3TLS adjusts how the object store's certificate is checked.
type S3TLS struct {
	// CAFile is a PEM file of certificate authorities trusted in addition to
	// the system's, for a store with a private CA. A relative path is taken
	// from the scenario file's directory. Default: none.
	CAFile string `json:"caFile,omitempty" jsonschema:"minLength=1"`
	// InsecureSkipVerify accepts any certificate. Only for tests: it lets
	// anyone between drill and the store read the credentials. Default: false.
	InsecureSkipVerify bool `json:"insecureSkipVerify,omitempty"`
}

// S3Credentials say where the access keys come from: environment variables
// (the default), or an AWS shared credentials file.
type S3Credentials struct {
	// AccessKeyIDEnv names the environment variable holding the access key
	// id. Default: AWS_ACCESS_KEY_ID.
	AccessKeyIDEnv string `json:"accessKeyIDEnv,omitempty" jsonschema:"pattern=^[A-Za-z_][A-Za-z0-9_]*$"`
	// SecretAccessKeyEnv names the environment variable holding the secret
	// access key. Default: AWS_SECRET_ACCESS_KEY.
	SecretAccessKeyEnv string `json:"secretAccessKeyEnv,omitempty" jsonschema:"pattern=^[A-Za-z_][A-Za-z0-9_]*$"`
	// SessionTokenEnv names the environment variable holding a session
	// token, for temporary credentials; unset or empty means none.
	// Default: AWS_SESSION_TOKEN.
	SessionTokenEnv string `json:"sessionTokenEnv,omitempty" jsonschema:"pattern=^[A-Za-z_][A-Za-z0-9_]*$"`
	// File is an AWS shared credentials file (INI: [profile] with
	// aws_access_key_id and aws_secret_access_key) to read the keys from
	// instead of the environment. A relative path is taken from the
	// scenario file's directory. Default: none.
	File string `json:"file,omitempty" jsonschema:"minLength=1"`
	// Profile is the section of file to read. Default: default.
	Profile string `json:"profile,omitempty" jsonschema:"minLength=1"`
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
	// Target is the PostgreSQL server inside a namespace sandbox that the
	// archive is restored into. Required in a namespace sandbox; not allowed
	// in the local sandbox, which restores into a server of its own.
	Target *PostgresTarget `json:"target,omitempty"`
}

// Check proves one thing about the recovery. Exactly one kind is set: sql,
// rpo or command with restore (a restored database), or, in a namespace,
// kind or cluster sandbox, workload, argocd, http, exists or command with
// pod (the sandbox's cluster; these run once every app is up and every
// restore is done).
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
	// Workload passes when a Deployment's or StatefulSet's rollout is
	// complete, or when every pod a selector matches is ready.
	Workload *WorkloadCheck `json:"workload,omitempty"`
	// ArgoCD passes when an argocd app of the scenario is Synced and Healthy.
	ArgoCD *ArgoCDCheck `json:"argocd,omitempty"`
	// HTTP sends a GET to a Service in the sandbox (through a port-forward)
	// or to a URL, and checks the status and the body.
	HTTP *HTTPCheck `json:"http,omitempty"`
	// Exists passes when every listed object is present in the sandbox.
	Exists *ExistsCheck `json:"exists,omitempty"`
	// Command runs a program, on this machine against a restored database
	// or in a pod of the sandbox, and checks its exit code and output.
	Command *CommandCheck `json:"command,omitempty"`
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

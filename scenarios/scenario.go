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
	// Apps are brought up in a cluster sandbox (namespace) before the
	// restores that wait for them.
	Apps []App
	// Bootstrap, when set, brings the platform back (kind and cluster
	// sandboxes): Argo CD, repository credentials, a root app-of-apps.
	Bootstrap *Bootstrap
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
	SandboxLocal     = "local"
	SandboxNamespace = "namespace"
)

// Sandbox is the throwaway place. Exactly one kind is set.
type Sandbox struct {
	// Kind is one of the Sandbox* constants.
	Kind      string
	Local     *LocalSandbox
	Namespace *NamespaceSandbox
	// KindCluster and Cluster: see kind.go.
	KindCluster *KindSandbox
	Cluster     *ClusterSandbox
}

// NamespaceSandbox is a new namespace in an existing cluster, named
// PREFIX-SCENARIO-SHORTID, labelled with the run and removed at teardown.
type NamespaceSandbox struct {
	// Prefix starts the namespace's name. Defaulted to "drill".
	Prefix string
	// TTL is how long the namespace may outlive its run before drill
	// cleanup removes it (written as an annotation). Defaulted to 24h.
	TTL time.Duration
	// Isolate adds a NetworkPolicy that denies all traffic except within
	// the namespace and DNS. Defaulted to true.
	Isolate bool
	// Quota, when set, is a ResourceQuota's spec.hard ("cpu": "4",
	// "memory": "8Gi", "pods": "20").
	Quota map[string]string
	// LimitRange, when set, gives containers without resources these
	// defaults.
	LimitRange *LimitRange
}

// LimitRange gives containers default resource requests and limits.
type LimitRange struct {
	DefaultRequest map[string]string
	Default        map[string]string
}

// App is an application brought up in a cluster sandbox. Exactly one of
// ArgoCD and Helm is set.
type App struct {
	// Name identifies the app in restores' waitFor, checks and records.
	Name string
	// Timeout bounds bringing it up (created, synced, ready). Defaulted to 10m.
	Timeout time.Duration
	ArgoCD  *ArgoCDApp
	Helm    *HelmApp
}

// Kind names the way the app is brought up: "argocd" or "helm".
func (a App) Kind() string {
	switch {
	case a.ArgoCD != nil:
		return "argocd"
	case a.Helm != nil:
		return "helm"
	}
	return ""
}

// ArgoCDApp is a temporary Argo CD Application whose destination is the
// sandbox. Exactly one of FromApplication and Source is set.
type ArgoCDApp struct {
	// FromApplication copies the source(s) of this existing Application
	// (name in Argo CD's namespace); Revision, when set, overrides its
	// targetRevision.
	FromApplication string
	// Source is given inline.
	Source *ArgoCDSource
	// Revision overrides the copied application's targetRevision.
	Revision string
}

// ArgoCDSource is where an Application's manifests come from.
type ArgoCDSource struct {
	RepoURL string
	// Path is the directory in a git repository; Chart a chart's name in a
	// Helm repository (RepoURL). Exactly one is set.
	Path  string
	Chart string
	// Revision is a branch, tag or commit (or chart version). Defaulted to HEAD.
	Revision  string
	Helm      *ArgoCDHelm
	Kustomize *ArgoCDKustomize
}

// ArgoCDHelm are Helm overrides of an Argo CD source.
type ArgoCDHelm struct {
	ReleaseName string
	ValueFiles  []string
	// Values is a YAML document of values.
	Values     string
	Parameters map[string]string
}

// ArgoCDKustomize are Kustomize overrides of an Argo CD source.
type ArgoCDKustomize struct {
	NamePrefix   string
	NameSuffix   string
	Images       []string
	CommonLabels map[string]string
}

// HelmApp installs a chart into the sandbox with Helm.
type HelmApp struct {
	// Chart is a local chart directory or packaged chart (relative to the
	// scenario file's directory), or a chart's name in Repository.
	Chart      string
	Repository string
	// Version is the chart version (with Repository). Default: newest.
	Version string
	// Release is the release name. Defaulted to the app's name.
	Release string
	// Values are merged over the chart's values, after ValuesFiles in order.
	Values      map[string]any
	ValuesFiles []string
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
	// PgBackRest reads a posix repository (Source.Path is its repo1-path) or
	// an s3 one (Source.S3; its Prefix is the repo1-path).
	PgBackRest *PgBackRestRestore
	// Job runs a container in the sandbox that restores by itself.
	Job *JobRestore
	// Etcd restores an etcd snapshot into a throwaway etcd of the run.
	Etcd *EtcdRestore
	// CNPG recovers into a CloudNativePG Cluster in a cluster sandbox.
	CNPG *CNPGRestore
	// WaitFor names the apps that must be up before this restore starts.
	// Defaulted to every app of the scenario.
	WaitFor []string
	// WaitForPlatform also waits for the whole bootstrap (every child app):
	// the default of a restore without waitFor in a scenario with a
	// bootstrap.
	WaitForPlatform bool
}

// JobRestore runs a Kubernetes Job in a cluster sandbox and waits for it;
// its logs are kept with the record. The Job fetches its backup itself, so
// the restore's source is optional.
type JobRestore struct {
	Image   string
	Command []string
	Args    []string
	// Env are plain environment variables.
	Env map[string]string
	// SecretEnv are environment variables read from Secrets in the sandbox.
	SecretEnv []SecretEnv
	// ServiceAccount runs the Job's pod. Default: the namespace's default.
	ServiceAccount string
	// BackoffLimit is how many times a failed pod is retried. Defaulted to 0.
	BackoffLimit int
}

// SecretEnv is an environment variable read from a key of a Secret.
type SecretEnv struct {
	Name   string
	Secret string
	Key    string
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
	case r.Job != nil:
		return "job"
	case r.Etcd != nil:
		return "etcd"
	case r.CNPG != nil:
		return "cnpg"
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
	// CipherPassEnv names the variable holding an encrypted repository's
	// passphrase; empty for a plain repository.
	CipherPassEnv string
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

// Set says whether the source names a backup at all (a job restore may
// fetch its own).
func (s Source) Set() bool { return s.Path != "" || s.S3 != nil }

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
	// Target is the PostgreSQL server in a cluster sandbox restored into;
	// required there, unset in the local sandbox.
	Target *PostgresTarget
}

// PostgresTarget is a PostgreSQL server inside a cluster sandbox. Exactly
// one of Service, Selector and Address is set.
type PostgresTarget struct {
	// Service is a Service in the sandbox; drill port-forwards to a ready
	// pod behind it.
	Service string
	// Selector picks a ready pod in the sandbox by its labels; drill
	// port-forwards to it.
	Selector map[string]string
	// Address is host:port reached directly (no port-forward).
	Address string
	// Namespace holds Service, Selector's pods and Secret; "" is the
	// sandbox's own.
	Namespace string
	// Port is the server's port in the pod or Service. Defaulted to 5432.
	Port int
	// User and Password come from Secret (keys UserKey and PasswordKey), or
	// from the environment variables UserEnv and PasswordEnv; User alone
	// names the user. Defaulted: User postgres, UserKey username,
	// PasswordKey password.
	Secret      string
	UserKey     string
	PasswordKey string
	UserEnv     string
	PasswordEnv string
	User        string
	// ReadyTimeout bounds waiting for the target to accept connections.
	// Defaulted to 5m.
	ReadyTimeout time.Duration
}

// Check kinds.
const (
	CheckSQL      = "sql"
	CheckRPO      = "rpo"
	CheckWorkload = "workload"
	CheckArgoCD   = "argocd"
	CheckHTTP     = "http"
	CheckExists   = "exists"
)

// Check proves something about the restored data. Exactly one kind is set.
type Check struct {
	Name string
	// Timeout bounds this check. Defaulted.
	Timeout  time.Duration
	SQL      *SQLCheck
	RPO      *RPOCheck
	Workload *WorkloadCheck
	ArgoCD   *ArgoCDCheck
	HTTP     *HTTPCheck
	Exists   *ExistsCheck
	Command  *CommandCheck
}

// Kind names the check kind that is set.
func (c Check) Kind() string {
	switch {
	case c.SQL != nil:
		return CheckSQL
	case c.RPO != nil:
		return CheckRPO
	case c.Workload != nil:
		return CheckWorkload
	case c.ArgoCD != nil:
		return CheckArgoCD
	case c.HTTP != nil:
		return CheckHTTP
	case c.Exists != nil:
		return CheckExists
	case c.Command != nil:
		return CheckCommand
	}
	return ""
}

// InCluster says whether the check reads the sandbox's cluster rather than
// a restored database: it runs once every app is up and every restore done.
func (c Check) InCluster() bool {
	return c.Workload != nil || c.ArgoCD != nil || c.HTTP != nil || c.Exists != nil ||
		(c.Command != nil && c.Command.Pod != nil)
}

// Restore names the restore whose data the check reads.
func (c Check) Restore() string {
	switch {
	case c.SQL != nil:
		return c.SQL.Restore
	case c.RPO != nil:
		return c.RPO.Restore
	case c.Command != nil:
		return c.Command.Restore
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

// WorkloadCheck passes when workloads in the sandbox are ready: a
// Deployment's or StatefulSet's rollout is complete (Kind and Name), or every
// pod matching Selector is Ready (at least one). It watches, and records the
// moment readiness was first seen.
type WorkloadCheck struct {
	// Kind is Deployment or StatefulSet (with Name).
	Kind     string
	Name     string
	Selector map[string]string
}

// ArgoCDCheck passes when the named app of the scenario (an argocd app) is
// Synced and Healthy.
type ArgoCDCheck struct {
	App string
}

// HTTPCheck sends a GET and checks the answer. Exactly one of Service and
// URL is set.
type HTTPCheck struct {
	// Service is a Service in the sandbox reached through a port-forward to
	// a ready pod behind it, on Port; Path is requested.
	Service string
	Port    int
	Path    string
	// URL is requested directly.
	URL string
	// Status is the expected status code. Defaulted to 200.
	Status int
	// BodyContains, when set, must appear in the body.
	BodyContains string
}

// ExistsCheck passes when every object is present in the sandbox's
// namespace (or cluster-wide for cluster-scoped kinds).
type ExistsCheck struct {
	Objects []ObjectRef
}

// ObjectRef names an object. APIVersion is defaulted from Kind for the
// built-in kinds (v1 for ConfigMap, apps/v1 for Deployment, ...).
type ObjectRef struct {
	APIVersion string
	Kind       string
	Name       string
}

package results

import "time"

// APIVersion and Kind identify the record format. Readers refuse records of
// an apiVersion they do not know.
const (
	APIVersion = "restore-drill.io/v1alpha1"
	Kind       = "RunRecord"
)

// Outcome is how a run, a phase, a restore or a check ended.
type Outcome string

// Outcomes. A run is "running" until it ends; a record that stays "running"
// after its process is gone is an incomplete run.
const (
	Running     Outcome = "running"
	Passed      Outcome = "passed"
	Failed      Outcome = "failed"
	Error       Outcome = "error"
	Timeout     Outcome = "timeout"
	Interrupted Outcome = "interrupted"
	Skipped     Outcome = "skipped"
)

// Record is everything one run did and measured.
type Record struct {
	APIVersion   string            `json:"apiVersion"`
	Kind         string            `json:"kind"`
	RunID        string            `json:"runId"`
	Scenario     string            `json:"scenario"`
	ScenarioFile string            `json:"scenarioFile,omitempty"`
	Labels       map[string]string `json:"labels,omitempty"`
	Cadence      string            `json:"cadence,omitempty"`
	DrillVersion string            `json:"drillVersion"`
	Host         string            `json:"host,omitempty"`
	// Sandbox is the sandbox kind and, once provisioned, its description.
	Sandbox Sandbox `json:"sandbox"`

	Outcome Outcome `json:"outcome"`
	// Reason says why a run did not pass, in one line.
	Reason string `json:"reason,omitempty"`
	// Findings list every problem found (failed checks, missed objectives).
	Findings []string `json:"findings,omitempty"`

	StartedAt  time.Time  `json:"startedAt"`
	FinishedAt *time.Time `json:"finishedAt,omitempty"`
	// RecoveredAt is when every check had passed; nil if recovery was not shown.
	RecoveredAt *time.Time `json:"recoveredAt,omitempty"`
	// RTOSeconds is RecoveredAt minus StartedAt on the monotonic clock; null
	// when the run did not recover.
	RTOSeconds *float64 `json:"rtoSeconds"`
	RPO        RPO      `json:"rpo"`

	Objectives Objectives `json:"objectives"`

	Phases []Phase `json:"phases"`
	// Apps are the applications brought up in a cluster sandbox.
	Apps     []App     `json:"apps,omitempty"`
	Restores []Restore `json:"restores"`
	Checks   []Check   `json:"checks"`
	// Diagnostics are files collected from the sandbox before teardown of a
	// run that did not pass (events, pod statuses, container logs), as paths
	// relative to the store's directory for this run.
	Diagnostics []string `json:"diagnostics,omitempty"`
	// CriticalPath names the chain of steps that decided the RTO, first to
	// last: phases by name, checks as check/NAME (see CriticalPath).
	CriticalPath []string `json:"criticalPath,omitempty"`
}

// App is one application brought up in a cluster sandbox.
type App struct {
	Name string `json:"name"`
	// Kind is argocd or helm.
	Kind    string  `json:"kind"`
	Outcome Outcome `json:"outcome"`
	Message string  `json:"message,omitempty"`
	Seconds float64 `json:"seconds"`
	// Revision is the git commit synced, or the chart and version installed.
	Revision  string `json:"revision,omitempty"`
	Resources int    `json:"resources,omitempty"`
	// ReadyAt is when the app was first seen ready.
	ReadyAt *time.Time `json:"readyAt,omitempty"`
}

// Sandbox names the throwaway place a run used.
type Sandbox struct {
	Kind        string `json:"kind"`
	Description string `json:"description,omitempty"`
	// Namespace is a cluster sandbox's namespace.
	Namespace string `json:"namespace,omitempty"`
	// Retained is set when teardown kept the sandbox (--retain).
	Retained bool `json:"retained,omitempty"`
}

// RPO is the data-loss window, measured two ways.
type RPO struct {
	// BackupAgeSeconds is run start minus the modification time of the
	// oldest backup any restore used: the worst backup's age.
	BackupAgeSeconds *float64 `json:"backupAgeSeconds"`
	// DataLossSeconds is run start minus the newest timestamp an rpo check
	// found in the restored data (the largest over all rpo checks); null
	// without an rpo check.
	DataLossSeconds *float64 `json:"dataLossSeconds"`
	// NewestData is the timestamp behind DataLossSeconds.
	NewestData *time.Time `json:"newestData,omitempty"`
}

// Objectives are the scenario's targets, copied into the record so that a
// report can judge old runs by the targets of their day.
type Objectives struct {
	RTOSeconds *float64 `json:"rtoSeconds,omitempty"`
	RPOSeconds *float64 `json:"rpoSeconds,omitempty"`
}

// Phase is one timed step of a run: provision, restore/NAME, verify, teardown.
type Phase struct {
	Name    string     `json:"name"`
	Start   time.Time  `json:"start"`
	End     *time.Time `json:"end,omitempty"`
	Seconds float64    `json:"seconds"`
	Outcome Outcome    `json:"outcome"`
	Message string     `json:"message,omitempty"`
	// After names the phases this one waited for (provision, the apps a
	// restore waits for, the previous wave of a bootstrap): the edges the
	// critical path follows back.
	After []string `json:"after,omitempty"`
}

// Restore is one restore's evidence: which backup, how big, how long.
type Restore struct {
	Name     string  `json:"name"`
	Method   string  `json:"method"`
	Archive  Archive `json:"archive"`
	Database string  `json:"database,omitempty"`
	Jobs     int     `json:"jobs,omitempty"`
	Seconds  float64 `json:"seconds"`
	Outcome  Outcome `json:"outcome"`
	Message  string  `json:"message,omitempty"`
	// Log is the tail of the restore tool's own output.
	Log string `json:"log,omitempty"`
}

// Archive identifies the backup a restore used, exactly.
type Archive struct {
	Path   string `json:"path"`
	Format string `json:"format,omitempty"`
	Bytes  int64  `json:"bytes"`
	// SHA256 is of the file, or for a directory archive of its files in name
	// order (each as "name\x00sha256\n").
	SHA256 string `json:"sha256,omitempty"`
	// ModTime is the file's modification time, or the object's LastModified.
	ModTime time.Time `json:"modTime"`
	// Bucket, Key and ETag identify a backup read from an object store; Path
	// is then s3://BUCKET/KEY.
	Bucket string `json:"bucket,omitempty"`
	Key    string `json:"key,omitempty"`
	ETag   string `json:"etag,omitempty"`
	// DumpedBy is the pg_dump version that wrote the archive, when it says.
	DumpedBy string `json:"dumpedBy,omitempty"`
	// DumpedFrom is the server version the archive was dumped from.
	DumpedFrom string `json:"dumpedFrom,omitempty"`
}

// Check is one check's verdict with its evidence.
type Check struct {
	Name     string     `json:"name"`
	Kind     string     `json:"kind"`
	Restore  string     `json:"restore,omitempty"`
	Outcome  Outcome    `json:"outcome"`
	Expected string     `json:"expected,omitempty"`
	Observed string     `json:"observed,omitempty"`
	Message  string     `json:"message,omitempty"`
	Seconds  float64    `json:"seconds"`
	PassedAt *time.Time `json:"passedAt,omitempty"`
	// After names the phases the check waited for: its restore, or every
	// app and restore for a check that reads the cluster.
	After []string `json:"after,omitempty"`
}

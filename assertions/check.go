package assertions

import (
	"context"
	"time"

	"github.com/restore-drill/drill/drills/gitops"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/sandbox"
)

// Check proves one thing about restored data.
type Check interface {
	// Run runs the check against one restored database, given as a libpq
	// connection string (which holds a password: never print it).
	Run(ctx context.Context, connString string) Result
}

// ClusterCheck proves something about a cluster sandbox: workloads ready,
// an Argo CD application Synced and Healthy, an HTTP answer, objects present,
// a program's answer in a pod.
// The engine runs cluster checks once every app is up and every restore done.
type ClusterCheck interface {
	Run(ctx context.Context, env ClusterEnv) Result
}

// ClusterEnv is what a cluster check reads.
type ClusterEnv struct {
	// Kube reaches the sandbox's cluster and names its namespace.
	Kube sandbox.KubeAccess
	// Apps are the scenario's applications, by name, as brought up.
	Apps map[string]gitops.Deployer
}

// Result is a check's verdict.
type Result struct {
	// Outcome is Passed, Failed (the data does not hold, or the query is
	// refused by the server: in a restored database a missing table is
	// missing data), Error (the check could not run: the database is
	// unreachable), Timeout, or Interrupted (the run was cancelled).
	Outcome  results.Outcome
	Expected string
	Observed string
	// Message explains a failure or error in one line.
	Message string
	// Newest is the newest data timestamp found by an rpo check.
	Newest *time.Time
	// ReadyAt is when a cluster check first saw what it waits for (a
	// workload rolled out, an app Synced + Healthy, the expected HTTP
	// answer, the objects present): the moment that counts for the RTO,
	// rather than when the check returned.
	ReadyAt *time.Time
}

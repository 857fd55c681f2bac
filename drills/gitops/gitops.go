package gitops

import (
	"context"
	"io"
	"time"

	"github.com/restore-drill/drill/sandbox"
)

// Deployer brings one application up in a sandbox. A Deployer is built from
// one app of a scenario and knows its own options.
type Deployer interface {
	// Up creates the application in the sandbox and returns once it is ready
	// (Argo CD: Synced and Healthy; Helm: every workload of the release
	// rolled out), watching rather than polling. Progress lines for people
	// go to progress. An app that never gets ready fails when ctx ends, with
	// its last status (Argo CD's conditions, the unready workloads) in the
	// error. Whatever Up created is removed by Down, also after Up failed.
	Up(ctx context.Context, sb sandbox.Cluster, progress io.Writer) (Result, error)
	// Status reads the application's state now; the argocd check uses it.
	Status(ctx context.Context) (Status, error)
	// Down removes everything Up created and waits until it is gone. It is
	// safe to call more than once, and before or after a failed Up.
	Down(ctx context.Context) error
}

// Result is what a finished Up reports for the record.
type Result struct {
	// Kind is "argocd" or "helm".
	Kind string
	// Revision is the git commit Argo CD synced, or the chart's name and
	// version.
	Revision string
	// Resources is how many objects the application holds.
	Resources int
	// ReadyAt is when the application was first seen ready.
	ReadyAt time.Time
	// Detail is one line for people ("Synced + Healthy at 3f2a9c1, 4 resources").
	Detail string
}

// Status is an application's state.
type Status struct {
	// Sync and Health are Argo CD's words (Synced, OutOfSync; Healthy,
	// Progressing, Degraded, Missing); a Helm release is Synced once
	// deployed and Healthy once its workloads are ready.
	Sync   string
	Health string
	// Revision is what is deployed.
	Revision string
	// Conditions are Argo CD's conditions and failed operation messages, or
	// the workloads that are not ready, one per line.
	Conditions []string
}

// Ready says whether the status is Synced and Healthy.
func (s Status) Ready() bool { return s.Sync == "Synced" && s.Health == "Healthy" }

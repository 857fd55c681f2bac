package argocd

import (
	"fmt"
	"strings"
	"time"

	"github.com/argoproj/argo-cd/v2/pkg/apis/application/v1alpha1"
	"github.com/argoproj/gitops-engine/pkg/health"
	synccommon "github.com/argoproj/gitops-engine/pkg/sync/common"
	"github.com/restore-drill/drill/drills/gitops"
)

// verdict is where an Application stands after a sync was asked for.
type verdict int

const (
	pending verdict = iota
	ready
	failed
)

// syncMark tells the sync drill asked for from an operation that was there
// before (an Application left by an earlier Up of the same run).
type syncMark struct {
	startedBefore string // the earlier operation's start, "" when none
}

func markOf(app *v1alpha1.Application) syncMark {
	if op := app.Status.OperationState; op != nil {
		return syncMark{startedBefore: op.StartedAt.String()}
	}
	return syncMark{}
}

// ours is the sync operation drill asked for, once the controller started
// it; nil before.
func (m syncMark) ours(app *v1alpha1.Application) *v1alpha1.OperationState {
	op := app.Status.OperationState
	if op == nil || op.Operation.Sync == nil {
		return nil
	}
	if m.startedBefore != "" && op.StartedAt.String() == m.startedBefore {
		return nil
	}
	return op
}

// assess decides from one state of the Application. Ready means our sync
// succeeded and the app is Synced and Healthy at the revision it synced.
// Failed means our sync operation failed or errored: that is where Argo CD
// reports a project's refusal (another namespace, a cluster-scoped kind).
// Anything else may still change, so ctx decides.
func assess(app *v1alpha1.Application, mark syncMark) verdict {
	op := mark.ours(app)
	if op == nil {
		return pending
	}
	switch op.Phase {
	case synccommon.OperationFailed, synccommon.OperationError:
		return failed
	case synccommon.OperationSucceeded:
	default:
		return pending
	}
	st := app.Status
	if st.Sync.Status != v1alpha1.SyncStatusCodeSynced || st.Health.Status != health.HealthStatusHealthy {
		return pending
	}
	if !AtSyncedRevision(app, op) {
		return pending
	}
	return ready
}

// AtSyncedRevision says whether the app's status describes it after op's
// sync: compared at the revision op synced (a Synced status read before the
// sync compared an older commit), or compared again once the sync had
// finished. The second is Git moving on during a drill: a commit pushed to
// the branch while the sync ran is compared next, and Synced then means the
// live objects match that newer commit too.
func AtSyncedRevision(app *v1alpha1.Application, op *v1alpha1.OperationState) bool {
	if op.SyncResult == nil {
		return false
	}
	if sameRevisions(syncedRevisions(op.SyncResult), comparedRevisions(app.Status.Sync)) {
		return true
	}
	at := app.Status.ReconciledAt
	return op.FinishedAt != nil && at != nil && !at.Before(op.FinishedAt)
}

func syncedRevisions(r *v1alpha1.SyncOperationResult) []string {
	if len(r.Revisions) > 0 {
		return r.Revisions
	}
	return []string{r.Revision}
}

func comparedRevisions(s v1alpha1.SyncStatus) []string {
	if len(s.Revisions) > 0 {
		return s.Revisions
	}
	return []string{s.Revision}
}

func sameRevisions(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] == "" || a[i] != b[i] {
			return false
		}
	}
	return true
}

// Revision is what the app is synced to: one commit, or one per source.
func Revision(app *v1alpha1.Application) string {
	return strings.Join(comparedRevisions(app.Status.Sync), ",")
}

// ReadyResult is the record of an app first seen Synced and Healthy at
// readyAt.
func ReadyResult(app *v1alpha1.Application, readyAt time.Time) gitops.Result {
	rev := Revision(app)
	n := len(app.Status.Resources)
	return gitops.Result{
		Kind:      "argocd",
		Revision:  rev,
		Resources: n,
		ReadyAt:   readyAt,
		Detail:    fmt.Sprintf("Synced + Healthy at %s, %d resources", ShortRevision(rev), n),
	}
}

// ShortRevision keeps a commit's first 7 characters, as git does.
func ShortRevision(rev string) string {
	parts := strings.Split(rev, ",")
	for i, p := range parts {
		if len(p) == 40 || len(p) == 64 { // a commit; chart versions stay whole
			parts[i] = p[:7]
		}
	}
	return strings.Join(parts, ",")
}

// StatusOf is an Application's state for people and the argocd check (also
// the bootstrap's, which reads Applications through the Kubernetes API).
func StatusOf(app *v1alpha1.Application) gitops.Status {
	return gitops.Status{
		Sync:       string(app.Status.Sync.Status),
		Health:     string(app.Status.Health.Status),
		Revision:   Revision(app),
		Conditions: conditions(app),
	}
}

// conditions are the lines that explain an app that is not ready: its
// conditions, its operation's message and failed resources, and each
// resource that is not healthy.
func conditions(app *v1alpha1.Application) []string {
	var lines []string
	for _, c := range app.Status.Conditions {
		lines = append(lines, c.Type+": "+c.Message)
	}
	if op := app.Status.OperationState; op != nil && op.Phase != synccommon.OperationSucceeded && op.Message != "" {
		lines = append(lines, fmt.Sprintf("sync operation %s: %s", op.Phase, op.Message))
		if op.SyncResult != nil {
			for _, r := range op.SyncResult.Resources {
				if r.Status == synccommon.ResultCodeSyncFailed || r.HookPhase == synccommon.OperationFailed || r.HookPhase == synccommon.OperationError {
					lines = append(lines, fmt.Sprintf("%s: %s", objectName(r.Kind, r.Namespace, r.Name), r.Message))
				}
			}
		}
	}
	// After a failed sync nothing was applied: every object is Missing,
	// which says nothing more.
	opFailed := app.Status.OperationState != nil && (app.Status.OperationState.Phase == synccommon.OperationFailed || app.Status.OperationState.Phase == synccommon.OperationError)
	for _, r := range app.Status.Resources {
		if opFailed && r.Health != nil && r.Health.Status == health.HealthStatusMissing {
			continue
		}
		if r.Health != nil && r.Health.Status != health.HealthStatusHealthy {
			line := fmt.Sprintf("%s: %s", objectName(r.Kind, r.Namespace, r.Name), r.Health.Status)
			if r.Health.Message != "" {
				line += ": " + r.Health.Message
			}
			lines = append(lines, line)
		}
	}
	return lines
}

func objectName(kind, namespace, name string) string {
	if namespace == "" {
		return kind + "/" + name
	}
	return kind + "/" + namespace + "/" + name
}

// Describe is one line of an app's state for an error.
func Describe(app *v1alpha1.Application) string {
	s := StatusOf(app)
	line := fmt.Sprintf("sync %s, health %s", orNone(s.Sync), orNone(s.Health))
	if s.Revision != "" {
		line += " at " + ShortRevision(s.Revision)
	}
	if op := app.Status.OperationState; op != nil {
		line += fmt.Sprintf(", operation %s", op.Phase)
	}
	if len(s.Conditions) > 0 {
		line += "; " + strings.Join(s.Conditions, "; ")
	}
	return line
}

func orNone(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

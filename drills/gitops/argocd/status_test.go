package argocd

import (
	"strings"
	"testing"

	"github.com/argoproj/argo-cd/v2/pkg/apis/application/v1alpha1"
	"github.com/argoproj/gitops-engine/pkg/health"
	synccommon "github.com/argoproj/gitops-engine/pkg/sync/common"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

const (
	revA = "3f2a9c1e0b8d7a6c5b4a39281706f5e4d3c2b1a0"
	revB = "0b8d7a6c5b4a39281706f5e4d3c2b1a03f2a9c1e"
)

// appState builds an Application's status: op phase ("" for none), the
// revision it synced, then sync status, health and compared revision.
func appState(phase synccommon.OperationPhase, synced string, sync v1alpha1.SyncStatusCode, h health.HealthStatusCode, compared string) *v1alpha1.Application {
	app := &v1alpha1.Application{}
	app.Status.Sync = v1alpha1.SyncStatus{Status: sync, Revision: compared}
	app.Status.Health = v1alpha1.HealthStatus{Status: h}
	if phase != "" {
		app.Status.OperationState = &v1alpha1.OperationState{
			Operation:  v1alpha1.Operation{Sync: &v1alpha1.SyncOperation{}},
			Phase:      phase,
			StartedAt:  metav1.Unix(1000, 0),
			SyncResult: &v1alpha1.SyncOperationResult{Revision: synced},
		}
	}
	return app
}

func TestAssess(t *testing.T) {
	synced, outOfSync := v1alpha1.SyncStatusCodeSynced, v1alpha1.SyncStatusCodeOutOfSync
	healthy, progressing := health.HealthStatusHealthy, health.HealthStatusProgressing
	earlier := syncMark{startedBefore: metav1.Unix(1000, 0).String()}
	cases := []struct {
		name string
		app  *v1alpha1.Application
		mark syncMark
		want verdict
	}{
		{"no operation yet", appState("", "", outOfSync, "Missing", revA), syncMark{}, pending},
		{"synced and healthy but no sync asked yet", appState("", "", synced, healthy, revA), syncMark{}, pending},
		{"an earlier operation's success", appState(synccommon.OperationSucceeded, revA, synced, healthy, revA), earlier, pending},
		{"an earlier operation's failure", appState(synccommon.OperationFailed, revA, outOfSync, "Missing", revA), earlier, pending},
		{"running", appState(synccommon.OperationRunning, revA, outOfSync, progressing, revA), syncMark{}, pending},
		{"failed", appState(synccommon.OperationFailed, revA, outOfSync, "Missing", revA), syncMark{}, failed},
		{"errored", appState(synccommon.OperationError, revA, outOfSync, "Missing", revA), syncMark{}, failed},
		{"succeeded, still progressing", appState(synccommon.OperationSucceeded, revA, synced, progressing, revA), syncMark{}, pending},
		{"succeeded, not compared again yet", appState(synccommon.OperationSucceeded, revA, outOfSync, healthy, revA), syncMark{}, pending},
		{"succeeded, healthy at another revision", appState(synccommon.OperationSucceeded, revA, synced, healthy, revB), syncMark{}, pending},
		{"succeeded, synced and healthy at its revision", appState(synccommon.OperationSucceeded, revA, synced, healthy, revA), syncMark{}, ready},
		{"degraded", appState(synccommon.OperationSucceeded, revA, synced, health.HealthStatusDegraded, revA), syncMark{}, pending},
	}
	for _, c := range cases {
		if got := assess(c.app, c.mark); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}

	moved := func(reconciled int64) *v1alpha1.Application {
		app := appState(synccommon.OperationSucceeded, revA, synced, healthy, revB)
		finished, at := metav1.Unix(1010, 0), metav1.Unix(reconciled, 0)
		app.Status.OperationState.FinishedAt, app.Status.ReconciledAt = &finished, &at
		return app
	}
	if got := assess(moved(1012), syncMark{}); got != ready {
		t.Errorf("Git moved on, compared again after the sync finished: %v, want ready", got)
	}
	if got := assess(moved(1005), syncMark{}); got != pending {
		t.Errorf("at another revision, compared before the sync finished: %v, want pending", got)
	}

	multi := appState(synccommon.OperationSucceeded, "", v1alpha1.SyncStatusCodeSynced, health.HealthStatusHealthy, "")
	multi.Status.OperationState.SyncResult.Revisions = []string{revA, "1.0.0"}
	multi.Status.Sync.Revisions = []string{revA, "1.0.0"}
	if got := assess(multi, syncMark{}); got != ready {
		t.Errorf("multi-source at its revisions: %v, want ready", got)
	}
	multi.Status.Sync.Revisions = []string{revA, "0.9.0"}
	if got := assess(multi, syncMark{}); got != pending {
		t.Errorf("multi-source at another chart version: %v, want pending", got)
	}
}

func TestStatusCarriesWhatIsNotReady(t *testing.T) {
	app := appState(synccommon.OperationFailed, revA, v1alpha1.SyncStatusCodeOutOfSync, health.HealthStatusMissing, revA)
	app.Status.Conditions = []v1alpha1.ApplicationCondition{{Type: v1alpha1.ApplicationConditionSyncError, Message: "boom"}}
	app.Status.OperationState.Message = "one or more synchronization tasks are not valid"
	app.Status.OperationState.SyncResult.Resources = v1alpha1.ResourceResults{
		{Kind: "ConfigMap", Namespace: "kube-system", Name: "escape", Status: synccommon.ResultCodeSyncFailed, Message: "namespace kube-system is not permitted in project 'drill-x'"},
		{Kind: "ConfigMap", Namespace: "drill-x", Name: "fine", Status: synccommon.ResultCodeSynced},
	}
	app.Status.Resources = []v1alpha1.ResourceStatus{
		{Kind: "Deployment", Namespace: "drill-x", Name: "web", Health: &v1alpha1.HealthStatus{Status: health.HealthStatusProgressing, Message: "Waiting for rollout"}},
		{Kind: "Service", Namespace: "drill-x", Name: "web", Health: &v1alpha1.HealthStatus{Status: health.HealthStatusHealthy}},
		{Kind: "ConfigMap", Namespace: "drill-x", Name: "never-applied", Health: &v1alpha1.HealthStatus{Status: health.HealthStatusMissing}},
	}
	st := StatusOf(app)
	if st.Sync != "OutOfSync" || st.Health != "Missing" || st.Revision != revA || st.Ready() {
		t.Errorf("status %+v", st)
	}
	want := []string{
		"SyncError: boom",
		"sync operation Failed: one or more synchronization tasks are not valid",
		"ConfigMap/kube-system/escape: namespace kube-system is not permitted in project 'drill-x'",
		"Deployment/drill-x/web: Progressing: Waiting for rollout",
	}
	if strings.Join(st.Conditions, "\n") != strings.Join(want, "\n") {
		t.Errorf("conditions:\n%s\nwant:\n%s", strings.Join(st.Conditions, "\n"), strings.Join(want, "\n"))
	}
	if d := Describe(app); !strings.HasPrefix(d, "sync OutOfSync, health Missing at 3f2a9c1, operation Failed; SyncError: boom;") {
		t.Errorf("describe: %s", d)
	}
}

func TestShortRevision(t *testing.T) {
	for in, want := range map[string]string{revA: "3f2a9c1", "1.2.3": "1.2.3", revA + ",1.2.3": "3f2a9c1,1.2.3", "": ""} {
		if got := ShortRevision(in); got != want {
			t.Errorf("ShortRevision(%q) = %q, want %q", in, got, want)
		}
	}
}

// Missing objects are news after a sync that succeeded, not after one that
// failed (nothing was applied).
func TestMissingObjectsAfterASuccessfulSync(t *testing.T) {
	app := appState(synccommon.OperationSucceeded, revA, v1alpha1.SyncStatusCodeOutOfSync, health.HealthStatusMissing, revA)
	app.Status.Resources = []v1alpha1.ResourceStatus{{Kind: "ConfigMap", Namespace: "drill-x", Name: "gone", Health: &v1alpha1.HealthStatus{Status: health.HealthStatusMissing}}}
	if got := conditions(app); len(got) != 1 || got[0] != "ConfigMap/drill-x/gone: Missing" {
		t.Errorf("conditions %q, want the missing config map", got)
	}
}

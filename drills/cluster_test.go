package drills_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/restore-drill/drill/assertions"
	"github.com/restore-drill/drill/drills"
	"github.com/restore-drill/drill/drills/gitops"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/scenarios"
)

// clusterHarness runs a namespace-style scenario: one app, one restore
// that waits for it, one sql check and one cluster check.
type clusterHarness struct {
	*harness
	cluster *clusterProvider
	apps    map[string]*fakeApp
	cchecks map[string]fakeClusterCheck
	diag    string
	retain  bool
}

func newClusterHarness(t *testing.T) *clusterHarness {
	return &clusterHarness{harness: newHarness(), cluster: &clusterProvider{}, apps: map[string]*fakeApp{}, cchecks: map[string]fakeClusterCheck{}, diag: t.TempDir()}
}

func (h *clusterHarness) options() drills.Options {
	o := h.harness.options()
	o.Sandbox, o.SandboxKind = h.cluster, "namespace"
	o.Apps = func(a scenarios.App) (gitops.Deployer, error) { return h.apps[a.Name], nil }
	o.ClusterChecks = func(c scenarios.Check) (assertions.ClusterCheck, error) { return h.cchecks[c.Name], nil }
	o.DiagnosticsDir = h.diag
	o.Retain = h.retain
	return o
}

func clusterScenario(t *testing.T) *scenarios.Scenario {
	sc := scenario(t, "shop")
	sc.Sandbox = scenarios.Sandbox{Kind: scenarios.SandboxNamespace, Namespace: &scenarios.NamespaceSandbox{Prefix: "drill"}}
	sc.Apps = []scenarios.App{{Name: "web", Timeout: 5 * time.Second, ArgoCD: &scenarios.ArgoCDApp{}}}
	sc.Restores[0].WaitFor = []string{"web"}
	sc.Checks = append(sc.Checks, scenarios.Check{Name: "web-synced", Timeout: 5 * time.Second, ArgoCD: &scenarios.ArgoCDCheck{App: "web"}})
	return sc
}

// A restore that waits for an app starts only once the app is up; the
// cluster check runs after the restore; the app is taken down at teardown,
// before the sandbox.
func TestRunBringsAppsUpBeforeTheirRestores(t *testing.T) {
	h := newClusterHarness(t)
	h.apps["web"] = &fakeApp{delay: 60 * time.Millisecond}
	started := make(chan struct{})
	h.methods["shop"] = &fakeMethod{delay: 20 * time.Millisecond, started: started}
	h.cchecks["web-synced"] = fakeClusterCheck{app: "web"}

	rec, err := drills.Run(context.Background(), clusterScenario(t), h.options())
	if err != nil {
		t.Fatal(err)
	}
	if rec.Outcome != results.Passed {
		t.Fatalf("outcome = %s (%s), want passed", rec.Outcome, rec.Reason)
	}
	app := phase(t, rec, "app/web")
	restore := phase(t, rec, "restore/shop")
	if restore.Start.Before(*app.End) {
		t.Errorf("restore/shop started at %s, before app/web was up at %s", restore.Start, app.End)
	}
	if len(rec.Apps) != 1 || rec.Apps[0].Outcome != results.Passed || rec.Apps[0].Revision != "3f2a9c1" || rec.Apps[0].ReadyAt == nil {
		t.Errorf("apps = %+v, want web passed at revision 3f2a9c1 with readyAt", rec.Apps)
	}
	var cc results.Check
	for _, c := range rec.Checks {
		if c.Name == "web-synced" {
			cc = c
		}
	}
	if cc.Outcome != results.Passed || cc.Kind != "argocd" || cc.PassedAt == nil || cc.PassedAt.Before(*restore.End) {
		t.Errorf("cluster check = %+v, want passed after the restore ended at %s", cc, restore.End)
	}
	if rec.Sandbox.Namespace == "" || rec.Sandbox.Retained {
		t.Errorf("sandbox = %+v, want its namespace recorded and not retained", rec.Sandbox)
	}
	if d := h.apps["web"]; d.downs != 1 || d.downErr != nil {
		t.Errorf("app Down called %d time(s) with context error %v, want once with a live context", d.downs, d.downErr)
	}
	if sb := h.cluster.sandbox(); sb.destroyed != 1 || sb.diagnosed != "" {
		t.Errorf("sandbox destroyed %d time(s), diagnosed into %q; want destroyed once and no diagnostics for a passed run", sb.destroyed, sb.diagnosed)
	}
}

// A cluster check's readiness moment, not the end of its run, is when the
// recovery was shown.
func TestRunCountsRecoveryFromTheMomentACheckSawReadiness(t *testing.T) {
	h := newClusterHarness(t)
	h.apps["web"] = &fakeApp{delay: 10 * time.Millisecond}
	h.methods["shop"] = &fakeMethod{delay: 10 * time.Millisecond}
	ready := time.Now().Add(-time.Hour) // clamped: never before the run
	h.cchecks["web-synced"] = fakeClusterCheck{app: "web", readyAt: &ready}

	rec, err := drills.Run(context.Background(), clusterScenario(t), h.options())
	if err != nil {
		t.Fatal(err)
	}
	var cc results.Check
	for _, c := range rec.Checks {
		if c.Name == "web-synced" {
			cc = c
		}
	}
	if cc.PassedAt == nil || !cc.PassedAt.Equal(ready.UTC()) {
		t.Fatalf("passedAt = %v, want the readiness moment %s", cc.PassedAt, ready.UTC())
	}
	// The sql check passed after the restore, later than the readiness
	// moment: RTO runs to the last pass.
	if rec.RTOSeconds == nil || *rec.RTOSeconds < 0.02 {
		t.Errorf("rtoSeconds = %v, want at least app + restore time", rec.RTOSeconds)
	}
}

// An app that never comes up fails the run with its reason; the restore
// waiting for it never starts; diagnostics are collected before teardown,
// and the app is still taken down.
func TestRunFailsWhenAnAppNeverComesUp(t *testing.T) {
	h := newClusterHarness(t)
	h.apps["web"] = &fakeApp{block: true}
	started := make(chan struct{})
	h.methods["shop"] = &fakeMethod{started: started}
	sc := clusterScenario(t)
	sc.Apps[0].Timeout = 50 * time.Millisecond

	rec, err := drills.Run(context.Background(), sc, h.options())
	if err != nil {
		t.Fatal(err)
	}
	// Failed, not timed out: the app does not start, which is what the
	// drill is there to find; the reason keeps the app's last status.
	if rec.Outcome != results.Failed || !strings.Contains(rec.Reason, "app web was not up after 50ms") || !strings.Contains(rec.Reason, "health Progressing") {
		t.Fatalf("outcome = %s (%s), want failed naming app web, its timeout and its last health", rec.Outcome, rec.Reason)
	}
	select {
	case <-started:
		t.Fatal("the restore started although the app it waits for never came up")
	default:
	}
	if rec.Restores[0].Outcome != results.Skipped || !strings.Contains(rec.Restores[0].Message, "app web did not come up") {
		t.Errorf("restore = %+v, want skipped because app web did not come up", rec.Restores[0])
	}
	if rec.RTOSeconds != nil {
		t.Errorf("rtoSeconds = %v, want none: nothing was recovered", *rec.RTOSeconds)
	}
	if len(rec.Diagnostics) != 1 || rec.Diagnostics[0] != rec.RunID+"/events.txt" {
		t.Fatalf("diagnostics = %v, want [%s/events.txt]", rec.Diagnostics, rec.RunID)
	}
	if _, err := os.Stat(filepath.Join(h.diag, rec.Diagnostics[0])); err != nil {
		t.Errorf("diagnostics file: %v", err)
	}
	if d := h.apps["web"]; d.downs != 1 {
		t.Errorf("app Down called %d time(s), want once", d.downs)
	}
}

// Ctrl-C while an app syncs still takes the app and the sandbox down, with
// a live context, and collects no diagnostics (the person asked to stop).
func TestRunInterruptedDuringSyncTakesTheAppDown(t *testing.T) {
	h := newClusterHarness(t)
	h.apps["web"] = &fakeApp{block: true}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)

	rec, err := drills.Run(ctx, clusterScenario(t), h.options())
	if err != nil {
		t.Fatal(err)
	}
	if rec.Outcome != results.Interrupted {
		t.Fatalf("outcome = %s (%s), want interrupted", rec.Outcome, rec.Reason)
	}
	if d := h.apps["web"]; d.downs != 1 || d.downErr != nil {
		t.Errorf("app Down called %d time(s) with context error %v, want once with a live context", d.downs, d.downErr)
	}
	if sb := h.cluster.sandbox(); sb.destroyed != 1 || sb.diagnosed != "" {
		t.Errorf("sandbox destroyed %d time(s), diagnosed into %q; want destroyed once, no diagnostics", sb.destroyed, sb.diagnosed)
	}
}

// --retain keeps a run that did not pass: the apps stay, the sandbox is
// kept rather than destroyed, and the record says so.
func TestRunRetainKeepsAFailedRun(t *testing.T) {
	h := newClusterHarness(t)
	h.retain = true
	h.apps["web"] = &fakeApp{err: errors.New("sync failed: namespace kube-system is not permitted in project drill-x")}

	rec, err := drills.Run(context.Background(), clusterScenario(t), h.options())
	if err != nil {
		t.Fatal(err)
	}
	if rec.Outcome != results.Failed || !strings.Contains(rec.Reason, "not permitted") {
		t.Fatalf("outcome = %s (%s), want failed with the app's reason", rec.Outcome, rec.Reason)
	}
	if d := h.apps["web"]; d.downs != 0 {
		t.Errorf("app Down called %d time(s) with --retain, want never", d.downs)
	}
	if sb := h.cluster.sandbox(); sb.kept != 1 || sb.destroyed != 0 {
		t.Errorf("sandbox kept %d, destroyed %d time(s); want kept once, never destroyed", sb.kept, sb.destroyed)
	}
	if !rec.Sandbox.Retained {
		t.Errorf("sandbox = %+v, want retained", rec.Sandbox)
	}
}

// A run that passes has nothing to debug: --retain tears it down as usual.
func TestRunRetainTearsDownAPassedRun(t *testing.T) {
	h := newClusterHarness(t)
	h.retain = true
	h.apps["web"] = &fakeApp{}
	h.cchecks["web-synced"] = fakeClusterCheck{app: "web"}

	rec, err := drills.Run(context.Background(), clusterScenario(t), h.options())
	if err != nil {
		t.Fatal(err)
	}
	if rec.Outcome != results.Passed {
		t.Fatalf("outcome = %s (%s), want passed", rec.Outcome, rec.Reason)
	}
	if sb := h.cluster.sandbox(); sb.kept != 0 || sb.destroyed != 1 || h.apps["web"].downs != 1 || rec.Sandbox.Retained {
		t.Errorf("kept %d, destroyed %d, app downs %d, retained %v; want a normal teardown", sb.kept, sb.destroyed, h.apps["web"].downs, rec.Sandbox.Retained)
	}
}

// A job restore has no backup of drill's choosing: locate asks the method
// what it is and the restore still runs.
func TestRunRestoreWithoutSource(t *testing.T) {
	h := newClusterHarness(t)
	h.apps["web"] = &fakeApp{}
	h.cchecks["web-synced"] = fakeClusterCheck{app: "web"}
	sc := clusterScenario(t)
	sc.Restores[0].Source = scenarios.Source{}
	sc.Restores[0].Postgres = nil
	sc.Restores[0].Job = &scenarios.JobRestore{Image: "registry.example/restore:1"}

	rec, err := drills.Run(context.Background(), sc, h.options())
	if err != nil {
		t.Fatal(err)
	}
	if rec.Outcome != results.Passed || rec.Restores[0].Method != "job" || rec.Restores[0].Outcome != results.Passed {
		t.Fatalf("outcome = %s (%s), restore %+v; want passed with a job restore", rec.Outcome, rec.Reason, rec.Restores[0])
	}
	if rec.RPO.BackupAgeSeconds != nil {
		t.Errorf("backup age = %v, want none: drill did not pick the backup", *rec.RPO.BackupAgeSeconds)
	}
}

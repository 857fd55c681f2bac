package drills_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/restore-drill/drill/drills"
	"github.com/restore-drill/drill/drills/gitops"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/scenarios"
)

// rebuildScenario is a rebuild in a cluster sandbox: a bootstrap whose
// children are db-a and db-b (wave 0) and web (wave 1); restore a waits for
// db-a, b for db-b; each has an sql check, and an argocd check reads web.
func rebuildScenario(t *testing.T) *scenarios.Scenario {
	sc := scenario(t, "a", "b")
	sc.Name = "rebuild"
	sc.Sandbox = scenarios.Sandbox{Kind: scenarios.SandboxCluster, Cluster: &scenarios.ClusterSandbox{}}
	sc.Bootstrap = &scenarios.Bootstrap{ArgoCD: &scenarios.ArgoCDBootstrap{Namespace: "argocd", Root: &scenarios.RootApp{Name: "root"}}}
	sc.Restores[0].WaitFor = []string{"db-a"}
	sc.Restores[1].WaitFor = []string{"db-b"}
	sc.Checks = append(sc.Checks, scenarios.Check{Name: "web-synced", Timeout: 5 * time.Second, ArgoCD: &scenarios.ArgoCDCheck{App: "web"}})
	return sc
}

type rebuildHarness struct {
	*clusterHarness
	platform *fakePlatform
}

func newRebuildHarness(t *testing.T, restoreA time.Duration) *rebuildHarness {
	h := &rebuildHarness{clusterHarness: newClusterHarness(t), platform: &fakePlatform{
		install: 20 * time.Millisecond, root: 20 * time.Millisecond,
		children: []fakeChild{{name: "db-a", delay: 30 * time.Millisecond}, {name: "db-b", delay: 30 * time.Millisecond, after: "db-a"}, {name: "web", wave: 1, delay: 150 * time.Millisecond}},
	}}
	h.methods["a"] = &fakeMethod{delay: restoreA}
	h.methods["b"] = &fakeMethod{delay: 20 * time.Millisecond}
	h.cchecks["web-synced"] = fakeClusterCheck{app: "web"}
	return h
}

func (h *rebuildHarness) options() drills.Options {
	o := h.clusterHarness.options()
	o.SandboxKind = "cluster"
	o.Platform = func(*scenarios.Bootstrap) (gitops.Platform, error) { return h.platform, nil }
	return o
}

// Each restore starts when its own child app is ready, while the later
// wave still syncs; the later wave starts after the earlier; the record
// holds every app and the critical path through the later wave.
func TestRunFollowsTheBootstrapWaveByWave(t *testing.T) {
	h := newRebuildHarness(t, 20*time.Millisecond)
	rec, err := drills.Run(context.Background(), rebuildScenario(t), h.options())
	if err != nil {
		t.Fatal(err)
	}
	if rec.Outcome != results.Passed {
		t.Fatalf("outcome = %s (%s), want passed", rec.Outcome, rec.Reason)
	}
	dbA, dbB, web := phase(t, rec, "app/db-a"), phase(t, rec, "app/db-b"), phase(t, rec, "app/web")
	ra, rb := phase(t, rec, "restore/a"), phase(t, rec, "restore/b")
	if ra.Start.Before(*dbA.End) || rb.Start.Before(*dbB.End) {
		t.Errorf("a restore started before its app: restore/a %s (db-a up %s), restore/b %s (db-b up %s)", ra.Start, dbA.End, rb.Start, dbB.End)
	}
	if !ra.End.Before(*web.End) || !rb.End.Before(*web.End) {
		t.Errorf("restores ended at %s and %s, want both while web (wave 1) still synced, until %s", ra.End, rb.End, web.End)
	}
	if web.Start.Before(*dbB.End) || !reflect.DeepEqual(web.After, []string{"app/db-a", "app/db-b"}) {
		t.Errorf("app/web started %s after %v, want after wave 0 (db-b up at %s)", web.Start, web.After, dbB.End)
	}
	if !reflect.DeepEqual(ra.After, []string{"provision", "app/db-a"}) {
		t.Errorf("restore/a waited for %v, want provision and app/db-a", ra.After)
	}
	var apps []string
	for _, a := range rec.Apps {
		if a.Outcome != results.Passed || a.ReadyAt == nil {
			t.Errorf("app %+v, want passed with readyAt", a)
		}
		apps = append(apps, a.Name)
	}
	slices.Sort(apps[1:3]) // wave 0 comes up concurrently
	if !reflect.DeepEqual(apps, []string{"root", "db-a", "db-b", "web"}) {
		t.Errorf("apps = %v, want root, db-a, db-b, web", apps)
	}
	want := []string{"locate", "provision", "bootstrap/argocd", "app/root", "app/db-b", "app/web", "check/web-synced"}
	if !reflect.DeepEqual(rec.CriticalPath, want) {
		t.Errorf("critical path = %v, want %v", rec.CriticalPath, want)
	}
	if h.platform.ups != 1 || h.platform.downs != 1 {
		t.Errorf("platform Up %d, Down %d time(s); want once each", h.platform.ups, h.platform.downs)
	}
}

// A restore that takes longer than the later wave moves the critical path
// to itself.
func TestRunCriticalPathMovesToADelayedRestore(t *testing.T) {
	h := newRebuildHarness(t, 400*time.Millisecond)
	rec, err := drills.Run(context.Background(), rebuildScenario(t), h.options())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"locate", "provision", "bootstrap/argocd", "app/root", "app/db-a", "restore/a", "check/web-synced"}
	if rec.Outcome != results.Passed || !reflect.DeepEqual(rec.CriticalPath, want) {
		t.Errorf("outcome %s, critical path = %v, want passed and %v", rec.Outcome, rec.CriticalPath, want)
	}
}

// A child that fails fails the run with its name; the restore waiting for
// it never starts, the later wave never begins, diagnostics are collected
// and the platform is taken down.
func TestRunFailsWithTheChildThatFailed(t *testing.T) {
	h := newRebuildHarness(t, 20*time.Millisecond)
	h.platform.children[1].err = errors.New("Degraded: Deployment db-b: 0/1 ready")
	rec, err := drills.Run(context.Background(), rebuildScenario(t), h.options())
	if err != nil {
		t.Fatal(err)
	}
	if rec.Outcome != results.Failed || !strings.Contains(rec.Reason, "app db-b") || !strings.Contains(rec.Reason, "Degraded") {
		t.Errorf("outcome %s (%s), want failed naming app db-b and its status", rec.Outcome, rec.Reason)
	}
	if rb := rec.Restores[1]; rb.Outcome == results.Passed || !strings.Contains(rb.Message, "app db-b did not come up") {
		t.Errorf("restore b = %s (%s), want not started because db-b did not come up", rb.Outcome, rb.Message)
	}
	for _, p := range rec.Phases {
		if p.Name == "app/web" {
			t.Errorf("app/web began (%+v) after wave 0 failed", p)
		}
	}
	if sb := h.cluster.sandbox(); sb.diagnosed == "" || sb.destroyed != 1 || h.platform.downs != 1 {
		t.Errorf("diagnosed into %q, sandbox destroyed %d, platform down %d; want diagnostics, both removed once", sb.diagnosed, sb.destroyed, h.platform.downs)
	}
}

// A restore waiting for an app the root did not create is not started, and
// says which apps there are.
func TestRunNamesAnAppTheBootstrapDoesNotHave(t *testing.T) {
	h := newRebuildHarness(t, 20*time.Millisecond)
	sc := rebuildScenario(t)
	sc.Restores[1].WaitFor = []string{"db-c"}
	rec, err := drills.Run(context.Background(), sc, h.options())
	if err != nil {
		t.Fatal(err)
	}
	rb := rec.Restores[1]
	if rec.Outcome == results.Passed || !strings.Contains(rb.Message, "app db-c is not an app of the bootstrap") || !strings.Contains(rb.Message, "db-a") {
		t.Errorf("run %s; restore b = %q, want not started: db-c is not an app of the bootstrap, naming the children", rec.Outcome, rb.Message)
	}
}

package bootstrap

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/drills/gitops"
	"github.com/restore-drill/drill/sandbox/kube"
)

func up(t *testing.T, p *platform) (*recorder, string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rec := &recorder{}
	var progress bytes.Buffer
	err := p.Up(ctx, fakeSandbox{labels: testLabels}, rec, &progress)
	return rec, progress.String(), err
}

// The root syncs first; the children of wave 0 sync together, wave 1 only
// once both are ready; an automated child is only watched; every step
// says what it waited for and ends ready at the synced revision.
func TestUpSyncsWaveByWave(t *testing.T) {
	f := newFakeArgo(t, "root",
		fakeChild{name: "b", wave: "0"}, fakeChild{name: "c", wave: "1"},
		fakeChild{name: "a", wave: "0"}, fakeChild{name: "d", wave: "2", automated: true})
	p := newTestPlatform(f, Options{})
	var rec *recorder
	f.onSync = func(name string) {
		if name != "c" {
			return
		}
		for _, before := range []string{"app/a", "app/b"} {
			if e, ok := rec.find("end", before); !ok || e.err != nil {
				t.Errorf("c synced before %s was ready (%v)", before, e.err)
			}
		}
	}
	rec = &recorder{}
	ctx := context.Background()
	var progress bytes.Buffer
	if err := p.Up(ctx, fakeSandbox{labels: testLabels}, rec, &progress); err != nil {
		t.Fatalf("Up: %v\n%s", err, progress.String())
	}

	if slices.Contains(f.entries(), "sync d") {
		t.Errorf("the automated child d was synced by drill: %v", f.entries())
	}
	want := []gitops.Step{
		{Name: "app/a", App: "a", Kind: "argocd", After: []string{"app/root"}},
		{Name: "app/b", App: "b", Kind: "argocd", After: []string{"app/root"}},
		{Name: "app/c", App: "c", Kind: "argocd", Wave: 1, After: []string{"app/a", "app/b"}},
		{Name: "app/d", App: "d", Kind: "argocd", Wave: 2, After: []string{"app/c"}},
	}
	if rec.calls != 1 || !slices.EqualFunc(rec.children, want, sameStep) {
		t.Errorf("Children called %d times with\n%+v\nwant once with\n%+v", rec.calls, rec.children, want)
	}
	steps := []gitops.Step{{Name: StepArgoCD, Kind: "argocd"}, {Name: "app/root", App: "root", Kind: "argocd", After: []string{StepArgoCD}}}
	for i, s := range append(steps, want...) {
		b, okB := rec.find("begin", s.Name)
		e, okE := rec.find("end", s.Name)
		if !okB || !okE || !sameStep(b.step, s) || e.err != nil {
			t.Errorf("step %d %s: began %v (%+v), ended %v with %v; want %+v, ready", i, s.Name, okB, b.step, okE, e.err, s)
			continue
		}
		if s.App != "" && (e.res.ReadyAt.IsZero() || e.res.Revision != testRevision || !strings.HasPrefix(e.res.Detail, "Synced + Healthy at 3f2a9c1")) {
			t.Errorf("%s ended with %+v; want ReadyAt, revision %s and a detail", s.Name, e.res, testRevision)
		}
	}
	if got := rec.index("begin", "app/c"); got < rec.index("end", "app/a") || got < rec.index("end", "app/b") {
		t.Errorf("app/c began before wave 0 ended: %+v", rec.events)
	}
	st, err := p.Status(ctx, "c")
	if err != nil || !st.Ready() || st.Revision != testRevision {
		t.Errorf("Status(c) = %+v, %v; want Synced + Healthy at %s", st, err, testRevision)
	}
	if st, err := p.Status(ctx, "root"); err != nil || !st.Ready() {
		t.Errorf("Status(root) = %+v, %v", st, err)
	}
	if _, err := p.Status(ctx, "nope"); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("Status of an unknown app: %v, want an error naming it", err)
	}
}

func sameStep(a, b gitops.Step) bool {
	return a.Name == b.Name && a.App == b.App && a.Kind == b.Kind && a.Wave == b.Wave && slices.Equal(a.After, b.After)
}

// The root the bootstrap creates carries the run's labels, the resources
// finalizer, the source and the in-cluster destination.
func TestUpCreatesTheRootAsDescribed(t *testing.T) {
	f := newFakeArgo(t, "platform")
	p := newTestPlatform(f, Options{Root: Root{Name: "platform", RepoURL: "https://git.example.com/p.git", Path: "apps", Revision: "v1", Project: "default"}})
	if _, _, err := up(t, p); err != nil {
		t.Fatal(err)
	}
	app, err := readApplication(context.Background(), &clients{dyn: f.dyn, kube: f.kube}, testNamespace, "platform")
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range testLabels {
		if app.Labels[k] != v {
			t.Errorf("root label %s = %q, want %q", k, app.Labels[k], v)
		}
	}
	s, d := app.Spec.Source, app.Spec.Destination
	if !slices.Contains(app.Finalizers, "resources-finalizer.argocd.argoproj.io") || s.RepoURL != "https://git.example.com/p.git" || s.Path != "apps" || s.TargetRevision != "v1" ||
		d.Server != InClusterServer || d.Namespace != testNamespace || app.Spec.Project != "default" {
		t.Errorf("root application: finalizers %v, source %+v, destination %+v, project %s", app.Finalizers, s, d, app.Spec.Project)
	}
	if op := app.Status.OperationState; op == nil || op.Operation.Sync == nil || op.Operation.Sync.Revision != "v1" || op.Operation.InitiatedBy.Username != "drill" {
		t.Errorf("root's sync operation: %+v, want one at v1 initiated by drill", op)
	}
}

// A child that turns Degraded fails its step and Up, naming it and its
// last status; the next wave never begins.
func TestFailingChildStopsLaterWaves(t *testing.T) {
	f := newFakeArgo(t, "root", fakeChild{name: "good", wave: "0"}, fakeChild{name: "bad", wave: "0", outcome: turnsDegraded}, fakeChild{name: "next", wave: "1"})
	rec, _, err := up(t, newTestPlatform(f, Options{}))
	if err == nil || !strings.Contains(err.Error(), "child app bad: ") || !strings.Contains(err.Error(), "Degraded: exceeded its progress deadline") || strings.Contains(err.Error(), "child app good") {
		t.Fatalf("Up: %v; want an error naming bad and its degraded Deployment only", err)
	}
	if e, _ := rec.find("end", "app/bad"); e.err == nil {
		t.Error("app/bad ended without an error")
	}
	if e, _ := rec.find("end", "app/good"); e.err != nil || e.res.ReadyAt.IsZero() {
		t.Errorf("app/good ended with %v", e.err)
	}
	if _, began := rec.find("begin", "app/next"); began || slices.Contains(f.entries(), "sync next") {
		t.Errorf("wave 1 began after wave 0 failed: %v", f.entries())
	}
}

// A failed sync and one that never ends within the app timeout fail the
// child with its last status; the timeout is a deadline error.
func TestChildSyncFailsOrTimesOut(t *testing.T) {
	for _, tc := range []struct {
		name     string
		outcome  outcome
		want     string
		deadline bool
	}{
		{"sync failed", syncFails, "operation Failed; sync operation Failed: one or more objects failed to apply", false},
		{"never ends", neverEnds, "not Synced + Healthy: context deadline exceeded; last status: sync OutOfSync, health Missing", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeArgo(t, "root", fakeChild{name: "slow", wave: "0", outcome: tc.outcome})
			// The timeout bounds the root too, and each must be seen
			// synced first: time enough for a watch that starts late.
			_, _, err := up(t, newTestPlatform(f, Options{Root: Root{AppTimeout: 2 * time.Second}}))
			if err == nil || !strings.Contains(err.Error(), "child app slow: ") || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Up: %v; want child app slow: ...%s", err, tc.want)
			}
			if got := errors.Is(err, context.DeadlineExceeded); got != tc.deadline {
				t.Errorf("errors.Is(err, DeadlineExceeded) = %v, want %v", got, tc.deadline)
			}
		})
	}
}

// A namespace a child deploys into that was not there when Up began gets
// the run's labels; one that was there is left alone.
func TestUpLabelsTheNamespacesChildrenMade(t *testing.T) {
	f := newFakeArgo(t, "root", fakeChild{name: "made", wave: "0"}, fakeChild{name: "there", wave: "0"})
	ctx := context.Background()
	if _, err := f.kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "there"}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	f.onSync = func(name string) {
		if name == "made" { // as CreateNamespace=true does
			_ = f.kube.Tracker().Add(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "made"}})
		}
	}
	if _, _, err := up(t, newTestPlatform(f, Options{})); err != nil {
		t.Fatal(err)
	}
	made, _ := f.kube.CoreV1().Namespaces().Get(ctx, "made", metav1.GetOptions{})
	there, _ := f.kube.CoreV1().Namespaces().Get(ctx, "there", metav1.GetOptions{})
	if made.Labels[kube.LabelRunID] != "run-1" || made.Labels[kube.LabelManagedBy] != kube.ManagedBy {
		t.Errorf("namespace made: labels %v, want the run's", made.Labels)
	}
	if len(there.Labels) != 0 {
		t.Errorf("namespace there (older than the run): labels %v, want none", there.Labels)
	}

	// Without the list of what was there, nothing is labelled.
	app, err := readApplication(ctx, &clients{dyn: f.dyn, kube: f.kube}, testNamespace, "there")
	if err != nil {
		t.Fatal(err)
	}
	if err := labelNewNamespaces(ctx, &clients{dyn: f.dyn, kube: f.kube}, app, testLabels, nil, io.Discard); err != nil {
		t.Fatal(err)
	}
	if there, _ := f.kube.CoreV1().Namespaces().Get(ctx, "there", metav1.GetOptions{}); len(there.Labels) != 0 {
		t.Errorf("namespace there labelled %v without knowing it was older than the run", there.Labels)
	}
}

// A child whose sync would create its namespace (CreateNamespace=true)
// finds it made with the run's labels before its sync is asked for: a run
// killed during that sync leaves a namespace drill cleanup finds. A child
// without the option gets no namespace from drill (a sync that fails for
// want of one is a finding).
func TestUpMakesALabelledNamespaceBeforeASyncWouldCreateIt(t *testing.T) {
	f := newFakeArgo(t, "root", fakeChild{name: "db", wave: "0", createNamespace: true}, fakeChild{name: "web", wave: "1"})
	ctx := context.Background()
	atSync := map[string]map[string]string{}
	f.onSync = func(name string) {
		if ns, err := f.kube.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{}); err == nil {
			atSync[name] = ns.Labels
		}
	}
	if _, _, err := up(t, newTestPlatform(f, Options{})); err != nil {
		t.Fatal(err)
	}
	if l := atSync["db"]; l[kube.LabelRunID] != "run-1" || l[kube.LabelManagedBy] != kube.ManagedBy {
		t.Errorf("namespace db when its sync was asked for: labels %v (present: %v), want the run's", l, atSync["db"] != nil)
	}
	if _, made := atSync["web"]; made {
		t.Errorf("namespace web exists at its sync, but web does not create namespaces: drill must not make it")
	}
}

// Without Argo CD's Application CRD, or its namespace, the first step
// fails as an infrastructure error saying what is missing, and nothing is
// created.
func TestUpRefusesAClusterWithoutArgoCD(t *testing.T) {
	for _, tc := range []struct {
		name   string
		break_ func(*fakeArgo)
		want   string
	}{
		{"no CRD", func(f *fakeArgo) { f.kube.Fake.Resources = nil }, "the Application CRD (applications.argoproj.io"},
		{"no namespace", func(f *fakeArgo) {
			_ = f.kube.CoreV1().Namespaces().Delete(context.Background(), testNamespace, metav1.DeleteOptions{})
		}, "argo cd's namespace argocd does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeArgo(t, "root")
			tc.break_(f)
			rec, _, err := up(t, newTestPlatform(f, Options{}))
			if err == nil || !fault.IsInfra(err) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Up: %v; want an infrastructure error saying %q", err, tc.want)
			}
			if e, ok := rec.find("end", StepArgoCD); !ok || e.err == nil {
				t.Errorf("%s did not end with the error", StepArgoCD)
			}
			if _, ok := rec.find("begin", "app/root"); ok {
				t.Error("the root was begun without Argo CD")
			}
		})
	}
}

// A root name another run (or a person) already uses is refused, and Down
// leaves that application alone.
func TestUpRefusesARootItDidNotCreate(t *testing.T) {
	f := newFakeArgo(t, "root")
	theirs := unstructuredObject(t, map[string]any{"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
		"metadata": map[string]any{"name": "root", "namespace": testNamespace}})
	if err := f.dyn.Tracker().Add(theirs); err != nil {
		t.Fatal(err)
	}
	p := newTestPlatform(f, Options{})
	if _, _, err := up(t, p); err == nil || !strings.Contains(err.Error(), "that this run did not create") {
		t.Fatalf("Up: %v, want a refusal", err)
	}
	if err := p.Down(context.Background()); err != nil {
		t.Fatal(err)
	}
	if slices.Contains(f.entries(), "delete applications root") {
		t.Error("Down deleted an application the run did not create")
	}
}

// Status before Up says so, naming the app.
func TestStatusBeforeUp(t *testing.T) {
	_, err := newTestPlatform(newFakeArgo(t, "root"), Options{}).Status(context.Background(), "payments")
	if !errors.Is(err, errNotUp) || !strings.Contains(err.Error(), "payments") {
		t.Errorf("Status before Up: %v, want errNotUp naming the app", err)
	}
}

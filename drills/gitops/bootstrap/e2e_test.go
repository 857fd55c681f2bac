//go:build e2e

package bootstrap

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"

	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/cluster"
	"github.com/restore-drill/drill/sandbox/kube"
	"github.com/restore-drill/drill/sandbox/kube/lab"
	"github.com/restore-drill/drill/sandbox/kube/lab/labtest"
)

// workload is what each child deploys: a ConfigMap, a Secret and a
// Deployment that kwok makes Ready, or, with a nodeSelector no node has,
// one that never schedules and turns Degraded at its progress deadline.
func workload(name string, schedulable bool) string {
	extra := ""
	if !schedulable {
		extra = `
      nodeSelector: {restore-drill.io/no-such-node: "true"}`
	}
	return fmt.Sprintf(`apiVersion: v1
kind: ConfigMap
metadata: {name: %[1]s-config}
data: {greeting: hello}
---
apiVersion: v1
kind: Secret
metadata: {name: %[1]s-secret}
stringData: {token: not-a-real-one}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: %[1]s}
spec:
  replicas: 1
  progressDeadlineSeconds: 5
  selector:
    matchLabels: {app: %[1]s}
  template:
    metadata:
      labels: {app: %[1]s}
    spec:
      containers:
      - name: web
        image: registry.invalid/web:1%[2]s
`, name, extra)
}

// platformRepo pushes a root directory of child Applications (name →
// wave) and each child's workload, and returns the root's path.
func platformRepo(ctx context.Context, t *testing.T, env lab.Env, dir string, waves map[string]string, unschedulable string) string {
	t.Helper()
	files := map[string]string{}
	for name, wave := range waves {
		files[dir+"/root/"+name+".yaml"] = labtest.ChildApplication(env, dir, name, wave)
		files[dir+"/apps/"+name+"/all.yaml"] = workload(name, name != unschedulable)
	}
	if _, err := lab.Push(ctx, env.GitRepo, files, "Add platform "+dir); err != nil {
		t.Fatalf("push the platform: %v", err)
	}
	return dir + "/root"
}

// clusterSandbox is the lab as a standby cluster, torn down after the test.
func clusterSandbox(ctx context.Context, t *testing.T, env lab.Env, runID string) sandbox.Cluster {
	t.Helper()
	sb, err := cluster.NewProvider(cluster.Options{Config: labtest.RESTConfig(t, env)}).Create(ctx, sandbox.Options{RunID: runID, Scenario: "e2e-bootstrap"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		_ = sb.Destroy(ctx) // a no-op after a Destroy that passed
	})
	return sb.(sandbox.Cluster)
}

// e2ePlatform is a bootstrap in the lab's Argo CD, brought down when the
// test ends whatever happened.
func e2ePlatform(t *testing.T, o Options) *platform {
	o.Namespace = lab.ArgoCDNamespace
	pl := New(o).(*platform)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		_ = pl.Down(ctx)
	})
	return pl
}

// e2eUp runs Up, logs its progress and time, and returns what it told.
func e2eUp(ctx context.Context, t *testing.T, pl *platform, sb sandbox.Cluster) (*recorder, string, time.Duration, error) {
	rec := &recorder{}
	var progress bytes.Buffer
	start := time.Now()
	err := pl.Up(ctx, sb, rec, &progress)
	took := time.Since(start)
	t.Logf("Up took %s (error: %v); progress:\n%s", took.Round(time.Millisecond), err, progress.String())
	return rec, progress.String(), took, err
}

// downAndDestroy runs Down and the sandbox's Destroy, as a run's teardown
// does, and checks that nothing of the test is left: no Application, no
// repository Secret, no namespace.
func downAndDestroy(ctx context.Context, t *testing.T, pl *platform, sb sandbox.Cluster, cs kubernetes.Interface, dyn dynamic.Interface, apps, namespaces, secrets []string) {
	t.Helper()
	start := time.Now()
	if err := pl.Down(ctx); err != nil {
		t.Errorf("Down: %v", err)
	}
	t.Logf("Down: %s", time.Since(start).Round(time.Millisecond))
	if err := pl.Down(ctx); err != nil {
		t.Errorf("second Down: %v", err)
	}
	start = time.Now()
	if err := sb.Destroy(ctx); err != nil {
		t.Errorf("Destroy: %v", err)
	}
	t.Logf("the sandbox's Destroy: %s", time.Since(start).Round(time.Millisecond))
	for _, name := range apps {
		if _, err := dyn.Resource(applicationsResource).Namespace(lab.ArgoCDNamespace).Get(ctx, name, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			t.Errorf("application %s after Down: %v, want it gone", name, err)
		}
	}
	for _, name := range secrets {
		if _, err := cs.CoreV1().Secrets(lab.ArgoCDNamespace).Get(ctx, name, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			t.Errorf("secret %s after Down: %v, want it gone", name, err)
		}
	}
	for _, name := range namespaces {
		if _, err := cs.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			t.Errorf("namespace %s after Down and Destroy: %v, want it gone", name, err)
		}
	}
}

// The lab's real Argo CD brings up a root app and its three children in two
// waves through the Kubernetes API only: wave 1 begins once both children
// of wave 0 have ended, each ready with its namespace labelled for
// teardown; Down and the cluster sandbox's Destroy leave nothing.
func TestE2EBootstrapBringsUpTwoWavesAndLeavesNothing(t *testing.T) {
	env := labtest.Start(t)
	cs := labtest.Kube(t, env)
	dyn := dynamic.NewForConfigOrDie(labtest.RESTConfig(t, env))
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()

	base := "e2e-" + rand.String(6)
	a, b, c := base+"-a", base+"-b", base+"-c"
	path := platformRepo(ctx, t, env, "bootstrap/"+base, map[string]string{a: "0", b: "0", c: "1"}, "")
	sb := clusterSandbox(ctx, t, env, base)
	pl := e2ePlatform(t, Options{
		Repositories: []Repository{{URL: "https://git.invalid/" + base + "/", Prefix: true, Username: "drill", Password: "e2e-password-" + base}},
		Root:         Root{Name: base + "-root", RepoURL: env.GitURL, Path: path, Revision: lab.GitBranch, AppTimeout: 2 * time.Minute},
	})
	secret := repositorySecret(lab.ArgoCDNamespace, sb.Kube().Labels, pl.opts.Repositories[0])

	rec, progress, total, err := e2eUp(ctx, t, pl, sb)
	if err != nil {
		t.Fatalf("Up: %v", err)
	}

	// Steps, their order and their timing.
	rootEnd, _ := rec.find("end", "app/"+base+"-root")
	rootBegin, _ := rec.find("begin", "app/"+base+"-root")
	endA, _ := rec.find("end", "app/"+a)
	endB, _ := rec.find("end", "app/"+b)
	beginC, okC := rec.find("begin", "app/"+c)
	endC, _ := rec.find("end", "app/"+c)
	if !okC || rec.index("begin", "app/"+c) < rec.index("end", "app/"+a) || rec.index("begin", "app/"+c) < rec.index("end", "app/"+b) {
		t.Errorf("wave 1 (%s) began before both children of wave 0 ended: %+v", c, rec.events)
	}
	if got := beginC.step.After; len(got) != 2 || got[0] != "app/"+a || got[1] != "app/"+b {
		t.Errorf("%s waited for %v, want both children of wave 0", c, got)
	}
	for _, e := range []event{rootEnd, endA, endB, endC} {
		if e.err != nil || e.res.ReadyAt.IsZero() || e.res.Revision == "" || e.res.Resources == 0 {
			t.Errorf("%s ended with %+v, %v; want ready, with its revision and resources", e.step.Name, e.res, e.err)
		}
	}
	if rec.calls != 1 || len(rec.children) != 3 || rec.children[0].App != a || rec.children[1].App != b || rec.children[2].App != c || rec.children[2].Wave != 1 {
		t.Errorf("Children called %d times with %+v; want once, %s and %s in wave 0, then %s in wave 1", rec.calls, rec.children, a, b, c)
	}
	if _, err := cs.CoreV1().Secrets(lab.ArgoCDNamespace).Get(ctx, secret.Name, metav1.GetOptions{}); err != nil {
		t.Errorf("repository Secret after Up: %v", err)
	}
	if strings.Contains(progress, "e2e-password") {
		t.Error("the progress shows the repository's password")
	}
	for _, name := range []string{a, b, c} {
		ns, err := cs.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
		if err != nil || ns.Labels[kube.LabelRunID] != base {
			t.Errorf("namespace %s after Up: %v, labels %v; want it labelled with run %s", name, err, ns.Labels, base)
		}
		if _, err := cs.CoreV1().Secrets(name).Get(ctx, name+"-secret", metav1.GetOptions{}); err != nil {
			t.Errorf("the Secret child %s deploys: %v", name, err)
		}
	}
	st, err := pl.Status(ctx, c)
	if err != nil || !st.Ready() {
		t.Errorf("Status(%s) = %+v, %v; want Synced + Healthy", c, st, err)
	}
	t.Logf("root up: %s; wave 0: %s; wave 1: %s; total Up: %s",
		rootEnd.at.Sub(rootBegin.at).Round(time.Millisecond),
		later(endA.at, endB.at).Sub(rootEnd.at).Round(time.Millisecond),
		endC.at.Sub(beginC.at).Round(time.Millisecond),
		total.Round(time.Millisecond))

	downAndDestroy(ctx, t, pl, sb, cs, dyn, []string{base + "-root", a, b, c}, []string{a, b, c, sb.Kube().Namespace}, []string{secret.Name})
}

// A child that never becomes healthy (its Deployment cannot be scheduled)
// fails Up naming it; the next wave never begins; Down still removes
// everything.
func TestE2EBootstrapUnhealthyChildStopsLaterWaves(t *testing.T) {
	env := labtest.Start(t)
	cs := labtest.Kube(t, env)
	dyn := dynamic.NewForConfigOrDie(labtest.RESTConfig(t, env))
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()

	base := "e2e-" + rand.String(6)
	good, bad, next := base+"-good", base+"-bad", base+"-next"
	path := platformRepo(ctx, t, env, "bootstrap/"+base, map[string]string{good: "0", bad: "0", next: "1"}, bad)
	sb := clusterSandbox(ctx, t, env, base)
	pl := e2ePlatform(t, Options{
		Root: Root{Name: base + "-root", RepoURL: env.GitURL, Path: path, Revision: lab.GitBranch, AppTimeout: 90 * time.Second},
	})

	rec, _, _, err := e2eUp(ctx, t, pl, sb)
	if err == nil || !strings.Contains(err.Error(), "child app "+bad) || strings.Contains(err.Error(), "child app "+good) {
		t.Fatalf("Up: %v; want an error naming %s only", err, bad)
	}
	t.Logf("Up's error: %v", err)
	if e, ok := rec.find("end", "app/"+bad); !ok || e.err == nil {
		t.Errorf("%s ended with %v, want its error", bad, e.err)
	}
	if e, ok := rec.find("end", "app/"+good); !ok || e.err != nil {
		t.Errorf("%s ended with %v, want it ready", good, e.err)
	}
	if _, ok := rec.find("begin", "app/"+next); ok {
		t.Errorf("%s of wave 1 began after wave 0 failed", next)
	}
	downAndDestroy(ctx, t, pl, sb, cs, dyn, []string{base + "-root", good, bad, next}, []string{good, bad, sb.Kube().Namespace}, nil)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

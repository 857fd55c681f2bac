//go:build e2e

package namespace_test

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/ptr"

	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/kube"
	"github.com/restore-drill/drill/sandbox/kube/lab"
	"github.com/restore-drill/drill/sandbox/kube/lab/labtest"
	"github.com/restore-drill/drill/sandbox/local/localtest"
	"github.com/restore-drill/drill/sandbox/namespace"
)

// e2eRun is a run id and scenario of its own for each test, so that tests
// sharing a lab never meet.
func e2eRun() sandbox.Options {
	return sandbox.Options{RunID: "e2e-" + rand.String(10), Scenario: "e2e-namespace"}
}

func createSandbox(ctx context.Context, t *testing.T, o namespace.Options) (sandbox.Cluster, sandbox.Options) {
	t.Helper()
	run := e2eRun()
	sb, err := namespace.NewProvider(o).Create(ctx, run)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if err := sb.Destroy(ctx); err != nil {
			t.Errorf("destroy: %v", err)
		}
	})
	return sb.(sandbox.Cluster), run
}

// Create makes the namespace with its NetworkPolicy, quota and limits, which
// the real API server accepts; Destroy returns once the namespace
// controller has emptied and removed it.
func TestE2ECreateAndDestroy(t *testing.T) {
	env := labtest.Start(t)
	cfg, cs := labtest.RESTConfig(t, env), labtest.Kube(t, env)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	sb, run := createSandbox(ctx, t, namespace.Options{
		Config: cfg, Prefix: "e2e", Isolate: true, TTL: time.Hour,
		Quota:      map[string]string{"pods": "10", "requests.cpu": "2"},
		LimitRange: &namespace.LimitRange{Default: map[string]string{"cpu": "500m"}, DefaultRequest: map[string]string{"cpu": "100m"}},
	})
	name := sb.Kube().Namespace
	if !strings.HasPrefix(name, "e2e-e2e-namespace-") {
		t.Errorf("namespace %s", name)
	}
	ns, err := cs.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ns.Labels[kube.LabelRunID] != run.RunID || ns.Annotations[kube.AnnotationExpires] == "" || ns.Annotations[kube.AnnotationHeartbeat] == "" {
		t.Errorf("namespace labels %v annotations %v", ns.Labels, ns.Annotations)
	}
	pol, err := cs.NetworkingV1().NetworkPolicies(name).Get(ctx, "drill-isolate", metav1.GetOptions{})
	if err != nil || len(pol.Spec.Egress) != 2 || pol.Labels[kube.LabelRunID] != run.RunID {
		t.Errorf("NetworkPolicy: %v, %+v", err, pol)
	}
	q, err := cs.CoreV1().ResourceQuotas(name).Get(ctx, "drill-quota", metav1.GetOptions{})
	if err != nil || q.Spec.Hard.Pods().String() != "10" {
		t.Errorf("ResourceQuota: %v, %+v", err, q)
	}
	if _, err := cs.CoreV1().LimitRanges(name).Get(ctx, "drill-limits", metav1.GetOptions{}); err != nil {
		t.Errorf("LimitRange: %v", err)
	}
	// Something in it, for the namespace controller to remove first.
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "data"}, Data: map[string]string{"k": "v"}}
	if _, err := cs.CoreV1().ConfigMaps(name).Create(ctx, cm, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	if err := sb.Destroy(ctx); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	if _, err := cs.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Fatalf("namespace %s still there after Destroy returned: %v", name, err)
	}
	t.Logf("namespace %s deleted to completion in %s", name, took.Round(time.Millisecond))
}

// Postgres through a direct address to a real server, with the credentials
// from a Secret in the sandbox.
func TestE2EPostgresAtAnAddress(t *testing.T) {
	env := labtest.Start(t)
	pg := localtest.Start(t)
	cfg, cs := labtest.RESTConfig(t, env), labtest.Kube(t, env)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	sb, _ := createSandbox(ctx, t, namespace.Options{Config: cfg, Isolate: true, Targets: map[string]namespace.Target{
		"billing": {Address: net.JoinHostPort(pg.Host, strconv.Itoa(pg.Port)), Secret: "billing-db", ReadyTimeout: time.Minute},
	}})
	sec := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "billing-db"}, StringData: map[string]string{"username": pg.User, "password": pg.Password}}
	if _, err := cs.CoreV1().Secrets(sb.Kube().Namespace).Create(ctx, sec, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	srv, err := sb.Postgres(ctx, "billing")
	if err != nil {
		t.Fatal(err)
	}
	if srv.User != pg.User || srv.Password != pg.Password || srv.Major != pg.Major || srv.Version != pg.Version || srv.BinDir == "" {
		t.Fatalf("server %s version %s (major %d) bin %q; want %s version %s", srv.Redacted("postgres"), srv.Version, srv.Major, srv.BinDir, pg.Redacted("postgres"), pg.Version)
	}
}

// Diagnose writes the events and pod statuses of a namespace with a
// Deployment; kwok runs no container, so the log files say why there is no
// log.
func TestE2EDiagnose(t *testing.T) {
	env := labtest.Start(t)
	cfg, cs := labtest.RESTConfig(t, env), labtest.Kube(t, env)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	sb, _ := createSandbox(ctx, t, namespace.Options{Config: cfg})
	ns := sb.Kube().Namespace
	labels := map[string]string{"app": "web"}
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "web"},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To[int32](1),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "registry.invalid/web:1"}}},
			},
		},
	}
	if _, err := cs.AppsV1().Deployments(ns).Create(ctx, d, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	pod, err := kube.ReadyPod(ctx, cs, ns, "", labels)
	if err != nil {
		t.Fatalf("kwok made no ready pod: %v", err)
	}
	// The controllers write their events apart from the pod's status, and
	// may still hold them when the pod is ready: wait until the API has
	// them, so that what is tested is that Diagnose copies them.
	awaitEvents(ctx, t, cs, ns, "Scheduled", "ScalingReplicaSet")

	dir := t.TempDir()
	files, err := sb.Diagnose(ctx, dir)
	t.Logf("files %v, error %v", files, err)
	logFile := filepath.Join("logs", pod.Name+"_web.txt")
	for _, want := range []string{"events.txt", "pods.txt", logFile} {
		if !contains(files, want) {
			t.Fatalf("Diagnose wrote %v, not %s", files, want)
		}
	}
	events := read(t, dir, "events.txt")
	if !strings.Contains(events, "Scheduled") || !strings.Contains(events, "ScalingReplicaSet") {
		t.Errorf("events.txt lacks the scheduler's and the deployment controller's events:\n%s", events)
	}
	pods := read(t, dir, "pods.txt")
	if !strings.Contains(pods, "pod "+pod.Name+": Running") || !strings.Contains(pods, "condition Ready=True") {
		t.Errorf("pods.txt:\n%s", pods)
	}
	if l := read(t, dir, logFile); l == "" {
		t.Errorf("%s is empty: it holds the log or says why there is none", logFile)
	}
}

// A killed run leaves a namespace (heartbeat an hour old), an Application
// and an AppProject; Leftovers finds them and Remove removes them, while an
// unlabelled namespace of the same look and a live run's namespace stay.
func TestE2ECleanupAfterAKilledRun(t *testing.T) {
	env := labtest.Start(t)
	cfg, cs := labtest.RESTConfig(t, env), labtest.Kube(t, env)
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	killed, live := e2eRun(), e2eRun()
	now := time.Now()
	killedNS := namespace.Name("drill", killed.Scenario, killed.RunID)
	mkNamespace(ctx, t, cs, killedNS, kube.RunLabels(killed.RunID, killed.Scenario), map[string]string{
		kube.AnnotationHeartbeat: now.Add(-time.Hour).UTC().Format(time.RFC3339),
		kube.AnnotationExpires:   now.Add(time.Hour).UTC().Format(time.RFC3339),
	})
	// Not drill's: looks like a dead run's, but has no managed-by label.
	foreign := "e2e-foreign-" + rand.String(6)
	mkNamespace(ctx, t, cs, foreign, map[string]string{kube.LabelRunID: killed.RunID}, map[string]string{
		kube.AnnotationHeartbeat: now.Add(-time.Hour).UTC().Format(time.RFC3339),
	})
	liveSB, _ := createSandbox(ctx, t, namespace.Options{Config: cfg})
	live.RunID = liveSB.Kube().Labels[kube.LabelRunID]
	project := mkArgo(ctx, t, dyn, "AppProject", "appprojects", "drill-"+killed.RunID, killed, map[string]any{
		"destinations": []any{map[string]any{"server": "https://kubernetes.default.svc", "namespace": killedNS}},
		"sourceRepos":  []any{"*"},
	})
	app := mkArgo(ctx, t, dyn, "Application", "applications", "drill-"+killed.RunID, killed, map[string]any{
		"project":     project,
		"source":      map[string]any{"repoURL": env.GitURL, "path": "none", "targetRevision": "HEAD"},
		"destination": map[string]any{"server": "https://kubernetes.default.svc", "namespace": killedNS},
	})

	all, err := namespace.Leftovers(ctx, cs, dyn, time.Now(), namespace.CleanupOptions{ArgoCDNamespace: lab.ArgoCDNamespace})
	if err != nil {
		t.Fatal(err)
	}
	var ours []namespace.Leftover
	for _, l := range all {
		switch {
		case l.Name == foreign:
			t.Fatalf("the unlabelled namespace %s is listed: %+v", foreign, l)
		case l.RunID == live.RunID:
			t.Fatalf("the live run's %s %s is listed: %+v", l.Kind, l.Name, l)
		case l.RunID == killed.RunID:
			ours = append(ours, l)
		}
	}
	var got []string
	for _, l := range ours {
		got = append(got, l.Kind+" "+l.Name)
	}
	want := []string{"Application " + app, "AppProject " + project, "Namespace " + killedNS}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Fatalf("leftovers of the killed run: %v, want %v", got, want)
	}
	for _, l := range ours {
		if err := namespace.Remove(ctx, cs, dyn, l); err != nil {
			t.Fatalf("remove %s %s: %v", l.Kind, l.Name, err)
		}
	}
	if _, err := cs.CoreV1().Namespaces().Get(ctx, killedNS, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("namespace %s still there: %v", killedNS, err)
	}
	for _, r := range []string{"applications", "appprojects"} {
		if _, err := dyn.Resource(argoGVR(r)).Namespace(lab.ArgoCDNamespace).Get(ctx, "drill-"+killed.RunID, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			t.Errorf("%s drill-%s still there: %v", r, killed.RunID, err)
		}
	}
	if _, err := cs.CoreV1().Namespaces().Get(ctx, foreign, metav1.GetOptions{}); err != nil {
		t.Errorf("the unlabelled namespace %s is gone: %v", foreign, err)
	}
	if _, err := cs.CoreV1().Namespaces().Get(ctx, liveSB.Kube().Namespace, metav1.GetOptions{}); err != nil {
		t.Errorf("the live run's namespace is gone: %v", err)
	}
}

func mkNamespace(ctx context.Context, t *testing.T, cs kubernetes.Interface, name string, labels, annotations map[string]string) {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels, Annotations: annotations}}
	if _, err := cs.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cs.CoreV1().Namespaces().Delete(context.Background(), name, metav1.DeleteOptions{}) })
}

func argoGVR(resource string) schema.GroupVersionResource {
	return schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: resource}
}

func mkArgo(ctx context.Context, t *testing.T, dyn dynamic.Interface, kind, resource, name string, run sandbox.Options, spec map[string]any) string {
	t.Helper()
	u := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "argoproj.io/v1alpha1", "kind": kind, "spec": spec}}
	u.SetName(name)
	u.SetLabels(kube.RunLabels(run.RunID, run.Scenario))
	rc := dyn.Resource(argoGVR(resource)).Namespace(lab.ArgoCDNamespace)
	if _, err := rc.Create(ctx, u, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create %s %s: %v", kind, name, err)
	}
	t.Cleanup(func() { _ = rc.Delete(context.Background(), name, metav1.DeleteOptions{}) })
	return name
}

// awaitEvents waits until the namespace has an event of each reason.
func awaitEvents(ctx context.Context, t *testing.T, cs kubernetes.Interface, ns string, reasons ...string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		list, err := cs.CoreV1().Events(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, e := range list.Items {
			seen[e.Reason] = true
		}
		missing := []string{}
		for _, r := range reasons {
			if !seen[r] {
				missing = append(missing, r)
			}
		}
		if len(missing) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the namespace never had events %v", missing)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func read(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

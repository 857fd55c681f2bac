//go:build e2e

package cluster_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/client-go/kubernetes"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/cluster"
	"github.com/restore-drill/drill/sandbox/kube"
	"github.com/restore-drill/drill/sandbox/kube/lab/labtest"
)

// In the lab as a standby cluster: Create makes only the run's labelled
// namespace; Destroy deletes it and another namespace the run labelled, and
// leaves an unlabelled namespace, one of another run, and a ConfigMap of
// kube-system alone. Diagnose covers the run's namespaces and kube-system.
func TestE2EClusterSandboxTouchesOnlyWhatItLabels(t *testing.T) {
	env := labtest.Start(t)
	cfg, cs := labtest.RESTConfig(t, env), labtest.Kube(t, env)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	suffix := rand.String(8)
	run := sandbox.Options{RunID: "e2e-" + suffix, Scenario: "e2e-cluster"}

	// What is in the cluster already, and must stay.
	bystander := makeNamespace(ctx, t, cs, "e2e-bystander-"+suffix, nil)
	otherRun := makeNamespace(ctx, t, cs, "e2e-other-run-"+suffix, kube.RunLabels("e2e-other-"+suffix, "e2e-cluster"))
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "e2e-keep-" + suffix}}
	if _, err := cs.CoreV1().ConfigMaps("kube-system").Create(ctx, cm, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cs.CoreV1().ConfigMaps("kube-system").Delete(context.Background(), cm.Name, metav1.DeleteOptions{})
	})

	sb, err := cluster.NewProvider(cluster.Options{Config: cfg}).Create(ctx, run)
	if err != nil {
		t.Fatal(err)
	}
	cl := sb.(sandbox.Cluster)
	own := cl.Kube().Namespace
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		_ = sb.Destroy(ctx) // a no-op after a Destroy that passed
	})
	if !strings.HasPrefix(own, "drill-e2e-cluster-") {
		t.Errorf("namespace %s, want drill-e2e-cluster-*", own)
	}
	ns, err := cs.CoreV1().Namespaces().Get(ctx, own, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range kube.RunLabels(run.RunID, run.Scenario) {
		if ns.Labels[k] != v || cl.Kube().Labels[k] != v {
			t.Errorf("label %s: namespace %q, Kube() %q, want %q", k, ns.Labels[k], cl.Kube().Labels[k], v)
		}
	}
	if !strings.Contains(sb.Describe(), own) {
		t.Errorf("Describe() = %q, want the namespace in it", sb.Describe())
	}

	// Something else the run made, as a bootstrap would: labelled.
	extra := makeNamespace(ctx, t, cs, "e2e-run-extra-"+suffix, cl.Kube().Labels)

	dir := t.TempDir()
	files, err := cl.Diagnose(ctx, dir)
	if err != nil {
		t.Errorf("Diagnose: %v", err)
	}
	for _, want := range []string{filepath.Join(own, "events.txt"), filepath.Join(extra, "pods.txt"), filepath.Join("kube-system", "events.txt")} {
		if !slices.Contains(files, want) {
			t.Errorf("Diagnose wrote %v, want %s among them", files, want)
		}
		if _, err := os.Stat(filepath.Join(dir, want)); err != nil {
			t.Error(err)
		}
	}
	for _, f := range files {
		if strings.HasPrefix(f, bystander) || strings.HasPrefix(f, otherRun) {
			t.Errorf("Diagnose wrote %s: not the run's", f)
		}
	}

	if err := sb.Destroy(ctx); err != nil {
		t.Fatalf("Destroy: %v", err)
	}
	for _, gone := range []string{own, extra} {
		if _, err := cs.CoreV1().Namespaces().Get(ctx, gone, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			t.Errorf("namespace %s after Destroy: %v, want it gone", gone, err)
		}
	}
	for _, stays := range []string{bystander, otherRun} {
		if ns, err := cs.CoreV1().Namespaces().Get(ctx, stays, metav1.GetOptions{}); err != nil || ns.DeletionTimestamp != nil {
			t.Errorf("namespace %s after Destroy: %v, want it untouched", stays, err)
		}
	}
	if _, err := cs.CoreV1().ConfigMaps("kube-system").Get(ctx, cm.Name, metav1.GetOptions{}); err != nil {
		t.Errorf("kube-system ConfigMap after Destroy: %v", err)
	}
	if err := sb.Destroy(ctx); err != nil {
		t.Errorf("second Destroy: %v", err)
	}
}

// A cluster that does not answer is an infrastructure error, and nothing
// is made.
func TestE2EClusterSandboxUnreachable(t *testing.T) {
	env := labtest.Start(t)
	cfg := labtest.RESTConfig(t, env)
	cfg.Host = "https://127.0.0.1:1" // nothing listens there
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := cluster.NewProvider(cluster.Options{Config: cfg}).Create(ctx, sandbox.Options{RunID: "e2e-" + rand.String(8), Scenario: "e2e-cluster"})
	if err == nil || !fault.IsInfra(err) || !strings.Contains(err.Error(), "does not answer") {
		t.Fatalf("Create on an unreachable cluster: %v, want an infrastructure error saying it does not answer", err)
	}
}

func makeNamespace(ctx context.Context, t *testing.T, cs kubernetes.Interface, name string, labels map[string]string) string {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}}
	if _, err := cs.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cs.CoreV1().Namespaces().Delete(context.Background(), name, metav1.DeleteOptions{})
	})
	return name
}

//go:build e2e

package cluster_test

import (
	"context"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/ptr"

	"github.com/restore-drill/drill/assertions"
	"github.com/restore-drill/drill/assertions/cluster"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/kube/lab/labtest"
	"github.com/restore-drill/drill/scenarios"
)

// The cluster checks against a real API server, controller-manager and
// scheduler, with kwok playing the kubelet: a Deployment's pods become
// Ready (without running anything), so its rollout completes for real; a
// pod that no node can take stays Pending.
func TestClusterChecksInTheLab(t *testing.T) {
	env := labtest.Start(t)
	cfg := labtest.RESTConfig(t, env)
	cs := labtest.Kube(t, env)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	ns := namespace(ctx, t, cs, "e2e-checks")
	cenv := assertions.ClusterEnv{Kube: sandbox.KubeAccess{Config: cfg, Namespace: ns}}

	start := time.Now()
	createDeployment(ctx, t, cs, ns, "web", 2, nil)
	createDeployment(ctx, t, cs, ns, "stuck", 1, map[string]string{"restore-drill.io/e2e-no-such-node": "true"})
	if _, err := cs.CoreV1().ConfigMaps(ns).Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "settings"}}, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create config map: %v", err)
	}

	t.Run("workload by name", func(t *testing.T) {
		r := run(ctx, t, cenv, scenarios.Check{Name: "web", Timeout: 90 * time.Second, Workload: &scenarios.WorkloadCheck{Kind: "Deployment", Name: "web"}})
		if r.Outcome != results.Passed || r.Observed != "2/2 ready" || r.ReadyAt == nil || r.ReadyAt.Before(start) {
			t.Fatalf("outcome %s observed %q ReadyAt %v (%s), want passed, 2/2 ready, after the deployment was made", r.Outcome, r.Observed, r.ReadyAt, r.Message)
		}
		t.Logf("deployment web rolled out %s after it was created", r.ReadyAt.Sub(start).Round(time.Millisecond))
	})
	t.Run("workload by selector", func(t *testing.T) {
		r := run(ctx, t, cenv, scenarios.Check{Name: "pods", Timeout: 90 * time.Second, Workload: &scenarios.WorkloadCheck{Selector: map[string]string{"app": "web"}}})
		if r.Outcome != results.Passed || r.Observed != "2/2 pods ready" {
			t.Fatalf("outcome %s observed %q (%s), want passed, 2/2 pods ready", r.Outcome, r.Observed, r.Message)
		}
	})
	t.Run("workload never ready", func(t *testing.T) {
		began := time.Now()
		r := run(ctx, t, cenv, scenarios.Check{Name: "stuck", Timeout: 5 * time.Second, Workload: &scenarios.WorkloadCheck{Kind: "Deployment", Name: "stuck"}})
		if r.Outcome != results.Failed || r.Observed != "0/1 ready" || !strings.Contains(r.Message, "deployment stuck not rolled out within the check's timeout of 5s") ||
			!strings.Contains(r.Message, "Unschedulable") {
			t.Fatalf("outcome %s observed %q message %q, want failed, 0/1 ready, after the timeout, with the pod unschedulable", r.Outcome, r.Observed, r.Message)
		}
		if d := time.Since(began); d < 5*time.Second || d > 15*time.Second {
			t.Errorf("took %s, want about the check's timeout of 5s", d)
		}
	})
	// The lab's pods run nothing and its node has no kubelet to forward
	// to: the check finds the Service's ready pod, and the port-forward to
	// it is refused. That a forward carries a GET is proven only on a real
	// cluster.
	t.Run("http through a service", func(t *testing.T) {
		svc := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "web"}, Spec: corev1.ServiceSpec{
			Selector: map[string]string{"app": "web"},
			Ports:    []corev1.ServicePort{{Port: 80, TargetPort: intstr.FromInt32(8080)}},
		}}
		if _, err := cs.CoreV1().Services(ns).Create(ctx, svc, metav1.CreateOptions{}); err != nil {
			t.Fatalf("create service: %v", err)
		}
		r := run(ctx, t, cenv, scenarios.Check{Name: "web-answers", Timeout: 3 * time.Second, HTTP: &scenarios.HTTPCheck{Service: "web", Port: 80, Path: "/healthz", Status: 200}})
		if r.Outcome != results.Failed || r.Observed != "not reached" || !strings.Contains(r.Message, "port-forward to port 8080 of pod web-") {
			t.Fatalf("outcome %s observed %q message %q, want failed: the forward to the ready pod refused", r.Outcome, r.Observed, r.Message)
		}
		t.Logf("as expected in the lab: %s", r.Message)
	})
	t.Run("exists", func(t *testing.T) {
		r := run(ctx, t, cenv, scenarios.Check{Name: "objects", Timeout: 30 * time.Second, Exists: &scenarios.ExistsCheck{Objects: []scenarios.ObjectRef{
			{APIVersion: "v1", Kind: "ConfigMap", Name: "settings"},
			{APIVersion: "apps/v1", Kind: "Deployment", Name: "web"},
			{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRole", Name: "admin"},
		}}})
		if r.Outcome != results.Passed {
			t.Fatalf("outcome %s observed %q (%s), want passed", r.Outcome, r.Observed, r.Message)
		}
		r = run(ctx, t, cenv, scenarios.Check{Name: "objects", Timeout: 30 * time.Second, Exists: &scenarios.ExistsCheck{Objects: []scenarios.ObjectRef{
			{APIVersion: "v1", Kind: "ConfigMap", Name: "settings"},
			{APIVersion: "v1", Kind: "Secret", Name: "db-credentials"},
			{APIVersion: "argoproj.io/v1alpha1", Kind: "AppProject", Name: "default"},
		}}})
		if r.Outcome != results.Failed || r.Observed != "missing: Secret/db-credentials, AppProject/default" {
			t.Fatalf("outcome %s observed %q (%s), want failed naming the secret and the project (which lives in Argo CD's namespace, not the sandbox's)", r.Outcome, r.Observed, r.Message)
		}
	})
}

func run(ctx context.Context, t *testing.T, env assertions.ClusterEnv, c scenarios.Check) assertions.Result {
	t.Helper()
	check, err := cluster.New(c)
	if err != nil {
		t.Fatalf("check %s: %v", c.Name, err)
	}
	return check.Run(ctx, env)
}

// namespace makes a namespace of the test's own, deleted when it ends.
func namespace(ctx context.Context, t *testing.T, cs kubernetes.Interface, prefix string) string {
	t.Helper()
	name := prefix + "-" + rand.String(6)
	if _, err := cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create namespace %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := cs.CoreV1().Namespaces().Delete(ctx, name, metav1.DeleteOptions{}); err != nil {
			t.Errorf("delete namespace %s: %v", name, err)
		}
	})
	return name
}

func createDeployment(ctx context.Context, t *testing.T, cs kubernetes.Interface, ns, name string, replicas int32, nodeSelector map[string]string) {
	t.Helper()
	labels := map[string]string{"app": name}
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To(replicas),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					NodeSelector: nodeSelector,
					Containers:   []corev1.Container{{Name: name, Image: "registry.invalid/" + name + ":1"}},
				},
			},
		},
	}
	if _, err := cs.AppsV1().Deployments(ns).Create(ctx, d, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create deployment %s: %v", name, err)
	}
}

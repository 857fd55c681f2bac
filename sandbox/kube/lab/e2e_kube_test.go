//go:build e2e

package lab_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/restore-drill/drill/sandbox/kube/lab"
	"github.com/restore-drill/drill/sandbox/kube/lab/labtest"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	watchtools "k8s.io/client-go/tools/watch"
	"k8s.io/utils/ptr"
)

// A namespace with objects in it is deleted to completion: the namespace
// controller empties it and removes its finalizer.
func TestNamespaceCreatedAndDeletedToCompletion(t *testing.T) {
	env := labtest.Start(t)
	cs := labtest.Kube(t, env)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	name := "e2e-ns-" + rand.String(6)
	ns, err := cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{
		Name: name, Labels: map[string]string{"drill.dev/test": "namespace"},
	}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("create namespace: %v", err)
	}
	if len(ns.Spec.Finalizers) == 0 {
		t.Fatalf("namespace %s has no finalizer: deletion would not exercise the namespace controller", name)
	}
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "data"}, Data: map[string]string{"k": "v"}}
	if _, err := cs.CoreV1().ConfigMaps(name).Create(ctx, cm, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create a config map in %s: %v", name, err)
	}

	if err := cs.CoreV1().Namespaces().Delete(ctx, name, metav1.DeleteOptions{}); err != nil {
		t.Fatalf("delete namespace: %v", err)
	}
	start := time.Now()
	waitGone(ctx, t, cs.CoreV1().RESTClient(), "namespaces", "", name, &corev1.Namespace{})
	if _, err := cs.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Fatalf("namespace %s still there after its deletion completed: %v", name, err)
	}
	t.Logf("namespace %s deleted to completion in %s", name, time.Since(start).Round(time.Millisecond))
}

// kwok plays the kubelet: a Deployment's pods are scheduled onto the fake
// node by the real scheduler and become Ready, so the Deployment does.
func TestDeploymentReadyThroughKwok(t *testing.T) {
	env := labtest.Start(t)
	cs := labtest.Kube(t, env)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ns := testNamespace(ctx, t, cs, "e2e-deploy")

	labels := map[string]string{"app": "web"}
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "web"},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To[int32](2),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "registry.invalid/web:1"}}},
			},
		},
	}
	if _, err := cs.AppsV1().Deployments(ns).Create(ctx, d, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create deployment: %v", err)
	}
	start := time.Now()
	waitFor(ctx, t, cs.AppsV1().RESTClient(), "deployments", ns, "web", &appsv1.Deployment{}, func(e watch.Event) (bool, error) {
		d, ok := e.Object.(*appsv1.Deployment)
		return ok && d.Status.ObservedGeneration >= d.Generation && d.Status.ReadyReplicas == 2 && d.Status.UpdatedReplicas == 2, nil
	})
	t.Logf("deployment %s/web ready in %s", ns, time.Since(start).Round(time.Millisecond))

	pods, err := cs.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "app=web"})
	if err != nil {
		t.Fatalf("list pods: %v", err)
	}
	if len(pods.Items) != 2 {
		t.Fatalf("%d pods, want 2", len(pods.Items))
	}
	for _, p := range pods.Items {
		if p.Spec.NodeName != lab.NodeName || p.Status.Phase != corev1.PodRunning {
			t.Errorf("pod %s: node %q, phase %s; want node %s, Running", p.Name, p.Spec.NodeName, p.Status.Phase, lab.NodeName)
		}
	}
}

// testNamespace creates a namespace for one test and deletes it after.
func testNamespace(ctx context.Context, t *testing.T, cs kubernetes.Interface, prefix string) string {
	t.Helper()
	name := prefix + "-" + rand.String(6)
	if _, err := cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create namespace %s: %v", name, err)
	}
	t.Cleanup(func() {
		_ = cs.CoreV1().Namespaces().Delete(context.Background(), name, metav1.DeleteOptions{})
	})
	return name
}

// waitFor watches one object until cond holds, failing the test when ctx
// ends first.
func waitFor(ctx context.Context, t *testing.T, c cache.Getter, resource, ns, name string, obj runtime.Object, cond watchtools.ConditionFunc) {
	t.Helper()
	lw := cache.NewListWatchFromClient(c, resource, ns, fields.OneTermEqualSelector("metadata.name", name))
	if _, err := watchtools.UntilWithSync(ctx, lw, obj, nil, cond); err != nil {
		t.Fatalf("wait for %s %s: %v", resource, qualified(ns, name), err)
	}
}

// waitGone watches one object until it no longer exists.
func waitGone(ctx context.Context, t *testing.T, c cache.Getter, resource, ns, name string, obj runtime.Object) {
	t.Helper()
	lw := cache.NewListWatchFromClient(c, resource, ns, fields.OneTermEqualSelector("metadata.name", name))
	absent := func(store cache.Store) (bool, error) {
		_, exists, err := store.GetByKey(qualified(ns, name))
		return !exists, err
	}
	gone := func(e watch.Event) (bool, error) { return e.Type == watch.Deleted, nil }
	if _, err := watchtools.UntilWithSync(ctx, lw, obj, absent, gone); err != nil {
		t.Fatalf("wait for %s %s to be gone: %v", resource, qualified(ns, name), err)
	}
}

func qualified(ns, name string) string {
	if ns == "" {
		return name
	}
	return fmt.Sprintf("%s/%s", ns, name)
}

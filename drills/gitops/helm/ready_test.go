package helm

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	clienttesting "k8s.io/client-go/testing"
)

// deployment is a Deployment of 2 replicas with the given status.
func deployment(name string, generation, observed, updated, available, replicas int64, conditions ...any) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "apps/v1", "kind": "Deployment",
		"metadata": map[string]any{"name": name, "namespace": testNamespace, "generation": generation},
		"spec":     map[string]any{"replicas": int64(2)},
		"status": map[string]any{
			"observedGeneration": observed, "updatedReplicas": updated, "availableReplicas": available, "replicas": replicas,
			"conditions": conditions,
		},
	}}
}

func job(name string, conditions ...any) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "batch/v1", "kind": "Job",
		"metadata": map[string]any{"name": name, "namespace": testNamespace},
		"status":   map[string]any{"active": int64(1), "conditions": conditions},
	}}
}

func TestReadiness(t *testing.T) {
	cases := []struct {
		name    string
		obj     *unstructured.Unstructured
		ready   bool
		message string // part of the message or the error
		failed  bool
	}{
		{"not observed yet", deployment("web", 2, 1, 2, 2, 2), false, "spec update to be observed", false},
		{"updating", deployment("web", 1, 1, 1, 1, 2), false, "1 out of 2 new replicas have been updated", false},
		{"old replicas left", deployment("web", 1, 1, 2, 2, 3), false, "1 old replicas are pending termination", false},
		{"not available", deployment("web", 1, 1, 2, 1, 2), false, "1 of 2 updated replicas are available", false},
		{"rolled out", deployment("web", 1, 1, 2, 2, 2), true, "successfully rolled out", false},
		{"past its deadline", deployment("web", 1, 1, 1, 0, 1, map[string]any{"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded"}), false, "exceeded its progress deadline", true},
		{"job running", job("migrate"), false, "Waiting for job \"migrate\" to complete: 1 active", false},
		{"job complete", job("migrate", map[string]any{"type": "Complete", "status": "True"}), true, "completed", false},
		{"job failed", job("migrate", map[string]any{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit"}), false, "BackoffLimitExceeded", true},
	}
	for _, c := range cases {
		ready, msg, err := readiness(c.obj)
		if (err != nil) != c.failed || ready != c.ready {
			t.Errorf("%s: ready %v, error %v; want ready %v, failed %v", c.name, ready, err, c.ready, c.failed)
			continue
		}
		if err != nil {
			msg = err.Error()
		}
		if !strings.Contains(msg, c.message) {
			t.Errorf("%s: %q lacks %q", c.name, msg, c.message)
		}
	}
}

var deployments = schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}

// watchOpened is closed once a watch of resource is open on dyn. The fake
// sends no event for a write made between a list and the watch that
// follows it, so a test that writes while drill waits writes only after.
func watchOpened(dyn *dynamicfake.FakeDynamicClient, resource string) <-chan struct{} {
	opened := make(chan struct{})
	var once sync.Once
	dyn.PrependWatchReactor(resource, func(a clienttesting.Action) (bool, watch.Interface, error) {
		w, err := dyn.Tracker().Watch(a.GetResource(), a.GetNamespace())
		once.Do(func() { close(opened) })
		return true, w, err
	})
	return opened
}

// untilOpened waits for opened, for at most 10s.
func untilOpened(t *testing.T, opened <-chan struct{}) {
	t.Helper()
	select {
	case <-opened:
	case <-time.After(10 * time.Second):
		t.Fatal("the watch was never opened")
	}
}

func fakeCluster(objs ...runtime.Object) *dynamicfake.FakeDynamicClient {
	return dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(), map[schema.GroupVersionResource]string{
		deployments: "DeploymentList",
		{Group: "batch", Version: "v1", Resource: "jobs"}: "JobList",
	}, objs...)
}

// The watch sees a Deployment roll out (an update after the wait began)
// and returns; a Deployment of another release in the namespace does not
// hold it up.
func TestReadyWatchReturnsWhenEveryWorkloadRolledOut(t *testing.T) {
	dyn := fakeCluster(deployment("web", 1, 1, 1, 0, 1), deployment("someone-elses", 1, 1, 0, 0, 0))
	opened := watchOpened(dyn, "deployments")
	rw := &readyWatch{dyn: dyn, namespace: testNamespace, progress: io.Discard}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- rw.wait(ctx, workloadsOf([]*unstructured.Unstructured{deployment("web", 1, 1, 1, 0, 1)}))
	}()

	untilOpened(t, opened)
	select {
	case err := <-done:
		t.Fatalf("wait returned before the rollout: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	if _, err := dyn.Resource(deployments).Namespace(testNamespace).Update(ctx, deployment("web", 1, 1, 2, 2, 2), metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("wait: %v", err)
	}
	if u := rw.unready(); len(u) != 0 {
		t.Errorf("unready after the rollout: %v", u)
	}
}

func TestReadyWatchEndsWithCtxNamingTheUnready(t *testing.T) {
	dyn := fakeCluster(deployment("web", 1, 1, 2, 2, 2), deployment("api", 1, 1, 1, 0, 1), job("migrate"))
	opened := watchOpened(dyn, "jobs")
	rw := &readyWatch{dyn: dyn, namespace: testNamespace, progress: io.Discard}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wls := workloadsOf([]*unstructured.Unstructured{deployment("web", 1, 1, 2, 2, 2), deployment("api", 1, 1, 1, 0, 1), job("migrate")})
	done := make(chan error, 1)
	go func() { done <- rw.wait(ctx, wls) }()
	want := strings.Join([]string{
		`Deployment/api: Waiting for deployment "api" rollout to finish: 1 out of 2 new replicas have been updated...`,
		`Job/migrate: Waiting for job "migrate" to complete: 1 active, 0 succeeded, 0 failed`,
	}, "\n")

	// ctx ends once the wait has seen every workload, however long the
	// watches took to start: a fixed deadline could end it before.
	untilOpened(t, opened) // the wait has begun: its state may be read
	deadline := time.Now().Add(10 * time.Second)
	for strings.Join(rw.unready(), "\n") != want {
		if time.Now().After(deadline) {
			t.Fatalf("unready:\n%s\nwant:\n%s", strings.Join(rw.unready(), "\n"), want)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("wait passed with unready workloads")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("wait did not end with ctx")
	}
	if got := strings.Join(rw.unready(), "\n"); got != want {
		t.Errorf("unready after ctx ended:\n%s\nwant:\n%s", got, want)
	}
}

func TestReadyWatchFailsAtOnceOnAFailedJob(t *testing.T) {
	dyn := fakeCluster(job("migrate", map[string]any{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded"}))
	rw := &readyWatch{dyn: dyn, namespace: testNamespace, progress: io.Discard}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := rw.wait(ctx, workloadsOf([]*unstructured.Unstructured{job("migrate")}))
	if err == nil || !strings.Contains(err.Error(), `Job/migrate: job "migrate" failed: BackoffLimitExceeded`) || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("wait: %v, want the job's failure at once", err)
	}
}

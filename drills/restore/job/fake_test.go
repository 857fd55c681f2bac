package job

import (
	"context"
	"sync"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/rest"
	k8stesting "k8s.io/client-go/testing"

	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/kube"
)

const testNamespace = "drill-billing-abc123"

// fakeCluster is the API server at the process boundary: client-go's fake
// clientset, which plays neither the Job controller nor the kubelet. The
// tests play them, once drill watches both the Job and its pods (an event
// sent before a watch opens would be lost by the fake).
type fakeCluster struct {
	cs       *fake.Clientset
	created  chan *batchv1.Job
	watching sync.WaitGroup
}

func newFakeCluster(t *testing.T, objects ...runtime.Object) *fakeCluster {
	f := &fakeCluster{cs: fake.NewSimpleClientset(objects...), created: make(chan *batchv1.Job, 1)}
	f.cs.PrependReactor("create", "jobs", func(a k8stesting.Action) (bool, runtime.Object, error) {
		f.created <- a.(k8stesting.CreateAction).GetObject().(*batchv1.Job).DeepCopy()
		return false, nil, nil
	})
	f.watching.Add(2)
	for _, resource := range []string{"jobs", "pods"} {
		var once sync.Once
		f.cs.PrependWatchReactor(resource, func(a k8stesting.Action) (bool, watch.Interface, error) {
			w, err := f.cs.Tracker().Watch(a.GetResource(), a.GetNamespace())
			once.Do(f.watching.Done)
			return true, w, err
		})
	}
	return f
}

func (f *fakeCluster) options() Options {
	return Options{NewClient: func(*rest.Config) (kubernetes.Interface, error) { return f.cs, nil }, LogGrace: 2 * time.Second}
}

// job waits for the Job drill creates and for its watches.
func (f *fakeCluster) job(t *testing.T) *batchv1.Job {
	t.Helper()
	select {
	case j := <-f.created:
		f.watching.Wait()
		return j
	case <-time.After(10 * time.Second):
		t.Fatal("no job was created")
		return nil
	}
}

// pod plays the Job controller and the kubelet: a pod of the Job in the
// given container state.
func (f *fakeCluster) pod(t *testing.T, j *batchv1.Job, name string, state corev1.ContainerState) {
	t.Helper()
	phase := corev1.PodPending
	switch {
	case state.Running != nil:
		phase = corev1.PodRunning
	case state.Terminated != nil && state.Terminated.ExitCode == 0:
		phase = corev1.PodSucceeded
	case state.Terminated != nil:
		phase = corev1.PodFailed
	}
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: j.Namespace, Labels: j.Spec.Template.Labels, CreationTimestamp: metav1.Now()},
		Status:     corev1.PodStatus{Phase: phase, ContainerStatuses: []corev1.ContainerStatus{{Name: ContainerName, State: state}}},
	}
	ctx := context.Background()
	if _, err := f.cs.CoreV1().Pods(j.Namespace).Get(ctx, name, metav1.GetOptions{}); err == nil {
		if _, err := f.cs.CoreV1().Pods(j.Namespace).UpdateStatus(ctx, p, metav1.UpdateOptions{}); err != nil {
			t.Errorf("update pod %s: %v", name, err)
		}
		return
	}
	if _, err := f.cs.CoreV1().Pods(j.Namespace).Create(ctx, p, metav1.CreateOptions{}); err != nil {
		t.Errorf("create pod %s: %v", name, err)
	}
}

// finish plays the Job controller: the Job ends with the condition given.
func (f *fakeCluster) finish(t *testing.T, j *batchv1.Job, cond batchv1.JobConditionType, reason, message string) {
	t.Helper()
	j = j.DeepCopy()
	j.Status.Conditions = append(j.Status.Conditions, batchv1.JobCondition{Type: cond, Status: corev1.ConditionTrue, Reason: reason, Message: message})
	if _, err := f.cs.BatchV1().Jobs(j.Namespace).UpdateStatus(context.Background(), j, metav1.UpdateOptions{}); err != nil {
		t.Errorf("update job %s: %v", j.Name, err)
	}
}

// fakeSandbox is a namespace sandbox as the method sees it.
type fakeSandbox struct{}

func (fakeSandbox) Describe() string { return "namespace " + testNamespace }
func (fakeSandbox) Postgres(context.Context, string) (*sandbox.PostgresServer, error) {
	return nil, nil
}
func (fakeSandbox) Destroy(context.Context) error { return nil }
func (fakeSandbox) Kube() sandbox.KubeAccess {
	return sandbox.KubeAccess{Config: &rest.Config{Host: "https://fake"}, Namespace: testNamespace, Labels: kube.RunLabels("run-1", "billing")}
}
func (fakeSandbox) Diagnose(context.Context, string) ([]string, error) { return nil, nil }

// localSandbox is a sandbox without a cluster.
type localSandbox struct{}

func (localSandbox) Describe() string { return "local PostgreSQL 15.18 on 127.0.0.1:5432" }
func (localSandbox) Postgres(context.Context, string) (*sandbox.PostgresServer, error) {
	return nil, nil
}
func (localSandbox) Destroy(context.Context) error { return nil }

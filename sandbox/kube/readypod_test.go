package kube

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

func testPod(name string, labels map[string]string, phase corev1.PodPhase, ready bool) *corev1.Pod {
	status := corev1.ConditionFalse
	if ready {
		status = corev1.ConditionTrue
	}
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "sb", Labels: labels},
		Status: corev1.PodStatus{
			Phase:      phase,
			Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: status, Reason: "ContainersNotReady"}},
		},
	}
}

func testService(name string, selector map[string]string) *corev1.Service {
	return &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "sb"}, Spec: corev1.ServiceSpec{Selector: selector}}
}

var dbLabels = map[string]string{"app": "db"}

func TestReadyPodChoosesAReadyPod(t *testing.T) {
	other := map[string]string{"app": "web"}
	tests := []struct {
		name     string
		service  string
		selector map[string]string
		objects  []runtime.Object
		want     string
	}{
		{"behind a service", "db", nil, []runtime.Object{
			testService("db", dbLabels),
			testPod("db-0", dbLabels, corev1.PodPending, false),
			testPod("db-1", dbLabels, corev1.PodRunning, true),
			testPod("web-0", other, corev1.PodRunning, true),
		}, "db-1"},
		{"by selector, first by name", "", dbLabels, []runtime.Object{
			testPod("db-b", dbLabels, corev1.PodRunning, true),
			testPod("db-a", dbLabels, corev1.PodRunning, true),
		}, "db-a"},
		{"running but not ready is skipped", "", dbLabels, []runtime.Object{
			testPod("db-a", dbLabels, corev1.PodRunning, false),
			testPod("db-b", dbLabels, corev1.PodRunning, true),
		}, "db-b"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cs := fake.NewSimpleClientset(tc.objects...)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			pod, err := ReadyPod(ctx, cs, "sb", tc.service, tc.selector)
			if err != nil {
				t.Fatal(err)
			}
			if pod.Name != tc.want {
				t.Fatalf("chose pod %s, want %s", pod.Name, tc.want)
			}
		})
	}
}

// A pod that becomes ready after the first look is found through the watch.
func TestReadyPodWaitsForReadiness(t *testing.T) {
	cs := fake.NewSimpleClientset(testPod("db-0", dbLabels, corev1.PodPending, false))
	events := watch.NewFake()
	watched := make(chan struct{})
	cs.PrependWatchReactor("pods", func(k8stesting.Action) (bool, watch.Interface, error) {
		close(watched)
		return true, events, nil
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	type result struct {
		pod *corev1.Pod
		err error
	}
	got := make(chan result, 1)
	go func() {
		pod, err := ReadyPod(ctx, cs, "sb", "", dbLabels)
		got <- result{pod, err}
	}()
	<-watched
	events.Modify(testPod("db-0", dbLabels, corev1.PodRunning, false))
	select {
	case r := <-got:
		t.Fatalf("returned before any pod was ready: %v, %v", r.pod, r.err)
	case <-time.After(50 * time.Millisecond):
	}
	events.Modify(testPod("db-0", dbLabels, corev1.PodRunning, true))
	r := <-got
	if r.err != nil || r.pod.Name != "db-0" {
		t.Fatalf("got %v, %v; want pod db-0", r.pod, r.err)
	}
}

func TestReadyPodSaysWhyNoneIsReady(t *testing.T) {
	crashing := testPod("db-1", dbLabels, corev1.PodRunning, false)
	crashing.Status.ContainerStatuses = []corev1.ContainerStatus{{
		Name: "postgres", RestartCount: 4,
		State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff"}},
	}}
	unscheduled := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "db-0", Namespace: "sb", Labels: dbLabels},
		Status: corev1.PodStatus{Phase: corev1.PodPending, Conditions: []corev1.PodCondition{{
			Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: "Unschedulable", Message: "0/1 nodes are available",
		}}},
	}
	cs := fake.NewSimpleClientset(testService("db", dbLabels), crashing, unscheduled)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := ReadyPod(ctx, cs, "sb", "db", nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v does not wrap the deadline", err)
	}
	for _, want := range []string{"service db", "db-0: Pending", "Unschedulable: 0/1 nodes are available", "db-1: Running", "container postgres waiting: CrashLoopBackOff", "restarted 4 times"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestReadyPodErrors(t *testing.T) {
	tests := []struct {
		name     string
		service  string
		selector map[string]string
		objects  []runtime.Object
		want     string
	}{
		{"no such service", "db", nil, nil, "service db not found in namespace sb"},
		{"service without selector", "db", nil, []runtime.Object{testService("db", nil)}, "has no selector"},
		{"nothing to look for", "", nil, nil, "no service and no label selector"},
		{"no pods at all", "", dbLabels, nil, "no pod of selector app=db in namespace sb"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			_, err := ReadyPod(ctx, fake.NewSimpleClientset(tc.objects...), "sb", tc.service, tc.selector)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}

func TestPodReady(t *testing.T) {
	deleting := testPod("a", nil, corev1.PodRunning, true)
	deleting.DeletionTimestamp = &metav1.Time{Time: time.Now()}
	for _, tc := range []struct {
		pod  *corev1.Pod
		want bool
	}{
		{testPod("a", nil, corev1.PodRunning, true), true},
		{testPod("a", nil, corev1.PodRunning, false), false},
		{testPod("a", nil, corev1.PodSucceeded, true), false},
		{deleting, false},
		{&corev1.Pod{Status: corev1.PodStatus{Phase: corev1.PodRunning}}, false},
	} {
		if got := PodReady(tc.pod); got != tc.want {
			t.Errorf("PodReady(%s, %v) = %v, want %v", tc.pod.Status.Phase, tc.pod.Status.Conditions, got, tc.want)
		}
	}
}

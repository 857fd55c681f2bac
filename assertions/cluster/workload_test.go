package cluster

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
	k8stesting "k8s.io/client-go/testing"
	"k8s.io/utils/ptr"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/scenarios"
)

func deployment(name string, want, ready int32) *appsv1.Deployment {
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: testNamespace, Generation: 2},
		Spec:       appsv1.DeploymentSpec{Replicas: ptr.To(want), Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": name}}},
		Status: appsv1.DeploymentStatus{ObservedGeneration: 2, Replicas: want, UpdatedReplicas: want,
			ReadyReplicas: ready, AvailableReplicas: ready},
	}
}

func workloadByName(kind, name string, timeout time.Duration) scenarios.Check {
	return scenarios.Check{Name: "web-ready", Timeout: timeout, Workload: &scenarios.WorkloadCheck{Kind: kind, Name: name}}
}

// A Deployment that becomes ready while the check watches passes, and the
// moment recorded is when the ready status arrived, not when the check began.
func TestWorkloadPassesWhenTheWatchSeesTheRolloutComplete(t *testing.T) {
	fc := newFakeCluster([]runtime.Object{deployment("web", 3, 1)})
	w := watch.NewFake()
	fc.kube.PrependWatchReactor("deployments", k8stesting.DefaultWatchReactor(w, nil))

	check := mustCheck(t, workloadByName("Deployment", "web", 10*time.Second), fc.connect)
	var readyFrom time.Time
	go func() {
		time.Sleep(200 * time.Millisecond)
		// Not yet: two of three.
		w.Modify(deployment("web", 3, 2))
		time.Sleep(200 * time.Millisecond)
		readyFrom = time.Now()
		w.Modify(deployment("web", 3, 3))
	}()
	start := time.Now()
	r := check.Run(context.Background(), fc.env())
	if r.Outcome != results.Passed {
		t.Fatalf("outcome %s (%s, observed %s), want passed", r.Outcome, r.Message, r.Observed)
	}
	if r.ReadyAt == nil || r.ReadyAt.Before(readyFrom) || readyFrom.IsZero() {
		t.Fatalf("ReadyAt %v, want at or after the ready status was sent (%v)", r.ReadyAt, readyFrom)
	}
	if r.ReadyAt.Sub(readyFrom) > 100*time.Millisecond {
		t.Errorf("ReadyAt %v is %s after the ready status arrived: readiness should be seen as it comes", r.ReadyAt, r.ReadyAt.Sub(readyFrom))
	}
	if r.Expected != "rolled out" || r.Observed != "3/3 ready" {
		t.Errorf("expected %q observed %q, want rolled out / 3/3 ready", r.Expected, r.Observed)
	}
	t.Logf("passed after %s", time.Since(start))
}

// A Deployment that never gets ready fails when the check's own timeout
// passes, saying how far it got. (The checks that must have judged what
// they listed before they end get a second, not less: an empty list is
// judged only once the informer's sync is seen, which is polled every
// 100 ms, and a process held up for a moment on a loaded machine would
// miss a shorter timeout and report "not listed yet".)
func TestWorkloadFailsAtItsTimeoutWithWhatItSaw(t *testing.T) {
	pending := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "web-5d4f", Namespace: testNamespace, Labels: map[string]string{"app": "web"}},
		Status: corev1.PodStatus{Phase: corev1.PodPending, Conditions: []corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionFalse,
			Reason: "Unschedulable", Message: "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector."}}},
	}
	fc := newFakeCluster([]runtime.Object{deployment("web", 1, 0), pending})
	check := mustCheck(t, workloadByName("Deployment", "web", time.Second), fc.connect)
	r := check.Run(context.Background(), fc.env())
	if r.Outcome != results.Failed || r.Observed != "0/1 ready" || r.ReadyAt != nil {
		t.Fatalf("outcome %s observed %q ReadyAt %v, want failed, 0/1 ready, no ReadyAt", r.Outcome, r.Observed, r.ReadyAt)
	}
	for _, want := range []string{"deployment web not rolled out within the check's timeout of 1s", "0/1 available",
		"pods: 0/1 pods ready; web-5d4f: Pending, PodScheduled=False Unschedulable: 0/1 nodes are available"} {
		if !strings.Contains(r.Message, want) {
			t.Errorf("message %q does not say %q", r.Message, want)
		}
	}
}

// The run's deadline is a timeout and a cancelled run an interruption, not
// a verdict on the workload.
func TestWorkloadEndedByTheRun(t *testing.T) {
	fc := newFakeCluster([]runtime.Object{deployment("web", 1, 0)})
	check := mustCheck(t, workloadByName("Deployment", "web", time.Minute), fc.connect)

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if r := check.Run(ctx, fc.env()); r.Outcome != results.Timeout || !strings.Contains(r.Message, "run's deadline") {
		t.Errorf("past the run's deadline: outcome %s (%s), want timeout", r.Outcome, r.Message)
	}
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	if r := check.Run(ctx, fc.env()); r.Outcome != results.Interrupted {
		t.Errorf("cancelled run: outcome %s (%s), want interrupted", r.Outcome, r.Message)
	}
}

func TestWorkloadMissingDeploymentIsNamed(t *testing.T) {
	fc := newFakeCluster(nil)
	r := mustCheck(t, workloadByName("Deployment", "web", time.Second), fc.connect).Run(context.Background(), fc.env())
	if r.Outcome != results.Failed || r.Observed != "not found" || !strings.Contains(r.Message, "Deployment web does not exist in namespace "+testNamespace) {
		t.Fatalf("outcome %s observed %q message %q, want failed naming the missing deployment", r.Outcome, r.Observed, r.Message)
	}
}

// A list the API server refuses for good ends the check at once as an
// error, not at its timeout.
func TestWorkloadForbiddenIsAnErrorAtOnce(t *testing.T) {
	fc := newFakeCluster(nil)
	fc.kube.PrependReactor("list", "deployments", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewForbidden(schema.GroupResource{Group: "apps", Resource: "deployments"}, "", errors.New("no access"))
	})
	start := time.Now()
	r := mustCheck(t, workloadByName("Deployment", "web", time.Minute), fc.connect).Run(context.Background(), fc.env())
	if r.Outcome != results.Error || !strings.Contains(r.Message, "forbidden") {
		t.Fatalf("outcome %s message %q, want error saying forbidden", r.Outcome, r.Message)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s: a forbidden list should end the check at once", d)
	}
}

func TestWorkloadStatefulSetRollout(t *testing.T) {
	set := &appsv1.StatefulSet{
		ObjectMeta: metav1.ObjectMeta{Name: "db", Namespace: testNamespace, Generation: 1},
		Spec:       appsv1.StatefulSetSpec{Replicas: ptr.To[int32](2)},
		Status: appsv1.StatefulSetStatus{ObservedGeneration: 1, ReadyReplicas: 2, UpdatedReplicas: 2,
			CurrentRevision: "db-1", UpdateRevision: "db-2"},
	}
	fc := newFakeCluster([]runtime.Object{set})
	w := watch.NewFake()
	fc.kube.PrependWatchReactor("statefulsets", k8stesting.DefaultWatchReactor(w, nil))
	go func() {
		time.Sleep(100 * time.Millisecond)
		done := set.DeepCopy()
		done.Status.CurrentRevision = "db-2"
		w.Modify(done)
	}()
	r := mustCheck(t, workloadByName("StatefulSet", "db", 5*time.Second), fc.connect).Run(context.Background(), fc.env())
	if r.Outcome != results.Passed || r.Observed != "2/2 ready" {
		t.Fatalf("outcome %s observed %q (%s), want passed once the current revision is the update revision", r.Outcome, r.Observed, r.Message)
	}
}

func pod(name string, ready bool, labels map[string]string) *corev1.Pod {
	st := corev1.ConditionFalse
	if ready {
		st = corev1.ConditionTrue
	}
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: testNamespace, Labels: labels},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: st}},
			ContainerStatuses: []corev1.ContainerStatus{{Name: "app", State: corev1.ContainerState{Waiting: waiting(ready)}}}},
	}
}

func waiting(ready bool) *corev1.ContainerStateWaiting {
	if ready {
		return nil
	}
	return &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff", Message: "back-off 10s"}
}

func TestWorkloadPodsBySelector(t *testing.T) {
	app := map[string]string{"app": "web"}
	sel := scenarios.Check{Name: "pods", Timeout: time.Second, Workload: &scenarios.WorkloadCheck{Selector: app}}

	fc := newFakeCluster([]runtime.Object{pod("web-1", true, app), pod("web-2", false, app), pod("other", false, map[string]string{"app": "db"})})
	r := mustCheck(t, sel, fc.connect).Run(context.Background(), fc.env())
	if r.Outcome != results.Failed || r.Observed != "1/2 pods ready" || !strings.Contains(r.Message, "web-2: Running, Ready=False, container app waiting: CrashLoopBackOff") {
		t.Fatalf("one of two ready: outcome %s observed %q message %q, want failed naming web-2 and why", r.Outcome, r.Observed, r.Message)
	}

	fc = newFakeCluster(nil)
	r = mustCheck(t, sel, fc.connect).Run(context.Background(), fc.env())
	if r.Outcome != results.Failed || r.Observed != "no pods" {
		t.Fatalf("no pods: outcome %s observed %q, want failed: at least one pod must match", r.Outcome, r.Observed)
	}

	sel.Timeout = 5 * time.Second
	fc = newFakeCluster([]runtime.Object{pod("web-1", true, app), pod("web-2", true, app)})
	r = mustCheck(t, sel, fc.connect).Run(context.Background(), fc.env())
	if r.Outcome != results.Passed || r.Observed != "2/2 pods ready" || r.ReadyAt == nil {
		t.Fatalf("all ready: outcome %s observed %q ReadyAt %v (%s), want passed", r.Outcome, r.Observed, r.ReadyAt, r.Message)
	}
}

func TestJudgeDeployment(t *testing.T) {
	for _, tc := range []struct {
		name     string
		change   func(*appsv1.Deployment)
		ready    bool
		detail   string
		hopeless bool
	}{
		{name: "rolled out", change: func(*appsv1.Deployment) {}, ready: true},
		{name: "new generation not observed", change: func(d *appsv1.Deployment) { d.Generation = 3 }, detail: "generation 3 not yet observed"},
		{name: "old replicas left", change: func(d *appsv1.Deployment) { d.Status.Replicas = 4; d.Status.UpdatedReplicas = 2 }, detail: "2/3 updated, 2 old replicas pending termination"},
		{name: "unset replicas mean one", change: func(d *appsv1.Deployment) {
			d.Spec.Replicas = nil
			d.Status = appsv1.DeploymentStatus{ObservedGeneration: 2, Replicas: 1, UpdatedReplicas: 1, ReadyReplicas: 1, AvailableReplicas: 1}
		}, ready: true},
		{name: "past its progress deadline", change: func(d *appsv1.Deployment) {
			d.Status.ReadyReplicas, d.Status.AvailableReplicas = 1, 1
			d.Status.Conditions = []appsv1.DeploymentCondition{{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionFalse, Reason: "ProgressDeadlineExceeded", Message: `ReplicaSet "web-1" has timed out progressing.`}}
		}, hopeless: true, detail: "1/3 ready"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := deployment("web", 3, 3)
			tc.change(d)
			j := judgeDeployment(d)
			if j.ready != tc.ready || !strings.Contains(j.detail, tc.detail) || (j.hopeless != "") != tc.hopeless {
				t.Fatalf("judged %+v, want ready=%v, detail containing %q, hopeless=%v", j, tc.ready, tc.detail, tc.hopeless)
			}
		})
	}
}

// A rollout past its progress deadline fails at once with the reason.
func TestWorkloadPastProgressDeadlineFailsAtOnce(t *testing.T) {
	d := deployment("web", 1, 0)
	d.Status.Conditions = []appsv1.DeploymentCondition{{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionFalse, Reason: "ProgressDeadlineExceeded", Message: "timed out progressing"}}
	fc := newFakeCluster([]runtime.Object{d})
	start := time.Now()
	r := mustCheck(t, workloadByName("Deployment", "web", time.Minute), fc.connect).Run(context.Background(), fc.env())
	if r.Outcome != results.Failed || !strings.Contains(r.Message, "progress deadline: timed out progressing") || time.Since(start) > 5*time.Second {
		t.Fatalf("outcome %s message %q after %s, want failed at once with the reason", r.Outcome, r.Message, time.Since(start))
	}
}

package kube

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

func event(name, reason, msg string, at time.Time) *corev1.Event {
	return &corev1.Event{
		ObjectMeta:     metav1.ObjectMeta{Name: name, Namespace: "sb"},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "web-0"},
		Type:           corev1.EventTypeWarning, Reason: reason, Message: msg,
		LastTimestamp: metav1.Time{Time: at},
	}
}

func diagnosedPod() *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "web-0", Namespace: "sb"},
		Spec:       corev1.PodSpec{NodeName: "node-1", Containers: []corev1.Container{{Name: "web"}, {Name: "sidecar"}}},
		Status: corev1.PodStatus{
			Phase:      corev1.PodRunning,
			Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionFalse, Reason: "ContainersNotReady", Message: "containers with unready status: [web]"}},
			ContainerStatuses: []corev1.ContainerStatus{{
				Name: "web", RestartCount: 3,
				State:                corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff"}},
				LastTerminationState: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{Reason: "Error", ExitCode: 2}},
			}},
		},
	}
}

func TestDiagnose(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	cs := fake.NewSimpleClientset(
		event("b", "BackOff", "Back-off restarting failed container web", t0.Add(2*time.Minute)),
		event("a", "Pulled", "Successfully pulled image", t0),
		diagnosedPod(),
	)
	dir := t.TempDir()
	files, err := Diagnose(context.Background(), cs, "sb", dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"events.txt", "pods.txt", "logs/web-0_web.txt", "logs/web-0_web.previous.txt", "logs/web-0_sidecar.txt"}
	if !reflect.DeepEqual(files, want) {
		t.Fatalf("files %v, want %v", files, want)
	}
	events := read(t, dir, "events.txt")
	if strings.Index(events, "Pulled") > strings.Index(events, "BackOff") || !strings.Contains(events, "2026-11-27T10:02:00Z  Warning  BackOff               Pod/web-0: Back-off restarting failed container web") {
		t.Errorf("events.txt is not one line per event, oldest first:\n%s", events)
	}
	pods := read(t, dir, "pods.txt")
	for _, w := range []string{
		"pod web-0: Running on node node-1",
		"condition Ready=False ContainersNotReady containers with unready status: [web]",
		"container web: ready=false restarts=3 state=waiting CrashLoopBackOff last=terminated Error exit 2",
		"container sidecar: ready=false restarts=0 state=unknown",
	} {
		if !strings.Contains(pods, w) {
			t.Errorf("pods.txt does not say %q:\n%s", w, pods)
		}
	}
	if got := read(t, dir, "logs/web-0_web.txt"); got != "fake logs" {
		t.Errorf("log file holds %q, want the container's log", got)
	}
	// The fake clientset answers every log request alike: the previous log
	// was asked for with Previous set.
	var previous bool
	for _, a := range cs.Actions() {
		if ga, ok := a.(k8stesting.GenericAction); ok && a.GetSubresource() == "log" {
			if o, ok := ga.GetValue().(*corev1.PodLogOptions); ok && o.Previous && o.Container == "web" && *o.TailLines == logTailLines {
				previous = true
			}
		}
	}
	if !previous {
		t.Error("the previous log of the restarted container was not asked for")
	}
}

// One failure does not stop the rest; it is reported in the error.
func TestDiagnoseIsBestEffort(t *testing.T) {
	cs := fake.NewSimpleClientset(diagnosedPod())
	cs.PrependReactor("list", "events", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, os.ErrPermission
	})
	dir := t.TempDir()
	files, err := Diagnose(context.Background(), cs, "sb", dir)
	if err == nil || !strings.Contains(err.Error(), "list the events of namespace sb") {
		t.Fatalf("error %v, want the events' failure", err)
	}
	if len(files) == 0 || files[0] != "pods.txt" {
		t.Fatalf("files %v: the pods were not written after the events failed", files)
	}
}

func read(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

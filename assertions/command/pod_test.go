package command

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/rest"
	utilexec "k8s.io/client-go/util/exec"

	"github.com/restore-drill/drill/assertions"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/scenarios"
)

const ns = "drill-gitlab-1234"

// fakeExecutor stands for the exec through the API server: it records
// where it was asked to run and answers as a container would.
type fakeExecutor struct {
	stdout, stderr string
	err            error
	block          bool // wait for ctx to end, as a program that hangs
	got            []string
}

func (f *fakeExecutor) Exec(ctx context.Context, namespace, pod, container string, argv []string, stdout, stderr io.Writer) error {
	f.got = append([]string{namespace, pod, container}, argv...)
	_, _ = io.WriteString(stdout, f.stdout)
	_, _ = io.WriteString(stderr, f.stderr)
	if f.block {
		<-ctx.Done()
		return fmt.Errorf("stream closed: %w", ctx.Err())
	}
	return f.err
}

func pod(name string, ready bool, labels map[string]string, annotations map[string]string, containers ...string) *corev1.Pod {
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, Labels: labels, Annotations: annotations}}
	for _, c := range containers {
		p.Spec.Containers = append(p.Spec.Containers, corev1.Container{Name: c})
	}
	p.Status.Phase = corev1.PodRunning
	status := corev1.ConditionFalse
	if ready {
		status = corev1.ConditionTrue
	}
	p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: status}}
	return p
}

func runInPod(t *testing.T, timeout time.Duration, cmd scenarios.CommandCheck, exec *fakeExecutor, pods ...*corev1.Pod) assertions.Result {
	t.Helper()
	return runInPodOf(t, ns, timeout, cmd, exec, pods...)
}

// runInPodOf runs the check in a sandbox whose namespace is sandboxNS; the
// pods are in ns.
func runInPodOf(t *testing.T, sandboxNS string, timeout time.Duration, cmd scenarios.CommandCheck, exec *fakeExecutor, pods ...*corev1.Pod) assertions.Result {
	t.Helper()
	cs := fake.NewClientset()
	for _, p := range pods {
		if _, err := cs.CoreV1().Pods(ns).Create(context.Background(), p, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	chk, err := newInPod(scenarios.Check{Name: "in-pod", Timeout: timeout, Command: &cmd},
		func(*rest.Config) (kubernetes.Interface, Executor, error) { return cs, exec, nil })
	if err != nil {
		t.Fatal(err)
	}
	return chk.Run(context.Background(), assertions.ClusterEnv{Kube: sandbox.KubeAccess{Config: &rest.Config{}, Namespace: sandboxNS}})
}

func TestPodOutcomes(t *testing.T) {
	gitlab := map[string]string{"app": "gitlab"}
	rake := []string{"gitlab-rake", "gitlab:check"}
	exitWith := func(code int) error {
		return utilexec.CodeExitError{Err: fmt.Errorf("command terminated with exit code %d", code), Code: code}
	}
	tests := []struct {
		name        string
		cmd         scenarios.CommandCheck
		exec        fakeExecutor
		pods        []*corev1.Pod
		want        results.Outcome
		wantWhere   string // namespace, pod, container the exec went to
		wantMessage string
		sandboxNS   string // the sandbox's namespace, when not the pods'
	}{
		{name: "the first ready pod of the selector, the named container",
			cmd:  scenarios.CommandCheck{Run: rake, Pod: &scenarios.CommandPod{Selector: gitlab, Container: "toolbox"}, Stdout: `Checking GitLab .* Finished`},
			exec: fakeExecutor{stdout: "Checking GitLab Shell ...\nChecking GitLab Shell ... Finished\n"},
			pods: []*corev1.Pod{pod("gitlab-a", false, gitlab, nil, "web", "toolbox"), pod("gitlab-b", true, gitlab, nil, "web", "toolbox"),
				pod("gitlab-c", true, gitlab, nil, "web", "toolbox"), pod("other", true, nil, nil, "toolbox")},
			want: results.Passed, wantWhere: ns + " gitlab-b toolbox"},
		{name: "by name, kubectl's default container",
			cmd:  scenarios.CommandCheck{Run: rake, Pod: &scenarios.CommandPod{Name: "gitlab-0"}},
			pods: []*corev1.Pod{pod("gitlab-0", true, nil, map[string]string{defaultContainerAnnotation: "toolbox"}, "web", "toolbox")},
			want: results.Passed, wantWhere: ns + " gitlab-0 toolbox"},
		{name: "in another namespace",
			cmd:  scenarios.CommandCheck{Run: rake, Pod: &scenarios.CommandPod{Name: "gitlab-0", Namespace: ns}},
			pods: []*corev1.Pod{pod("gitlab-0", true, nil, nil, "toolbox")},
			want: results.Passed, wantWhere: ns + " gitlab-0 toolbox", sandboxNS: "drill-rebuild-1234"},
		{name: "by name, the first container",
			cmd:  scenarios.CommandCheck{Run: rake, Pod: &scenarios.CommandPod{Name: "gitlab-0"}},
			pods: []*corev1.Pod{pod("gitlab-0", true, nil, nil, "web", "toolbox")},
			want: results.Passed, wantWhere: ns + " gitlab-0 web"},
		{name: "another exit code fails with the output",
			cmd:  scenarios.CommandCheck{Run: rake, Pod: &scenarios.CommandPod{Name: "gitlab-0"}},
			exec: fakeExecutor{stderr: "rake aborted!\nno projects\n", err: exitWith(1)},
			pods: []*corev1.Pod{pod("gitlab-0", true, nil, nil, "toolbox")},
			want: results.Failed, wantMessage: "gitlab-rake gitlab:check in pod gitlab-0, container toolbox exited with code 1, not 0; last output:\n    rake aborted!\n    no projects"},
		{name: "the expected exit code passes",
			cmd:  scenarios.CommandCheck{Run: rake, ExitCode: 2, Pod: &scenarios.CommandPod{Name: "gitlab-0"}},
			exec: fakeExecutor{err: exitWith(2)},
			pods: []*corev1.Pod{pod("gitlab-0", true, nil, nil, "toolbox")},
			want: results.Passed},
		{name: "output not matching fails",
			cmd:  scenarios.CommandCheck{Run: rake, Pod: &scenarios.CommandPod{Name: "gitlab-0"}, Stdout: `^Finished$`},
			exec: fakeExecutor{stdout: "Checking ...\n"},
			pods: []*corev1.Pod{pod("gitlab-0", true, nil, nil, "toolbox")},
			want: results.Failed, wantMessage: `does not match "^Finished$"; last output:` + "\n    Checking ..."},
		{name: "a missing pod is an error",
			cmd:  scenarios.CommandCheck{Run: rake, Pod: &scenarios.CommandPod{Name: "gitlab-0"}},
			want: results.Error, wantMessage: "pod gitlab-0 not found in namespace " + ns},
		{name: "a missing container is an error",
			cmd:  scenarios.CommandCheck{Run: rake, Pod: &scenarios.CommandPod{Name: "gitlab-0", Container: "toolbox"}},
			pods: []*corev1.Pod{pod("gitlab-0", true, nil, nil, "web", "sidekiq")},
			want: results.Error, wantMessage: "pod gitlab-0 has no container toolbox: its containers are web, sidekiq"},
		{name: "a transport error is an error",
			cmd:  scenarios.CommandCheck{Run: rake, Pod: &scenarios.CommandPod{Name: "gitlab-0"}},
			exec: fakeExecutor{err: errors.New("error dialing backend: dial tcp 10.0.0.7:10250: connect: connection refused")},
			pods: []*corev1.Pod{pod("gitlab-0", true, nil, nil, "toolbox")},
			want: results.Error, wantMessage: "exec gitlab-rake gitlab:check in pod gitlab-0, container toolbox through the API server: error dialing backend"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exec := tt.exec
			res := runInPodOf(t, cmp.Or(tt.sandboxNS, ns), time.Minute, tt.cmd, &exec, tt.pods...)
			if res.Outcome != tt.want {
				t.Fatalf("outcome %s, want %s: %+v", res.Outcome, tt.want, res)
			}
			if !strings.Contains(res.Message, tt.wantMessage) {
				t.Errorf("message %q lacks %q", res.Message, tt.wantMessage)
			}
			if tt.wantWhere != "" {
				if got := strings.Join(exec.got, " "); got != tt.wantWhere+" "+strings.Join(tt.cmd.Run, " ") {
					t.Errorf("exec in %q, want %q with the program", got, tt.wantWhere)
				}
			}
		})
	}
}

// TestPodTimeouts checks the two waits a pod check can end in: for a ready
// pod, and for the program.
func TestPodTimeouts(t *testing.T) {
	cmd := scenarios.CommandCheck{Run: []string{"sleep", "600"}, Pod: &scenarios.CommandPod{Name: "gitlab-0"}}
	// A second, not less: the pod must have been seen before the check ends,
	// also when the test process is held up for a moment on a loaded machine.
	res := runInPod(t, time.Second, cmd, &fakeExecutor{block: true, stdout: "sleeping\n"}, pod("gitlab-0", true, nil, nil, "toolbox"))
	if res.Outcome != results.Timeout || !strings.Contains(res.Message, "the check's timeout of 1s passed before it ended; last output:\n    sleeping") {
		t.Errorf("a program that hangs: %+v", res)
	}
	res = runInPod(t, time.Second, cmd, &fakeExecutor{}, pod("gitlab-0", false, nil, nil, "toolbox"))
	if res.Outcome != results.Timeout || !strings.Contains(res.Message, "pod gitlab-0 in namespace "+ns+" is not ready (Running, Ready=False)") {
		t.Errorf("a pod never ready: %+v", res)
	}
}

// TestPodByNameWaitsUntilReady starts with the named pod not ready: the
// check waits, through a watch, until it is, then runs the program in it;
// a pod deleted while it waits is an error.
func TestPodByNameWaitsUntilReady(t *testing.T) {
	for _, tt := range []struct {
		name   string
		delete bool
		want   results.Outcome
		msg    string
	}{
		{name: "becomes ready", want: results.Passed},
		{name: "is deleted", delete: true, want: results.Error, msg: "pod gitlab-0 in namespace " + ns + " was deleted while drill waited for it to be ready"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cs := fake.NewClientset()
			ctx := context.Background()
			if _, err := cs.CoreV1().Pods(ns).Create(ctx, pod("gitlab-0", false, nil, nil, "toolbox"), metav1.CreateOptions{}); err != nil {
				t.Fatal(err)
			}
			exec := &fakeExecutor{}
			chk, err := newInPod(scenarios.Check{Name: "in-pod", Timeout: 30 * time.Second, Command: &scenarios.CommandCheck{
				Run: []string{"true"}, Pod: &scenarios.CommandPod{Name: "gitlab-0"},
			}}, func(*rest.Config) (kubernetes.Interface, Executor, error) { return cs, exec, nil })
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan struct{})
			go func() {
				// The fake client sends no event for a write made between
				// the check's list and its watch: write until it has seen one.
				for i := 0; ; i++ {
					select {
					case <-done:
						return
					case <-time.After(50 * time.Millisecond):
					}
					if tt.delete {
						_ = cs.CoreV1().Pods(ns).Delete(ctx, "gitlab-0", metav1.DeleteOptions{})
						_, _ = cs.CoreV1().Pods(ns).Create(ctx, pod("gitlab-0", false, nil, nil, "toolbox"), metav1.CreateOptions{})
						continue
					}
					p := pod("gitlab-0", true, map[string]string{"write": fmt.Sprint(i)}, nil, "toolbox")
					_, _ = cs.CoreV1().Pods(ns).Update(ctx, p, metav1.UpdateOptions{})
				}
			}()
			res := chk.Run(ctx, assertions.ClusterEnv{Kube: sandbox.KubeAccess{Config: &rest.Config{}, Namespace: ns}})
			close(done)
			if res.Outcome != tt.want || !strings.Contains(res.Message, tt.msg) {
				t.Fatalf("outcome %s, message %q: want %s, %q", res.Outcome, res.Message, tt.want, tt.msg)
			}
			if ran := len(exec.got) > 0; ran != (tt.want == results.Passed) {
				t.Errorf("exec ran: %v, want %v", ran, tt.want == results.Passed)
			}
		})
	}
}

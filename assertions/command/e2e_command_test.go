//go:build e2e

package command_test

import (
	"context"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/restore-drill/drill/assertions"
	"github.com/restore-drill/drill/assertions/command"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/kube/lab/labtest"
	"github.com/restore-drill/drill/scenarios"
)

// The pod form against a real API server with kwok as the kubelet: the
// check finds the ready pod of a selector and the container asked for;
// the exec itself cannot run (kwok's node has no kubelet to answer it),
// which must end quickly as an error that says so, not a hang. That a
// program's exit code and output come back through the exec is proven
// only on a real cluster; unit tests cover it with a fake executor.
func TestCommandInAPodOfTheLab(t *testing.T) {
	env := labtest.Start(t)
	cfg := labtest.RESTConfig(t, env)
	cs := labtest.Kube(t, env)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	ns := labtest.Namespace(ctx, t, cs, "e2e-command")
	labels := map[string]string{"app": "gitlab"}
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "gitlab"},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To[int32](1),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{Containers: []corev1.Container{
					{Name: "web", Image: "registry.invalid/gitlab-web:1"},
					{Name: "toolbox", Image: "registry.invalid/gitlab-toolbox:1"},
				}},
			},
		},
	}
	if _, err := cs.AppsV1().Deployments(ns).Create(ctx, d, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create deployment: %v", err)
	}
	cenv := assertions.ClusterEnv{Kube: sandbox.KubeAccess{Config: cfg, Namespace: ns}}
	run := func(t *testing.T, timeout time.Duration, pod scenarios.CommandPod) (assertions.Result, time.Duration) {
		t.Helper()
		chk, err := command.NewInPod(scenarios.Check{Name: "rake", Timeout: timeout, Command: &scenarios.CommandCheck{
			Run: []string{"gitlab-rake", "gitlab:check"}, Pod: &pod,
		}})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		res := chk.Run(ctx, cenv)
		return res, time.Since(start)
	}

	t.Run("a ready pod is found, and the exec kwok cannot serve is an error", func(t *testing.T) {
		res, took := run(t, 90*time.Second, scenarios.CommandPod{Selector: labels, Container: "toolbox"})
		if res.Outcome != results.Error || !strings.Contains(res.Message, "exec gitlab-rake gitlab:check in pod gitlab-") ||
			!strings.Contains(res.Message, ", container toolbox through the API server: ") {
			t.Fatalf("outcome %s, message %q: want an error naming the ready pod and the container", res.Outcome, res.Message)
		}
		if took > 60*time.Second {
			t.Errorf("took %s to give up on the exec", took)
		}
		t.Logf("as expected in the lab (%s): %s", took.Round(time.Millisecond), res.Message)
	})
	t.Run("a pod that does not exist is an error at once", func(t *testing.T) {
		res, took := run(t, time.Minute, scenarios.CommandPod{Name: "gitlab-toolbox-0"})
		if res.Outcome != results.Error || !strings.Contains(res.Message, "pod gitlab-toolbox-0 not found in namespace "+ns) || took > 10*time.Second {
			t.Fatalf("outcome %s after %s, message %q: want an error at once naming the pod", res.Outcome, took, res.Message)
		}
	})
	t.Run("no pod of the selector times out saying so", func(t *testing.T) {
		res, _ := run(t, 2*time.Second, scenarios.CommandPod{Selector: map[string]string{"app": "nothing"}})
		if res.Outcome != results.Timeout || !strings.Contains(res.Message, "no pod of selector app=nothing in namespace "+ns) {
			t.Fatalf("outcome %s, message %q: want a timeout naming the selector", res.Outcome, res.Message)
		}
	})
}

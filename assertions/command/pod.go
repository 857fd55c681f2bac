package command

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/restore-drill/drill/assertions"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/sandbox/kube"
	"github.com/restore-drill/drill/scenarios"
)

// defaultContainerAnnotation names the container kubectl exec picks when
// none is given.
const defaultContainerAnnotation = "kubectl.kubernetes.io/default-container"

// connector reaches a sandbox's cluster: its API and a way to exec in its
// pods. Tests give a fake clientset and a fake executor.
type connector func(cfg *rest.Config) (kubernetes.Interface, Executor, error)

func realConnector(cfg *rest.Config) (kubernetes.Interface, Executor, error) {
	if cfg == nil {
		return nil, nil, fmt.Errorf("the sandbox gives no cluster to exec in: a command check with pod needs a namespace, kind or cluster sandbox")
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("client for %s: %w", cfg.Host, err)
	}
	return cs, kubeExecutor{config: cfg, kube: cs}, nil
}

// podCheck runs the program in a container of a ready pod of the sandbox.
type podCheck struct {
	name    string
	timeout time.Duration
	argv    []string
	pod     scenarios.CommandPod
	expect  expectation
	connect connector
}

// Run chooses the pod (waiting until it is ready), execs the program in it
// and judges how it ended.
func (c *podCheck) Run(ctx context.Context, env assertions.ClusterEnv) assertions.Result {
	cs, executor, err := c.connect(env.Kube.Config)
	if err != nil {
		return c.errorResult(err)
	}
	ctx, cancel := withTimeout(ctx, c.timeout)
	defer cancel()
	namespace := cmp.Or(c.pod.Namespace, env.Kube.Namespace)
	pod, err := c.choosePod(ctx, cs, namespace)
	if err != nil {
		res := c.errorResult(err)
		if ctx.Err() != nil {
			// No pod was ready in time: the error says which pods there were.
			res.Outcome = endedBy(ctx)
		}
		return res
	}
	container, err := chooseContainer(pod, c.pod.Container)
	if err != nil {
		return c.errorResult(err)
	}
	out := newOutput(c.expect.stdout)
	err = executor.Exec(ctx, namespace, pod.Name, container, c.argv, out.stdout, out.stderr)
	where := fmt.Sprintf("%s in pod %s, container %s", describe(c.argv), pod.Name, container)
	var exit interface{ ExitStatus() int }
	switch {
	case ctx.Err() != nil:
		out.abandon()
		return stopped(ctx, c.timeout, where, c.expect, out.tail())
	case err == nil:
		return c.expect.judge(where, ending{code: 0, matched: out.matched(), tail: out.tail()})
	case errors.As(err, &exit):
		return c.expect.judge(where, ending{code: exit.ExitStatus(), matched: out.matched(), tail: out.tail()})
	}
	out.abandon()
	return c.errorResult(fmt.Errorf("exec %s through the API server: %w", where, err))
}

func (c *podCheck) errorResult(err error) assertions.Result {
	return assertions.Result{Outcome: results.Error, Expected: c.expect.String(), Observed: "not run", Message: err.Error()}
}

// choosePod is the pod named, once it is ready, or the first ready pod by
// name that the selector matches, waiting until one is.
func (c *podCheck) choosePod(ctx context.Context, cs kubernetes.Interface, namespace string) (*corev1.Pod, error) {
	if c.pod.Name == "" {
		return kube.ReadyPod(ctx, cs, namespace, "", c.pod.Selector)
	}
	pods := cs.CoreV1().Pods(namespace)
	pod, err := pods.Get(ctx, c.pod.Name, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		return nil, fmt.Errorf("pod %s not found in namespace %s: check the name, or that the app creating it is up", c.pod.Name, namespace)
	case err != nil:
		return nil, fmt.Errorf("read pod %s in namespace %s: %w", c.pod.Name, namespace, err)
	case kube.PodReady(pod):
		return pod, nil
	}
	ev, err := kube.Until(ctx, pods, &corev1.Pod{}, kube.ByName(c.pod.Name), nil, func(ev watch.Event) (bool, error) {
		p, ok := ev.Object.(*corev1.Pod)
		if ev.Type == watch.Deleted {
			return false, fmt.Errorf("pod %s in namespace %s was deleted while drill waited for it to be ready", c.pod.Name, namespace)
		}
		if ok {
			pod = p
		}
		return ok && kube.PodReady(p), nil
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("pod %s in namespace %s is not ready (%s): %w", c.pod.Name, namespace, kube.PodNotReadyReason(pod), context.Cause(ctx))
		}
		return nil, err
	}
	return ev.Object.(*corev1.Pod), nil
}

// chooseContainer is the container named, or as kubectl exec chooses: the
// one the default-container annotation names, else the first.
func chooseContainer(pod *corev1.Pod, name string) (string, error) {
	var names []string
	for _, c := range pod.Spec.Containers {
		names = append(names, c.Name)
	}
	if len(names) == 0 {
		return "", fmt.Errorf("pod %s has no containers", pod.Name)
	}
	if name == "" {
		name = pod.Annotations[defaultContainerAnnotation]
		if name == "" {
			return names[0], nil
		}
	}
	for _, n := range names {
		if n == name {
			return name, nil
		}
	}
	return "", fmt.Errorf("pod %s has no container %s: its containers are %s", pod.Name, name, strings.Join(names, ", "))
}

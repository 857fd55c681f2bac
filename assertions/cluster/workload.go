package cluster

import (
	"context"
	"fmt"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"

	"github.com/restore-drill/drill/assertions"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/sandbox/kube"
	"github.com/restore-drill/drill/scenarios"
)

// podsReportTimeout bounds reading a workload's pods for a failure's message.
const podsReportTimeout = 5 * time.Second

// Workload kinds a workload check names.
const (
	kindDeployment  = "Deployment"
	kindStatefulSet = "StatefulSet"
)

// workloadCheck waits until a Deployment or StatefulSet has rolled out, or
// every pod of a selector is Ready.
type workloadCheck struct {
	name     string
	timeout  time.Duration
	kind     string
	object   string
	selector labels.Selector
	connect  connector
}

func newWorkloadCheck(name string, timeout time.Duration, w scenarios.WorkloadCheck, connect connector) (*workloadCheck, error) {
	c := &workloadCheck{name: name, timeout: timeout, kind: w.Kind, object: w.Name, connect: connect}
	switch {
	case w.Name != "" && len(w.Selector) > 0:
		return nil, fmt.Errorf("check %s: both name and selector are set: keep one", name)
	case w.Name != "":
		if w.Kind != kindDeployment && w.Kind != kindStatefulSet {
			return nil, fmt.Errorf("check %s: kind %q cannot be checked by name: use Deployment or StatefulSet, or a pod selector", name, w.Kind)
		}
	case len(w.Selector) > 0:
		sel, err := labels.ValidatedSelectorFromSet(w.Selector)
		if err != nil {
			return nil, fmt.Errorf("check %s: selector: %w", name, err)
		}
		c.selector = sel
	default:
		return nil, fmt.Errorf("check %s: neither a name nor a selector is set: name a Deployment or StatefulSet, or select pods by label", name)
	}
	return c, nil
}

// subject names what the check waits for, for messages.
func (c *workloadCheck) subject() string {
	if c.selector != nil {
		return "pods " + c.selector.String()
	}
	return strings.ToLower(c.kind) + " " + c.object
}

func (c *workloadCheck) expected() string {
	if c.selector != nil {
		return "all pods ready (at least one)"
	}
	return "rolled out"
}

// Run watches the workload until it is ready or the check's time is up.
func (c *workloadCheck) Run(ctx context.Context, env assertions.ClusterEnv) assertions.Result {
	cl, err := c.connect(env.Kube.Config)
	if err != nil {
		return errorResult(c.expected(), err)
	}
	wctx, cancel := withTimeout(ctx, c.timeout)
	defer cancel()
	lw, obj, judge := c.watchOf(wctx, cl.kube, env.Kube.Namespace)
	last, readyAt, err := watchUntilReady(wctx, lw, obj, judge)
	switch {
	case err != nil:
		return errorResult(c.expected(), fmt.Errorf("watch %s in namespace %s: %w", c.subject(), env.Kube.Namespace, err))
	case last.ready:
		return passed(c.expected(), last.observed, readyAt)
	case last.hopeless != "":
		return assertions.Result{Outcome: results.Failed, Expected: c.expected(), Observed: last.observed,
			Message: c.subject() + ": " + last.hopeless}
	}
	r := endOfWait(ctx, c.timeout, c.subject(), c.expected())
	r.Expected, r.Observed = c.expected(), last.observed
	if last.detail != "" {
		r.Message += ": " + last.detail
	}
	if last.pods != nil && ctx.Err() == nil {
		r.Message += podsReport(ctx, cl.kube, env.Kube.Namespace, last.pods)
	}
	return r
}

// watchOf is what to watch in namespace and how to judge it.
func (c *workloadCheck) watchOf(ctx context.Context, cs kubernetes.Interface, namespace string) (lw *cache.ListWatch, obj runtime.Object, judge func([]any) judgement) {
	switch {
	case c.selector != nil:
		return kube.ListWatch(ctx, cs.CoreV1().Pods(namespace), kube.ByLabels(c.selector)),
			&corev1.Pod{}, func(items []any) judgement { return judgePods(c.selector, items) }
	case c.kind == kindStatefulSet:
		return kube.ListWatch(ctx, cs.AppsV1().StatefulSets(namespace), kube.ByName(c.object)),
			&appsv1.StatefulSet{}, func(items []any) judgement {
				if s, ok := findNamed[*appsv1.StatefulSet](items, c.object); ok {
					return judgeStatefulSet(s)
				}
				return notFound(kindStatefulSet, c.object, namespace)
			}
	default:
		return kube.ListWatch(ctx, cs.AppsV1().Deployments(namespace), kube.ByName(c.object)),
			&appsv1.Deployment{}, func(items []any) judgement {
				if d, ok := findNamed[*appsv1.Deployment](items, c.object); ok {
					return judgeDeployment(d)
				}
				return notFound(kindDeployment, c.object, namespace)
			}
	}
}

// findNamed picks the object called name: a server filters by name, a
// fake client may not.
func findNamed[T metav1.Object](items []any, name string) (T, bool) {
	for _, it := range items {
		if o, ok := it.(T); ok && o.GetName() == name {
			return o, true
		}
	}
	var zero T
	return zero, false
}

func notFound(kind, name, namespace string) judgement {
	return judgement{observed: "not found", detail: fmt.Sprintf("%s %s does not exist in namespace %s", kind, name, namespace)}
}

// podsReport says why a workload's pods are not ready ("; pods: 0/1 pods
// ready; web-5d4f: Pending, PodScheduled=False Unschedulable: ..."), read
// once after the wait; empty when they cannot be listed.
func podsReport(ctx context.Context, cs kubernetes.Interface, namespace string, sel labels.Selector) string {
	ctx, cancel := context.WithTimeout(ctx, podsReportTimeout)
	defer cancel()
	list, err := cs.CoreV1().Pods(namespace).List(ctx, metav1.ListOptions{LabelSelector: sel.String()})
	if err != nil {
		return ""
	}
	items := make([]any, len(list.Items))
	for i := range list.Items {
		items[i] = &list.Items[i]
	}
	j := judgePods(sel, items)
	if j.detail == "" {
		return ""
	}
	return "; pods: " + j.detail
}

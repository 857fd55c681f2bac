package kube

import (
	"context"
	"fmt"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
)

// ReadyPod returns a pod in namespace that is Running and Ready: one behind
// the Service named service (its selector), or else one matching selector.
// When none is ready yet it watches the pods until one is, or until ctx
// ends; the error then says which pods exist and why none is ready.
func ReadyPod(ctx context.Context, cs kubernetes.Interface, namespace string, service string, selector map[string]string) (*corev1.Pod, error) {
	sel, what, err := podSelector(ctx, cs, namespace, service, selector)
	if err != nil {
		return nil, err
	}
	pods := cs.CoreV1().Pods(namespace)
	seen := map[string]*corev1.Pod{}
	// A list and a watch by hand, not Until: an error of the API server
	// (forbidden, say) is returned at once, where an informer would retry
	// the list until ctx ended and then say only that no pod was ready.
	for {
		list, err := pods.List(ctx, metav1.ListOptions{LabelSelector: sel.String()})
		if err != nil {
			if ctx.Err() != nil {
				return nil, notReadyError(ctx, what, namespace, seen)
			}
			return nil, fmt.Errorf("list the pods of %s in namespace %s: %w", what, namespace, err)
		}
		seen = map[string]*corev1.Pod{}
		for i := range list.Items {
			seen[list.Items[i].Name] = &list.Items[i]
		}
		if p := firstReady(seen); p != nil {
			return p, nil
		}
		w, err := pods.Watch(ctx, metav1.ListOptions{LabelSelector: sel.String(), ResourceVersion: list.ResourceVersion})
		if err != nil {
			if ctx.Err() != nil {
				return nil, notReadyError(ctx, what, namespace, seen)
			}
			return nil, fmt.Errorf("watch the pods of %s in namespace %s: %w", what, namespace, err)
		}
		p, done := watchUntilReady(ctx, w, seen)
		w.Stop()
		if p != nil {
			return p, nil
		}
		if done {
			return nil, notReadyError(ctx, what, namespace, seen)
		}
		// The watch ended (a timeout on the server, an expired resource
		// version): list afresh and watch again.
	}
}

// watchUntilReady applies w's events to seen until a pod is ready (returned),
// ctx ends (done) or the watch closes (neither).
func watchUntilReady(ctx context.Context, w watch.Interface, seen map[string]*corev1.Pod) (*corev1.Pod, bool) {
	for {
		select {
		case <-ctx.Done():
			return nil, true
		case ev, ok := <-w.ResultChan():
			if !ok {
				return nil, false
			}
			pod, isPod := ev.Object.(*corev1.Pod)
			switch {
			case ev.Type == watch.Error || !isPod:
				return nil, false
			case ev.Type == watch.Deleted:
				delete(seen, pod.Name)
			default:
				seen[pod.Name] = pod
				if PodReady(pod) {
					return pod, false
				}
			}
		}
	}
}

// podSelector is the label selector of the Service named service, or of
// selector, and words that name it for errors.
func podSelector(ctx context.Context, cs kubernetes.Interface, namespace, service string, selector map[string]string) (labels.Selector, string, error) {
	if service != "" {
		svc, err := cs.CoreV1().Services(namespace).Get(ctx, service, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return nil, "", fmt.Errorf("service %s not found in namespace %s: check the name, or that the app creating it is up", service, namespace)
		}
		if err != nil {
			return nil, "", fmt.Errorf("read service %s in namespace %s: %w", service, namespace, err)
		}
		if len(svc.Spec.Selector) == 0 {
			return nil, "", fmt.Errorf("service %s in namespace %s has no selector, so no pod can be chosen behind it: name the pods by a label selector instead", service, namespace)
		}
		return labels.SelectorFromSet(svc.Spec.Selector), "service " + service, nil
	}
	if len(selector) == 0 {
		return nil, "", fmt.Errorf("no service and no label selector given: say which pods to look for")
	}
	sel := labels.SelectorFromSet(selector)
	return sel, "selector " + sel.String(), nil
}

// PodReady says whether pod is Running, Ready and not being deleted.
func PodReady(pod *corev1.Pod) bool {
	if pod.DeletionTimestamp != nil || pod.Status.Phase != corev1.PodRunning {
		return false
	}
	for _, c := range pod.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// firstReady is the ready pod that comes first by name, so that the choice
// is the same each time for the same pods.
func firstReady(pods map[string]*corev1.Pod) *corev1.Pod {
	for _, name := range sortedNames(pods) {
		if PodReady(pods[name]) {
			return pods[name]
		}
	}
	return nil
}

func sortedNames(pods map[string]*corev1.Pod) []string {
	names := make([]string, 0, len(pods))
	for name := range pods {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// notReadyError says, when ctx ended, which pods there were and why none was
// ready. It wraps ctx's error, so a deadline reads as a timeout.
func notReadyError(ctx context.Context, what, namespace string, pods map[string]*corev1.Pod) error {
	if len(pods) == 0 {
		return fmt.Errorf("no pod of %s in namespace %s: %w", what, namespace, context.Cause(ctx))
	}
	var why []string
	for _, name := range sortedNames(pods) {
		why = append(why, name+": "+PodNotReadyReason(pods[name]))
	}
	return fmt.Errorf("no ready pod of %s in namespace %s (%s): %w", what, namespace, strings.Join(why, "; "), context.Cause(ctx))
}

// PodNotReadyReason says in a few words why pod is not ready: its phase,
// the reason of its Ready or PodScheduled condition, and any container that
// is waiting or has terminated.
func PodNotReadyReason(pod *corev1.Pod) string {
	parts := []string{string(pod.Status.Phase)}
	if pod.Status.Phase == "" {
		parts[0] = "no status yet"
	}
	if pod.DeletionTimestamp != nil {
		parts = append(parts, "being deleted")
	}
	for _, c := range pod.Status.Conditions {
		if (c.Type == corev1.PodReady || c.Type == corev1.PodScheduled) && c.Status != corev1.ConditionTrue {
			parts = append(parts, conditionText(c))
		}
	}
	for _, cs := range append(append([]corev1.ContainerStatus{}, pod.Status.InitContainerStatuses...), pod.Status.ContainerStatuses...) {
		switch {
		case cs.State.Waiting != nil && cs.State.Waiting.Reason != "":
			parts = append(parts, fmt.Sprintf("container %s waiting: %s", cs.Name, cs.State.Waiting.Reason))
		case cs.State.Terminated != nil:
			parts = append(parts, fmt.Sprintf("container %s terminated: %s (exit %d)", cs.Name, cs.State.Terminated.Reason, cs.State.Terminated.ExitCode))
		}
		if cs.RestartCount > 0 {
			parts = append(parts, fmt.Sprintf("container %s restarted %d times", cs.Name, cs.RestartCount))
		}
	}
	return strings.Join(parts, ", ")
}

func conditionText(c corev1.PodCondition) string {
	s := fmt.Sprintf("%s=%s", c.Type, c.Status)
	if c.Reason != "" {
		s += " " + c.Reason
	}
	if c.Message != "" {
		s += ": " + c.Message
	}
	return s
}

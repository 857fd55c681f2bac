package kube

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/ptr"
)

// logTailLines is how much of each container's log Diagnose keeps.
const logTailLines = 200

// Diagnose writes what a person needs to see why something in namespace ns
// failed into dir: events.txt (the namespace's events, oldest first),
// pods.txt (each pod's phase, conditions, container states and restart
// counts) and logs/POD_CONTAINER.txt (the last lines of each container's
// log; POD_CONTAINER.previous.txt too when it restarted). It returns the
// files' names relative to dir. It is best effort: what fails is skipped (a
// log that cannot be read gets a file that says why) and reported in the
// error, and the rest is still written.
func Diagnose(ctx context.Context, cs kubernetes.Interface, ns, dir string) ([]string, error) {
	if err := os.MkdirAll(filepath.Join(dir, "logs"), 0o755); err != nil {
		return nil, fmt.Errorf("diagnostics of namespace %s: %w", ns, err)
	}
	var files []string
	var errs []error
	write := func(name string, content []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			errs = append(errs, err)
			return
		}
		files = append(files, name)
	}

	if events, err := cs.CoreV1().Events(ns).List(ctx, metav1.ListOptions{}); err != nil {
		errs = append(errs, fmt.Errorf("list the events of namespace %s: %w", ns, err))
	} else {
		write("events.txt", formatEvents(events.Items))
	}

	pods, err := cs.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		errs = append(errs, fmt.Errorf("list the pods of namespace %s: %w", ns, err))
	} else {
		sort.Slice(pods.Items, func(i, j int) bool { return pods.Items[i].Name < pods.Items[j].Name })
		write("pods.txt", formatPods(pods.Items))
		for _, pod := range pods.Items {
			for _, c := range containerStatuses(&pod) {
				name := filepath.Join("logs", fileName(pod.Name+"_"+c.Name))
				content, err := containerLog(ctx, cs, ns, pod.Name, c.Name, false)
				if err != nil {
					errs = append(errs, err)
				}
				write(name+".txt", content)
				if c.RestartCount > 0 {
					content, err := containerLog(ctx, cs, ns, pod.Name, c.Name, true)
					if err != nil {
						errs = append(errs, err)
					}
					write(name+".previous.txt", content)
				}
			}
		}
	}
	return files, errors.Join(errs...)
}

// containerLog is the last lines of a container's log; when it cannot be
// read, the text says why (and the error is returned too).
func containerLog(ctx context.Context, cs kubernetes.Interface, ns, pod, container string, previous bool) ([]byte, error) {
	which := "log"
	if previous {
		which = "previous log"
	}
	req := cs.CoreV1().Pods(ns).GetLogs(pod, &corev1.PodLogOptions{Container: container, Previous: previous, TailLines: ptr.To[int64](logTailLines)})
	stream, err := req.Stream(ctx)
	if err == nil {
		defer stream.Close()
		var buf bytes.Buffer
		if _, err = io.Copy(&buf, stream); err == nil {
			return buf.Bytes(), nil
		}
	}
	err = fmt.Errorf("%s of container %s in pod %s: %w", which, container, pod, err)
	return []byte(fmt.Sprintf("no %s: %v\n", which, err)), err
}

// containerStatuses are the statuses of a pod's init and app containers;
// a container with no status yet is listed by its name from the spec.
func containerStatuses(pod *corev1.Pod) []corev1.ContainerStatus {
	have := map[string]bool{}
	var all []corev1.ContainerStatus
	for _, c := range append(append([]corev1.ContainerStatus{}, pod.Status.InitContainerStatuses...), pod.Status.ContainerStatuses...) {
		have[c.Name] = true
		all = append(all, c)
	}
	for _, c := range append(append([]corev1.Container{}, pod.Spec.InitContainers...), pod.Spec.Containers...) {
		if !have[c.Name] {
			all = append(all, corev1.ContainerStatus{Name: c.Name})
		}
	}
	return all
}

// fileName keeps letters, digits, dots, dashes and underscores.
func fileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '_'
	}, s)
}

// eventTime is when an event last happened, from whichever field the
// reporter filled.
func eventTime(e *corev1.Event) time.Time {
	switch {
	case !e.LastTimestamp.IsZero():
		return e.LastTimestamp.Time
	case e.Series != nil && !e.Series.LastObservedTime.IsZero():
		return e.Series.LastObservedTime.Time
	case !e.EventTime.IsZero():
		return e.EventTime.Time
	case !e.FirstTimestamp.IsZero():
		return e.FirstTimestamp.Time
	}
	return e.CreationTimestamp.Time
}

// formatEvents is one line per event, oldest first.
func formatEvents(events []corev1.Event) []byte {
	sort.SliceStable(events, func(i, j int) bool { return eventTime(&events[i]).Before(eventTime(&events[j])) })
	var b bytes.Buffer
	if len(events) == 0 {
		b.WriteString("no events\n")
	}
	for i := range events {
		e := &events[i]
		fmt.Fprintf(&b, "%s  %-7s  %-20s  %s/%s: %s", eventTime(e).UTC().Format(time.RFC3339), e.Type, e.Reason,
			e.InvolvedObject.Kind, e.InvolvedObject.Name, strings.TrimSpace(e.Message))
		if e.Count > 1 {
			fmt.Fprintf(&b, " (x%d)", e.Count)
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// formatPods describes each pod: phase, node, conditions, containers.
func formatPods(pods []corev1.Pod) []byte {
	var b bytes.Buffer
	if len(pods) == 0 {
		b.WriteString("no pods\n")
	}
	for i := range pods {
		p := &pods[i]
		fmt.Fprintf(&b, "pod %s: %s", p.Name, p.Status.Phase)
		if p.Spec.NodeName != "" {
			fmt.Fprintf(&b, " on node %s", p.Spec.NodeName)
		}
		if p.Status.Reason != "" {
			fmt.Fprintf(&b, " (%s: %s)", p.Status.Reason, p.Status.Message)
		}
		b.WriteByte('\n')
		for _, c := range p.Status.Conditions {
			fmt.Fprintf(&b, "  condition %s=%s", c.Type, c.Status)
			if c.Reason != "" || c.Message != "" {
				fmt.Fprintf(&b, " %s %s", c.Reason, strings.TrimSpace(c.Message))
			}
			b.WriteByte('\n')
		}
		for _, c := range containerStatuses(p) {
			fmt.Fprintf(&b, "  container %s: ready=%t restarts=%d state=%s", c.Name, c.Ready, c.RestartCount, stateText(c.State))
			if c.LastTerminationState.Terminated != nil {
				fmt.Fprintf(&b, " last=%s", stateText(c.LastTerminationState))
			}
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

func stateText(s corev1.ContainerState) string {
	switch {
	case s.Running != nil:
		return "running since " + s.Running.StartedAt.UTC().Format(time.RFC3339)
	case s.Waiting != nil:
		return strings.TrimSpace("waiting " + s.Waiting.Reason + " " + s.Waiting.Message)
	case s.Terminated != nil:
		return strings.TrimSpace(fmt.Sprintf("terminated %s exit %d %s", s.Terminated.Reason, s.Terminated.ExitCode, s.Terminated.Message))
	}
	return "unknown"
}

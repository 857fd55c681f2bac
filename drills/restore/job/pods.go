package job

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
)

// hopeless are the waiting reasons no retry mends within a drill: the image
// cannot be pulled, or the container cannot be configured (a Secret or key
// that is missing).
var hopeless = map[string]bool{
	"ErrImagePull":               true,
	"ImagePullBackOff":           true,
	"InvalidImageName":           true,
	"ErrImageNeverPull":          true,
	"CreateContainerConfigError": true,
	"CreateContainerError":       true,
}

// stuckError is a pod of the Job that cannot start.
type stuckError struct {
	pod, container, reason, message string
}

func (e *stuckError) Error() string {
	s := fmt.Sprintf("pod %s cannot start: container %s: %s", e.pod, e.container, e.reason)
	if e.message != "" {
		s += ": " + e.message
	}
	return s
}

// cannotStart is a stuckError when a container of the pod waits for a
// reason that will not pass.
func cannotStart(p *corev1.Pod) error {
	for _, cs := range append(append([]corev1.ContainerStatus{}, p.Status.InitContainerStatuses...), p.Status.ContainerStatuses...) {
		if w := cs.State.Waiting; w != nil && hopeless[w.Reason] {
			return &stuckError{pod: p.Name, container: cs.Name, reason: w.Reason, message: w.Message}
		}
	}
	return nil
}

// started says whether the restore container has run, so that it has a log.
func started(p *corev1.Pod) bool {
	for _, cs := range p.Status.ContainerStatuses {
		if cs.Name == ContainerName && (cs.State.Running != nil || cs.State.Terminated != nil) {
			return true
		}
	}
	return false
}

// terminated is how the restore container ended, or nil.
func terminated(p *corev1.Pod) *corev1.ContainerStateTerminated {
	for _, cs := range p.Status.ContainerStatuses {
		if cs.Name == ContainerName && cs.State.Terminated != nil {
			return cs.State.Terminated
		}
	}
	return nil
}

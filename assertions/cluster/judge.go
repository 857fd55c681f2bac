package cluster

import (
	"fmt"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/restore-drill/drill/sandbox/kube"
)

// maxListed bounds how many unready pods a message names.
const maxListed = 5

// judgeDeployment says whether a Deployment's rollout is complete: the
// controller has seen the newest spec, and every desired replica is
// updated, ready and available, with no old replica left.
func judgeDeployment(d *appsv1.Deployment) judgement {
	desired := replicas(d.Spec.Replicas)
	st := d.Status
	lag := rolloutLag(d.Generation, st.ObservedGeneration, st.UpdatedReplicas, desired)
	if st.AvailableReplicas != desired {
		lag = append(lag, fmt.Sprintf("%d/%d available", st.AvailableReplicas, desired))
	}
	if st.Replicas > st.UpdatedReplicas {
		lag = append(lag, fmt.Sprintf("%d old replicas pending termination", st.Replicas-st.UpdatedReplicas))
	}
	j := readiness(st.ReadyReplicas, desired, lag)
	j.pods = podSelector(d.Spec.Selector)
	for _, c := range st.Conditions {
		if c.Type == appsv1.DeploymentProgressing && c.Reason == "ProgressDeadlineExceeded" && !j.ready {
			j.hopeless = "rollout exceeded its progress deadline: " + c.Message
		}
	}
	return j
}

// judgeStatefulSet says whether a StatefulSet's rollout is complete: the
// newest spec observed, every replica ready and updated, and the current
// revision the update revision.
func judgeStatefulSet(s *appsv1.StatefulSet) judgement {
	desired := replicas(s.Spec.Replicas)
	st := s.Status
	lag := rolloutLag(s.Generation, st.ObservedGeneration, st.UpdatedReplicas, desired)
	if st.CurrentRevision != st.UpdateRevision {
		lag = append(lag, fmt.Sprintf("revision %s not yet current (current %s)", st.UpdateRevision, st.CurrentRevision))
	}
	j := readiness(st.ReadyReplicas, desired, lag)
	j.pods = podSelector(s.Spec.Selector)
	return j
}

// podSelector is a workload's pod selector, or nil when it has none that
// selects anything.
func podSelector(ls *metav1.LabelSelector) labels.Selector {
	sel, err := metav1.LabelSelectorAsSelector(ls)
	if err != nil || ls == nil || sel.Empty() {
		return nil
	}
	return sel
}

// rolloutLag says what a Deployment's or StatefulSet's controller has not
// caught up with yet: the newest spec, and replicas of the newest template.
func rolloutLag(generation, observed int64, updated, desired int32) []string {
	var lag []string
	if observed < generation {
		lag = append(lag, fmt.Sprintf("generation %d not yet observed", generation))
	}
	if updated != desired {
		lag = append(lag, fmt.Sprintf("%d/%d updated", updated, desired))
	}
	return lag
}

// readiness is ready when every desired replica is ready and nothing lags.
func readiness(ready, desired int32, lag []string) judgement {
	j := judgement{observed: fmt.Sprintf("%d/%d ready", ready, desired)}
	j.ready = ready == desired && len(lag) == 0
	if !j.ready {
		j.detail = strings.Join(append([]string{j.observed}, lag...), ", ")
	}
	return j
}

// replicas is a spec's replica count; unset means 1.
func replicas(n *int32) int32 {
	if n == nil {
		return 1
	}
	return *n
}

// judgePods says whether at least one pod matches and all are Ready. Pods
// being deleted and pods that ran to completion are left out: neither is
// meant to serve.
func judgePods(sel labels.Selector, items []any) judgement {
	var total, ready int
	var unready []string
	for _, it := range items {
		p, ok := it.(*corev1.Pod)
		if !ok || !sel.Matches(labels.Set(p.Labels)) || p.DeletionTimestamp != nil || p.Status.Phase == corev1.PodSucceeded {
			continue
		}
		total++
		if kube.PodReady(p) {
			ready++
			continue
		}
		unready = append(unready, p.Name+": "+kube.PodNotReadyReason(p))
	}
	if total == 0 {
		return judgement{observed: "no pods", detail: "no pod matches the selector"}
	}
	j := judgement{observed: fmt.Sprintf("%d/%d pods ready", ready, total), ready: ready == total}
	if !j.ready {
		sort.Strings(unready)
		if len(unready) > maxListed {
			unready = append(unready[:maxListed], fmt.Sprintf("and %d more", len(unready)-maxListed))
		}
		j.detail = j.observed + "; " + strings.Join(unready, "; ")
	}
	return j
}

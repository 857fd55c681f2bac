package namespace

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"

	"github.com/restore-drill/drill/sandbox/kube"
)

// deleteNamespace deletes the namespace name, in the foreground, and
// watches until it is gone or ctx ends. It first checks that the namespace
// is drill's and, when runID is set, that run's; when uid is set, that it is
// that very object (not a namespace of the same name made since). A
// namespace already gone is no error.
func deleteNamespace(ctx context.Context, cs kubernetes.Interface, name, runID string, uid types.UID) error {
	ns, err := cs.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read namespace %s before deleting it: %w", name, err)
	}
	if err := ownedBy(ns, runID, uid); err != nil {
		return err
	}
	if ns.DeletionTimestamp == nil {
		propagation := metav1.DeletePropagationForeground
		err = cs.CoreV1().Namespaces().Delete(ctx, name, metav1.DeleteOptions{
			PropagationPolicy: &propagation,
			Preconditions:     &metav1.Preconditions{UID: &ns.UID},
		})
		if apierrors.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("delete namespace %s: %w", name, err)
		}
	}
	return waitNamespaceGone(ctx, cs, name)
}

// ownedBy refuses a namespace that drill, or the run, did not make.
func ownedBy(ns *corev1.Namespace, runID string, uid types.UID) error {
	if ns.Labels[kube.LabelManagedBy] != kube.ManagedBy {
		return fmt.Errorf("namespace %s has no label %s=%s: drill did not make it and will not delete it", ns.Name, kube.LabelManagedBy, kube.ManagedBy)
	}
	if runID != "" && ns.Labels[kube.LabelRunID] != runID {
		return fmt.Errorf("namespace %s belongs to run %q, not %s: not deleting it", ns.Name, ns.Labels[kube.LabelRunID], runID)
	}
	if uid != "" && ns.UID != uid {
		return fmt.Errorf("namespace %s is not the one run %s made (uid %s, not %s): not deleting it", ns.Name, runID, ns.UID, uid)
	}
	return nil
}

// waitNamespaceGone watches the namespace until the API server reports it
// deleted (its finalizers done, every object in it removed), or ctx ends.
func waitNamespaceGone(ctx context.Context, cs kubernetes.Interface, name string) error {
	var last *corev1.Namespace
	err := untilGone(ctx, cs.CoreV1().Namespaces(), &corev1.Namespace{}, name,
		func(obj runtime.Object) { last, _ = obj.(*corev1.Namespace) })
	if err != nil {
		return fmt.Errorf("namespace %s not gone yet%s: %w", name, terminatingState(last), err)
	}
	return nil
}

// terminatingState says what a namespace still waits for, from its
// conditions ("NamespaceContentRemaining: Some resources are remaining").
func terminatingState(ns *corev1.Namespace) string {
	if ns == nil {
		return ""
	}
	for _, c := range ns.Status.Conditions {
		if c.Status == corev1.ConditionTrue && c.Message != "" {
			return fmt.Sprintf(" (%s: %s)", c.Type, c.Message)
		}
	}
	return fmt.Sprintf(" (%s)", ns.Status.Phase)
}

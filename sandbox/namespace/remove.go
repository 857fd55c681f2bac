package namespace

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"

	"github.com/restore-drill/drill/sandbox/kube"
)

// Remove deletes one leftover and watches until it is gone, or ctx ends.
// It reads the object first and refuses one without drill's label or of
// another run, and deletes only that very object (its uid). A namespace is
// deleted in the foreground, with everything in it. An Application is
// deleted as it is: drill adds no cascade finalizer here. What a sandbox's
// Application deployed lives in its run's namespace, which goes too; a
// rebuild's root carries Argo CD's resources finalizer from its creation,
// so Argo CD deletes its child Applications before the root disappears
// (and a child's own objects only when the child carries that finalizer
// too; otherwise they go with the run's labelled namespaces, or stay).
// Something already gone is no error.
func Remove(ctx context.Context, cs kubernetes.Interface, dyn dynamic.Interface, l Leftover) error {
	if l.Kind == KindNamespace {
		return deleteNamespace(ctx, cs, l.Name, l.RunID, l.UID)
	}
	k, ok := kindOf(l.Kind)
	if !ok {
		return fmt.Errorf("remove %s %s: drill does not remove that kind", l.Kind, l.Name)
	}
	return removeLabelled(ctx, cs, k.client(dyn, l.Namespace), l)
}

func removeLabelled(ctx context.Context, cs kubernetes.Interface, rc dynamic.ResourceInterface, l Leftover) error {
	obj, err := rc.Get(ctx, l.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s before deleting it: %w", l.object(), err)
	}
	if err := labelledBy(obj, l); err != nil {
		return err
	}
	if obj.GetLabels()[kube.LabelManagedBy] == helmManagedBy {
		if err := checkHelmRelease(ctx, cs, obj, l); err != nil {
			return err
		}
	}
	if obj.GetDeletionTimestamp() == nil {
		uid := obj.GetUID()
		err = rc.Delete(ctx, l.Name, metav1.DeleteOptions{Preconditions: &metav1.Preconditions{UID: &uid}})
		if apierrors.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("delete %s: %w", l.object(), err)
		}
	}
	if err := waitGone(ctx, rc, l.Name); err != nil {
		return fmt.Errorf("%s not gone yet (finalizers %v): %w", l.object(), obj.GetFinalizers(), err)
	}
	return nil
}

// object names the leftover for an error: "Secret x in namespace argocd".
func (l Leftover) object() string {
	if l.Namespace == "" {
		return l.Kind + " " + l.Name
	}
	return l.Kind + " " + l.Name + " in namespace " + l.Namespace
}

// labelledBy refuses an object that is not drill's, not the leftover's
// run's, or not the very object that was listed.
func labelledBy(obj *unstructured.Unstructured, l Leftover) error {
	lbl := obj.GetLabels()
	switch {
	case lbl[kube.LabelManagedBy] != kube.ManagedBy && !(lbl[kube.LabelManagedBy] == helmManagedBy && l.Namespace == ""):
		return fmt.Errorf("%s %s has no label %s=%s: drill did not make it and will not delete it", l.Kind, l.Name, kube.LabelManagedBy, kube.ManagedBy)
	case lbl[kube.LabelRunID] != l.RunID:
		return fmt.Errorf("%s %s belongs to run %q, not %s: not deleting it", l.Kind, l.Name, lbl[kube.LabelRunID], l.RunID)
	case l.UID != "" && obj.GetUID() != l.UID:
		return fmt.Errorf("%s %s is not the object that was listed (uid %s, not %s): not deleting it", l.Kind, l.Name, obj.GetUID(), l.UID)
	}
	return nil
}

// waitGone watches one object of rc until it is deleted or ctx ends.
func waitGone(ctx context.Context, rc dynamic.ResourceInterface, name string) error {
	return untilGone(ctx, rc, &unstructured.Unstructured{}, name, nil)
}

package helm

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/tools/cache"

	"github.com/restore-drill/drill/sandbox/kube"
)

// madeObject is a cluster-scoped object an Installer made outside Helm's
// release (a namespace, a CRD of the chart's crds/): its uid makes sure
// that only that very object is removed, not one of the same name made
// since.
type madeObject struct {
	resource schema.GroupVersionResource
	kind     string
	// namespace is "" for a cluster-scoped object.
	namespace string
	name      string
	// uid is "" when not known (a hook's object).
	uid types.UID
}

func (m madeObject) String() string {
	if m.namespace != "" {
		return m.kind + " " + m.namespace + "/" + m.name
	}
	return m.kind + " " + m.name
}

// remove deletes the object and watches until it is gone; one already gone
// is no error. Background propagation, as for the release (see
// Uninstall): a namespace is gone only once everything in it is anyway,
// and a CRD once its custom resources are.
func (m madeObject) remove(ctx context.Context, dyn dynamic.Interface) error {
	var client dynamic.ResourceInterface = dyn.Resource(m.resource)
	if m.namespace != "" {
		client = dyn.Resource(m.resource).Namespace(m.namespace)
	}
	propagation := metav1.DeletePropagationBackground
	opts := metav1.DeleteOptions{PropagationPolicy: &propagation}
	if m.uid != "" {
		opts.Preconditions = &metav1.Preconditions{UID: &m.uid}
	}
	err := client.Delete(ctx, m.name, opts)
	switch {
	case apierrors.IsNotFound(err), apierrors.IsConflict(err):
		// gone, or another object of the same name: not ours
		return nil
	case err != nil:
		return fmt.Errorf("helm: delete %s: %w", m, err)
	}
	gone := func(u *unstructured.Unstructured, deleted bool) bool {
		return deleted || (m.uid != "" && u.GetUID() != m.uid)
	}
	if err := untilObject(ctx, client, m.name, gone); err != nil {
		return fmt.Errorf("helm: %s not gone yet: %w", m, err)
	}
	return nil
}

// untilObject watches the object called name until cond holds or ctx
// ends: a watch, not a poll, so that the moment is seen at once. cond gets
// the object's latest state, or deleted set (and a nil object when it was
// not there at the start).
func untilObject(ctx context.Context, client dynamic.ResourceInterface, name string, cond func(u *unstructured.Unstructured, deleted bool) bool) error {
	present := func(store cache.Store) (bool, error) {
		for _, obj := range store.List() {
			if u, ok := obj.(*unstructured.Unstructured); ok {
				return cond(u, false), nil
			}
		}
		return cond(nil, true), nil
	}
	_, err := kube.Until(ctx, client, &unstructured.Unstructured{}, kube.ByName(name), present, func(ev watch.Event) (bool, error) {
		u, ok := ev.Object.(*unstructured.Unstructured)
		if !ok {
			return false, nil
		}
		return cond(u, ev.Type == watch.Deleted), nil
	})
	if err != nil && ctx.Err() != nil {
		// The watch says only "timed out waiting for the condition".
		return ctxError(ctx)
	}
	return err
}

// ctxError is why ctx ended: its error (context.DeadlineExceeded or
// context.Canceled, which decide drill's exit code), with the cause when
// one was given ("Argo CD was not installed and ready after 10m").
func ctxError(ctx context.Context) error {
	if cause := context.Cause(ctx); cause != nil && cause != ctx.Err() {
		return fmt.Errorf("%w: %v", ctx.Err(), cause)
	}
	return ctx.Err()
}

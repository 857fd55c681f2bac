package namespace

import (
	"context"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/tools/cache"
	watchtools "k8s.io/client-go/tools/watch"
)

// lister and watcher are a client's List and Watch for one kind.
type (
	lister  func(context.Context, metav1.ListOptions) (runtime.Object, error)
	watcher func(context.Context, metav1.ListOptions) (watch.Interface, error)
)

// untilGone watches the object called name until the API server reports it
// deleted, or ctx ends: a watch, not a poll, so that the moment it is gone
// is seen at once. seen, when set, gets each state of the object on the way.
func untilGone(ctx context.Context, list lister, watchFn watcher, example runtime.Object, name string, seen func(runtime.Object)) error {
	selector := fields.OneTermEqualSelector("metadata.name", name).String()
	lw := &cache.ListWatch{
		ListFunc: func(o metav1.ListOptions) (runtime.Object, error) {
			o.FieldSelector = selector
			return list(ctx, o)
		},
		WatchFunc: func(o metav1.ListOptions) (watch.Interface, error) {
			o.FieldSelector = selector
			return watchFn(ctx, o)
		},
	}
	named := func(obj any) bool {
		m, err := meta.Accessor(obj)
		return err == nil && m.GetName() == name
	}
	gone := func(store cache.Store) (bool, error) {
		for _, obj := range store.List() {
			if named(obj) {
				if seen != nil {
					seen(obj.(runtime.Object))
				}
				return false, nil
			}
		}
		return true, nil
	}
	_, err := watchtools.UntilWithSync(ctx, lw, example, gone, func(ev watch.Event) (bool, error) {
		if !named(ev.Object) {
			return false, nil // a client that ignores the field selector
		}
		if seen != nil {
			seen(ev.Object)
		}
		return ev.Type == watch.Deleted, nil
	})
	if err != nil && ctx.Err() != nil {
		// The watch says only "timed out waiting for the condition"; the
		// context says whether that was a deadline or an interrupt.
		return context.Cause(ctx)
	}
	return err
}

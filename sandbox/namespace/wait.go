package namespace

import (
	"context"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/tools/cache"

	"github.com/restore-drill/drill/sandbox/kube"
)

// untilGone watches the object called name until the API server reports it
// deleted, or ctx ends: a watch, not a poll, so that the moment it is gone
// is seen at once. seen, when set, gets each state of the object on the way.
func untilGone[L runtime.Object](ctx context.Context, c kube.Client[L], example runtime.Object, name string, seen func(runtime.Object)) error {
	gone := func(store cache.Store) (bool, error) {
		objs := store.List()
		if len(objs) == 0 {
			return true, nil
		}
		if seen != nil {
			seen(objs[0].(runtime.Object))
		}
		return false, nil
	}
	_, err := kube.Until(ctx, c, example, kube.ByName(name), gone, func(ev watch.Event) (bool, error) {
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

package cluster

import (
	"context"
	"fmt"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/cache"
)

// judgement is what a watched set of objects looks like now.
type judgement struct {
	ready bool
	// observed is short ("2/3 ready"); detail says more for the message.
	observed string
	detail   string
	// hopeless, when set, says why waiting longer cannot help (a rollout
	// past its progress deadline): the check fails at once.
	hopeless string
	// pods, for a Deployment or StatefulSet, selects its pods, which say
	// why it is not ready.
	pods labels.Selector
}

// watchUntilReady keeps an informer over lw and judges every object it
// holds after each change, until the judgement is ready or hopeless, or ctx
// ends. It returns the last judgement and, when ready, the moment readiness
// was first seen (an event is judged as soon as it arrives: no poll delays
// it). A list refused for good (forbidden, unauthorized) ends the wait with
// that error; other list errors (the API server away for a moment) are
// retried by the informer and returned only if ctx ends before a list
// succeeds.
func watchUntilReady(ctx context.Context, lw *cache.ListWatch, obj runtime.Object, judge func([]any) judgement) (judgement, time.Time, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		mu      sync.Mutex
		listErr error
	)
	list := lw.ListFunc
	lw.ListFunc = func(o metav1.ListOptions) (runtime.Object, error) {
		out, err := list(o)
		mu.Lock()
		listErr = err
		mu.Unlock()
		if apierrors.IsForbidden(err) || apierrors.IsUnauthorized(err) {
			cancel(err)
		}
		return out, err
	}

	changed := make(chan struct{}, 1)
	notify := func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	}
	store, ctrl := cache.NewInformerWithOptions(cache.InformerOptions{
		ListerWatcher: lw,
		ObjectType:    obj,
		Handler: cache.ResourceEventHandlerFuncs{
			AddFunc:    func(any) { notify() },
			UpdateFunc: func(any, any) { notify() },
			DeleteFunc: func(any) { notify() },
		},
	})
	// An empty list brings no event: judge once the first list is in.
	syncDone := make(chan struct{})
	go func() {
		defer close(syncDone)
		cache.WaitForCacheSync(ctx.Done(), ctrl.HasSynced)
	}()
	defer func() { <-syncDone }()
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		ctrl.Run(ctx.Done())
	}()
	defer func() {
		cancel(nil)
		<-stopped
	}()
	synced := syncDone

	last := judgement{observed: "not listed yet"}
	for {
		select {
		case <-ctx.Done():
			mu.Lock()
			err := listErr
			mu.Unlock()
			if cause := context.Cause(ctx); cause != ctx.Err() {
				return last, time.Time{}, cause
			}
			if !ctrl.HasSynced() && err != nil {
				return last, time.Time{}, fmt.Errorf("the API server did not answer: %w", err)
			}
			return last, time.Time{}, nil
		case <-changed:
		case <-synced:
			synced = nil
		}
		if !ctrl.HasSynced() {
			continue
		}
		last = judge(store.List())
		if last.ready {
			return last, time.Now(), nil
		}
		if last.hopeless != "" {
			return last, time.Time{}, nil
		}
	}
}

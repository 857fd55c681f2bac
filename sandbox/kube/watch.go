package kube

import (
	"context"
	"sync"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/tools/cache"
	watchtools "k8s.io/client-go/tools/watch"
)

// Selector picks the objects a watch follows: the one called Name, those
// whose labels match Labels, or both. The zero Selector picks every object
// of the kind.
type Selector struct {
	Name   string
	Labels labels.Selector
}

// ByName picks the one object called name.
func ByName(name string) Selector { return Selector{Name: name} }

// ByLabels picks the objects whose labels match sel.
func ByLabels(sel labels.Selector) Selector { return Selector{Labels: sel} }

// apply restricts a list or watch request to what s picks, so that the API
// server sends nothing else.
func (s Selector) apply(o *metav1.ListOptions) {
	if s.Name != "" {
		o.FieldSelector = fields.OneTermEqualSelector("metadata.name", s.Name).String()
	}
	if s.Labels != nil {
		o.LabelSelector = s.Labels.String()
	}
}

// picks says whether obj is one s picks. The API server applies the
// selectors itself; client-go's fake clients ignore field selectors, and
// their watches label selectors too.
func (s Selector) picks(obj runtime.Object) bool {
	m, err := meta.Accessor(obj)
	if err != nil {
		return false
	}
	return (s.Name == "" || m.GetName() == s.Name) &&
		(s.Labels == nil || s.Labels.Matches(labels.Set(m.GetLabels())))
}

// Client is one kind's List and Watch, as every typed client
// (cs.BatchV1().Jobs(ns)) and dynamic client (dyn.Resource(gvr)) has them.
type Client[L runtime.Object] interface {
	List(ctx context.Context, opts metav1.ListOptions) (L, error)
	Watch(ctx context.Context, opts metav1.ListOptions) (watch.Interface, error)
}

// ListWatch lists and watches, through c, the objects sel picks, and only
// those: objects a client sent although sel does not pick them are dropped
// from its lists and watches. A list ends with ctx. A watch is opened
// without ctx's cancellation: the informer that uses it stops it itself
// when ctx ends, while a watch broken by ctx makes client-go log a warning.
func ListWatch[L runtime.Object](ctx context.Context, c Client[L], sel Selector) *cache.ListWatch {
	return &cache.ListWatch{
		ListFunc: func(o metav1.ListOptions) (runtime.Object, error) {
			sel.apply(&o)
			list, err := c.List(ctx, o)
			if err != nil {
				return nil, err // a nil *PodList would be a non-nil runtime.Object
			}
			return list, pickedItems(list, sel)
		},
		WatchFunc: func(o metav1.ListOptions) (watch.Interface, error) {
			sel.apply(&o)
			w, err := c.Watch(context.WithoutCancel(ctx), o)
			if err != nil || (sel.Name == "" && sel.Labels == nil) {
				return w, err
			}
			return pickedEvents(w, sel), nil
		},
	}
}

// Until lists and watches the objects sel picks (an informer, so a dropped
// watch is resumed) and hands each of their events to cond until cond says
// done, returns an error, or ctx ends; see watchtools.UntilWithSync, also
// for pre, which decides first from the listed objects, and for the event
// returned. example is an object of the kind (&batchv1.Job{},
// &unstructured.Unstructured{}). When ctx ends the error says only that
// the wait timed out: the caller says what ctx's end means.
func Until[L runtime.Object](ctx context.Context, c Client[L], example runtime.Object, sel Selector, pre watchtools.PreconditionFunc, cond watchtools.ConditionFunc) (*watch.Event, error) {
	return watchtools.UntilWithSync(ctx, ListWatch(ctx, c, sel), example, pre, cond)
}

// pickedItems removes from list the items sel does not pick.
func pickedItems(list runtime.Object, sel Selector) error {
	items, err := meta.ExtractList(list)
	if err != nil {
		return err
	}
	picked := make([]runtime.Object, 0, len(items))
	for _, it := range items {
		if sel.picks(it) {
			picked = append(picked, it)
		}
	}
	if len(picked) == len(items) {
		return nil
	}
	return meta.SetList(list, picked)
}

// pickedEvents passes on w's events but those of objects sel does not pick.
// Errors and bookmarks name no object and always pass.
func pickedEvents(w watch.Interface, sel Selector) watch.Interface {
	f := &filteredWatch{in: w, out: make(chan watch.Event), stop: make(chan struct{})}
	go func() {
		defer close(f.out)
		for ev := range w.ResultChan() {
			if ev.Type != watch.Error && ev.Type != watch.Bookmark && !sel.picks(ev.Object) {
				continue
			}
			select {
			case f.out <- ev:
			case <-f.stop:
				return
			}
		}
	}()
	return f
}

// filteredWatch is pickedEvents' watch. Unlike watch.Filter's, its
// goroutine ends on Stop even when nobody reads its events any more.
type filteredWatch struct {
	in   watch.Interface
	out  chan watch.Event
	stop chan struct{}
	once sync.Once
}

func (f *filteredWatch) ResultChan() <-chan watch.Event { return f.out }

func (f *filteredWatch) Stop() {
	f.once.Do(func() { close(f.stop) })
	f.in.Stop()
}

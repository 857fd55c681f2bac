package kube

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/cache"
)

func testJob(name string, succeeded int32) *batchv1.Job {
	return &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "sb"},
		Status:     batchv1.JobStatus{Succeeded: succeeded},
	}
}

// untilReturned writes the object again and again until the wait in done
// has returned: the fake client sends no event for a write made between
// its List and its Watch, so one write right after the wait starts may be
// lost.
func untilReturned(t *testing.T, done <-chan struct{}, write func()) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		write()
		select {
		case <-done:
			return
		case <-deadline:
			t.Fatal("the wait did not return")
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// A watch by name sees only that object, although the fake client ignores
// field selectors, and asks the server for that name alone.
func TestUntilByNameSeesOnlyThatObject(t *testing.T) {
	cs := fake.NewClientset(testJob("restore", 0), testJob("other", 0))
	jobs := cs.BatchV1().Jobs("sb")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	var (
		mu     sync.Mutex
		names  []string
		listed []string
	)
	pre := func(store cache.Store) (bool, error) {
		for _, obj := range store.List() {
			listed = append(listed, obj.(*batchv1.Job).Name)
		}
		return false, nil
	}
	done := make(chan struct{})
	var last *watch.Event
	var err error
	go func() {
		defer close(done)
		last, err = Until(ctx, jobs, &batchv1.Job{}, ByName("restore"), pre, func(ev watch.Event) (bool, error) {
			j := ev.Object.(*batchv1.Job)
			mu.Lock()
			names = append(names, j.Name)
			mu.Unlock()
			return j.Status.Succeeded > 0, nil
		})
	}()
	untilReturned(t, done, func() {
		for _, name := range []string{"other", "restore"} {
			if _, err := jobs.UpdateStatus(ctx, testJob(name, 1), metav1.UpdateOptions{}); err != nil {
				t.Fatal(err)
			}
		}
	})
	if err != nil {
		t.Fatalf("Until: %v", err)
	}
	if j := last.Object.(*batchv1.Job); j.Name != "restore" || j.Status.Succeeded != 1 {
		t.Errorf("last event has %s with %d succeeded, want restore with 1", j.Name, j.Status.Succeeded)
	}
	if len(listed) != 1 || listed[0] != "restore" {
		t.Errorf("precondition saw %v, want [restore]", listed)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, n := range names {
		if n != "restore" {
			t.Errorf("cond got an event of job %s", n)
		}
	}
	for _, a := range cs.Actions() {
		if l, ok := a.(k8stesting.ListActionImpl); ok {
			if got := l.GetListRestrictions().Fields.String(); got != "metadata.name=restore" {
				t.Errorf("%s asked for fields %q, want metadata.name=restore", a.GetVerb(), got)
			}
		}
	}
}

// A precondition that decides from the list ends the wait without an
// event: an object already gone.
func TestUntilPreconditionEndsTheWait(t *testing.T) {
	cs := fake.NewClientset(testJob("other", 0))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := Until(ctx, cs.BatchV1().Jobs("sb"), &batchv1.Job{}, ByName("restore"),
		func(store cache.Store) (bool, error) { return len(store.List()) == 0, nil },
		func(watch.Event) (bool, error) { return false, errors.New("no event was expected") })
	if err != nil {
		t.Fatalf("Until: %v", err)
	}
}

// A watch by labels with a dynamic client drops the events of objects
// whose labels do not match: the fake's watch sends every object.
func TestUntilByLabelsDropsOthers(t *testing.T) {
	gvr := schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}
	cm := func(name, app, data string) *unstructured.Unstructured {
		u := &unstructured.Unstructured{}
		u.SetAPIVersion("v1")
		u.SetKind("ConfigMap")
		u.SetName(name)
		u.SetNamespace("sb")
		u.SetLabels(map[string]string{"app": app})
		_ = unstructured.SetNestedField(u.Object, data, "data", "state")
		return u
	}
	dyn := dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(),
		map[schema.GroupVersionResource]string{gvr: "ConfigMapList"}, cm("db", "db", "new"), cm("web", "web", "new"))
	client := dyn.Resource(gvr).Namespace("sb")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	var mu sync.Mutex
	var foreign []string
	done, listed := make(chan struct{}), make(chan struct{})
	var err error
	go func() {
		defer close(done)
		// Writes begin once the list is in, so that they come as events.
		synced := func(cache.Store) (bool, error) { close(listed); return false, nil }
		_, err = Until(ctx, client, &unstructured.Unstructured{}, ByLabels(labels.SelectorFromSet(labels.Set{"app": "db"})), synced,
			func(ev watch.Event) (bool, error) {
				u := ev.Object.(*unstructured.Unstructured)
				if u.GetLabels()["app"] != "db" {
					mu.Lock()
					foreign = append(foreign, u.GetName())
					mu.Unlock()
				}
				state, _, _ := unstructured.NestedString(u.Object, "data", "state")
				return u.GetName() == "db" && state == "restored", nil
			})
	}()
	<-listed
	untilReturned(t, done, func() {
		for _, name := range []string{"web", "db"} {
			if _, err := client.Update(ctx, cm(name, name, "restored"), metav1.UpdateOptions{}); err != nil {
				t.Fatal(err)
			}
		}
	})
	if err != nil {
		t.Fatalf("Until: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(foreign) > 0 {
		t.Errorf("cond got events of %v, whose labels do not match", foreign)
	}
}

// When ctx ends first, Until returns an error.
func TestUntilEndsWithCtx(t *testing.T) {
	cs := fake.NewClientset(testJob("restore", 0))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := Until(ctx, cs.BatchV1().Jobs("sb"), &batchv1.Job{}, ByName("restore"), nil,
		func(watch.Event) (bool, error) { return false, nil })
	if err == nil {
		t.Fatal("Until returned no error although ctx ended before the condition held")
	}
}

// contexts is a pod client that remembers the contexts it was called with.
type contexts struct {
	Client[*corev1.PodList]
	list, watch context.Context
}

func (c *contexts) List(ctx context.Context, o metav1.ListOptions) (*corev1.PodList, error) {
	c.list = ctx
	return c.Client.List(ctx, o)
}

func (c *contexts) Watch(ctx context.Context, o metav1.ListOptions) (watch.Interface, error) {
	c.watch = ctx
	return c.Client.Watch(ctx, o)
}

// A list ends with ctx; a watch is not cut by ctx's end (the informer
// stops it), but both carry ctx's values.
func TestListWatchContexts(t *testing.T) {
	type key struct{}
	c := &contexts{Client: fake.NewClientset().CoreV1().Pods("sb")}
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), key{}, "run"))
	lw := ListWatch(ctx, c, ByLabels(labels.SelectorFromSet(labels.Set{"app": "db"})))
	if _, err := lw.List(metav1.ListOptions{}); err != nil {
		t.Fatal(err)
	}
	w, err := lw.Watch(metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	cancel()
	if c.list.Err() == nil {
		t.Error("the list's context did not end with ctx")
	}
	if c.watch.Err() != nil {
		t.Error("the watch's context ended with ctx: client-go would log the broken watch")
	}
	if c.watch.Value(key{}) != "run" {
		t.Error("the watch's context lost ctx's values")
	}
}

// Error events name no object and always pass the filter.
func TestPickedEventsPassesErrors(t *testing.T) {
	in := watch.NewFake()
	w := pickedEvents(in, ByName("restore"))
	defer w.Stop()
	go func() {
		in.Add(testJob("other", 0))
		in.Error(&metav1.Status{Message: "too old resource version"})
	}()
	select {
	case ev := <-w.ResultChan():
		if ev.Type != watch.Error {
			t.Fatalf("got a %s event of %v, want the error", ev.Type, ev.Object)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the error event did not pass")
	}
}

// Stop stops the client's watch and closes the filtered one, also while
// an event waits to be read.
func TestPickedEventsStop(t *testing.T) {
	in := watch.NewRaceFreeFake()
	w := pickedEvents(in, ByName("restore"))
	in.Add(testJob("restore", 0))
	w.Stop()
	if !in.IsStopped() {
		t.Error("the client's watch was not stopped")
	}
	deadline := time.After(5 * time.Second)
	for {
		select {
		case _, open := <-w.ResultChan():
			if !open {
				return
			}
		case <-deadline:
			t.Fatal("the filtered watch was not closed after Stop")
		}
	}
}

// The zero Selector asks for and passes every object of the kind.
func TestListWatchZeroSelectorPicksAll(t *testing.T) {
	cs := fake.NewClientset(testJob("restore", 0), testJob("other", 0))
	lw := ListWatch(context.Background(), cs.BatchV1().Jobs("sb"), Selector{})
	list, err := lw.List(metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(list.(*batchv1.JobList).Items); n != 2 {
		t.Errorf("listed %d jobs, want 2", n)
	}
	w, err := lw.Watch(metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	for _, a := range cs.Actions() {
		var f fields.Selector
		var l labels.Selector
		switch a := a.(type) {
		case k8stesting.ListActionImpl:
			f, l = a.GetListRestrictions().Fields, a.GetListRestrictions().Labels
		case k8stesting.WatchActionImpl:
			f, l = a.GetWatchRestrictions().Fields, a.GetWatchRestrictions().Labels
		}
		if f == nil || l == nil || !f.Empty() || !l.Empty() {
			t.Errorf("%s asked for fields %v and labels %v, want neither", a.GetVerb(), f, l)
		}
	}
	if len(cs.Actions()) != 2 {
		t.Errorf("made %d calls, want a list and a watch", len(cs.Actions()))
	}
}

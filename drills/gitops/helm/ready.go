package helm

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/dynamic"
	"k8s.io/kubectl/pkg/polymorphichelpers"

	"github.com/restore-drill/drill/sandbox/kube"
)

// workload is an object of the release whose readiness Up waits for.
type workload struct {
	resource schema.GroupVersionResource
	kind     string
	name     string
}

func (w workload) String() string { return w.kind + "/" + w.name }

// workloadKinds are what is watched, by kind in the release's manifest.
var workloadKinds = map[schema.GroupKind]schema.GroupVersionResource{
	{Group: "apps", Kind: "Deployment"}:  {Group: "apps", Version: "v1", Resource: "deployments"},
	{Group: "apps", Kind: "StatefulSet"}: {Group: "apps", Version: "v1", Resource: "statefulsets"},
	{Group: "apps", Kind: "DaemonSet"}:   {Group: "apps", Version: "v1", Resource: "daemonsets"},
	{Group: "batch", Kind: "Job"}:        {Group: "batch", Version: "v1", Resource: "jobs"},
}

func workloadsOf(objs []*unstructured.Unstructured) []workload {
	var out []workload
	for _, o := range objs {
		gk := o.GroupVersionKind().GroupKind()
		if r, ok := workloadKinds[gk]; ok {
			out = append(out, workload{resource: r, kind: gk.Kind, name: o.GetName()})
		}
	}
	return out
}

// readiness says whether a workload has rolled out, in kubectl rollout
// status's words (its own status viewers), or for a Job whether it
// completed. An error is a workload that will not get ready by waiting:
// a Deployment past its progress deadline, a failed Job.
func readiness(obj *unstructured.Unstructured) (bool, string, error) {
	gk := obj.GroupVersionKind().GroupKind()
	if gk == (schema.GroupKind{Group: "batch", Kind: "Job"}) {
		return jobReadiness(obj)
	}
	viewer, err := polymorphichelpers.StatusViewerFor(gk)
	if err != nil {
		return false, "", err
	}
	msg, done, err := viewer.Status(obj, 0)
	return done, strings.TrimSpace(msg), err
}

func jobReadiness(obj *unstructured.Unstructured) (bool, string, error) {
	job := &batchv1.Job{}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(obj.UnstructuredContent(), job); err != nil {
		return false, "", fmt.Errorf("read job %s: %w", obj.GetName(), err)
	}
	for _, c := range job.Status.Conditions {
		if c.Status != corev1.ConditionTrue {
			continue
		}
		switch c.Type {
		case batchv1.JobComplete:
			return true, fmt.Sprintf("job %q completed", job.Name), nil
		case batchv1.JobFailed:
			return false, "", fmt.Errorf("job %q failed: %s: %s", job.Name, c.Reason, c.Message)
		}
	}
	return false, fmt.Sprintf("Waiting for job %q to complete: %d active, %d succeeded, %d failed",
		job.Name, job.Status.Active, job.Status.Succeeded, job.Status.Failed), nil
}

// readyWatch follows the release's workloads until each is ready.
type readyWatch struct {
	dyn       dynamic.Interface
	namespace string
	progress  io.Writer

	mu    sync.Mutex
	state map[workload]string // "" once ready; else the last word on it
}

// wait watches every kind at once (list, then watch from the list's
// version) and returns when all are ready, one has failed, or ctx ends.
func (r *readyWatch) wait(ctx context.Context, wls []workload) error {
	r.state = map[workload]string{}
	byResource := map[schema.GroupVersionResource][]workload{}
	for _, w := range wls {
		r.state[w] = "not seen yet"
		byResource[w.resource] = append(byResource[w.resource], w)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, len(byResource))
	for res, ws := range byResource {
		go func() {
			err := r.waitResource(ctx, res, ws)
			if err != nil {
				cancel()
			}
			errs <- err
		}()
	}
	var first error
	for range byResource {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (r *readyWatch) waitResource(ctx context.Context, res schema.GroupVersionResource, ws []workload) error {
	client := r.dyn.Resource(res).Namespace(r.namespace)
	names := map[string]workload{}
	for _, w := range ws {
		names[w.name] = w
	}
	pending := len(ws)
	var failed error
	_, err := kube.Until(ctx, client, &unstructured.Unstructured{}, kube.Selector{}, nil, func(ev watch.Event) (bool, error) {
		obj, ok := ev.Object.(*unstructured.Unstructured)
		if !ok {
			return false, nil
		}
		w, ours := names[obj.GetName()]
		if !ours {
			return false, nil
		}
		if ev.Type == watch.Deleted {
			if r.set(w, "deleted") {
				pending++
			}
			return false, nil
		}
		ready, msg, err := readiness(obj)
		if err != nil {
			failed = fmt.Errorf("%s: %w", w, err)
			r.set(w, err.Error())
			return false, failed
		}
		if ready {
			if r.set(w, "") {
				pending--
			}
		} else if r.set(w, msg) {
			pending++ // ready before, not now
		}
		return pending == 0, nil
	})
	if failed != nil {
		return failed
	}
	return err
}

// set records a workload's state and says whether its readiness changed.
func (r *readyWatch) set(w workload, msg string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	before, seen := r.state[w]
	r.state[w] = msg
	wasReady := seen && before == ""
	if msg == "" && !wasReady {
		fmt.Fprintf(r.progress, "helm: %s ready\n", w)
	}
	return (msg == "") != wasReady
}

// unready lists the workloads that are not ready, each with the last word
// on it, in a stable order.
func (r *readyWatch) unready() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var lines []string
	for w, msg := range r.state {
		if msg != "" {
			lines = append(lines, w.String()+": "+msg)
		}
	}
	sort.Strings(lines)
	return slices.Clip(lines)
}

// readinessNow reads each workload once, for Status.
func readinessNow(ctx context.Context, dyn dynamic.Interface, namespace string, wls []workload) ([]string, error) {
	var lines []string
	for _, w := range wls {
		obj, err := dyn.Resource(w.resource).Namespace(namespace).Get(ctx, w.name, metav1.GetOptions{})
		if err != nil {
			return nil, fmt.Errorf("read %s in namespace %s: %w", w, namespace, err)
		}
		ready, msg, err := readiness(obj)
		switch {
		case err != nil:
			lines = append(lines, w.String()+": "+err.Error())
		case !ready:
			lines = append(lines, w.String()+": "+msg)
		}
	}
	return lines, nil
}

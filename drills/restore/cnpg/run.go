package cnpg

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/ptr"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/sandbox/kube"
)

// CloudNativePG's labels on the Jobs it runs for a Cluster.
const (
	labelCluster = "cnpg.io/cluster"
	labelJobRole = "cnpg.io/jobRole"
	roleRecovery = "full-recovery"
)

// logLines is how much of a failed recovery pod's log the error carries.
const logLines = 20

// run is one Cluster from creation until it is healthy.
type run struct {
	cs   kubernetes.Interface
	dyn  dynamic.Interface
	plan plan
	log  io.Writer

	mu   sync.Mutex
	last status
}

// create makes the Secret, the plugin's ObjectStore when asked for, and
// the Cluster. A kind the API server does not know means CloudNativePG
// (or the plugin) is not installed: an infrastructure error.
func (r *run) create(ctx context.Context, k keys) error {
	p := r.plan
	withToken, withCA := k.SessionToken != "", len(k.CA) > 0
	sec := p.secret(k)
	if _, err := r.cs.CoreV1().Secrets(p.namespace).Create(ctx, sec, metav1.CreateOptions{}); err != nil {
		return fault.Infra(fmt.Errorf("create secret %s in namespace %s: %w", sec.Name, p.namespace, err))
	}
	fmt.Fprintf(r.log, "secret %s holds the object store's keys for the cluster\n", sec.Name)
	if p.spec.Plugin {
		if err := r.createObject(ctx, ObjectStoreGVR, p.objectStore(withToken, withCA), "the Barman Cloud plugin"); err != nil {
			return err
		}
	}
	c := p.clusterObject(withToken, withCA)
	if err := r.createObject(ctx, ClusterGVR, c, "CloudNativePG"); err != nil {
		return err
	}
	fmt.Fprintf(r.log, "cluster %s recovers %s from %s\n", c.GetName(), p.spec.ServerName, p.destinationPath())
	return nil
}

func (r *run) createObject(ctx context.Context, gvr schema.GroupVersionResource, u *unstructured.Unstructured, provider string) error {
	_, err := r.dyn.Resource(gvr).Namespace(u.GetNamespace()).Create(ctx, u, metav1.CreateOptions{})
	switch {
	case err == nil:
		return nil
	case meta.IsNoMatchError(err) || apierrors.IsNotFound(err):
		return fault.Infra(fmt.Errorf("create %s %s: the cluster does not serve %s: is %s installed? %w", u.GetKind(), u.GetName(), gvr.GroupResource(), provider, err))
	case apierrors.IsInvalid(err) || apierrors.IsBadRequest(err):
		return fmt.Errorf("create %s %s: refused by the API server: %w", u.GetKind(), u.GetName(), err)
	}
	return fault.Infra(fmt.Errorf("create %s %s in namespace %s: %w", u.GetKind(), u.GetName(), u.GetNamespace(), err))
}

// wait watches the Cluster until it is healthy with every instance ready,
// and its recovery Job meanwhile, which fails the wait when a pod of it
// fails: the operator would retry a recovery that cannot succeed.
func (r *run) wait(ctx context.Context) error {
	wctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	jobsDone := make(chan struct{})
	go func() {
		defer close(jobsDone)
		r.watchRecoveryJob(wctx, stop)
	}()
	err := r.watchCluster(wctx)
	stop(nil)
	<-jobsDone
	name := r.plan.cluster()
	var jobErr *jobFailedError
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("cluster %s in namespace %s was not ready in time: %s: %w", name, r.plan.namespace, r.lastStatus(), context.Cause(ctx))
	case errors.As(context.Cause(wctx), &jobErr):
		return fmt.Errorf("cluster %s: %w; cluster %s", name, jobErr, r.lastStatus())
	case errors.Is(err, errClusterFailed):
		return fmt.Errorf("cluster %s: %w", name, err)
	case err != nil:
		return fault.Infra(fmt.Errorf("watch cluster %s in namespace %s: %w", name, r.plan.namespace, err))
	}
	return nil
}

func (r *run) lastStatus() status {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.last
}

// watchCluster returns nil once the Cluster is ready.
func (r *run) watchCluster(ctx context.Context) error {
	res := r.dyn.Resource(ClusterGVR).Namespace(r.plan.namespace)
	r.mu.Lock()
	r.last = status{Instances: int64(r.plan.spec.Instances)}
	r.mu.Unlock()
	_, err := kube.Until(ctx, res, &unstructured.Unstructured{}, kube.ByName(r.plan.cluster()), nil, func(ev watch.Event) (bool, error) {
		u, ok := ev.Object.(*unstructured.Unstructured)
		if !ok {
			return false, nil
		}
		if ev.Type == watch.Deleted {
			return false, fmt.Errorf("cluster %s was deleted before it was ready", u.GetName())
		}
		st := readStatus(u)
		r.mu.Lock()
		changed := st != r.last
		r.last = st
		r.mu.Unlock()
		if changed && st.Phase != "" {
			fmt.Fprintf(r.log, "cluster %s: %s\n", u.GetName(), st)
		}
		return st.decide()
	})
	return err
}

// jobFailedError is a recovery Job with a failed pod.
type jobFailedError struct {
	job, why string
}

func (e *jobFailedError) Error() string {
	return fmt.Sprintf("recovery job %s failed: %s", e.job, e.why)
}

// watchRecoveryJob ends the wait through stop when a pod of the Cluster's
// recovery Job fails, with the end of its log.
func (r *run) watchRecoveryJob(ctx context.Context, stop context.CancelCauseFunc) {
	jobs := r.cs.BatchV1().Jobs(r.plan.namespace)
	sel := labels.SelectorFromSet(labels.Set{labelCluster: r.plan.cluster(), labelJobRole: roleRecovery})
	_, _ = kube.Until(ctx, jobs, &batchv1.Job{}, kube.ByLabels(sel), nil, func(ev watch.Event) (bool, error) {
		j, ok := ev.Object.(*batchv1.Job)
		if !ok || ev.Type == watch.Deleted || j.Status.Failed == 0 {
			return false, nil
		}
		stop(&jobFailedError{job: j.Name, why: r.failedPod(ctx, j)})
		return true, nil
	})
}

// failedPod says why the Job's failed pod ended, with the last lines of
// its log: there PostgreSQL says why recovery stopped.
func (r *run) failedPod(ctx context.Context, j *batchv1.Job) string {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if j.Spec.Selector == nil {
		return fmt.Sprintf("%d failed pod(s); see kubectl logs job/%s -n %s", j.Status.Failed, j.Name, r.plan.namespace)
	}
	pods, err := r.cs.CoreV1().Pods(r.plan.namespace).List(ctx, metav1.ListOptions{
		LabelSelector: labels.SelectorFromSet(j.Spec.Selector.MatchLabels).String(),
	})
	if err != nil || len(pods.Items) == 0 {
		return fmt.Sprintf("%d failed pod(s); see kubectl logs job/%s -n %s", j.Status.Failed, j.Name, r.plan.namespace)
	}
	sort.Slice(pods.Items, func(a, b int) bool {
		return pods.Items[a].CreationTimestamp.Before(&pods.Items[b].CreationTimestamp)
	})
	for _, p := range pods.Items {
		if p.Status.Phase != corev1.PodFailed {
			continue
		}
		why := "pod " + p.Name + " failed"
		for _, c := range p.Status.ContainerStatuses {
			if t := c.State.Terminated; t != nil {
				why += fmt.Sprintf(" (container %s exited %d: %s)", c.Name, t.ExitCode, t.Reason)
			}
		}
		raw, err := r.cs.CoreV1().Pods(r.plan.namespace).GetLogs(p.Name, &corev1.PodLogOptions{TailLines: ptr.To[int64](logLines)}).DoRaw(ctx)
		if err == nil && len(raw) > 0 {
			why += "; its last log lines:\n" + strings.TrimRight(string(raw), "\n")
		}
		return why
	}
	return fmt.Sprintf("%d failed pod(s); see kubectl logs job/%s -n %s", j.Status.Failed, j.Name, r.plan.namespace)
}

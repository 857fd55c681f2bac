package job

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/ptr"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/sandbox/kube"
)

// podsStateTimeout bounds reading the pods' state for an error message.
const podsStateTimeout = 5 * time.Second

// run is one Job from creation to its end.
type run struct {
	cs        kubernetes.Interface
	namespace string
	restore   string
	job       *batchv1.Job
	opts      Options
	sink      *logSink
}

// execute creates the Job, watches it and its pods, and says how it ended.
func (r *run) execute(ctx context.Context) error {
	jobs := r.cs.BatchV1().Jobs(r.namespace)
	if _, err := jobs.Create(ctx, r.job, metav1.CreateOptions{}); err != nil {
		if ctx.Err() != nil {
			// The request may have reached the server: delete what it made.
			return r.abandon(ctx, fmt.Errorf("create job %s: %w", r.job.Name, ctx.Err()))
		}
		return fault.Infra(fmt.Errorf("create job %s in namespace %s: %w", r.job.Name, r.namespace, err))
	}

	// Log streams outlive the watch by a grace period after the Job ends,
	// but not the run.
	logCtx, stopLogs := context.WithCancel(ctx)
	defer func() {
		stopLogs()
		r.sink.wait()
	}()
	wctx, stopWatch := context.WithCancelCause(ctx)
	defer stopWatch(nil)
	podsDone := make(chan struct{})
	go func() {
		defer close(podsDone)
		r.watchPods(wctx, logCtx, stopWatch)
	}()
	final, err := r.watchJob(wctx)
	stopWatch(nil)
	<-podsDone

	var stuck *stuckError
	switch {
	case ctx.Err() != nil:
		return r.abandon(ctx, fmt.Errorf("job %s stopped before it finished%s: %w", r.job.Name, r.podsState(ctx), ctx.Err()))
	case errors.As(context.Cause(wctx), &stuck):
		return r.abandon(ctx, fmt.Errorf("job %s: %w", r.job.Name, stuck))
	case err != nil:
		return fault.Infra(fmt.Errorf("watch job %s in namespace %s: %w", r.job.Name, r.namespace, err))
	}
	r.collectLogs(ctx, stopLogs)
	if failed, reason := finished(final); failed {
		return r.failure(ctx, reason)
	}
	return nil
}

// watchJob waits until the Job completes or fails, and returns it then.
func (r *run) watchJob(ctx context.Context) (*batchv1.Job, error) {
	jobs := r.cs.BatchV1().Jobs(r.namespace)
	var final *batchv1.Job
	_, err := kube.Until(ctx, jobs, &batchv1.Job{}, kube.ByName(r.job.Name), nil, func(ev watch.Event) (bool, error) {
		j, ok := ev.Object.(*batchv1.Job)
		if !ok {
			return false, nil
		}
		if ev.Type == watch.Deleted {
			return false, fmt.Errorf("job %s was deleted before it finished", j.Name)
		}
		if done, _ := terminal(j); done {
			final = j
			return true, nil
		}
		return false, nil
	})
	if final != nil {
		return final, nil
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return nil, err
}

// terminal says whether the Job has ended, and whether it failed.
func terminal(j *batchv1.Job) (done, failed bool) {
	for _, c := range j.Status.Conditions {
		if c.Status != corev1.ConditionTrue {
			continue
		}
		switch c.Type {
		case batchv1.JobComplete:
			return true, false
		case batchv1.JobFailed:
			return true, true
		}
	}
	return false, false
}

// finished says whether an ended Job failed and, if so, its condition's
// reason and message.
func finished(j *batchv1.Job) (failed bool, reason string) {
	if _, failed = terminal(j); !failed {
		return false, ""
	}
	for _, c := range j.Status.Conditions {
		if c.Type == batchv1.JobFailed && c.Status == corev1.ConditionTrue {
			reason = c.Reason
			if c.Message != "" {
				reason += ": " + c.Message
			}
		}
	}
	return true, reason
}

// selector picks the Job's pods by the labels drill gave them.
func (r *run) selector() labels.Selector {
	return labels.SelectorFromSet(r.job.Spec.Template.Labels)
}

// watchPods follows the log of each pod of the Job once its container has
// started, and ends the wait through stop when a pod cannot start.
func (r *run) watchPods(ctx, logCtx context.Context, stop context.CancelCauseFunc) {
	pods := r.cs.CoreV1().Pods(r.namespace)
	sel := r.selector()
	_, _ = kube.Until(ctx, pods, &corev1.Pod{}, kube.ByLabels(sel), nil, func(ev watch.Event) (bool, error) {
		p, ok := ev.Object.(*corev1.Pod)
		if !ok || ev.Type == watch.Deleted {
			return false, nil
		}
		if err := cannotStart(p); err != nil {
			stop(err)
			return true, nil
		}
		if started(p) {
			r.sink.follow(logCtx, r.cs, r.namespace, p.Name)
		}
		return false, nil
	})
}

// collectLogs lets the log streams finish, then reads the logs of pods
// that ended before the watch saw them run.
func (r *run) collectLogs(ctx context.Context, stopLogs context.CancelFunc) {
	done := make(chan struct{})
	go func() {
		r.sink.wait()
		close(done)
	}()
	t := time.NewTimer(r.opts.LogGrace)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		stopLogs()
		<-done
	}
	ctx, cancel := context.WithTimeout(ctx, r.opts.LogGrace)
	defer cancel()
	for _, p := range r.pods(ctx) {
		if started(&p) {
			r.sink.read(ctx, r.cs, r.namespace, p.Name)
		}
	}
}

// pods are the Job's pods, oldest first; none when they cannot be listed.
func (r *run) pods(ctx context.Context) []corev1.Pod {
	list, err := r.cs.CoreV1().Pods(r.namespace).List(ctx, metav1.ListOptions{LabelSelector: r.selector().String()})
	if err != nil {
		return nil
	}
	var out []corev1.Pod
	for _, p := range list.Items {
		if r.selector().Matches(labels.Set(p.Labels)) {
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].CreationTimestamp.Before(&out[j].CreationTimestamp) ||
			out[i].CreationTimestamp.Equal(&out[j].CreationTimestamp) && out[i].Name < out[j].Name
	})
	return out
}

// failure is the error of a failed Job: why the Job controller gave up,
// how its last pod ended, and the last lines of its log.
func (r *run) failure(ctx context.Context, reason string) error {
	msg := fmt.Sprintf("job %s failed", r.job.Name)
	if reason != "" {
		msg += " (" + reason + ")"
	}
	pods := r.pods(ctx)
	for i := len(pods) - 1; i >= 0; i-- {
		if t := terminated(&pods[i]); t != nil && t.ExitCode != 0 {
			msg += fmt.Sprintf(": pod %s: container %s exited with code %d", pods[i].Name, ContainerName, t.ExitCode)
			if t.Reason != "" {
				msg += " (" + t.Reason + ")"
			}
			if m := strings.TrimSpace(t.Message); m != "" {
				msg += ": " + m
			}
			break
		}
	}
	if tail := lastLines(r.sink.tail(), 5); tail != "" {
		msg += "; last log lines: " + tail
	}
	return errors.New(msg)
}

// podsState says where the Job's newest pod was when the run ended
// (" (pod X: Pending, PodScheduled=False Unschedulable: ...)"), read with a
// short time of its own; empty when there is no pod or it cannot be read.
func (r *run) podsState(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), podsStateTimeout)
	defer cancel()
	pods := r.pods(ctx)
	if len(pods) == 0 {
		return ""
	}
	p := pods[len(pods)-1]
	return fmt.Sprintf(" (pod %s: %s)", p.Name, kube.PodNotReadyReason(&p))
}

// abandon deletes the Job, whose pods would otherwise go on, and returns
// err, saying so if the Job could not be deleted.
func (r *run) abandon(ctx context.Context, err error) error {
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.opts.DeleteTimeout)
	defer cancel()
	derr := r.cs.BatchV1().Jobs(r.namespace).Delete(dctx, r.job.Name, metav1.DeleteOptions{PropagationPolicy: ptr.To(metav1.DeletePropagationBackground)})
	if derr != nil && !apierrors.IsNotFound(derr) {
		return fmt.Errorf("%w (deleting the job failed too: %v; the sandbox's teardown removes it)", err, derr)
	}
	return err
}

// lastLines is the last n non-empty lines of a log, on one line.
func lastLines(log string, n int) string {
	var kept []string
	for _, l := range strings.Split(log, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "==> pod ") {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept[max(len(kept)-n, 0):], " | ")
}

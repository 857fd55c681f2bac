package job

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	k8stesting "k8s.io/client-go/testing"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/drills/source"
	"github.com/restore-drill/drill/sandbox/kube"
	"github.com/restore-drill/drill/scenarios"
)

var gitlabRestore = scenarios.JobRestore{
	Image:   "registry.example.com/tools/gitlab-restore:1.4",
	Command: []string{"/restore.sh"},
	Args:    []string{"--latest"},
	Env:     map[string]string{"ZONE": "eu", "BUCKET": "gitlab-backups"},
	SecretEnv: []scenarios.SecretEnv{
		{Name: "AWS_SECRET_ACCESS_KEY", Secret: "backup-keys", Key: "secret"},
		{Name: "AWS_ACCESS_KEY_ID", Secret: "backup-keys", Key: "id"},
	},
	ServiceAccount: "restorer",
	BackoffLimit:   2,
}

// start runs the restore in the background and returns where its result
// arrives.
func start(ctx context.Context, t *testing.T, f *fakeCluster, log *bytes.Buffer) (<-chan error, func() string) {
	t.Helper()
	m := New("gitlab", gitlabRestore, f.options())
	done := make(chan error, 1)
	var tail string
	go func() {
		res, err := m.Restore(ctx, fakeSandbox{}, nil, log)
		tail = res.LogTail
		if res.Format != Format {
			err = errors.Join(err, errors.New("result's format is "+res.Format))
		}
		done <- err
	}()
	return done, func() string { return tail }
}

func wait(t *testing.T, done <-chan error, within time.Duration) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(within):
		t.Fatalf("the restore did not return within %s", within)
		return nil
	}
}

func TestJobCompletes(t *testing.T) {
	f := newFakeCluster(t)
	var log bytes.Buffer
	done, tail := start(context.Background(), t, f, &log)
	j := f.job(t)
	f.pod(t, j, j.Name+"-a", corev1.ContainerState{Running: &corev1.ContainerStateRunning{}})
	f.pod(t, j, j.Name+"-a", corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 0, Reason: "Completed"}})
	f.finish(t, j, batchv1.JobComplete, "", "")
	if err := wait(t, done, 10*time.Second); err != nil {
		t.Fatalf("restore: %v", err)
	}
	// The fake API server answers every log request with "fake logs".
	if !strings.Contains(tail(), "==> pod "+j.Name+"-a <==\nfake logs") || !strings.Contains(log.String(), "fake logs") {
		t.Errorf("log tail %q, log %q: want the pod's log in both", tail(), log.String())
	}
	if n := strings.Count(log.String(), "fake logs"); n != 1 {
		t.Errorf("the pod's log was copied %d times, want once", n)
	}
}

func TestJobFailsWithThePodsExitCode(t *testing.T) {
	f := newFakeCluster(t)
	done, tail := start(context.Background(), t, f, &bytes.Buffer{})
	j := f.job(t)
	f.pod(t, j, j.Name+"-a", corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 3, Reason: "Error", Message: "backup not found"}})
	f.finish(t, j, batchv1.JobFailed, "BackoffLimitExceeded", "Job has reached the specified backoff limit")
	err := wait(t, done, 10*time.Second)
	if err == nil {
		t.Fatal("a failed job passed")
	}
	for _, want := range []string{
		"restore gitlab: job " + j.Name + " failed (BackoffLimitExceeded: Job has reached the specified backoff limit)",
		"pod " + j.Name + "-a: container restore exited with code 3 (Error): backup not found",
		"last log lines: fake logs",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if fault.IsInfra(err) {
		t.Errorf("a failed job is the restore failing, not the infrastructure: %v", err)
	}
	if !strings.Contains(tail(), "fake logs") {
		t.Errorf("log tail %q, want the pod's log", tail())
	}
}

// With retries, the error is about the last pod that failed.
func TestJobFailsAfterRetriesWithTheLastPod(t *testing.T) {
	f := newFakeCluster(t)
	done, _ := start(context.Background(), t, f, &bytes.Buffer{})
	j := f.job(t)
	f.pod(t, j, j.Name+"-a", corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 1, Reason: "Error"}})
	f.pod(t, j, j.Name+"-b", corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 137, Reason: "OOMKilled"}})
	f.finish(t, j, batchv1.JobFailed, "BackoffLimitExceeded", "")
	err := wait(t, done, 10*time.Second)
	if err == nil || !strings.Contains(err.Error(), "pod "+j.Name+"-b: container restore exited with code 137 (OOMKilled)") {
		t.Fatalf("error %v, want the last pod's end", err)
	}
}

// A pod that cannot pull its image fails the restore at once, not at the
// timeout, and the Job is deleted.
func TestJobImagePullBackOffFailsFast(t *testing.T) {
	f := newFakeCluster(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	began := time.Now()
	done, _ := start(ctx, t, f, &bytes.Buffer{})
	j := f.job(t)
	f.pod(t, j, j.Name+"-a", corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{
		Reason: "ImagePullBackOff", Message: `Back-off pulling image "registry.example.com/tools/gitlab-restore:1.4"`}})
	err := wait(t, done, 10*time.Second)
	if err == nil || !strings.Contains(err.Error(), "cannot start: container restore: ImagePullBackOff: Back-off pulling image") {
		t.Fatalf("error %v, want the pull failure", err)
	}
	if d := time.Since(began); d > 10*time.Second {
		t.Errorf("took %s: an image that cannot be pulled should fail at once", d)
	}
	if _, err := f.cs.BatchV1().Jobs(testNamespace).Get(context.Background(), j.Name, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("job %s still there after the restore gave up: %v", j.Name, err)
	}
}

// A missing Secret is as hopeless.
func TestJobMissingSecretFailsFast(t *testing.T) {
	f := newFakeCluster(t)
	done, _ := start(context.Background(), t, f, &bytes.Buffer{})
	j := f.job(t)
	f.pod(t, j, j.Name+"-a", corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{
		Reason: "CreateContainerConfigError", Message: `secret "backup-keys" not found`}})
	if err := wait(t, done, 10*time.Second); err == nil || !strings.Contains(err.Error(), `CreateContainerConfigError: secret "backup-keys" not found`) {
		t.Fatalf("error %v, want the missing secret named", err)
	}
}

// When the run ends first, the Job is deleted and the run's error returned.
func TestJobRunEndsFirst(t *testing.T) {
	f := newFakeCluster(t)
	var deleted *metav1.DeleteOptions
	f.cs.PrependReactor("delete", "jobs", func(a k8stesting.Action) (bool, runtime.Object, error) {
		opts := a.(k8stesting.DeleteAction).GetDeleteOptions()
		deleted = &opts
		return false, nil, nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	done, _ := start(ctx, t, f, &bytes.Buffer{})
	j := f.job(t)
	f.pod(t, j, j.Name+"-a", corev1.ContainerState{Running: &corev1.ContainerStateRunning{}})
	cancel()
	err := wait(t, done, 10*time.Second)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "stopped before it finished (pod "+j.Name+"-a: Running)") {
		t.Fatalf("error %v, want the run's cancellation", err)
	}
	if deleted == nil || deleted.PropagationPolicy == nil || *deleted.PropagationPolicy != metav1.DeletePropagationBackground {
		t.Fatalf("job deleted with %+v, want background propagation", deleted)
	}
}

func TestJobSpec(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	art := &source.Artifact{Object: &source.Object{Endpoint: "https://s3.example.com", Bucket: "backups", Key: "gitlab/2026-11-27.tar"}}
	j := buildJob(spec{name: "drill-restore-gitlab-x1y2z", namespace: testNamespace, restore: "gitlab", job: gitlabRestore,
		labels: kube.RunLabels("run-1", "billing"), deadline: now.Add(90*time.Second + 300*time.Millisecond), art: art}, now)

	wantLabels := map[string]string{kube.LabelManagedBy: kube.ManagedBy, kube.LabelRunID: "run-1", kube.LabelScenario: "billing", LabelRestore: "gitlab"}
	for k, v := range wantLabels {
		if j.Labels[k] != v || j.Spec.Template.Labels[k] != v {
			t.Errorf("label %s: job %q, pod %q; want %q on both", k, j.Labels[k], j.Spec.Template.Labels[k], v)
		}
	}
	if j.Name != "drill-restore-gitlab-x1y2z" || j.Namespace != testNamespace {
		t.Errorf("job %s/%s", j.Namespace, j.Name)
	}
	if *j.Spec.BackoffLimit != 2 || j.Spec.ActiveDeadlineSeconds == nil || *j.Spec.ActiveDeadlineSeconds != 91 || j.Spec.TTLSecondsAfterFinished != nil {
		t.Errorf("backoffLimit %d, activeDeadlineSeconds %v, ttl %v; want 2, 91 (rounded up), unset", *j.Spec.BackoffLimit, j.Spec.ActiveDeadlineSeconds, j.Spec.TTLSecondsAfterFinished)
	}
	pod := j.Spec.Template.Spec
	if pod.RestartPolicy != corev1.RestartPolicyNever || pod.ServiceAccountName != "restorer" || len(pod.Containers) != 1 {
		t.Fatalf("pod spec %+v", pod)
	}
	c := pod.Containers[0]
	if c.Name != ContainerName || c.Image != gitlabRestore.Image || strings.Join(c.Command, " ") != "/restore.sh" || strings.Join(c.Args, " ") != "--latest" {
		t.Errorf("container %+v", c)
	}
	var got []string
	for _, e := range c.Env {
		if e.ValueFrom != nil {
			got = append(got, e.Name+"<-"+e.ValueFrom.SecretKeyRef.Name+"/"+e.ValueFrom.SecretKeyRef.Key)
		} else {
			got = append(got, e.Name+"="+e.Value)
		}
	}
	want := "BUCKET=gitlab-backups ZONE=eu DRILL_BACKUP_URL=s3://backups/gitlab/2026-11-27.tar DRILL_BACKUP_ENDPOINT=https://s3.example.com " +
		"AWS_SECRET_ACCESS_KEY<-backup-keys/secret AWS_ACCESS_KEY_ID<-backup-keys/id"
	if strings.Join(got, " ") != want {
		t.Errorf("env\n got %s\nwant %s", strings.Join(got, " "), want)
	}

	// No deadline: no activeDeadlineSeconds.
	if j := buildJob(spec{name: "x", restore: "gitlab", job: gitlabRestore}, now); j.Spec.ActiveDeadlineSeconds != nil {
		t.Errorf("activeDeadlineSeconds %d without a deadline", *j.Spec.ActiveDeadlineSeconds)
	}
}

func TestJobNameFitsADNSLabel(t *testing.T) {
	a, b := jobName(strings.Repeat("x", 70)), jobName("gitlab")
	if len(a) > 63 || !strings.HasPrefix(b, "drill-restore-gitlab-") || len(b) != len("drill-restore-gitlab-")+5 {
		t.Errorf("names %q (%d) and %q", a, len(a), b)
	}
	if jobName("gitlab") == b {
		t.Error("two jobs of the same restore got the same name")
	}
}

func TestJobNeedsANamespaceSandbox(t *testing.T) {
	_, err := New("gitlab", gitlabRestore, Options{}).Restore(context.Background(), localSandbox{}, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "runs a Kubernetes Job, which needs a cluster sandbox") {
		t.Fatalf("error %v, want the sandbox kind refused", err)
	}
}

func TestJobInspect(t *testing.T) {
	m := New("gitlab", gitlabRestore, Options{})
	insp, err := m.Inspect(context.Background(), nil)
	if err != nil || insp.Format != "job" || len(insp.Notes) != 1 || !strings.Contains(insp.Notes[0], gitlabRestore.Image) {
		t.Fatalf("inspection %+v, %v; want format job and the image in the notes", insp, err)
	}
	insp, _ = m.Inspect(context.Background(), &source.Artifact{Path: "/srv/backups/gitlab.tar"})
	if len(insp.Notes) != 2 || !strings.Contains(insp.Notes[1], "DRILL_BACKUP_PATH=/srv/backups/gitlab.tar") {
		t.Errorf("notes %q, want the picked backup named", insp.Notes)
	}
}

//go:build e2e

package job_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/client-go/rest"

	"github.com/restore-drill/drill/drills/restore/job"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/kube"
	"github.com/restore-drill/drill/sandbox/kube/lab/labtest"
	"github.com/restore-drill/drill/scenarios"
)

// labSandbox is a namespace of the lab as a cluster sandbox.
type labSandbox struct{ access sandbox.KubeAccess }

func (s labSandbox) Describe() string         { return "namespace " + s.access.Namespace }
func (s labSandbox) Kube() sandbox.KubeAccess { return s.access }
func (labSandbox) Postgres(context.Context, string) (*sandbox.PostgresServer, error) {
	return nil, nil
}
func (labSandbox) Destroy(context.Context) error                      { return nil }
func (labSandbox) Diagnose(context.Context, string) ([]string, error) { return nil, nil }

// In the lab the Job is created in the sandbox's namespace with the run's
// labels, the real Job controller makes its pod, and drill watches the Job
// to its end. kwok completes the pod without running anything, so this
// proves the Job's creation and the watching, not that a restore works:
// only a real cluster runs the container (the unit tests cover failures
// and logs with a fake API server).
func TestJobIsCreatedAndWatchedToItsEndInTheLab(t *testing.T) {
	env := labtest.Start(t)
	cfg := labtest.RESTConfig(t, env)
	cs := labtest.Kube(t, env)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	ns := "e2e-job-" + rand.String(6)
	if _, err := cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create namespace %s: %v", ns, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := cs.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{}); err != nil {
			t.Errorf("delete namespace %s: %v", ns, err)
		}
	})
	sb := labSandbox{access: sandbox.KubeAccess{Config: rest.CopyConfig(cfg), Namespace: ns, Labels: kube.RunLabels("e2e-"+rand.String(6), "gitlab-monthly")}}

	m := job.New("gitlab", scenarios.JobRestore{Image: "registry.invalid/gitlab-restore:1", Command: []string{"/restore.sh"}},
		job.Options{LogGrace: 3 * time.Second})
	var log bytes.Buffer
	start := time.Now()
	res, err := m.Restore(ctx, sb, nil, &log)
	if err != nil {
		t.Fatalf("restore: %v\nlog:\n%s", err, log.String())
	}
	t.Logf("job watched to completion in %s; its log as the lab serves it: %q", time.Since(start).Round(time.Millisecond), res.LogTail)

	jobs, err := cs.BatchV1().Jobs(ns).List(ctx, metav1.ListOptions{LabelSelector: job.LabelRestore + "=gitlab," + kube.LabelRunID + "=" + sb.access.Labels[kube.LabelRunID]})
	if err != nil || len(jobs.Items) != 1 {
		t.Fatalf("jobs of the restore: %v, %v; want one, found by the run's labels", jobs, err)
	}
	j := jobs.Items[0]
	complete := false
	for _, c := range j.Status.Conditions {
		complete = complete || c.Type == batchv1.JobComplete && c.Status == corev1.ConditionTrue
	}
	if !complete || j.Spec.ActiveDeadlineSeconds == nil || *j.Spec.ActiveDeadlineSeconds > 120 {
		t.Fatalf("job %s: conditions %v, activeDeadlineSeconds %v; want complete, bounded by the test's deadline", j.Name, j.Status.Conditions, j.Spec.ActiveDeadlineSeconds)
	}
}

package job

import (
	"math"
	"sort"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/utils/ptr"

	"github.com/restore-drill/drill/drills/source"
	"github.com/restore-drill/drill/scenarios"
)

const (
	// LabelRestore names the restore a Job and its pods belong to.
	LabelRestore = "restore-drill.io/restore"
	// ContainerName is the Job's one container.
	ContainerName = "restore"

	// Environment variables that tell the Job which backup drill picked,
	// when the restore has a source, so that it restores exactly the
	// backup the record names.
	EnvBackupURL      = "DRILL_BACKUP_URL"
	EnvBackupEndpoint = "DRILL_BACKUP_ENDPOINT"
	EnvBackupPath     = "DRILL_BACKUP_PATH"

	// maxName is the longest object name that is also a DNS label.
	maxName = 63
)

// jobName is drill-restore-NAME-XXXXX, cut to fit a DNS label: a new name
// each time, so that a retried run never meets its predecessor's Job.
func jobName(restore string) string {
	base := "drill-restore-" + strings.ToLower(restore)
	base = strings.TrimRight(base[:min(len(base), maxName-6)], "-.")
	return base + "-" + rand.String(5)
}

// spec is what buildJob needs.
type spec struct {
	name      string
	namespace string
	restore   string
	job       scenarios.JobRestore
	labels    map[string]string
	// deadline, when set, is when the Job must have stopped.
	deadline time.Time
	// art is the backup drill picked, or nil.
	art *source.Artifact
}

// buildJob is the Job for a restore: one container, never restarted in
// place (a failed pod is retried as a new pod, backoffLimit times), no TTL
// (the sandbox's namespace goes at teardown, and the Job's logs are wanted
// until then).
func buildJob(s spec, now time.Time) *batchv1.Job {
	labels := map[string]string{}
	for k, v := range s.labels {
		labels[k] = v
	}
	labels[LabelRestore] = s.restore
	podLabels := map[string]string{}
	for k, v := range labels {
		podLabels[k] = v
	}
	j := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: s.name, Namespace: s.namespace, Labels: labels},
		Spec: batchv1.JobSpec{
			BackoffLimit: ptr.To(int32(s.job.BackoffLimit)),
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: podLabels},
				Spec: corev1.PodSpec{
					RestartPolicy:      corev1.RestartPolicyNever,
					ServiceAccountName: s.job.ServiceAccount,
					Containers: []corev1.Container{{
						Name:    ContainerName,
						Image:   s.job.Image,
						Command: s.job.Command,
						Args:    s.job.Args,
						Env:     containerEnv(s.job, s.art),
					}},
				},
			},
		},
	}
	if !s.deadline.IsZero() {
		secs := int64(math.Ceil(s.deadline.Sub(now).Seconds()))
		j.Spec.ActiveDeadlineSeconds = ptr.To(max(secs, 1))
	}
	return j
}

// containerEnv is the plain variables by name, then the backup drill
// picked, then the variables read from Secrets, in the scenario's order.
func containerEnv(j scenarios.JobRestore, art *source.Artifact) []corev1.EnvVar {
	var env []corev1.EnvVar
	names := make([]string, 0, len(j.Env))
	for name := range j.Env {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		env = append(env, corev1.EnvVar{Name: name, Value: j.Env[name]})
	}
	env = append(env, backupEnv(art)...)
	for _, se := range j.SecretEnv {
		env = append(env, corev1.EnvVar{Name: se.Name, ValueFrom: &corev1.EnvVarSource{
			SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: se.Secret}, Key: se.Key},
		}})
	}
	return env
}

// backupEnv names the backup drill picked, for a Job that reads it itself.
func backupEnv(art *source.Artifact) []corev1.EnvVar {
	switch {
	case art == nil:
		return nil
	case art.Object != nil:
		return []corev1.EnvVar{{Name: EnvBackupURL, Value: art.Object.URL()}, {Name: EnvBackupEndpoint, Value: art.Object.Endpoint}}
	case art.Path != "":
		return []corev1.EnvVar{{Name: EnvBackupPath, Value: art.Path}}
	}
	return nil
}

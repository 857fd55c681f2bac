package ci_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/restore-drill/drill/scenarios"
)

const cronJobFile = "kubernetes/drill-cronjob.yaml"

// TestCronJobExample decodes the manifests strictly into the Kubernetes
// types (a misspelt field fails) and loads the scenario it carries with
// drill's own strict loader.
func TestCronJobExample(t *testing.T) {
	data, err := os.ReadFile(cronJobFile)
	if err != nil {
		t.Fatal(err)
	}
	docs := strings.Split(string(data), "\n---\n")
	if len(docs) != 2 {
		t.Fatalf("%d documents, want a ConfigMap and a CronJob", len(docs))
	}
	var cm corev1.ConfigMap
	if err := yaml.UnmarshalStrict([]byte(docs[0]), &cm); err != nil {
		t.Fatalf("the ConfigMap: %v", err)
	}
	var cj batchv1.CronJob
	if err := yaml.UnmarshalStrict([]byte(docs[1]), &cj); err != nil {
		t.Fatalf("the CronJob: %v", err)
	}
	if cj.Kind != "CronJob" || cj.Spec.ConcurrencyPolicy != batchv1.ForbidConcurrent {
		t.Errorf("kind %q concurrencyPolicy %q, want a CronJob that never runs two drills at once", cj.Kind, cj.Spec.ConcurrencyPolicy)
	}
	if b := cj.Spec.JobTemplate.Spec.BackoffLimit; b == nil || *b != 0 {
		t.Errorf("backoffLimit %v, want 0: a failed drill must not be retried silently", b)
	}
	pod := cj.Spec.JobTemplate.Spec.Template.Spec
	if len(pod.Containers) != 1 || len(pod.Containers[0].Args) < 2 || pod.Containers[0].Args[0] != "run" {
		t.Fatalf("containers %+v, want one that runs drill run SCENARIO", pod.Containers)
	}
	if sc := pod.SecurityContext; sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot {
		t.Errorf("the pod must run as non-root: PostgreSQL refuses root")
	}

	// The scenario the container runs is the one in the ConfigMap.
	scenario := pod.Containers[0].Args[1]
	content, ok := cm.Data[filepath.Base(scenario)]
	if !ok {
		t.Fatalf("the container runs %s, which the ConfigMap does not hold", scenario)
	}
	path := filepath.Join(t.TempDir(), filepath.Base(scenario))
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := scenarios.Load(path); err != nil {
		t.Errorf("the scenario in the ConfigMap does not load: %v", err)
	}
}

//go:build e2e

package app_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/rand"

	"github.com/restore-drill/drill/cmd/drill/app"
	"github.com/restore-drill/drill/sandbox/kube"
	"github.com/restore-drill/drill/sandbox/kube/lab/labtest"
)

// drill cleanup finds the namespace a kill -9-ed run left (its heartbeat an
// hour old): --dry-run lists it and removes nothing, --run removes it and
// waits until it is gone; a namespace without drill's label is never
// listed or touched.
func TestE2ECleanupCommand(t *testing.T) {
	env := labtest.Start(t)
	cs := labtest.Kube(t, env)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	run := "e2e-" + rand.String(10)
	killed := "drill-e2e-cleanup-" + rand.String(8)
	foreign := "e2e-foreign-" + rand.String(8)
	old := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	for name, labels := range map[string]map[string]string{
		killed:  kube.RunLabels(run, "e2e-cleanup"),
		foreign: {kube.LabelRunID: run}, // a run's label, but not drill's mark
	} {
		ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels, Annotations: map[string]string{kube.AnnotationHeartbeat: old}}}
		if _, err := cs.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cs.CoreV1().Namespaces().Delete(context.Background(), name, metav1.DeleteOptions{}) })
	}

	r := drill(t, "cleanup", "--dry-run", "--kubeconfig", env.Kubeconfig)
	if r.code != app.ExitPassed {
		t.Fatalf("cleanup --dry-run: exit %d; stderr:\n%s", r.code, r.stderr)
	}
	line := "Namespace " + killed + " (run " + run + "): no heartbeat for 1h0m0s: its run is gone"
	if !strings.Contains(r.stdout, line) || strings.Contains(r.stdout, foreign) || !strings.Contains(r.stderr, "nothing removed") {
		t.Fatalf("cleanup --dry-run listed:\n%s\nstderr:\n%s\nwant %q and nothing of %s", r.stdout, r.stderr, line, foreign)
	}
	if _, err := cs.CoreV1().Namespaces().Get(ctx, killed, metav1.GetOptions{}); err != nil {
		t.Fatalf("--dry-run removed %s: %v", killed, err)
	}

	r = drill(t, "cleanup", "--dry-run", "--run", run, "-o", "json", "--kubeconfig", env.Kubeconfig)
	var listed []struct {
		Kind, Name, Run, Why string
		Removed              bool
	}
	if err := json.Unmarshal([]byte(r.stdout), &listed); err != nil || r.code != 0 {
		t.Fatalf("cleanup -o json: exit %d, %v:\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	if len(listed) != 1 || listed[0].Name != killed || listed[0].Run != run || listed[0].Removed {
		t.Fatalf("cleanup --run -o json: %+v, want %s only, not removed", listed, killed)
	}

	r = drill(t, "cleanup", "--run", run, "--kubeconfig", env.Kubeconfig)
	if r.code != app.ExitPassed || !strings.Contains(r.stdout, line+": removed") {
		t.Fatalf("cleanup --run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, err := cs.CoreV1().Namespaces().Get(ctx, killed, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Fatalf("%s still there after drill cleanup returned: %v", killed, err)
	}
	if _, err := cs.CoreV1().Namespaces().Get(ctx, foreign, metav1.GetOptions{}); err != nil {
		t.Fatalf("the unlabelled namespace %s was touched: %v", foreign, err)
	}
}

package cluster

import (
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/scenarios"
)

func existsCheckOf(refs ...scenarios.ObjectRef) scenarios.Check {
	return scenarios.Check{Name: "objects", Timeout: 5 * time.Second, Exists: &scenarios.ExistsCheck{Objects: refs}}
}

func TestExists(t *testing.T) {
	fc := newFakeCluster(nil,
		&corev1.ConfigMap{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"}, ObjectMeta: metav1.ObjectMeta{Name: "settings", Namespace: testNamespace}},
		&corev1.Secret{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Secret"}, ObjectMeta: metav1.ObjectMeta{Name: "elsewhere", Namespace: "production"}},
		&rbacv1.ClusterRole{TypeMeta: metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRole"}, ObjectMeta: metav1.ObjectMeta{Name: "reader"}},
	)
	cm := scenarios.ObjectRef{APIVersion: "v1", Kind: "ConfigMap", Name: "settings"}
	role := scenarios.ObjectRef{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRole", Name: "reader"}

	r := mustCheck(t, existsCheckOf(cm, role), fc.connect).Run(context.Background(), fc.env())
	if r.Outcome != results.Passed || r.Expected != "2 objects present" || r.ReadyAt == nil {
		t.Fatalf("present: outcome %s expected %q (%s), want passed", r.Outcome, r.Expected, r.Message)
	}

	r = mustCheck(t, existsCheckOf(cm,
		scenarios.ObjectRef{APIVersion: "v1", Kind: "Secret", Name: "elsewhere"},
		scenarios.ObjectRef{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRole", Name: "writer"},
		scenarios.ObjectRef{APIVersion: "example.com/v1", Kind: "Widget", Name: "w"},
	), fc.connect).Run(context.Background(), fc.env())
	want := "missing: Secret/elsewhere, ClusterRole/writer (cluster-wide), Widget/w (kind Widget in example.com/v1 unknown to the cluster)"
	if r.Outcome != results.Failed || r.Observed != want {
		t.Fatalf("missing: outcome %s observed %q, want failed, %q", r.Outcome, r.Observed, want)
	}
	if !strings.Contains(r.Message, "3 of 4 objects missing in namespace "+testNamespace) {
		t.Errorf("message %q should count the missing and name the namespace", r.Message)
	}
}

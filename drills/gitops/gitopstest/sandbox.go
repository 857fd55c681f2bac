//go:build e2e

package gitopstest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/kube"
	"github.com/restore-drill/drill/sandbox/kube/lab"
	"github.com/restore-drill/drill/sandbox/kube/lab/labtest"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
)

// Cluster is a namespace sandbox made by the test, not by drill's own
// namespace provider, so that the deployers are tested on their own.
type Cluster struct {
	access sandbox.KubeAccess
}

func (c *Cluster) Describe() string              { return "namespace " + c.access.Namespace + " in the lab" }
func (c *Cluster) Kube() sandbox.KubeAccess      { return c.access }
func (c *Cluster) Destroy(context.Context) error { return nil }

func (c *Cluster) Postgres(context.Context, string) (*sandbox.PostgresServer, error) {
	return nil, errors.New("the gitops test sandbox has no PostgreSQL")
}

func (c *Cluster) Diagnose(context.Context, string) ([]string, error) { return nil, nil }

// Sandbox creates a namespace drill-<prefix>-<random> labelled as a run's,
// and deletes it (waiting until it is gone) when the test ends.
func Sandbox(t *testing.T, env lab.Env, prefix string) *Cluster {
	t.Helper()
	cs := labtest.Kube(t, env)
	suffix := rand.String(6)
	labels := kube.RunLabels("e2e-"+suffix, prefix)
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "drill-" + prefix + "-" + suffix, Labels: labels}}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := cs.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create the test's namespace %s: %v", ns.Name, err)
	}
	t.Cleanup(func() { deleteNamespace(t, cs, ns.Name) })
	return &Cluster{access: sandbox.KubeAccess{Config: labtest.RESTConfig(t, env), Namespace: ns.Name, Labels: labels}}
}

func deleteNamespace(t *testing.T, cs kubernetes.Interface, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	w, err := cs.CoreV1().Namespaces().Watch(ctx, metav1.ListOptions{FieldSelector: "metadata.name=" + name})
	if err != nil {
		t.Errorf("watch namespace %s: %v", name, err)
		return
	}
	defer w.Stop()
	if err := cs.CoreV1().Namespaces().Delete(ctx, name, metav1.DeleteOptions{}); apierrors.IsNotFound(err) {
		return
	} else if err != nil {
		t.Errorf("delete namespace %s: %v", name, err)
		return
	}
	for ev := range w.ResultChan() {
		if ev.Type == watch.Deleted {
			return
		}
	}
	t.Errorf("namespace %s still exists two minutes after its deletion", name)
}

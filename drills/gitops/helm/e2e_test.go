//go:build e2e

package helm_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/restore-drill/drill/drills/gitops/gitopstest"
	"github.com/restore-drill/drill/drills/gitops/helm"
	"github.com/restore-drill/drill/sandbox/kube"
	"github.com/restore-drill/drill/sandbox/kube/lab/labtest"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/client-go/kubernetes"
)

// releaseSecrets are Helm's records of releases in the namespace.
func releaseSecrets(ctx context.Context, t *testing.T, cs kubernetes.Interface, ns string) int {
	t.Helper()
	l, err := cs.CoreV1().Secrets(ns).List(ctx, metav1.ListOptions{LabelSelector: "owner=helm"})
	if err != nil {
		t.Fatalf("list helm's secrets in %s: %v", ns, err)
	}
	return len(l.Items)
}

// The test chart installs into the sandbox with the run's labels on every
// object, its Deployment is watched until rolled out, and Down uninstalls
// it and waits until its objects are gone.
func TestUpInstallsTheChartAndDownRemovesTheRelease(t *testing.T) {
	env := labtest.Start(t)
	sb := gitopstest.Sandbox(t, env, "helm")
	ns := sb.Kube().Namespace
	cs := labtest.Kube(t, env)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	d := helm.New(helm.Options{}, helm.App{Name: "web", Chart: "testdata/web", Values: map[string]any{"greeting": "bonjour"}})
	gitopstest.DownAtEnd(t, d)
	var progress bytes.Buffer
	start := time.Now()
	res, err := d.Up(ctx, sb, &progress)
	if err != nil {
		t.Fatalf("up: %v\nprogress:\n%s", err, progress.String())
	}
	t.Logf("Up of the test chart (Deployment, Service, ConfigMap): %s\n%s", time.Since(start).Round(time.Millisecond), progress.String())
	if res.Kind != "helm" || res.Revision != "web-0.1.0" || res.Resources != 3 || res.ReadyAt.IsZero() {
		t.Errorf("result %+v", res)
	}
	if !strings.Contains(progress.String(), "helm: Deployment/web ready") {
		t.Errorf("progress lacks the rollout:\n%s", progress.String())
	}
	st, err := d.Status(ctx)
	if err != nil || !st.Ready() {
		t.Errorf("status %+v, %v; want Synced + Healthy", st, err)
	}

	cm, err := cs.CoreV1().ConfigMaps(ns).Get(ctx, "web-config", metav1.GetOptions{})
	if err != nil || cm.Data["greeting"] != "bonjour" {
		t.Fatalf("config map web-config: %v, data %v; want greeting=bonjour", err, cm.Data)
	}
	dep, err := cs.AppsV1().Deployments(ns).Get(ctx, "web", metav1.GetOptions{})
	if err != nil {
		t.Fatalf("deployment web: %v", err)
	}
	svc, err := cs.CoreV1().Services(ns).Get(ctx, "web", metav1.GetOptions{})
	if err != nil {
		t.Fatalf("service web: %v", err)
	}
	// Helm sets app.kubernetes.io/managed-by=Helm on whatever it installs,
	// after the post-renderer: the run's id and scenario mark the objects.
	for _, m := range []metav1.ObjectMeta{cm.ObjectMeta, dep.ObjectMeta, svc.ObjectMeta} {
		for _, k := range []string{kube.LabelRunID, kube.LabelScenario} {
			if v := sb.Kube().Labels[k]; m.Labels[k] != v {
				t.Errorf("%s labels %v lack %s=%s", m.Name, m.Labels, k, v)
			}
		}
	}

	start = time.Now()
	if err := d.Down(ctx); err != nil {
		t.Fatalf("down: %v", err)
	}
	t.Logf("Down: %s", time.Since(start).Round(time.Millisecond))
	if n := releaseSecrets(ctx, t, cs, ns); n != 0 {
		t.Errorf("%d release records left after Down", n)
	}
	gitopstest.AssertWebGone(ctx, t, cs, ns)
	if err := d.Down(ctx); err != nil {
		t.Errorf("a second Down: %v", err)
	}
}

// Charts that reach outside the sandbox are refused before anything is
// created: no release, no object in the sandbox, kube-system or the
// cluster.
func TestChartsOutsideTheSandboxAreRefusedAndNothingIsCreated(t *testing.T) {
	env := labtest.Start(t)
	sb := gitopstest.Sandbox(t, env, "helm-refuse")
	ns := sb.Kube().Namespace
	cs := labtest.Kube(t, env)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	escape := "escape-" + rand.String(6)
	for _, c := range []struct {
		chart  string
		values map[string]any
		want   string
	}{
		{"testdata/othernamespace", map[string]any{"escapeName": escape}, "ConfigMap " + escape + " names namespace kube-system"},
		{"testdata/clusterrole", nil, "ClusterRole.rbac.authorization.k8s.io " + escape + "-reader is cluster-scoped"},
	} {
		d := helm.New(helm.Options{}, helm.App{Name: escape, Chart: c.chart, Values: c.values})
		gitopstest.DownAtEnd(t, d)
		_, err := d.Up(ctx, sb, &bytes.Buffer{})
		var refused *helm.RefusedError
		if !errors.As(err, &refused) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("up of %s: %v, want a refusal naming %q", c.chart, err, c.want)
		}
	}
	if n := releaseSecrets(ctx, t, cs, ns); n != 0 {
		t.Errorf("%d release records in the sandbox after refusals", n)
	}
	if l, err := cs.CoreV1().ConfigMaps(ns).List(ctx, metav1.ListOptions{LabelSelector: kube.LabelRunID}); err != nil || len(l.Items) != 0 {
		t.Errorf("config maps in the sandbox after refusals: %v, %v", l, err)
	}
	if _, err := cs.CoreV1().ConfigMaps("kube-system").Get(ctx, escape, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("config map kube-system/%s: %v, want not found", escape, err)
	}
	if _, err := cs.RbacV1().ClusterRoles().Get(ctx, escape+"-reader", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("cluster role %s-reader: %v, want not found", escape, err)
	}
}

// A Deployment whose pods are never scheduled fails when ctx ends, naming
// it with kubectl's words.
func TestUnreadyChartFailsWhenCtxEnds(t *testing.T) {
	env := labtest.Start(t)
	sb := gitopstest.Sandbox(t, env, "helm-stuck")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	d := helm.New(helm.Options{}, helm.App{Name: "stuck", Chart: "testdata/web", Values: map[string]any{
		"nodeSelector": map[string]any{"restore-drill.io/no-such-node": "true"},
	}})
	gitopstest.DownAtEnd(t, d)
	_, err := d.Up(ctx, sb, &bytes.Buffer{})
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), `Deployment/stuck: Waiting for deployment "stuck" rollout to finish`) {
		t.Errorf("up: %v, want the deadline and the unready deployment", err)
	}
}

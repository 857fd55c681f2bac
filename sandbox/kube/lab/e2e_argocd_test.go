//go:build e2e

package lab_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	applicationpkg "github.com/argoproj/argo-cd/v2/pkg/apiclient/application"
	"github.com/argoproj/argo-cd/v2/pkg/apis/application/v1alpha1"
	"github.com/restore-drill/drill/sandbox/kube/lab"
	"github.com/restore-drill/drill/sandbox/kube/lab/labtest"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/utils/ptr"
)

// appManifests is an application in git: a Deployment (made Ready by kwok,
// so that Argo CD's health check passes for real) and a ConfigMap whose
// greeting a later commit changes.
func appManifests(greeting string) string {
	return fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: registry.invalid/web:1
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: greeting
data:
  greeting: %s
`, greeting)
}

// An Application created and synced through Argo CD's API client reaches
// Synced + Healthy; a commit pushed afterwards is picked up by the
// controller's own resync (no refresh asked) and a second sync applies it.
// Other packages' tests push to the same branch meanwhile, so each wait
// accepts a later head that holds the test's commit.
func TestArgoCDApplicationSyncsAndPicksUpACommit(t *testing.T) {
	env := labtest.Start(t)
	apps := labtest.Applications(t, env)
	cs := labtest.Kube(t, env)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	name := "e2e-app-" + rand.String(6)
	path := "apps/" + name
	first, err := lab.Push(ctx, env.GitRepo, map[string]string{path + "/app.yaml": appManifests("hello")}, "Add "+name)
	if err != nil {
		t.Fatalf("push the application's manifests: %v", err)
	}
	app := &v1alpha1.Application{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: lab.ArgoCDNamespace},
		Spec: v1alpha1.ApplicationSpec{
			Project: "default",
			Source:  &v1alpha1.ApplicationSource{RepoURL: env.GitURL, Path: path, TargetRevision: lab.GitBranch},
			Destination: v1alpha1.ApplicationDestination{
				Server: "https://kubernetes.default.svc", Namespace: name,
			},
			SyncPolicy: &v1alpha1.SyncPolicy{SyncOptions: v1alpha1.SyncOptions{"CreateNamespace=true"}},
		},
	}
	if _, err := apps.Create(ctx, &applicationpkg.ApplicationCreateRequest{Application: app}); err != nil {
		t.Fatalf("create application %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := apps.Delete(ctx, &applicationpkg.ApplicationDeleteRequest{Name: ptr.To(name), Cascade: ptr.To(true)}); err != nil {
			t.Errorf("delete application %s: %v", name, err)
		}
	})

	start := time.Now()
	syncApp(ctx, t, apps, name)
	waitApp(ctx, t, apps, name, "Synced + Healthy at the first commit", func(a *v1alpha1.Application) bool {
		return a.Status.Sync.Status == v1alpha1.SyncStatusCodeSynced &&
			a.Status.Health.Status == "Healthy" && lab.Holds(ctx, env.GitRepo, a.Status.Sync.Revision, first)
	})
	t.Logf("application %s Synced + Healthy in %s", name, time.Since(start).Round(time.Millisecond))
	cm, err := cs.CoreV1().ConfigMaps(name).Get(ctx, "greeting", metav1.GetOptions{})
	if err != nil || cm.Data["greeting"] != "hello" {
		t.Fatalf("config map %s/greeting after the first sync: %v, data %v; want greeting=hello", name, err, cm.Data)
	}

	second, err := lab.Push(ctx, env.GitRepo, map[string]string{path + "/app.yaml": appManifests("bonjour")}, "Change "+name+"'s greeting")
	if err != nil {
		t.Fatalf("push a change: %v", err)
	}
	start = time.Now()
	waitApp(ctx, t, apps, name, "the pushed commit seen as OutOfSync by a resync", func(a *v1alpha1.Application) bool {
		return lab.Holds(ctx, env.GitRepo, a.Status.Sync.Revision, second) && a.Status.Sync.Status == v1alpha1.SyncStatusCodeOutOfSync
	})
	t.Logf("pushed commit seen by the resync in %s", time.Since(start).Round(time.Millisecond))
	syncApp(ctx, t, apps, name)
	waitApp(ctx, t, apps, name, "Synced + Healthy at the pushed commit", func(a *v1alpha1.Application) bool {
		return a.Status.Sync.Status == v1alpha1.SyncStatusCodeSynced &&
			a.Status.Health.Status == "Healthy" && lab.Holds(ctx, env.GitRepo, a.Status.Sync.Revision, second)
	})
	cm, err = cs.CoreV1().ConfigMaps(name).Get(ctx, "greeting", metav1.GetOptions{})
	if err != nil || cm.Data["greeting"] != "bonjour" {
		t.Fatalf("config map %s/greeting after the second sync: %v, data %v; want greeting=bonjour", name, err, cm.Data)
	}
}

func syncApp(ctx context.Context, t *testing.T, apps applicationpkg.ApplicationServiceClient, name string) {
	t.Helper()
	if _, err := apps.Sync(ctx, &applicationpkg.ApplicationSyncRequest{Name: ptr.To(name)}); err != nil {
		t.Fatalf("sync application %s: %v", name, err)
	}
}

// waitApp polls the application through the API until ok holds. (Polling
// is fine here: the test measures nothing finer than seconds.)
func waitApp(ctx context.Context, t *testing.T, apps applicationpkg.ApplicationServiceClient, name, what string, ok func(*v1alpha1.Application) bool) {
	t.Helper()
	var last *v1alpha1.Application
	for {
		a, err := apps.Get(ctx, &applicationpkg.ApplicationQuery{Name: ptr.To(name)})
		if err == nil {
			last = a
			if ok(a) {
				return
			}
		}
		select {
		case <-ctx.Done():
			if last == nil {
				t.Fatalf("application %s: waiting for %s: %v (last error: %v)", name, what, ctx.Err(), err)
			}
			t.Fatalf("application %s: waiting for %s: %v; last status: sync %s at %.8s, health %s, operation %v, conditions %v",
				name, what, ctx.Err(), last.Status.Sync.Status, last.Status.Sync.Revision, last.Status.Health.Status, opPhase(last), last.Status.Conditions)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func opPhase(a *v1alpha1.Application) string {
	if a.Status.OperationState == nil {
		return "none"
	}
	return fmt.Sprintf("%s: %s", a.Status.OperationState.Phase, a.Status.OperationState.Message)
}

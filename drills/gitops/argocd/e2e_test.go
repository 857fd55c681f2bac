//go:build e2e

package argocd_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	applicationpkg "github.com/argoproj/argo-cd/v2/pkg/apiclient/application"
	"github.com/argoproj/argo-cd/v2/pkg/apis/application/v1alpha1"
	"github.com/restore-drill/drill/drills/gitops/argocd"
	"github.com/restore-drill/drill/drills/gitops/gitopstest"
	"github.com/restore-drill/drill/sandbox/kube"
	"github.com/restore-drill/drill/sandbox/kube/lab"
	"github.com/restore-drill/drill/sandbox/kube/lab/labtest"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/client-go/dynamic"
	"k8s.io/utils/ptr"
)

var projects = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "appprojects"}

// webManifests are a Deployment (made Ready by kwok), a ConfigMap and a
// Service; extra is appended as one more document.
func webManifests(extra string) string {
	m := `apiVersion: apps/v1
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
  name: web-config
data:
  greeting: hello
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
`
	if extra != "" {
		m += "---\n" + extra
	}
	return m
}

type fixture struct {
	env  lab.Env
	opts argocd.Options
	apps applicationpkg.ApplicationServiceClient
	dyn  dynamic.Interface
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	env := labtest.Start(t)
	dyn, err := dynamic.NewForConfig(labtest.RESTConfig(t, env))
	if err != nil {
		t.Fatal(err)
	}
	return fixture{
		env:  env,
		opts: argocd.Options{ServerAddr: env.ArgoCDServer, AuthToken: env.ArgoCDAuthToken, PlainText: true, Namespace: lab.ArgoCDNamespace},
		apps: labtest.Applications(t, env),
		dyn:  dyn,
	}
}

// push commits manifests to apps/<random>/app.yaml and returns the path
// and the commit.
func (f fixture) push(ctx context.Context, t *testing.T, manifests string) (path, commit string) {
	t.Helper()
	path = "apps/gitops-" + rand.String(6)
	commit, err := lab.Push(ctx, f.env.GitRepo, map[string]string{path + "/app.yaml": manifests}, "Add "+path)
	if err != nil {
		t.Fatalf("push manifests: %v", err)
	}
	return path, commit
}

// holds says whether rev is commit or a later commit of the lab's
// repository (lab.Holds).
func (f fixture) holds(rev, commit string) bool {
	return lab.Holds(context.Background(), f.env.GitRepo, rev, commit)
}

func (f fixture) assertGone(ctx context.Context, t *testing.T, app, project string) {
	t.Helper()
	if _, err := f.apps.Get(ctx, &applicationpkg.ApplicationQuery{Name: ptr.To(app)}); err == nil {
		t.Errorf("application %s still exists after Down", app)
	}
	if _, err := f.dyn.Resource(projects).Namespace(lab.ArgoCDNamespace).Get(ctx, project, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("project %s after Down: %v, want not found", project, err)
	}
}

// Up creates a project and an Application that sync manifests from git into
// the sandbox and reach Synced + Healthy; Down removes the Application,
// the project and (cascade) every object the app applied.
func TestUpSyncsIntoTheSandboxAndDownRemovesEverything(t *testing.T) {
	f := newFixture(t)
	sb := gitopstest.Sandbox(t, f.env, "argocd")
	ns := sb.Kube().Namespace
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	path, commit := f.push(ctx, t, webManifests(""))

	d := argocd.New(f.opts, argocd.App{Name: "web", Source: &argocd.Source{RepoURL: f.env.GitURL, Path: path, Revision: lab.GitBranch}})
	gitopstest.DownAtEnd(t, d)
	var progress bytes.Buffer
	start := time.Now()
	res, err := d.Up(ctx, sb, &progress)
	if err != nil {
		t.Fatalf("up: %v\nprogress:\n%s", err, progress.String())
	}
	t.Logf("Up of a Deployment, ConfigMap and Service: %s (ready %s after start)\n%s",
		time.Since(start).Round(time.Millisecond), res.ReadyAt.Sub(start).Round(time.Millisecond), progress.String())
	if res.Kind != "argocd" || !f.holds(res.Revision, commit) || res.Resources != 3 {
		t.Errorf("result %+v, want kind argocd, revision %s or a later commit of %s, 3 resources", res, commit, lab.GitBranch)
	}
	if want := "Synced + Healthy at " + argocd.ShortRevision(res.Revision) + ", 3 resources"; res.Detail != want {
		t.Errorf("detail %q, want %q", res.Detail, want)
	}
	for _, line := range []string{"created application " + ns + "-web in project drill-" + ns, "health Healthy"} {
		if !strings.Contains(progress.String(), line) {
			t.Errorf("progress lacks %q:\n%s", line, progress.String())
		}
	}
	// The sync may apply an older head than the one the app is then
	// compared at, when the branch moved meanwhile: both hold the commit.
	if m := regexp.MustCompile(`syncing at revision ([0-9a-f]{7})\n`).FindStringSubmatch(progress.String()); m == nil || !f.holds(m[1], commit) {
		t.Errorf("progress lacks the sync at %s or a later commit:\n%s", commit[:7], progress.String())
	}
	st, err := d.Status(ctx)
	if err != nil || !st.Ready() || !f.holds(st.Revision, commit) {
		t.Errorf("status %+v, %v; want Synced + Healthy at %s or a later commit of %s", st, err, commit, lab.GitBranch)
	}

	app, err := f.apps.Get(ctx, &applicationpkg.ApplicationQuery{Name: ptr.To(ns + "-web")})
	if err != nil {
		t.Fatalf("read the application: %v", err)
	}
	if app.Labels[kube.LabelRunID] != sb.Kube().Labels[kube.LabelRunID] || app.Spec.Destination.Namespace != ns {
		t.Errorf("application labels %v, destination %+v; want the run's labels and namespace %s", app.Labels, app.Spec.Destination, ns)
	}
	proj, err := f.dyn.Resource(projects).Namespace(lab.ArgoCDNamespace).Get(ctx, "drill-"+ns, metav1.GetOptions{})
	if err != nil {
		t.Fatalf("read the project: %v", err)
	}
	if proj.GetLabels()[kube.LabelManagedBy] != kube.ManagedBy {
		t.Errorf("project labels %v, want %s=%s", proj.GetLabels(), kube.LabelManagedBy, kube.ManagedBy)
	}
	cs := labtest.Kube(t, f.env)
	if _, err := cs.CoreV1().ConfigMaps(ns).Get(ctx, "web-config", metav1.GetOptions{}); err != nil {
		t.Errorf("config map web-config in the sandbox: %v", err)
	}

	start = time.Now()
	if err := d.Down(ctx); err != nil {
		t.Fatalf("down: %v", err)
	}
	t.Logf("Down: %s", time.Since(start).Round(time.Millisecond))
	f.assertGone(ctx, t, ns+"-web", "drill-"+ns)
	gitopstest.AssertWebGone(ctx, t, cs, ns) // cascade
	if err := d.Down(ctx); err != nil {
		t.Errorf("a second Down: %v", err)
	}
}

// fromApplication copies an existing Application's source (not its
// destination or project) and overrides its revision.
func TestUpCopiesAnExistingApplication(t *testing.T) {
	f := newFixture(t)
	sb := gitopstest.Sandbox(t, f.env, "argocd-copy")
	ns := sb.Kube().Namespace
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	path, commit := f.push(ctx, t, webManifests(""))

	original := "prod-" + rand.String(6)
	_, err := f.apps.Create(ctx, &applicationpkg.ApplicationCreateRequest{Application: &v1alpha1.Application{
		ObjectMeta: metav1.ObjectMeta{Name: original, Namespace: lab.ArgoCDNamespace},
		Spec: v1alpha1.ApplicationSpec{
			Project:     "default",
			Source:      &v1alpha1.ApplicationSource{RepoURL: f.env.GitURL, Path: path, TargetRevision: "some-old-tag"},
			Destination: v1alpha1.ApplicationDestination{Server: argocd.DefaultDestinationServer, Namespace: "production"},
		},
	}, Validate: ptr.To(false)})
	if err != nil {
		t.Fatalf("create the original application: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_, _ = f.apps.Delete(ctx, &applicationpkg.ApplicationDeleteRequest{Name: ptr.To(original), Cascade: ptr.To(false)})
	})

	d := argocd.New(f.opts, argocd.App{Name: "copy", FromApplication: original, Revision: commit})
	gitopstest.DownAtEnd(t, d)
	res, err := d.Up(ctx, sb, gitopstest.Writer{T: t})
	if err != nil {
		t.Fatalf("up: %v", err)
	}
	if res.Revision != commit {
		t.Errorf("synced %s, want %s", res.Revision, commit)
	}
	app, err := f.apps.Get(ctx, &applicationpkg.ApplicationQuery{Name: ptr.To(ns + "-copy")})
	if err != nil {
		t.Fatalf("read the copy: %v", err)
	}
	if app.Spec.Source.Path != path || app.Spec.Source.TargetRevision != commit || app.Spec.Destination.Namespace != ns || app.Spec.Project != "drill-"+ns {
		t.Errorf("copy's spec: source %+v, destination %+v, project %s", app.Spec.Source, app.Spec.Destination, app.Spec.Project)
	}
	if err := d.Down(ctx); err != nil {
		t.Fatalf("down: %v", err)
	}
	f.assertGone(ctx, t, ns+"-copy", "drill-"+ns)
}

// A manifest that names kube-system, or a cluster-scoped kind, is refused
// by Argo CD through the project, at once, and nothing of it lands.
func TestObjectsOutsideTheSandboxAreRefusedByTheProject(t *testing.T) {
	f := newFixture(t)
	cs := labtest.Kube(t, f.env)
	escape := "escape-" + rand.String(6)
	for _, c := range []struct {
		name, manifest, refusal string
		landed                  func(context.Context) error
	}{
		{
			name:     "kube-system",
			manifest: fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n  namespace: kube-system\ndata: {a: b}\n", escape),
			refusal:  "namespace kube-system is not permitted in project",
			landed: func(ctx context.Context) error {
				_, err := cs.CoreV1().ConfigMaps("kube-system").Get(ctx, escape, metav1.GetOptions{})
				return err
			},
		},
		{
			name:     "cluster-role",
			manifest: fmt.Sprintf("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: %s\nrules: []\n", escape),
			refusal:  "resource rbac.authorization.k8s.io:ClusterRole is not permitted in project",
			landed: func(ctx context.Context) error {
				_, err := cs.RbacV1().ClusterRoles().Get(ctx, escape, metav1.GetOptions{})
				return err
			},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			sb := gitopstest.Sandbox(t, f.env, "argocd-escape")
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			path, _ := f.push(ctx, t, webManifests(c.manifest))
			d := argocd.New(f.opts, argocd.App{Name: "escape", Source: &argocd.Source{RepoURL: f.env.GitURL, Path: path, Revision: lab.GitBranch}})
			gitopstest.DownAtEnd(t, d)
			start := time.Now()
			_, err := d.Up(ctx, sb, gitopstest.Writer{T: t})
			if err == nil {
				t.Fatal("up of an app reaching outside the sandbox passed")
			}
			t.Logf("refused after %s: %v", time.Since(start).Round(time.Millisecond), err)
			if !strings.Contains(err.Error(), c.refusal) {
				t.Errorf("error %q does not carry the project's refusal %q", err, c.refusal)
			}
			if errors.Is(err, context.DeadlineExceeded) || time.Since(start) > time.Minute {
				t.Errorf("refusal took %s (%v), want it at once", time.Since(start), err)
			}
			if err := c.landed(ctx); !apierrors.IsNotFound(err) {
				t.Errorf("%s %s: %v, want not found", c.name, escape, err)
			}
		})
	}
}

// An app whose Deployment never becomes available fails when ctx ends,
// with its health and the Deployment's message in the error.
func TestNeverHealthyFailsWhenCtxEnds(t *testing.T) {
	f := newFixture(t)
	sb := gitopstest.Sandbox(t, f.env, "argocd-stuck")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	stuck := strings.Replace(webManifests(""), "    spec:\n      containers:", "    spec:\n      nodeSelector: {restore-drill.io/no-such-node: \"true\"}\n      containers:", 1)
	path, _ := f.push(ctx, t, stuck)

	d := argocd.New(f.opts, argocd.App{Name: "stuck", Source: &argocd.Source{RepoURL: f.env.GitURL, Path: path, Revision: lab.GitBranch}})
	gitopstest.DownAtEnd(t, d)
	upCtx, upCancel := context.WithTimeout(ctx, 15*time.Second)
	defer upCancel()
	_, err := d.Up(upCtx, sb, gitopstest.Writer{T: t})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("up of a never-ready app: %v, want the deadline", err)
	}
	for _, want := range []string{"health Progressing", "Deployment/" + sb.Kube().Namespace + "/web: Progressing"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

// An Up cut short while the sync runs (Ctrl-C: the run's context is
// cancelled) leaves nothing once Down has run: Application, project and
// the objects already applied.
func TestDownAfterAnInterruptedUpRemovesEverything(t *testing.T) {
	f := newFixture(t)
	sb := gitopstest.Sandbox(t, f.env, "argocd-int")
	ns := sb.Kube().Namespace
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	path, _ := f.push(ctx, t, webManifests(""))

	d := argocd.New(f.opts, argocd.App{Name: "web", Source: &argocd.Source{RepoURL: f.env.GitURL, Path: path, Revision: lab.GitBranch}})
	gitopstest.DownAtEnd(t, d)
	upCtx, interrupt := context.WithCancel(ctx)
	syncing := &cancelOn{line: "syncing at revision", cancel: interrupt}
	if _, err := d.Up(upCtx, sb, syncing); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted up: %v, want context.Canceled", err)
	}
	if err := d.Down(ctx); err != nil {
		t.Fatalf("down: %v", err)
	}
	f.assertGone(ctx, t, ns+"-web", "drill-"+ns)
	gitopstest.AssertWebGone(ctx, t, labtest.Kube(t, f.env), ns)
}

// cancelOn cancels when a progress line holds line.
type cancelOn struct {
	line   string
	cancel context.CancelFunc
}

func (c *cancelOn) Write(p []byte) (int, error) {
	if strings.Contains(string(p), c.line) {
		c.cancel()
	}
	return len(p), nil
}

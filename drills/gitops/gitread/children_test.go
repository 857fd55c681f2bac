package gitread_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/restore-drill/drill/drills/gitops/gitread"
)

// platform is an app-of-apps directory: two waves, a ConfigMap beside two
// Applications in one file, a JSON Application, and what is not read (a
// nested directory, a text file, an Application of another API version).
var platform = map[string]string{
	"apps/platform.yaml": `# the first wave
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: postgres
  namespace: argocd
  annotations:
    argocd.argoproj.io/sync-wave: "0"
spec:
  project: default
  source: {repoURL: https://git.example.com/platform.git, path: postgres, targetRevision: v2}
  destination: {server: https://kubernetes.default.svc, namespace: databases}
  syncPolicy:
    automated: {prune: true}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: not-an-app
data: {kind: Application}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ingress
spec:
  source: {repoURL: https://git.example.com/platform.git, path: ingress}
  destination: {namespace: ingress}
---
`,
	"apps/payments.yml": `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: payments
  annotations: {argocd.argoproj.io/sync-wave: "1"}
spec:
  sources:
    - {repoURL: https://git.example.com/payments.git, path: deploy, targetRevision: main}
    - {repoURL: https://git.example.com/values.git, targetRevision: main, ref: values}
  destination: {namespace: payments}
`,
	"apps/identity.json": `{"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
 "metadata": {"name": "identity", "annotations": {"argocd.argoproj.io/sync-wave": "1"}},
 "spec": {"source": {"repoURL": "https://git.example.com/identity.git", "path": "chart"},
          "destination": {"namespace": "identity"}, "syncPolicy": {"automated": {}}}}`,
	"apps/legacy.yaml": `apiVersion: argoproj.io/v1beta9
kind: Application
metadata: {name: not-argo-cd}
`,
	"apps/nested/deeper.yaml": `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: not-read}
`,
	"apps/README.txt": "kind: Application\n",
}

var platformChildren = []gitread.Child{
	{Name: "ingress", Wave: 0, RepoURL: "https://git.example.com/platform.git", Path: "ingress", Revision: "HEAD", DestinationNamespace: "ingress"},
	{Name: "postgres", Wave: 0, RepoURL: "https://git.example.com/platform.git", Path: "postgres", Revision: "v2", DestinationNamespace: "databases", Automated: true},
	{Name: "identity", Wave: 1, RepoURL: "https://git.example.com/identity.git", Path: "chart", Revision: "HEAD", DestinationNamespace: "identity", Automated: true},
	{Name: "payments", Wave: 1, RepoURL: "https://git.example.com/payments.git", Path: "deploy", Revision: "main", DestinationNamespace: "payments"},
}

func TestChildrenByWave(t *testing.T) {
	repo := newRepo(t)
	repo.commit(platform, "platform")
	for _, path := range []string{"apps", "./apps/", "apps/"} {
		got, err := gitread.Children(context.Background(), repo.url(), "", path, gitread.Auth{})
		if err != nil {
			t.Fatalf("path %q: %v", path, err)
		}
		if !reflect.DeepEqual(got, platformChildren) {
			t.Errorf("path %q: children\n%+v\nwant\n%+v", path, got, platformChildren)
		}
	}
}

// Each way of naming a revision reads that revision's files: a branch, a
// tag, a commit (full or abbreviated), HEAD; and a plain path reads like
// a file:// URL.
func TestChildrenAtRevision(t *testing.T) {
	repo := newRepo(t)
	first := repo.commit(platform, "platform")
	repo.git("tag", "-a", "v1.0", "-m", "first release")
	repo.git("branch", "release")
	second := repo.commit(map[string]string{"apps/payments.yml": "", "apps/identity.json": ""}, "only the first wave")
	tests := []struct {
		revision string
		url      string
		want     int
	}{
		{"", repo.url(), 2},
		{"HEAD", repo.url(), 2},
		{"main", repo.url(), 2},
		{"refs/heads/main", repo.url(), 2},
		{"release", repo.url(), 4},
		{"v1.0", repo.url(), 4},
		{first, repo.url(), 4},
		{first[:10], repo.url(), 4},
		{second, repo.dir, 2},
		{"release", repo.dir, 4},
	}
	for _, tt := range tests {
		// Credentials are for https: a local repository reads with them too.
		got, err := gitread.Children(context.Background(), tt.url, tt.revision, "apps", gitread.Auth{Username: "drill", Password: "hunter2"})
		if err != nil {
			t.Errorf("revision %q of %s: %v", tt.revision, tt.url, err)
			continue
		}
		if len(got) != tt.want {
			t.Errorf("revision %q of %s: %d children %+v, want %d", tt.revision, tt.url, len(got), got, tt.want)
		}
	}
}

// A chart or a kustomization cannot be read without rendering it: the
// error says so and can be told apart.
func TestChildrenRefusesWhatNeedsRendering(t *testing.T) {
	repo := newRepo(t)
	repo.commit(map[string]string{
		"charts/platform/Chart.yaml":             "apiVersion: v2\nname: platform\nversion: 1.0.0\n",
		"charts/platform/templates/apps.yaml":    platform["apps/payments.yml"],
		"overlays/prod/kustomization.yaml":       "resources: [apps.yaml]\n",
		"overlays/prod/apps.yaml":                platform["apps/payments.yml"],
		"overlays/staging/Kustomization":         "resources: [apps.yaml]\n",
		"overlays/staging/apps.yaml":             platform["apps/payments.yml"],
		"charts/platform/templates/_helpers.tpl": "{{/* */}}\n",
	}, "rendered sources")
	for path, what := range map[string]string{
		"charts/platform":  "is a Helm chart (Chart.yaml)",
		"overlays/prod":    "is a kustomization (kustomization.yaml)",
		"overlays/staging": "is a kustomization (Kustomization)",
	} {
		_, err := gitread.Children(context.Background(), repo.url(), "main", path, gitread.Auth{})
		if !errors.Is(err, gitread.ErrNeedsRendering) {
			t.Fatalf("path %s: error %v, want ErrNeedsRendering", path, err)
		}
		for _, want := range []string{"repository " + repo.url() + " revision main: path " + path + " " + what, "known only once it is rendered, at run time"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("path %s: error %q does not say %q", path, err, want)
			}
		}
	}
}

func TestChildrenErrors(t *testing.T) {
	repo := newRepo(t)
	repo.commit(platform, "platform")
	repo.git("tag", "v1.0")
	repo.commit(map[string]string{
		"twice/a.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: db}\n",
		"twice/b.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: db}\n",
		"badwave/app.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Application\n" +
			"metadata: {name: db, annotations: {argocd.argoproj.io/sync-wave: first}}\n",
		"broken/app.yaml":  "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: [db\n",
		"unnamed/app.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec: {}\n",
	}, "mistakes")
	prefix := "repository " + repo.url()
	tests := []struct {
		name, url, revision, path string
		auth                      gitread.Auth
		want                      string
	}{
		{"missing path", repo.url(), "main", "nowhere", gitread.Auth{}, prefix + " revision main: path nowhere does not exist"},
		{"path is a file", repo.url(), "main", "apps/platform.yaml", gitread.Auth{}, "path apps/platform.yaml is a file, not a directory"},
		{"path outside", repo.url(), "main", "../etc", gitread.Auth{}, `path "../etc" must be a directory inside the repository`},
		{"missing revision", repo.url(), "nope", "apps", gitread.Auth{}, prefix + " revision nope: no such branch or tag (it has main, v1.0): name a branch, a tag, a commit or HEAD"},
		{"missing commit", repo.url(), "0123456789abcdef0123456789abcdef01234567", "apps", gitread.Auth{}, "revision 0123456789abcdef0123456789abcdef01234567: no such branch, tag or commit"},
		{"missing repository", "file:///nonexistent/platform.git", "main", "apps", gitread.Auth{}, "repository file:///nonexistent/platform.git revision main: list its branches and tags"},
		{"twice", repo.url(), "main", "twice", gitread.Auth{}, "path twice: application db is defined twice, in twice/a.yaml and twice/b.yaml"},
		{"bad wave", repo.url(), "main", "badwave", gitread.Auth{}, `badwave/app.yaml, document 1: application db: its argocd.argoproj.io/sync-wave annotation "first" is not a whole number`},
		{"not YAML", repo.url(), "main", "broken", gitread.Auth{}, "broken/app.yaml, document 1: not YAML"},
		{"unnamed", repo.url(), "main", "unnamed", gitread.Auth{}, "an Application without metadata.name"},
		{"https password never shown", "https://drill:hunter2@127.0.0.1:1/platform.git", "main", "apps", gitread.Auth{Username: "drill", Password: "hunter2"}, "repository https://drill:xxxxx@127.0.0.1:1/platform.git revision main: list its branches and tags"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := gitread.Children(context.Background(), tt.url, tt.revision, tt.path, tt.auth)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Children = %+v, %v; want an error saying %q", got, err, tt.want)
			}
			if errors.Is(err, gitread.ErrNeedsRendering) {
				t.Errorf("error %v is taken for a source that needs rendering", err)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}
}

// BenchmarkChildren measures one read of a small repository: listing its
// references, the shallow fetch into memory and the parse.
func BenchmarkChildren(b *testing.B) {
	repo := newRepo(b)
	repo.commit(platform, "platform")
	for b.Loop() {
		if _, err := gitread.Children(context.Background(), repo.url(), "main", "apps", gitread.Auth{}); err != nil {
			b.Fatal(err)
		}
	}
}

package ci_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	argov1 "github.com/argoproj/argo-cd/v2/pkg/apis/application/v1alpha1"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/restore-drill/drill/scenarios"
)

const (
	bootstrapScenario = "kind/rebuild-argocd.yaml"
	bootstrapScript   = "kind/rebuild-argocd.sh"
	bootstrapJob      = "rebuild-argocd"
)

// strictObjects decodes every document of a manifest file strictly into
// the Go type of its kind: a misspelt or misplaced field fails, as kubectl
// apply --validate=strict would fail it.
func strictObjects(t *testing.T, path string) []any {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []any
	for i, doc := range strings.Split(string(raw), "\n---\n") {
		var head struct{ Kind string }
		if err := yaml.Unmarshal([]byte(doc), &head); err != nil {
			t.Fatalf("%s: document %d: %v", path, i, err)
		}
		var obj any
		switch head.Kind {
		case "Application":
			obj = &argov1.Application{}
		case "Deployment":
			obj = &appsv1.Deployment{}
		case "Service":
			obj = &corev1.Service{}
		case "Namespace":
			obj = &corev1.Namespace{}
		case "Job":
			obj = &batchv1.Job{}
		default:
			t.Fatalf("%s: document %d: kind %q is not known to this test", path, i, head.Kind)
		}
		if err := yaml.UnmarshalStrict([]byte(doc), obj); err != nil {
			t.Errorf("%s: document %d (%s): %v", path, i, head.Kind, err)
		}
		out = append(out, obj)
	}
	return out
}

// The manifests the kind jobs apply decode strictly into their Kubernetes
// and Argo CD types.
func TestKindManifestsAreStrict(t *testing.T) {
	files, err := filepath.Glob("kind/apps/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("kind/manifests/*/*.yaml")
	files = append(append(files, more...), "kind/cnpg/object-store.yaml")
	if len(files) < 5 {
		t.Fatalf("found only %v", files)
	}
	for _, f := range files {
		strictObjects(t, f)
	}
}

// The rebuild scenario installs Argo CD 2.14 (the version drill's client is
// built for) from argo-helm, and its root app-of-apps in this repository
// holds the child apps the restores wait for: the database servers in wave
// 0, the front end in wave 1, each from a path of this repository whose
// Service the restore's target names, in the namespace the target names.
func TestBootstrapScenarioMatchesTheApps(t *testing.T) {
	sc, err := scenarios.Load(bootstrapScenario)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Sandbox.Kind != scenarios.SandboxKind || sc.Bootstrap == nil || sc.Bootstrap.ArgoCD == nil {
		t.Fatalf("%s: want a kind sandbox with a bootstrap", bootstrapScenario)
	}
	a := sc.Bootstrap.ArgoCD
	in := a.Install
	if in == nil || in.Repository != "https://argoproj.github.io/argo-helm" || in.Chart != "argo-cd" || !strings.HasPrefix(in.Version, "7.8.") {
		t.Errorf("bootstrap.argocd.install %+v: want argo-helm's argo-cd chart 7.8.x (Argo CD v2.14)", in)
	}
	root := a.Root
	if root.Revision != "HEAD" {
		t.Errorf("root revision %s: the file says HEAD, which %s pins to the commit under test", root.Revision, bootstrapScript)
	}

	children := map[string]*argov1.Application{}
	waves := map[int][]string{}
	files, err := filepath.Glob(filepath.Join("..", root.Path, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("the root's path %s holds no manifests: %v", root.Path, err)
	}
	for _, f := range files {
		for _, obj := range strictObjects(t, f) {
			app, ok := obj.(*argov1.Application)
			if !ok {
				t.Errorf("%s: %T is not an Application", f, obj)
				continue
			}
			children[app.Name] = app
			if app.Namespace != a.Namespace {
				t.Errorf("child %s is in namespace %s, not Argo CD's %s", app.Name, app.Namespace, a.Namespace)
			}
			wave, err := strconv.Atoi(app.Annotations["argocd.argoproj.io/sync-wave"])
			if err != nil {
				t.Errorf("child %s: sync-wave: %v", app.Name, err)
			}
			waves[wave] = append(waves[wave], app.Name)
			src := app.Spec.Source
			if src == nil || src.RepoURL != root.RepoURL {
				t.Errorf("child %s does not come from the root's repository %s: %+v", app.Name, root.RepoURL, src)
				continue
			}
			if fi, err := os.Stat(filepath.Join("..", src.Path)); err != nil || !fi.IsDir() {
				t.Errorf("child %s: path %s is not a directory of this repository", app.Name, src.Path)
			}
		}
	}
	for w := range waves {
		slices.Sort(waves[w])
	}
	if len(waves) != 2 || !slices.Equal(waves[0], []string{"billing-db", "ledger-db"}) || !slices.Equal(waves[1], []string{"web"}) {
		t.Errorf("waves %v: want the databases in wave 0 and web in wave 1", waves)
	}

	if len(sc.Restores) != 2 {
		t.Fatalf("%d restores, want two", len(sc.Restores))
	}
	for _, r := range sc.Restores {
		if len(r.WaitFor) != 1 || r.WaitForPlatform {
			t.Errorf("restore %s waits for %v (platform: %v), want its own database's app only", r.Name, r.WaitFor, r.WaitForPlatform)
			continue
		}
		app := children[r.WaitFor[0]]
		if app == nil {
			t.Errorf("restore %s waits for %s, which is no child app", r.Name, r.WaitFor[0])
			continue
		}
		tg := r.Postgres.Target
		if tg == nil || tg.Namespace != app.Spec.Destination.Namespace {
			t.Errorf("restore %s's target %+v is not in %s's namespace %s", r.Name, tg, app.Name, app.Spec.Destination.Namespace)
			continue
		}
		found := false
		dir := filepath.Join("..", app.Spec.Source.Path)
		manifests, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		for _, f := range manifests {
			for _, obj := range strictObjects(t, f) {
				if svc, ok := obj.(*corev1.Service); ok && svc.Name == tg.Service {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("restore %s's target Service %s is not in %s", r.Name, tg.Service, dir)
		}
	}
}

// pin writes a copy of the scenario whose root is the given commit of the
// given repository, and drill (here: true) validates it.
func TestBootstrapPin(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	pinned := filepath.Join(t.TempDir(), "pinned.yaml")
	const commit = "0123456789abcdef0123456789abcdef01234567"
	cmd := exec.Command("bash", bootstrapScript, "pin")
	cmd.Env = append(os.Environ(), "DRILL=true", "PINNED="+pinned, "GITHUB_SHA="+commit, "GITHUB_REPOSITORY=someone/drill", "REVISION=", "REPO_URL=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s pin: %v\n%s", bootstrapScript, err, out)
	}
	orig, err := scenarios.Load(bootstrapScenario)
	if err != nil {
		t.Fatal(err)
	}
	// Only the root's repository and revision change.
	raw, err := os.ReadFile(pinned)
	if err != nil {
		t.Fatal(err)
	}
	back := strings.NewReplacer("revision: "+commit, "revision: HEAD", "repoURL: https://github.com/someone/drill.git", "repoURL: "+orig.Bootstrap.ArgoCD.Root.RepoURL).Replace(string(raw))
	want, err := os.ReadFile(bootstrapScenario)
	if err != nil {
		t.Fatal(err)
	}
	if back != string(want) || !strings.Contains(string(raw), commit) {
		t.Errorf("the pinned scenario differs from %s by more than the root's repository and revision:\n%s", bootstrapScenario, raw)
	}
}

// The workflow's job runs the script's steps in the order `all` runs them,
// and always uploads the results.
func TestBootstrapJobRunsTheScript(t *testing.T) {
	steps, uploads := jobScriptSteps(t, bootstrapJob, "ci/"+bootstrapScript)
	if want := []string{"backups", "pin", "drill"}; !slices.Equal(steps, want) {
		t.Errorf("the job runs the script's steps %q, want %q", steps, want)
	}
	if !uploads {
		t.Errorf("the job does not always upload its results")
	}
	if sc, err := exec.LookPath("shellcheck"); err == nil {
		if out, err := exec.Command(sc, bootstrapScript).CombinedOutput(); err != nil {
			t.Errorf("shellcheck %s: %v\n%s", bootstrapScript, err, out)
		}
	}
}

package argocd

import (
	"slices"
	"strings"
	"testing"

	"github.com/argoproj/argo-cd/v2/pkg/apis/application/v1alpha1"
	"github.com/restore-drill/drill/sandbox/kube"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

var testOpts = Options{}.withDefaults()

func testPlan() plan {
	return plan{App: "drill-billing-ab12cd-web", Project: "drill-drill-billing-ab12cd", Namespace: "drill-billing-ab12cd", Labels: kube.RunLabels("run-1", "billing")}
}

func TestProjectAllowsOnlyTheSandboxNamespaceAndNoClusterScopedKind(t *testing.T) {
	p := testPlan()
	p.Source = &v1alpha1.ApplicationSource{RepoURL: "https://git.example/apps.git"}
	p.Sources = v1alpha1.ApplicationSources{{RepoURL: "https://charts.example"}, {RepoURL: "https://git.example/apps.git"}}
	proj := p.project(testOpts)

	if proj.Name != p.Project || proj.Namespace != DefaultNamespace {
		t.Errorf("project %s/%s, want %s/%s", proj.Namespace, proj.Name, DefaultNamespace, p.Project)
	}
	if want := []string{"https://charts.example", "https://git.example/apps.git"}; !slices.Equal(proj.Spec.SourceRepos, want) {
		t.Errorf("source repos %v, want %v", proj.Spec.SourceRepos, want)
	}
	want := v1alpha1.ApplicationDestination{Server: DefaultDestinationServer, Namespace: p.Namespace}
	if len(proj.Spec.Destinations) != 1 || proj.Spec.Destinations[0] != want {
		t.Errorf("destinations %+v, want only %+v", proj.Spec.Destinations, want)
	}
	if len(proj.Spec.ClusterResourceWhitelist) != 0 {
		t.Errorf("cluster resource whitelist %v, want empty", proj.Spec.ClusterResourceWhitelist)
	}
	// What Argo CD decides with the project: every namespaced kind in the
	// sandbox, nothing cluster-scoped, no other namespace.
	for _, c := range []struct {
		group, kind string
		namespaced  bool
		want        bool
	}{
		{"apps", "Deployment", true, true},
		{"", "ConfigMap", true, true},
		{"rbac.authorization.k8s.io", "ClusterRole", false, false},
		{"", "Namespace", false, false},
	} {
		if got := proj.IsGroupKindPermitted(groupKind(c.group, c.kind), c.namespaced); got != c.want {
			t.Errorf("%s/%s permitted: %v, want %v", c.group, c.kind, got, c.want)
		}
	}
	clusters := func(string) ([]*v1alpha1.Cluster, error) { return nil, nil }
	for ns, want := range map[string]bool{p.Namespace: true, "kube-system": false, "production": false} {
		got, err := proj.IsDestinationPermitted(v1alpha1.ApplicationDestination{Server: DefaultDestinationServer, Namespace: ns}, clusters)
		if err != nil || got != want {
			t.Errorf("namespace %s permitted: %v, %v; want %v", ns, got, err, want)
		}
	}
	if proj.Labels[kube.LabelRunID] != "run-1" || proj.Labels[kube.LabelManagedBy] != kube.ManagedBy {
		t.Errorf("project labels %v, want the run's", proj.Labels)
	}
}

func TestApplicationFromAnInlineSource(t *testing.T) {
	cases := []struct {
		name     string
		src      Source
		revision string
		check    func(*testing.T, *v1alpha1.ApplicationSource)
	}{
		{
			name: "path at its revision",
			src:  Source{RepoURL: "file:///git/apps.git", Path: "apps/web", Revision: "main"},
			check: func(t *testing.T, s *v1alpha1.ApplicationSource) {
				if s.RepoURL != "file:///git/apps.git" || s.Path != "apps/web" || s.TargetRevision != "main" || s.Helm != nil || s.Kustomize != nil {
					t.Errorf("source %+v", s)
				}
			},
		},
		{
			name:     "the app's revision wins",
			src:      Source{RepoURL: "r", Path: "p", Revision: "main"},
			revision: "v1.2.3",
			check: func(t *testing.T, s *v1alpha1.ApplicationSource) {
				if s.TargetRevision != "v1.2.3" {
					t.Errorf("target revision %s, want v1.2.3", s.TargetRevision)
				}
			},
		},
		{
			name: "helm chart with values and sorted parameters",
			src: Source{RepoURL: "https://charts.example", Chart: "web", Revision: "1.0.0", Helm: &Helm{
				ReleaseName: "web", ValueFiles: []string{"a.yaml"}, Values: "replicas: 2\n", Parameters: map[string]string{"z": "1", "a": "2"},
			}},
			check: func(t *testing.T, s *v1alpha1.ApplicationSource) {
				h := s.Helm
				if s.Chart != "web" || h == nil || h.ReleaseName != "web" || !slices.Equal(h.ValueFiles, []string{"a.yaml"}) || h.Values != "replicas: 2\n" {
					t.Fatalf("helm source %+v %+v", s, h)
				}
				if want := []v1alpha1.HelmParameter{{Name: "a", Value: "2"}, {Name: "z", Value: "1"}}; !slices.Equal(h.Parameters, want) {
					t.Errorf("parameters %v, want %v", h.Parameters, want)
				}
			},
		},
		{
			name: "kustomize overrides",
			src: Source{RepoURL: "r", Path: "overlays/prod", Kustomize: &Kustomize{
				NamePrefix: "x-", NameSuffix: "-y", Images: []string{"web=registry.example/web:2"}, CommonLabels: map[string]string{"drill": "yes"},
			}},
			check: func(t *testing.T, s *v1alpha1.ApplicationSource) {
				k := s.Kustomize
				if k == nil || k.NamePrefix != "x-" || k.NameSuffix != "-y" || len(k.Images) != 1 || k.Images[0] != "web=registry.example/web:2" || k.CommonLabels["drill"] != "yes" {
					t.Errorf("kustomize %+v", k)
				}
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := testPlan()
			p.Source = inlineSource(c.src, c.revision)
			app := p.application(testOpts)
			c.check(t, app.Spec.Source)
			checkSandboxed(t, p, app)
		})
	}
}

// checkSandboxed holds for every Application Up creates.
func checkSandboxed(t *testing.T, p plan, app *v1alpha1.Application) {
	t.Helper()
	if app.Name != p.App || app.Namespace != DefaultNamespace || app.Spec.Project != p.Project {
		t.Errorf("application %s/%s in project %s, want %s/%s in %s", app.Namespace, app.Name, app.Spec.Project, DefaultNamespace, p.App, p.Project)
	}
	if d := app.Spec.Destination; d.Server != DefaultDestinationServer || d.Namespace != p.Namespace || d.Name != "" {
		t.Errorf("destination %+v, want the sandbox %s", d, p.Namespace)
	}
	if sp := app.Spec.SyncPolicy; sp != nil && (sp.Automated != nil || slices.Contains(sp.SyncOptions, syncOptionCreateNamespace)) {
		t.Errorf("sync policy %+v: want no automated sync and no namespace creation", sp)
	}
	if !slices.Equal(app.Finalizers, []string{v1alpha1.ResourcesFinalizerName}) {
		t.Errorf("finalizers %v, want the resources finalizer (cascade)", app.Finalizers)
	}
	if app.Labels[kube.LabelRunID] != "run-1" {
		t.Errorf("labels %v, want the run's", app.Labels)
	}
}

func TestApplicationCopiedFromAnExistingOne(t *testing.T) {
	from := &v1alpha1.Application{Spec: v1alpha1.ApplicationSpec{
		Project:     "production",
		Destination: v1alpha1.ApplicationDestination{Server: "https://prod.example", Namespace: "billing"},
		Sources: v1alpha1.ApplicationSources{
			{RepoURL: "https://charts.example", Chart: "billing", TargetRevision: "3.1.0", Helm: &v1alpha1.ApplicationSourceHelm{ValueFiles: []string{"$values/prod.yaml"}}},
			{RepoURL: "https://git.example/values.git", TargetRevision: "main", Ref: "values"},
		},
		IgnoreDifferences: v1alpha1.IgnoreDifferences{{Group: "apps", Kind: "Deployment", JSONPointers: []string{"/spec/replicas"}}},
		SyncPolicy: &v1alpha1.SyncPolicy{
			Automated:   &v1alpha1.SyncPolicyAutomated{Prune: true},
			SyncOptions: v1alpha1.SyncOptions{"CreateNamespace=true", "ServerSideApply=true"},
		},
	}}
	for _, revision := range []string{"", "4.0.0"} {
		p := testPlan()
		copySources(&p, from, revision)
		app := p.application(testOpts)
		checkSandboxed(t, p, app)
		if len(app.Spec.Sources) != 2 || app.Spec.Sources[1].Ref != "values" || app.Spec.Sources[0].Helm.ValueFiles[0] != "$values/prod.yaml" {
			t.Fatalf("sources %+v", app.Spec.Sources)
		}
		wantRev := "3.1.0"
		if revision != "" {
			wantRev = revision
		}
		if app.Spec.Sources[0].TargetRevision != wantRev {
			t.Errorf("revision override %q: target revision %s, want %s", revision, app.Spec.Sources[0].TargetRevision, wantRev)
		}
		if !slices.Equal(app.Spec.SyncPolicy.SyncOptions, v1alpha1.SyncOptions{"ServerSideApply=true"}) || len(app.Spec.IgnoreDifferences) != 1 {
			t.Errorf("sync options %v, ignore differences %v", app.Spec.SyncPolicy.SyncOptions, app.Spec.IgnoreDifferences)
		}
	}
	if from.Spec.Sources[0].TargetRevision != "3.1.0" {
		t.Error("copying changed the original application")
	}
}

func TestApplicationNameFitsALabelValue(t *testing.T) {
	if got := applicationName("drill-billing-ab12cd", "web"); got != "drill-billing-ab12cd-web" {
		t.Errorf("short name %q", got)
	}
	long := "drill-" + strings.Repeat("a", 50) + "-ab12cd"
	a, b := applicationName(long, "frontend"), applicationName(long, "frontend-2")
	if len(a) > maxNameLen || len(b) > maxNameLen || a == b || strings.HasSuffix(a, "-") {
		t.Errorf("long names %q (%d) and %q (%d): want distinct, at most %d characters", a, len(a), b, len(b), maxNameLen)
	}
}

func groupKind(group, kind string) schema.GroupKind {
	return schema.GroupKind{Group: group, Kind: kind}
}

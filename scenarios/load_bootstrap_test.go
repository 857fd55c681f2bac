package scenarios

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// TestLoadBootstrap checks a rebuild's bootstrap, defaulted, with paths
// taken from the scenario's directory, and what its restores wait for: the
// named child app, or (no waitFor) the whole platform.
func TestLoadBootstrap(t *testing.T) {
	s, err := Load("testdata/valid-bootstrap.yaml")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := &Bootstrap{ArgoCD: &ArgoCDBootstrap{
		Namespace: "argocd",
		Install: &ArgoCDInstall{
			HelmApp: HelmApp{Chart: filepath.Join("testdata", "charts", "argo-cd"), Release: "argocd",
				Values: map[string]any{"server": map[string]any{"insecure": true}}, ValuesFiles: []string{}},
			Timeout: 10 * time.Minute,
		},
		Repositories: []RepositoryCredentials{{URL: "https://git.example.com/platform.git", Type: "git", Username: "drill", PasswordEnv: "GIT_TOKEN"}},
		Root:         &RootApp{Name: "root", RepoURL: "https://git.example.com/platform.git", Path: "apps", Revision: "HEAD", Project: "default", AppTimeout: 10 * time.Minute},
	}}
	if !reflect.DeepEqual(s.Bootstrap, want) {
		t.Errorf("bootstrap:\n got %+v\nwant %+v", s.Bootstrap.ArgoCD, want.ArgoCD)
		if s.Bootstrap != nil && s.Bootstrap.ArgoCD != nil {
			t.Errorf("install %+v root %+v", s.Bootstrap.ArgoCD.Install, s.Bootstrap.ArgoCD.Root)
		}
	}
	billing, events := s.Restores[0], s.Restores[1]
	if !reflect.DeepEqual(billing.WaitFor, []string{"billing-db"}) || billing.WaitForPlatform {
		t.Errorf("billing waits for %v (platform %v), want [billing-db] only", billing.WaitFor, billing.WaitForPlatform)
	}
	if len(events.WaitFor) != 0 || !events.WaitForPlatform {
		t.Errorf("events waits for %v (platform %v), want the whole platform", events.WaitFor, events.WaitForPlatform)
	}
}

// TestLoadInvalidBootstrap checks each of a bootstrap's problems, with its
// line, field and message.
func TestLoadInvalidBootstrap(t *testing.T) {
	assertInvalidFile(t, "testdata/invalid-bootstrap.yaml", []want{
		{6, "spec.sandbox", "is namespace, and spec.bootstrap rebuilds a whole cluster"},
		{10, "spec.bootstrap.argocd.namespace", `"Argo_CD" is not a valid name`},
		{13, "spec.bootstrap.argocd.install.timeout", "must be positive"},
		{15, "spec.bootstrap.argocd.repositories[0]", "set passwordEnv or passwordFile, not both"},
		{18, "spec.bootstrap.argocd.repositories[1]", "names no secret"},
		{19, "spec.bootstrap.argocd.repositories[1].type", "must be git or helm"},
		{20, "spec.bootstrap.argocd.root.repoURL", "is required"},
		{24, "spec.restores[0].waitFor[0]", `"Billing_DB" is not an app's name`},
	})
}

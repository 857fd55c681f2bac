package bootstrap

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/runtime"
	k8stesting "k8s.io/client-go/testing"

	"github.com/restore-drill/drill/sandbox/kube"
)

var errTest = errors.New("test failure")

// A repository's Secret has Argo CD's label for its kind, the run's
// labels, and only the keys that are set, as util/db reads them.
func TestRepositorySecret(t *testing.T) {
	for _, tc := range []struct {
		name     string
		repo     Repository
		kind     string
		wantData map[string]string
	}{
		{"https repository", Repository{URL: "https://git.example.com/p.git", Username: "drill", Password: "pw"},
			"repository", map[string]string{"url": "https://git.example.com/p.git", "type": "git", "username": "drill", "password": "pw"}},
		{"ssh credentials template", Repository{URL: "git@git.example.com:", Prefix: true, SSHPrivateKey: "KEY", Insecure: true},
			"repo-creds", map[string]string{"url": "git@git.example.com:", "type": "git", "sshPrivateKey": "KEY", "insecure": "true"}},
		{"helm repository", Repository{URL: "https://charts.example.com", Type: "helm"},
			"repository", map[string]string{"url": "https://charts.example.com", "type": "helm"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := repositorySecret("argocd", testLabels, tc.repo)
			if s.Namespace != "argocd" || s.Labels["argocd.argoproj.io/secret-type"] != tc.kind || !strings.HasPrefix(s.Name, "drill-"+tc.kind+"-") {
				t.Errorf("secret %s/%s labelled %v, want kind %s", s.Namespace, s.Name, s.Labels, tc.kind)
			}
			for k, v := range testLabels {
				if s.Labels[k] != v {
					t.Errorf("label %s = %q, want the run's %q", k, s.Labels[k], v)
				}
			}
			got := map[string]string{}
			for k, v := range s.Data {
				got[k] = string(v)
			}
			if !maps.Equal(got, tc.wantData) {
				t.Errorf("data %v, want %v", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(tc.wantData)))
			}
			if strings.Contains(s.Name, "pw") || strings.Contains(s.Name, "KEY") {
				t.Errorf("the Secret's name %s shows a secret", s.Name)
			}
		})
	}
	r := Repository{URL: "https://git.example.com/p.git"}
	if repositorySecret("argocd", testLabels, r).Name == repositorySecret("argocd", kube.RunLabels("run-2", "rebuild"), r).Name {
		t.Error("two runs name the same repository's Secret alike")
	}
}

// Neither the progress nor an error ever shows a password or key, also
// when the cluster refuses the Secret.
func TestNoSecretInProgressOrErrors(t *testing.T) {
	repos := []Repository{{URL: "https://git.example.com/p.git", Username: "drill", Password: "hunter2-password"}, {URL: "git@git.example.com:", Prefix: true, SSHPrivateKey: "-----BEGIN KEY hunter2-key"}}
	f := newFakeArgo(t, "root")
	rec, progress, err := up(t, newTestPlatform(f, Options{Repositories: repos}))
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := rec.find("end", StepRepositories); !ok || e.res.Resources != 2 || !slices.Equal(e.step.After, []string{StepArgoCD}) {
		t.Errorf("%s ended with %+v after %v; want 2 resources, after %s", StepRepositories, e.res, e.step.After, StepArgoCD)
	}
	if b, _ := rec.find("begin", "app/root"); !slices.Equal(b.step.After, []string{StepRepositories}) {
		t.Errorf("app/root waited for %v, want %s", b.step.After, StepRepositories)
	}

	refused := newFakeArgo(t, "root")
	refused.kube.PrependReactor("create", "secrets", func(k8stesting.Action) (bool, runtime.Object, error) { return true, nil, errTest })
	_, refusedProgress, refusedErr := up(t, newTestPlatform(refused, Options{Repositories: repos}))
	if refusedErr == nil || !strings.Contains(refusedErr.Error(), "https://git.example.com/p.git") {
		t.Fatalf("Up with a refused Secret: %v, want an error naming the repository", refusedErr)
	}
	for _, out := range []string{progress, refusedProgress, refusedErr.Error()} {
		if strings.Contains(out, "hunter2") {
			t.Errorf("a secret shows in %q", out)
		}
	}
	if err := newTestPlatform(refused, Options{Repositories: repos}).Down(context.Background()); err != nil {
		t.Errorf("Down after a refused Secret: %v", err)
	}
}

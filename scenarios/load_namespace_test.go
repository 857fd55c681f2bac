package scenarios

import (
	"cmp"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// TestLoadNamespaceExactly checks every field of the namespace sandbox, its
// apps, in-cluster restores and cluster checks, set and defaulted.
func TestLoadNamespaceExactly(t *testing.T) {
	tests := []struct {
		file string
		want *Scenario
	}{
		{
			file: "testdata/valid-namespace-minimal.yaml",
			want: &Scenario{
				Name:    "ns-minimal",
				File:    "testdata/valid-namespace-minimal.yaml",
				Timeout: time.Hour,
				Sandbox: Sandbox{Kind: SandboxNamespace, Namespace: &NamespaceSandbox{Prefix: "drill", TTL: 24 * time.Hour, Isolate: true}},
				Apps: []App{{
					Name:    "db",
					Timeout: 10 * time.Minute,
					ArgoCD:  &ArgoCDApp{Source: &ArgoCDSource{RepoURL: "file:///srv/git/platform.git", Path: "db", Revision: "HEAD"}},
				}},
				Restores: []Restore{{
					Name:   "app",
					Source: Source{Path: "/var/backups/app.dump"},
					Postgres: &PostgresRestore{Database: "app", Jobs: 1, Target: &PostgresTarget{
						Service: "db", Port: 5432, User: "postgres", UserKey: "username", PasswordKey: "password", ReadyTimeout: 5 * time.Minute,
					}},
					WaitFor: []string{"db"},
				}},
				Checks: []Check{
					{Name: "page", Timeout: 5 * time.Minute, HTTP: &HTTPCheck{Service: "web", Port: 80, Path: "/", Status: 200}},
					{Name: "config", Timeout: 5 * time.Minute, Exists: &ExistsCheck{Objects: []ObjectRef{{APIVersion: "v1", Kind: "Secret", Name: "db"}}}},
				},
			},
		},
		{
			file: "testdata/valid-namespace-full.yaml",
			want: namespaceFull(),
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) { assertLoadsExactly(t, tt.file, tt.want, dumpCluster) })
	}
}

func namespaceFull() *Scenario {
	const file = "testdata/valid-namespace-full.yaml"
	target := func(t PostgresTarget) *PostgresTarget {
		t.UserKey = cmp.Or(t.UserKey, "username")
		t.PasswordKey = cmp.Or(t.PasswordKey, "password")
		t.User = cmp.Or(t.User, "postgres")
		if t.ReadyTimeout == 0 {
			t.ReadyTimeout = 5 * time.Minute
		}
		return &t
	}
	fiveMinutes := 5 * time.Minute
	return &Scenario{
		Name:    "shop",
		File:    file,
		Timeout: time.Hour,
		Sandbox: Sandbox{Kind: SandboxNamespace, Namespace: &NamespaceSandbox{
			Prefix:  "dr",
			TTL:     6 * time.Hour,
			Isolate: false,
			Quota:   map[string]string{"cpu": "4", "memory": "8Gi", "pods": "20", "requests.storage": "0.5Ti", "count/deployments.apps": "10"},
			LimitRange: &LimitRange{
				DefaultRequest: map[string]string{"cpu": "100m", "memory": "128Mi"},
				Default:        map[string]string{"cpu": "1", "memory": "512Mi"},
			},
		}},
		Apps: []App{
			{Name: "shop", Timeout: 15 * time.Minute, ArgoCD: &ArgoCDApp{Source: &ArgoCDSource{
				RepoURL:  "https://git.example.com/platform/shop.git",
				Path:     "deploy/shop",
				Revision: "v1.4.2",
				Helm: &ArgoCDHelm{
					ReleaseName: "shop",
					ValueFiles:  []string{"values-prod.yaml", "values-drill.yaml"},
					Values:      "replicaCount: 1\ningress:\n  enabled: false\n",
					Parameters:  map[string]string{"image.tag": "1.4.2"},
				},
			}}},
			{Name: "storefront", Timeout: 10 * time.Minute, ArgoCD: &ArgoCDApp{FromApplication: "storefront-prod", Revision: "main"}},
			{Name: "assets", Timeout: 10 * time.Minute, ArgoCD: &ArgoCDApp{Source: &ArgoCDSource{
				RepoURL:  "https://git.example.com/platform/assets.git",
				Path:     "overlays/prod",
				Revision: "HEAD",
				Kustomize: &ArgoCDKustomize{
					NamePrefix:   "drill-",
					NameSuffix:   "-copy",
					Images:       []string{"nginx=nginx:1.27"},
					CommonLabels: map[string]string{"drill": "true"},
				},
			}}},
			{Name: "cache", Timeout: 10 * time.Minute, ArgoCD: &ArgoCDApp{Source: &ArgoCDSource{
				RepoURL: "https://charts.example.com", Chart: "redis", Revision: "19.0.1",
			}}},
			{Name: "db", Timeout: 10 * time.Minute, Helm: &HelmApp{
				// Local paths are relative to the scenario file.
				Chart:   filepath.Join("testdata", "charts", "postgres"),
				Release: "shop-db",
				// As Helm reads a values file: numbers are float64.
				Values: map[string]any{
					"auth":    map[string]any{"username": "shop", "existingSecret": "shop-db"},
					"primary": map[string]any{"persistence": map[string]any{"enabled": false}, "replicas": float64(1)},
					"tags":    []any{"a", "b"},
					"nothing": nil,
				},
				ValuesFiles: []string{filepath.Join("testdata", "values", "db.yaml")},
			}},
			{Name: "search", Timeout: 20 * time.Minute, Helm: &HelmApp{
				// A chart's name in a repository is not a path.
				Chart:      "opensearch",
				Repository: "https://opensearch-project.github.io/helm-charts",
				Version:    "2.21.0",
				Release:    "search",
			}},
		},
		Restores: []Restore{
			{
				Name:    "orders",
				Timeout: 30 * time.Minute,
				WaitFor: []string{"db"},
				Source:  Source{Path: "/var/backups/shop/"},
				Postgres: &PostgresRestore{Database: "orders", Jobs: 4, Target: target(PostgresTarget{
					Service: "shop-db", Port: 5433, Secret: "shop-db", UserKey: "user", PasswordKey: "pass", User: "shop", ReadyTimeout: 10 * time.Minute,
				})},
			},
			{
				Name:    "ledger",
				WaitFor: []string{},
				Source:  Source{Path: "/var/backups/ledger.dump"},
				Postgres: &PostgresRestore{Database: "ledger", Jobs: 1, Target: target(PostgresTarget{
					Selector: map[string]string{"app.kubernetes.io/name": "ledger-db"}, Port: 5432, UserEnv: "LEDGER_USER", PasswordEnv: "LEDGER_PASSWORD",
				})},
			},
			{
				Name:    "audit",
				WaitFor: []string{"shop", "storefront", "assets", "cache", "db", "search"},
				Source:  Source{Path: "/var/backups/audit.dump"},
				// An address carries its own port: no default.
				Postgres: &PostgresRestore{Database: "audit", Jobs: 1, Target: target(PostgresTarget{Address: "127.0.0.1:5432"})},
			},
			{
				Name:    "media",
				WaitFor: []string{"shop", "storefront", "assets", "cache", "db", "search"},
				Job: &JobRestore{
					Image:   "registry.example.com/tools/media-restore:1.2",
					Command: []string{"/bin/restore"},
					Args:    []string{"--from", "s3://media/latest"},
					Env:     map[string]string{"BUCKET": "media", "LOG_LEVEL": "debug"},
					SecretEnv: []SecretEnv{
						{Name: "AWS_ACCESS_KEY_ID", Secret: "media-s3", Key: "access-key"},
						{Name: "AWS_SECRET_ACCESS_KEY", Secret: "media-s3", Key: "secret-key"},
					},
					ServiceAccount: "media-restore",
					BackoffLimit:   2,
				},
			},
		},
		Checks: []Check{
			{Name: "orders-present", Timeout: fiveMinutes, SQL: &SQLCheck{Restore: "orders", Query: "select count(*) from orders", Expect: "> 0"}},
			{Name: "shop-rollout", Timeout: 10 * time.Minute, Workload: &WorkloadCheck{Kind: "Deployment", Name: "shop"}},
			{Name: "db-ready", Timeout: fiveMinutes, Workload: &WorkloadCheck{Kind: "StatefulSet", Name: "shop-db"}},
			{Name: "ledger-pods", Timeout: fiveMinutes, Workload: &WorkloadCheck{Selector: map[string]string{"app.kubernetes.io/name": "ledger"}}},
			{Name: "shop-synced", Timeout: fiveMinutes, ArgoCD: &ArgoCDCheck{App: "shop"}},
			{Name: "shop-health", Timeout: fiveMinutes, HTTP: &HTTPCheck{Service: "shop", Port: 8080, Path: "/healthz", Status: 204}},
			{Name: "storefront-page", Timeout: fiveMinutes, HTTP: &HTTPCheck{URL: "https://storefront.example.com/", Status: 200, BodyContains: "Welcome"}},
			{Name: "objects", Timeout: fiveMinutes, Exists: &ExistsCheck{Objects: []ObjectRef{
				{APIVersion: "v1", Kind: "ConfigMap", Name: "shop-config"},
				{APIVersion: "apps/v1", Kind: "Deployment", Name: "shop"},
				{APIVersion: "batch/v1", Kind: "CronJob", Name: "cleanup"},
				{APIVersion: "networking.k8s.io/v1", Kind: "NetworkPolicy", Name: "default-deny"},
				{APIVersion: "monitoring.coreos.com/v1", Kind: "ServiceMonitor", Name: "shop"},
			}}},
		},
	}
}

// dumpCluster prints what dump leaves out: the pointers of the namespace
// drill's fields.
func dumpCluster(s *Scenario) string {
	out := dump(s)
	out += fmt.Sprintf("  sandbox.namespace: %+v\n", s.Sandbox.Namespace)
	if ns := s.Sandbox.Namespace; ns != nil {
		out += fmt.Sprintf("    limitRange: %+v\n", ns.LimitRange)
	}
	for _, a := range s.Apps {
		out += fmt.Sprintf("  app %+v\n", a)
		if a.ArgoCD != nil {
			out += fmt.Sprintf("    argocd %+v source %+v\n", *a.ArgoCD, a.ArgoCD.Source)
			if src := a.ArgoCD.Source; src != nil {
				out += fmt.Sprintf("    helm %+v kustomize %+v\n", src.Helm, src.Kustomize)
			}
		}
		if a.Helm != nil {
			out += fmt.Sprintf("    helm %#v\n", *a.Helm)
		}
	}
	for _, r := range s.Restores {
		if r.Postgres != nil {
			out += fmt.Sprintf("  restore %s target %+v\n", r.Name, r.Postgres.Target)
		}
		if r.Job != nil {
			out += fmt.Sprintf("  restore %s job %+v\n", r.Name, *r.Job)
		}
		out += fmt.Sprintf("  restore %s waitFor %#v\n", r.Name, r.WaitFor)
	}
	for _, c := range s.Checks {
		out += fmt.Sprintf("  check %s workload %+v argocd %+v http %+v exists %+v\n", c.Name, c.Workload, c.ArgoCD, c.HTTP, c.Exists)
	}
	return out
}

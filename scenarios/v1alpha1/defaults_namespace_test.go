package v1alpha1

import "testing"

func TestSetDefaultsNamespace(t *testing.T) {
	isolate := func(b bool) *bool { return &b }
	num := func(n int) *int { return &n }
	names := func(n ...string) *[]string { return &n }
	tests := []struct {
		name string
		in   ScenarioSpec
		want ScenarioSpec
	}{
		{
			name: "everything left out",
			in: ScenarioSpec{
				Sandbox: Sandbox{Namespace: &NamespaceSandbox{}},
				Apps: []App{
					{Name: "web", ArgoCD: &ArgoCDApp{Source: &ArgoCDSource{RepoURL: "r", Path: "p"}}},
					{Name: "db", Helm: &HelmApp{Chart: "c"}},
					{Name: "db"},
				},
				Restores: []Restore{
					{Name: "a", Postgres: &PostgresRestore{Database: "a", Target: &PostgresTarget{Service: "db"}}},
					{Name: "b", Postgres: &PostgresRestore{Database: "b", Target: &PostgresTarget{Address: "h:1"}}},
					{Name: "c", WaitFor: &[]string{}, Job: &JobRestore{Image: "i"}},
				},
				Checks: []Check{
					{Name: "s", HTTP: &HTTPCheck{Service: "web", Port: 80}},
					{Name: "u", HTTP: &HTTPCheck{URL: "http://x/"}},
					{Name: "e", Exists: &ExistsCheck{Objects: []ObjectRef{{Kind: "Deployment", Name: "d"}, {Kind: "Widget", Name: "w"}}}},
				},
			},
			want: ScenarioSpec{
				Timeout: "1h",
				Sandbox: Sandbox{Namespace: &NamespaceSandbox{Prefix: "drill", TTL: "24h", Isolate: isolate(true)}},
				Apps: []App{
					{Name: "web", Timeout: "10m", ArgoCD: &ArgoCDApp{Source: &ArgoCDSource{RepoURL: "r", Path: "p", Revision: "HEAD"}}},
					{Name: "db", Timeout: "10m", Helm: &HelmApp{Chart: "c", Release: "db"}},
					{Name: "db", Timeout: "10m"},
				},
				Restores: []Restore{
					{Name: "a", WaitFor: names("web", "db"), Postgres: &PostgresRestore{Database: "a", Jobs: num(1), Target: &PostgresTarget{
						Service: "db", Port: num(5432), UserKey: "username", PasswordKey: "password", User: "postgres", ReadyTimeout: "5m",
					}}},
					// An address carries its own port.
					{Name: "b", WaitFor: names("web", "db"), Postgres: &PostgresRestore{Database: "b", Jobs: num(1), Target: &PostgresTarget{
						Address: "h:1", UserKey: "username", PasswordKey: "password", User: "postgres", ReadyTimeout: "5m",
					}}},
					// waitFor: [] waits for no app.
					{Name: "c", WaitFor: &[]string{}, Job: &JobRestore{Image: "i"}},
				},
				Checks: []Check{
					{Name: "s", Timeout: "5m", HTTP: &HTTPCheck{Service: "web", Port: 80, Path: "/", Status: num(200)}},
					// A URL carries its own path.
					{Name: "u", Timeout: "5m", HTTP: &HTTPCheck{URL: "http://x/", Status: num(200)}},
					{Name: "e", Timeout: "5m", Exists: &ExistsCheck{Objects: []ObjectRef{{APIVersion: "apps/v1", Kind: "Deployment", Name: "d"}, {Kind: "Widget", Name: "w"}}}},
				},
			},
		},
		// Built twice: SetDefaults changes what it is given.
		{name: "set values kept", in: setNamespaceValues(), want: setNamespaceValues()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assertDefaults(t, tt.in, tt.want) })
	}
}

// setNamespaceValues sets every field that has a default, some to invalid
// values, which SetDefaults must keep for validation to report.
func setNamespaceValues() ScenarioSpec {
	isolate, port, status, jobs := false, 0, 0, 2
	return ScenarioSpec{
		Timeout: "2h",
		Sandbox: Sandbox{Namespace: &NamespaceSandbox{Prefix: "dr", TTL: "1h", Isolate: &isolate}},
		Apps:    []App{{Name: "db", Timeout: "1m", Helm: &HelmApp{Chart: "c", Release: "pg"}}},
		Restores: []Restore{{Name: "a", WaitFor: &[]string{"db"}, Postgres: &PostgresRestore{Database: "a", Jobs: &jobs, Target: &PostgresTarget{
			Service: "db", Port: &port, UserKey: "u", PasswordKey: "p", User: "me", ReadyTimeout: "1m",
		}}}},
		Checks: []Check{{Name: "s", Timeout: "1m", HTTP: &HTTPCheck{Service: "web", Port: 80, Path: "/x", Status: &status}}},
	}
}

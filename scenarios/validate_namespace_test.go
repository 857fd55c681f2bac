package scenarios

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// validNamespaceScenario is a namespace drill built in code, as the
// engine's tests build them.
func validNamespaceScenario() *Scenario {
	return &Scenario{
		Name:    "in-cluster",
		Timeout: time.Hour,
		Sandbox: Sandbox{Kind: SandboxNamespace, Namespace: &NamespaceSandbox{Prefix: "drill", TTL: time.Hour, Isolate: true}},
		Apps: []App{{
			Name:    "db",
			Timeout: time.Minute,
			Helm:    &HelmApp{Chart: "charts/db", Release: "db"},
		}},
		Restores: []Restore{{
			Name:    "app",
			Source:  Source{Path: "/var/backups/app.dump"},
			WaitFor: []string{"db"},
			Postgres: &PostgresRestore{Database: "app", Jobs: 1, Target: &PostgresTarget{
				Service: "db", Port: 5432, User: "postgres", UserKey: "username", PasswordKey: "password", ReadyTimeout: time.Minute,
			}},
		}},
		Checks: []Check{
			{Name: "rows", Timeout: time.Minute, SQL: &SQLCheck{Restore: "app", Query: "select 1", Expect: "1"}},
			{Name: "db-ready", Timeout: time.Minute, Workload: &WorkloadCheck{Kind: "StatefulSet", Name: "db"}},
		},
	}
}

func TestValidateNamespace(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *Scenario)
		want   []want
	}{
		{name: "valid", change: func(*Scenario) {}},
		{name: "namespace kind without settings", change: func(s *Scenario) { s.Sandbox.Namespace = nil }, want: []want{{0, "spec.sandbox.namespace", "is required for sandbox kind namespace"}}},
		{name: "no prefix", change: func(s *Scenario) { s.Sandbox.Namespace.Prefix = "" }, want: []want{{0, "spec.sandbox.namespace.prefix", "is required"}}},
		{name: "name and prefix fit exactly", change: func(s *Scenario) { s.Name = strings.Repeat("n", 53-len("drill")) }},
		{name: "name and prefix one too long", change: func(s *Scenario) { s.Name = strings.Repeat("n", 54-len("drill")) }, want: []want{{0, "spec.sandbox.namespace.prefix", "would have 64 characters"}}},
		{name: "no ttl", change: func(s *Scenario) { s.Sandbox.Namespace.TTL = 0 }, want: []want{{0, "spec.sandbox.namespace.ttl", "must be positive"}}},
		{name: "quota", change: func(s *Scenario) {
			s.Sandbox.Namespace.Quota = map[string]string{"cpu": "500m", "memory": "8Gi", "pods": "20", "requests.nvidia.com/gpu": "1"}
		}},
		{name: "waitFor nothing", change: func(s *Scenario) { s.Restores[0].WaitFor = []string{} }},
		{name: "waitFor nil", change: func(s *Scenario) { s.Restores[0].WaitFor = nil }},
		{name: "selector target", change: func(s *Scenario) {
			s.Restores[0].Postgres.Target.Service = ""
			s.Restores[0].Postgres.Target.Selector = map[string]string{"app": "db"}
		}},
		{name: "address target with a port", change: func(s *Scenario) {
			s.Restores[0].Postgres.Target.Service = ""
			s.Restores[0].Postgres.Target.Address = "[::1]:5432"
		}, want: []want{{0, "spec.restores[0].postgres.target.port", "address carries the port"}}},
		{name: "address target", change: func(s *Scenario) {
			s.Restores[0].Postgres.Target = &PostgresTarget{Address: "[::1]:5432", User: "postgres", UserKey: "username", PasswordKey: "password", ReadyTimeout: time.Minute}
		}},
		{name: "same database on two servers", change: func(s *Scenario) {
			other := s.Restores[0]
			other.Name = "other"
			target := *other.Postgres.Target
			target.Service = "other-db"
			pg := *other.Postgres
			pg.Target = &target
			other.Postgres = &pg
			s.Restores = append(s.Restores, other)
		}},
		{name: "same database on one server", change: func(s *Scenario) {
			other := s.Restores[0]
			other.Name = "other"
			s.Restores = append(s.Restores, other)
		}, want: []want{{0, "spec.restores[1].postgres.database", `"app" is already used by spec.restores[0]`}}},
		{name: "job restore without a source", change: func(s *Scenario) {
			s.Restores[0].Postgres = nil
			s.Restores[0].Source = Source{}
			s.Restores[0].Job = &JobRestore{Image: "restore:1"}
			s.Checks = s.Checks[1:]
		}},
		{name: "postgres restore without a source", change: func(s *Scenario) { s.Restores[0].Source = Source{} }, want: []want{{0, "spec.restores[0].source", "set path"}}},
		{name: "http check built without defaults", change: func(s *Scenario) {
			s.Checks[1] = Check{Name: "page", Timeout: time.Minute, HTTP: &HTTPCheck{URL: "http://127.0.0.1/"}}
		}, want: []want{{0, "spec.checks[1].http.status", "between 100 and 599 (got 0)"}}},
		{name: "pgbackrest in a namespace", change: func(s *Scenario) {
			s.Restores[0].Postgres = nil
			s.Restores[0].PgBackRest = &PgBackRestRestore{Stanza: "main", User: "postgres", Database: "postgres"}
		}, want: []want{{0, "spec.restores[0].pgbackrest", "recovers into the local sandbox only"}}},
		{name: "two methods", change: func(s *Scenario) { s.Restores[0].Job = &JobRestore{Image: "restore:1"} }, want: []want{{0, "spec.restores[0]", "set one restore method, not 2"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assertValidate(t, validNamespaceScenario(), tt.change, tt.want) })
	}
}

// TestHelmValuesAsHelmReadsThem checks that free-form values mean what they
// would mean in a values file: YAML 1.1 booleans, float64 numbers, aliases
// expanded.
func TestHelmValuesAsHelmReadsThem(t *testing.T) {
	const data = `apiVersion: restore-drill.io/v1alpha1
kind: Scenario
metadata: {name: values}
spec:
  sandbox: {namespace: {}}
  apps:
    - name: db
      helm:
        chart: /charts/db
        values:
          enabled: yes
          quoted: "yes"
          replicas: 3
          ratio: 0.5
          resources: &r {cpu: 100m}
          sidecar: {resources: *r}
          empty: {}
          nothing: ~
  restores:
    - name: app
      source: {path: /var/backups/app.dump}
      postgres: {database: app, target: {service: db}}
`
	s, err := LoadBytes("values.yaml", []byte(data))
	if err != nil {
		t.Fatalf("LoadBytes: %v", err)
	}
	want := map[string]any{
		"enabled":   true,
		"quoted":    "yes",
		"replicas":  float64(3),
		"ratio":     0.5,
		"resources": map[string]any{"cpu": "100m"},
		"sidecar":   map[string]any{"resources": map[string]any{"cpu": "100m"}},
		"empty":     map[string]any{},
		"nothing":   nil,
	}
	if got := s.Apps[0].Helm.Values; !reflect.DeepEqual(got, want) {
		t.Errorf("values = %#v\nwant %#v", got, want)
	}
}

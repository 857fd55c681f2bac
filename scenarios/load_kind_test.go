package scenarios

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// TestLoadKindAndCluster checks the kind and cluster sandboxes, set and
// defaulted, and that they are cluster sandboxes: targets, jobs and cluster
// checks are allowed there.
func TestLoadKindAndCluster(t *testing.T) {
	tests := []struct {
		file string
		want *Scenario
	}{
		{
			file: "testdata/valid-kind.yaml",
			want: &Scenario{
				Name:    "rebuild",
				File:    "testdata/valid-kind.yaml",
				Timeout: time.Hour,
				Sandbox: Sandbox{Kind: SandboxKind, KindCluster: &KindSandbox{Name: "rebuild.dr-1", NodeImage: "kindest/node:v1.31.14", Config: "testdata/kind/two-nodes.yaml"}},
				Restores: []Restore{{
					Name:   "app",
					Source: Source{Path: "/var/backups/app.dump"},
					Postgres: &PostgresRestore{Database: "app", Jobs: 1, Target: &PostgresTarget{
						Service: "db", Port: 5432, User: "postgres", UserKey: "username", PasswordKey: "password", ReadyTimeout: 5 * time.Minute,
					}},
				}},
				Checks: []Check{{Name: "db-ready", Timeout: 5 * time.Minute, Workload: &WorkloadCheck{Kind: "StatefulSet", Name: "db"}}},
			},
		},
		{
			file: "testdata/valid-cluster.yaml",
			want: &Scenario{
				Name:     "standby",
				File:     "testdata/valid-cluster.yaml",
				Timeout:  time.Hour,
				Sandbox:  Sandbox{Kind: SandboxCluster, Cluster: &ClusterSandbox{}},
				Restores: []Restore{{Name: "restore-job", Job: &JobRestore{Image: "registry.example.com/tools/restore:1.4", BackoffLimit: 0}}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := Load(tt.file)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			// The job's defaults are the job restore's tests'; only the
			// sandbox and that the rest loads matter here.
			if got.Restores[0].Job != nil {
				tt.want.Restores[0].Job = got.Restores[0].Job
			}
			assertLoadsExactly(t, tt.file, tt.want, dumpKind)
		})
	}
}

func dumpKind(s *Scenario) string {
	return dumpCluster(s) + fmt.Sprintf("  sandbox.kind: %+v sandbox.cluster: %+v\n", s.Sandbox.KindCluster, s.Sandbox.Cluster)
}

// TestLoadInvalidKindFiles checks the problems of kind and cluster
// sandboxes, each with its line, field and message.
func TestLoadInvalidKindFiles(t *testing.T) {
	tests := []struct {
		file string
		want []want
	}{
		{"invalid-kind-sandbox.yaml", []want{
			{8, "spec.sandbox", `set one sandbox kind, not both kind and cluster`},
			{10, "spec.sandbox.kind.name", `"Rebuild_1" is not a kind cluster name: use lowercase letters, digits,`},
			{11, "spec.sandbox.kind.nodeImage", `"kindest/node v1.31" is not an image: write e.g. kindest/node:v1.31.14`},
			{16, "spec.restores[0].barman", `recovers into the local sandbox only`},
		}},
		{"invalid-kind-name-long.yaml", []want{
			{9, "spec.sandbox.kind.name", `must be at most 50 characters (kind's limit: the node's host name adds`},
			{13, "spec.restores[0].postgres.target", `is required in a namespace sandbox`},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) { assertInvalidFile(t, filepath.Join("testdata", tt.file), tt.want) })
	}
}

// TestValidateKindSandboxes checks the sandbox kinds' rules on scenarios
// built in code.
func TestValidateKindSandboxes(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Scenario)
		want   []want
	}{
		{name: "kind", change: func(s *Scenario) { s.Sandbox = Sandbox{Kind: SandboxKind, KindCluster: &KindSandbox{}} }},
		{name: "cluster", change: func(s *Scenario) { s.Sandbox = Sandbox{Kind: SandboxCluster, Cluster: &ClusterSandbox{}} }},
		{name: "kind without settings", change: func(s *Scenario) { s.Sandbox = Sandbox{Kind: SandboxKind} }, want: []want{{0, "spec.sandbox.kind", "is required for sandbox kind kind"}}},
		{name: "cluster without settings", change: func(s *Scenario) { s.Sandbox = Sandbox{Kind: SandboxCluster} }, want: []want{{0, "spec.sandbox.cluster", "is required for sandbox kind cluster"}}},
		{name: "three kinds", change: func(s *Scenario) {
			s.Sandbox = Sandbox{Kind: SandboxNamespace, Namespace: &NamespaceSandbox{Prefix: "drill", TTL: time.Hour}, KindCluster: &KindSandbox{}, Cluster: &ClusterSandbox{}}
		}, want: []want{{0, "spec.sandbox", "set one sandbox kind, not namespace, kind and cluster"}}},
		{name: "name of 50 characters", change: func(s *Scenario) {
			s.Sandbox = Sandbox{Kind: SandboxKind, KindCluster: &KindSandbox{Name: "a" + fmt.Sprintf("%049d", 0)}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assertValidate(t, validNamespaceScenario(), tt.change, tt.want) })
	}
}

package scenarios

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// TestLoadEtcdExactly checks every field of an etcd restore, set and
// defaulted.
func TestLoadEtcdExactly(t *testing.T) {
	const file = "testdata/valid-etcd.yaml"
	want := &Scenario{
		Name:    "cluster-etcd",
		File:    file,
		Timeout: time.Hour,
		Sandbox: Sandbox{Kind: SandboxLocal, Local: &LocalSandbox{}},
		Restores: []Restore{
			{
				Name:   "etcd",
				Source: Source{Path: filepath.Join("testdata", "snapshots"), Pick: Pick{Pattern: "etcd-snapshot-*"}},
				Etcd: &EtcdRestore{Prefix: "/k3s", Expect: EtcdExpect{
					MinRevision: 1200,
					Resources: []EtcdResourceCount{
						{Resource: "deployments", Group: "apps", Min: 5},
						{Resource: "secrets", Namespace: "kube-system", Min: 0},
						{Resource: "namespaces", Min: 1},
					},
					Objects: []EtcdObject{
						{Resource: "secrets", Namespace: "kube-system", Name: "rke2-serving"},
						{Resource: "namespaces", Name: "shop"},
					},
				}},
			},
			{
				Name:   "minimal",
				Source: Source{Path: filepath.Join("testdata", "snapshots", "etcd-snapshot-node1-1764200000")},
				Etcd:   &EtcdRestore{Prefix: "/registry"},
			},
		},
	}
	assertLoadsExactly(t, file, want, func(s *Scenario) string {
		out := dump(s)
		for _, r := range s.Restores {
			out += fmt.Sprintf("  etcd %+v source %+v\n", r.Etcd, r.Source)
		}
		return out
	})
	if got := want.Restores[0].Method(); got != "etcd" {
		t.Errorf("Method() = %q, want etcd", got)
	}
}

// TestLoadInvalidEtcdFile checks the problems of etcd restores, each with
// its line, field and message, every one at once.
func TestLoadInvalidEtcdFile(t *testing.T) {
	assertInvalidFile(t, filepath.Join("testdata", "invalid-etcd.yaml"), []want{
		{13, "spec.restores[0].etcd.prefix", `"registry" is not a key prefix: write it as kube-apiserver's --etcd-prefix, e.g. /registry`},
		{15, "spec.restores[0].etcd.expect.minRevision", `must not be negative (got -1)`},
		{17, "spec.restores[0].etcd.expect.resources[0].resource", `"Deployment" is not a resource name: write it plural and lowercase`},
		{17, "spec.restores[0].etcd.expect.resources[0].group", `"Apps" is not a valid API group`},
		{17, "spec.restores[0].etcd.expect.resources[0].min", `must not be negative (got -2)`},
		{18, "spec.restores[0].etcd.expect.resources[1].resource", `is required: the plural resource name, e.g. deployments or secrets`},
		{18, "spec.restores[0].etcd.expect.resources[1].namespace", `"Kube_System" is not a valid namespace`},
		{20, "spec.restores[0].etcd.expect.objects[0].name", `"a/b" is not an object name: it holds '/'`},
		{21, "spec.restores[0].etcd.expect.objects[1].name", `is required: the object's name`},
		{22, "spec.restores[1].source", `set path (a backup file, or a directory of backups) or s3`},
		{26, "spec.checks[0].sql.restore", `"etcd" is an etcd restore, which gives drill no database to query`},
	})
}

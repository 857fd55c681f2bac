package scenarios

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// TestLoadCNPGExactly checks every field of a cnpg restore, set and
// defaulted.
func TestLoadCNPGExactly(t *testing.T) {
	const file = "testdata/valid-cnpg.yaml"
	s3 := &S3Source{Bucket: "backups", Prefix: "cnpg/", Credentials: S3Credentials{
		AccessKeyIDEnv: "AWS_ACCESS_KEY_ID", SecretAccessKeyEnv: "AWS_SECRET_ACCESS_KEY", SessionTokenEnv: "AWS_SESSION_TOKEN",
	}}
	withEndpoint := func(endpoint string) *S3Source { c := *s3; c.Endpoint = endpoint; return &c }
	want := &Scenario{
		Name:    "billing-cnpg",
		File:    file,
		Timeout: time.Hour,
		Sandbox: Sandbox{Kind: SandboxNamespace, Namespace: &NamespaceSandbox{Prefix: "drill", TTL: 24 * time.Hour}},
		Restores: []Restore{
			{
				Name:   "billing",
				Source: Source{S3: withEndpoint("https://objects.example.com")},
				CNPG: &CNPGRestore{
					ServerName: "billing-db", TargetTime: time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC),
					Instances: 2, StorageSize: "20Gi", ImageName: "ghcr.io/cloudnative-pg/postgresql:16.4",
					Plugin: true, Database: "billing", User: "billing_app",
				},
			},
			{
				Name:   "minimal",
				Source: Source{S3: withEndpoint("https://s3.amazonaws.com")},
				CNPG:   &CNPGRestore{ServerName: "billing-db", Instances: 1, StorageSize: "1Gi", Database: "app"},
			},
		},
		Checks: []Check{{Name: "newest-invoice", Timeout: 5 * time.Minute, RPO: &RPOCheck{Restore: "billing", Query: "select max(created_at) from invoices"}}},
	}
	assertLoadsExactly(t, file, want, func(s *Scenario) string {
		out := dump(s)
		for _, r := range s.Restores {
			out += fmt.Sprintf("  cnpg %+v source %+v\n", r.CNPG, r.Source.S3)
		}
		return out
	})
	if got := want.Restores[0].Method(); got != "cnpg" {
		t.Errorf("Method() = %q, want cnpg", got)
	}
}

// TestLoadInvalidCNPGFiles checks the problems of cnpg restores, each with
// its line, field and message, every one at once.
func TestLoadInvalidCNPGFiles(t *testing.T) {
	tests := []struct {
		file string
		want []want
	}{
		{"invalid-cnpg.yaml", []want{
			{14, "spec.restores[0].cnpg", `reads an object store: set source.s3 (bucket and prefix are the`},
			{14, "spec.restores[0].cnpg", `chooses its own backup from the target: remove source.pick`},
			{15, "spec.restores[0].cnpg.serverName", `is required: the folder under the destinationPath`},
			{16, "spec.restores[0].cnpg.target", `set time or backupID, not both`},
			{17, "spec.restores[0].cnpg.instances", `must be between 1 and 9 (got 0)`},
			{18, "spec.restores[0].cnpg.storageSize", `"lots" is not a quantity: write e.g. 500m, 2, 8Gi`},
			{19, "spec.restores[0].cnpg.database", `"Billing DB" is not a plain PostgreSQL identifier`},
			{20, "spec.restores[0].cnpg.user", `"pg_admin": role names starting with pg_ are reserved by PostgreSQL`},
			{25, "spec.restores[1].cnpg.target.time", `"yesterday" is not an RFC 3339 time: write e.g. 2026-11-27T03:00:00Z`},
			{28, "spec.restores[2].cnpg", `the Cluster's pods check the store's certificate: give source.s3.tls.caFile`},
		}},
		{"invalid-cnpg-isolated.yaml", []want{
			{12, "spec.restores[0].cnpg", `needs a sandbox without isolation: the operator must reach the Cluster's pods`},
		}},
		{"invalid-cnpg-local.yaml", []want{
			{12, "spec.restores[0].cnpg", `creates a CloudNativePG Cluster: only in a namespace sandbox`},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) { assertInvalidFile(t, filepath.Join("testdata", tt.file), tt.want) })
	}
}

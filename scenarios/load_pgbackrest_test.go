package scenarios

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// TestLoadPgBackRestS3Exactly checks a pgbackrest restore from an s3
// repository, set and defaulted, beside one from a posix repository.
func TestLoadPgBackRestS3Exactly(t *testing.T) {
	const file = "testdata/valid-pgbackrest-s3.yaml"
	want := &Scenario{
		Name:    "billing-pgbackrest",
		File:    file,
		Timeout: time.Hour,
		Sandbox: Sandbox{Kind: SandboxLocal, Local: &LocalSandbox{}},
		Restores: []Restore{
			{
				Name: "billing",
				Source: Source{S3: &S3Source{
					Endpoint: "https://objects.example.com:9443", Bucket: "backups", Prefix: "pgbackrest/billing", PathStyle: true,
					CAFile: filepath.Join("testdata", "certs", "ca.pem"),
					Credentials: S3Credentials{AccessKeyIDEnv: "PGBACKREST_KEY_ID", SecretAccessKeyEnv: "PGBACKREST_SECRET",
						SessionTokenEnv: "AWS_SESSION_TOKEN"},
				}},
				PgBackRest: &PgBackRestRestore{Stanza: "billing", TargetTime: time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC), User: "postgres", Database: "billing", CipherPassEnv: "BILLING_REPO_PASS"},
			},
			{
				Name:       "local",
				Source:     Source{Path: "/var/lib/pgbackrest"},
				PgBackRest: &PgBackRestRestore{Stanza: "main", User: "postgres", Database: "postgres"},
			},
		},
	}
	assertLoadsExactly(t, file, want, func(s *Scenario) string {
		out := dump(s)
		for _, r := range s.Restores {
			out += fmt.Sprintf("  pgbackrest %+v source %+v\n", r.PgBackRest, r.Source.Path)
			if r.Source.S3 != nil {
				out += fmt.Sprintf("  s3 %+v\n", *r.Source.S3)
			}
		}
		return out
	})
}

// TestLoadInvalidPgBackRestFile checks the problems of pgbackrest
// restores, each with its line, field and message, every one at once.
func TestLoadInvalidPgBackRestFile(t *testing.T) {
	assertInvalidFile(t, filepath.Join("testdata", "invalid-pgbackrest.yaml"), []want{
		{15, "spec.restores[0].pgbackrest", "over https only, as pgBackRest does"},
		{15, "spec.restores[0].pgbackrest", `remove the doubled '/' from "pgbackrest//billing"`},
		{23, "spec.restores[1].pgbackrest", "remove source.pick"},
		{24, "spec.restores[1].pgbackrest.stanza", "is required"},
		{25, "spec.restores[1].pgbackrest.target", "set time or backupID, not both"},
		{34, "spec.restores[2].pgbackrest.encryption.passphraseEnv", `"1PASS" is not an environment variable name`},
		{40, "spec.restores[3].pgbackrest.encryption.passphraseEnv", "is required"},
	})
}

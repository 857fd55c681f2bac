package pgbackrest_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/restore-drill/drill/assertions"
	"github.com/restore-drill/drill/drills"
	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/drills/restore"
	"github.com/restore-drill/drill/drills/restore/pgbackrest"
	"github.com/restore-drill/drill/drills/source/s3test"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/sandbox/local"
	"github.com/restore-drill/drill/scenarios"
)

// s3Repo is an encrypted repository in a bucket of a real S3 server on
// 127.0.0.1, over https with a self-signed certificate that both
// production and drill are told to trust.
func s3Repo(t *testing.T) repoUnderTest {
	t.Helper()
	s3 := s3test.StartTLS(t)
	s3.MakeBucket(t, "backups")
	u, err := url.Parse(s3.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("DRILL_TEST_KEY", s3.AccessKey)
	t.Setenv("DRILL_TEST_SECRET", s3.SecretKey)
	pass := randomText(t)
	t.Setenv("DRILL_TEST_CIPHER_PASS", pass)
	return repoUnderTest{
		src: scenarios.Source{S3: &scenarios.S3Source{
			Endpoint: s3.Endpoint, Bucket: "backups", Prefix: "pg/billing/", PathStyle: true, CAFile: s3.CAFile,
			Credentials: scenarios.S3Credentials{AccessKeyIDEnv: "DRILL_TEST_KEY", SecretAccessKeyEnv: "DRILL_TEST_SECRET"},
		}},
		args: func(dataDir string) []string {
			// The server's user cannot read the test's private directories:
			// production keeps a copy of the certificate in its data directory.
			ca := filepath.Join(dataDir, "s3-ca.pem")
			if _, err := os.Stat(ca); err != nil {
				pem, err := os.ReadFile(s3.CAFile)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(ca, pem, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			return []string{"--repo1-type=s3", "--repo1-path=/pg/billing", "--repo1-s3-bucket=backups",
				"--repo1-s3-endpoint=" + u.Hostname(), "--repo1-storage-port=" + u.Port(), "--repo1-s3-region=us-east-1",
				"--repo1-s3-uri-style=path", "--repo1-storage-ca-file=" + ca, "--lock-path=" + filepath.Join(dataDir, "pgbackrest-lock"),
				"--repo1-cipher-type=aes-256-cbc"}
		},
		env: []string{"PGBACKREST_REPO1_S3_KEY=" + s3.AccessKey, "PGBACKREST_REPO1_S3_KEY_SECRET=" + s3.SecretKey,
			"PGBACKREST_REPO1_CIPHER_PASS=" + pass},
		archive:       filepath.Join(s3.Root, "backups", "pg", "billing", "archive", stanza),
		secrets:       []string{s3.SecretKey, pass},
		cipherPassEnv: "DRILL_TEST_CIPHER_PASS",
	}
}

// TestPointInTimeRecoveryS3: the same proofs with an s3 repository, and a
// whole drill through the engine to the time in the middle.
func TestPointInTimeRecoveryS3(t *testing.T) {
	testPointInTimeRecovery(t, s3Repo, func(t *testing.T, ctx context.Context, p *production, target time.Time) {
		t.Run("store problems", func(t *testing.T) { locateProblems(t, ctx, p) })
		t.Run("a whole drill", func(t *testing.T) {
			rec := drillTo(t, ctx, p, target)
			if rec.Outcome != results.Passed || rec.RPO.NewestData == nil || rec.RPO.NewestData.After(target) {
				t.Errorf("drill: %s: %s; newest data %v (target %s); phases %+v", rec.Outcome, rec.Reason, rec.RPO.NewestData, target, rec.Phases)
			}
		})
	})
}

// drillTo runs a whole drill through the engine: locate, preflight, a local
// sandbox, the recovery, and a check that batches 1 and 2 (20 rows) are back.
func drillTo(t *testing.T, ctx context.Context, p *production, target time.Time) *results.Record {
	t.Helper()
	spec := &scenarios.PgBackRestRestore{Stanza: stanza, TargetTime: target, User: p.user, Database: "postgres", CipherPassEnv: p.repo.cipherPassEnv}
	sc := &scenarios.Scenario{
		Name: "billing-pitr", Timeout: 5 * time.Minute,
		Sandbox:  scenarios.Sandbox{Kind: scenarios.SandboxLocal, Local: &scenarios.LocalSandbox{}},
		Restores: []scenarios.Restore{{Name: "billing", Source: p.repo.src, PgBackRest: spec}},
		Checks: []scenarios.Check{{Name: "rows-before-target", Timeout: time.Minute,
			SQL: &scenarios.SQLCheck{Restore: "billing", Query: "select count(*) from events", Expect: "20"}}},
	}
	rec, err := drills.Run(ctx, sc, drills.Options{
		Sandbox:     local.NewProvider(local.Options{Log: testLog{t}}),
		SandboxKind: scenarios.SandboxLocal,
		Methods: func(r scenarios.Restore) (restore.Method, error) {
			return pgbackrest.New(r.Name, r.PgBackRest, r.Source), nil
		},
		Checks:   assertions.New,
		Progress: testLog{t},
	})
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// locateProblems: TLS without verification reaches the repository; an
// unknown authority, a missing bucket, wrong keys, and a passphrase absent
// or wrong are infrastructure errors that say why and show no secret.
func locateProblems(t *testing.T, ctx context.Context, p *production) {
	locate := func(change func(*scenarios.S3Source)) error {
		cfg := *p.repo.src.S3
		change(&cfg)
		src := scenarios.Source{S3: &cfg}
		m := pgbackrest.New("billing", &scenarios.PgBackRestRestore{Stanza: stanza, User: p.user, Database: "postgres", CipherPassEnv: p.repo.cipherPassEnv}, src)
		_, err := m.(restore.Locator).Locate(ctx, src)
		return err
	}
	if err := locate(func(c *scenarios.S3Source) { c.CAFile, c.InsecureSkipVerify = "", true }); err != nil {
		t.Errorf("insecureSkipVerify: %v", err)
	}
	wrong := "wrong-" + randomText(t)
	t.Setenv("DRILL_TEST_WRONG_SECRET", wrong)
	for _, tt := range []struct {
		name   string
		change func(*scenarios.S3Source)
		want   string
	}{
		{"unknown authority", func(c *scenarios.S3Source) { c.CAFile = "" }, "certificate"},
		{"missing bucket", func(c *scenarios.S3Source) { c.Bucket = "missing" }, "bucket missing does not exist"},
		{"wrong keys", func(c *scenarios.S3Source) { c.Credentials.SecretAccessKeyEnv = "DRILL_TEST_WRONG_SECRET" }, "refused the credentials"},
		{"no passphrase", func(*scenarios.S3Source) { t.Setenv(p.repo.cipherPassEnv, "") }, "set the environment variable DRILL_TEST_CIPHER_PASS"},
		{"wrong passphrase", func(*scenarios.S3Source) { t.Setenv(p.repo.cipherPassEnv, wrong) }, "check that DRILL_TEST_CIPHER_PASS holds the repository's passphrase"},
	} {
		err := locate(tt.change)
		if err == nil || !fault.IsInfra(err) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want an infrastructure error holding %q", tt.name, err, tt.want)
			continue
		}
		if p.repo.shows(err.Error()) || strings.Contains(err.Error(), wrong) {
			t.Errorf("%s: the error shows a secret: %v", tt.name, err)
		}
	}
}

// randomText is a secret of the test.
func randomText(t *testing.T) string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

package pgbackrest_test

import (
	"context"
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

// s3Repo is a repository in a bucket of a real S3 server on 127.0.0.1,
// over https with a self-signed certificate that both production and
// drill are told to trust.
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
				"--repo1-s3-uri-style=path", "--repo1-storage-ca-file=" + ca, "--lock-path=" + filepath.Join(dataDir, "pgbackrest-lock")}
		},
		env:     []string{"PGBACKREST_REPO1_S3_KEY=" + s3.AccessKey, "PGBACKREST_REPO1_S3_KEY_SECRET=" + s3.SecretKey},
		archive: filepath.Join(s3.Root, "backups", "pg", "billing", "archive", stanza),
		secret:  s3.SecretKey,
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
	spec := &scenarios.PgBackRestRestore{Stanza: stanza, TargetTime: target, User: p.user, Database: "postgres"}
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
// unknown authority, a missing bucket and wrong keys are infrastructure
// errors that say why and show no key.
func locateProblems(t *testing.T, ctx context.Context, p *production) {
	locate := func(change func(*scenarios.S3Source)) error {
		cfg := *p.repo.src.S3
		change(&cfg)
		src := scenarios.Source{S3: &cfg}
		m := pgbackrest.New("billing", &scenarios.PgBackRestRestore{Stanza: stanza, User: p.user, Database: "postgres"}, src)
		_, err := m.(restore.Locator).Locate(ctx, src)
		return err
	}
	if err := locate(func(c *scenarios.S3Source) { c.CAFile, c.InsecureSkipVerify = "", true }); err != nil {
		t.Errorf("insecureSkipVerify: %v", err)
	}
	t.Setenv("DRILL_TEST_WRONG_SECRET", "wrong-"+p.repo.secret[:8])
	for _, tt := range []struct {
		name   string
		change func(*scenarios.S3Source)
		want   string
	}{
		{"unknown authority", func(c *scenarios.S3Source) { c.CAFile = "" }, "certificate"},
		{"missing bucket", func(c *scenarios.S3Source) { c.Bucket = "missing" }, "bucket missing does not exist"},
		{"wrong keys", func(c *scenarios.S3Source) { c.Credentials.SecretAccessKeyEnv = "DRILL_TEST_WRONG_SECRET" }, "refused the credentials"},
	} {
		err := locate(tt.change)
		if err == nil || !fault.IsInfra(err) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want an infrastructure error holding %q", tt.name, err, tt.want)
			continue
		}
		if strings.Contains(err.Error(), p.repo.secret[:8]) {
			t.Errorf("%s: the error shows a key: %v", tt.name, err)
		}
	}
}

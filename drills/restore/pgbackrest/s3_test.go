package pgbackrest_test

import (
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/restore-drill/drill/drills/source/s3test"
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

// TestPointInTimeRecoveryS3: the same proofs with an s3 repository.
func TestPointInTimeRecoveryS3(t *testing.T) {
	testPointInTimeRecovery(t, s3Repo)
}

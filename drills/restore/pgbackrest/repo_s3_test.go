package pgbackrest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/restore-drill/drill/scenarios"
)

// The source's fields become pgBackRest's repository options: the prefix
// is the repo1-path, the endpoint's port the storage port, no region
// us-east-1, and TLS either a CA file or no verification.
func TestS3RepoArgs(t *testing.T) {
	tests := []struct {
		name string
		cfg  scenarios.S3Source
		want []string
	}{
		{"self-hosted with a private CA",
			scenarios.S3Source{Endpoint: "https://127.0.0.1:9443", Bucket: "backups", Prefix: "pg/billing/", PathStyle: true, CAFile: "/etc/ca.pem"},
			[]string{"--repo1-type=s3", "--repo1-path=/pg/billing", "--repo1-s3-bucket=backups", "--repo1-s3-endpoint=127.0.0.1",
				"--repo1-s3-region=us-east-1", "--repo1-storage-port=9443", "--repo1-s3-uri-style=path", "--repo1-storage-ca-file=/etc/ca.pem"}},
		{"AWS at the top of the bucket",
			scenarios.S3Source{Endpoint: "https://s3.eu-west-1.amazonaws.com", Bucket: "backups", Region: "eu-west-1"},
			[]string{"--repo1-type=s3", "--repo1-path=/", "--repo1-s3-bucket=backups", "--repo1-s3-endpoint=s3.eu-west-1.amazonaws.com",
				"--repo1-s3-region=eu-west-1"}},
		{"no verification wins over a CA file",
			scenarios.S3Source{Endpoint: "https://store:443", Bucket: "b", Prefix: "p", InsecureSkipVerify: true, CAFile: "/etc/ca.pem"},
			[]string{"--repo1-type=s3", "--repo1-path=/p", "--repo1-s3-bucket=b", "--repo1-s3-endpoint=store",
				"--repo1-s3-region=us-east-1", "--repo1-storage-port=443", "--repo1-storage-verify-tls=n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (&s3Repo{cfg: &tt.cfg}).args(); !slices.Equal(got, tt.want) {
				t.Errorf("args\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// The keys go to pgbackrest in its own variables, read from where the
// scenario says; a missing key names the variables, never a value.
func TestS3RepoEnv(t *testing.T) {
	t.Setenv("TEST_KEY_ID", "id-1")
	t.Setenv("TEST_SECRET", "secret-1")
	r := &s3Repo{cfg: &scenarios.S3Source{Credentials: scenarios.S3Credentials{AccessKeyIDEnv: "TEST_KEY_ID", SecretAccessKeyEnv: "TEST_SECRET", SessionTokenEnv: "TEST_TOKEN"}}}
	env, err := r.env()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"PGBACKREST_REPO1_S3_KEY=id-1", "PGBACKREST_REPO1_S3_KEY_SECRET=secret-1"}
	if !slices.Equal(env, want) {
		t.Errorf("env = %q, want %q", env, want)
	}
	t.Setenv("TEST_TOKEN", "token-1")
	if env, _ := r.env(); !slices.Contains(env, "PGBACKREST_REPO1_S3_TOKEN=token-1") {
		t.Errorf("env = %q, want the session token", env)
	}
	t.Setenv("TEST_SECRET", "")
	if _, err := r.env(); err == nil || !strings.Contains(err.Error(), "TEST_SECRET") || strings.Contains(err.Error(), "id-1") {
		t.Errorf("err = %v, want the variables named and no key", err)
	}
}

// The server's user reads the CA file from its own copy in the data
// directory, private to it.
func TestS3RepoServerArgsCopyTheCA(t *testing.T) {
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, []byte("-----BEGIN CERTIFICATE-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dataDir := t.TempDir()
	r := &s3Repo{cfg: &scenarios.S3Source{Endpoint: "https://127.0.0.1:9443", Bucket: "b", CAFile: ca}}
	args, err := r.serverArgs(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	copied := filepath.Join(dataDir, caFileName)
	if !slices.Contains(args, "--repo1-storage-ca-file="+copied) {
		t.Errorf("args %q do not name the copy %s", args, copied)
	}
	if st, err := os.Stat(copied); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("copy: %v, %v; want a private file", st, err)
	}
	r.cfg.CAFile = filepath.Join(t.TempDir(), "missing.pem")
	if _, err := r.serverArgs(t.TempDir()); err == nil {
		t.Error("a missing CA file is not an error")
	}
}

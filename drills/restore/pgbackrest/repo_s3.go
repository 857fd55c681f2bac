package pgbackrest

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/drills/source"
	"github.com/restore-drill/drill/scenarios"
)

// defaultS3Region is what pgBackRest is told when the scenario names no
// region: it signs every request with one, and self-hosted stores accept
// the AWS default.
const defaultS3Region = "us-east-1"

// caFileName is the copy of the store's CA file in a restored data
// directory, where the server's user (running archive-get) can read it.
const caFileName = "drill-s3-ca.pem"

// s3Repo is a repository in a bucket (repo1-type=s3): the source's prefix
// is the repo1-path. pgBackRest speaks https only.
type s3Repo struct{ cfg *scenarios.S3Source }

func (r *s3Repo) String() string { return "s3://" + r.cfg.Bucket + r.repoPath() }

// repoPath is the repo1-path: the prefix with a leading slash and none
// at the end.
func (r *s3Repo) repoPath() string {
	return "/" + strings.Trim(r.cfg.Prefix, "/")
}

// keyPrefix is the start of the object keys of a path inside the
// repository, e.g. "pg/archive/main/".
func (r *s3Repo) keyPrefix(parts ...string) string {
	return strings.TrimPrefix(path.Join(append([]string{r.repoPath()}, parts...)...), "/") + "/"
}

func (r *s3Repo) args() []string {
	return r.argsWithCA(r.cfg.CAFile)
}

func (r *s3Repo) argsWithCA(caFile string) []string {
	// A validated source has an https URL; an unparsable one leaves the
	// endpoint empty, which pgbackrest itself rejects by name.
	u, _ := url.Parse(r.cfg.Endpoint)
	var host, port string
	if u != nil {
		host, port = u.Hostname(), u.Port()
	}
	args := []string{"--repo1-type=s3", "--repo1-path=" + r.repoPath(), "--repo1-s3-bucket=" + r.cfg.Bucket,
		"--repo1-s3-endpoint=" + host, "--repo1-s3-region=" + cmp.Or(r.cfg.Region, defaultS3Region)}
	if port != "" {
		args = append(args, "--repo1-storage-port="+port)
	}
	if r.cfg.PathStyle {
		args = append(args, "--repo1-s3-uri-style=path")
	}
	switch {
	case r.cfg.InsecureSkipVerify:
		args = append(args, "--repo1-storage-verify-tls=n")
	case caFile != "":
		args = append(args, "--repo1-storage-ca-file="+caFile)
	}
	return args
}

// env gives pgbackrest the keys from where the source's credentials say,
// in the variables it reads instead of its configuration file, so that no
// key is ever on a command line or in a file.
func (r *s3Repo) env() ([]string, error) {
	keys, err := source.S3Keys(r.cfg.Credentials)
	if err != nil {
		return nil, err
	}
	env := []string{"PGBACKREST_REPO1_S3_KEY=" + keys.AccessKeyID, "PGBACKREST_REPO1_S3_KEY_SECRET=" + keys.SecretAccessKey}
	if keys.SessionToken != "" {
		env = append(env, "PGBACKREST_REPO1_S3_TOKEN="+keys.SessionToken)
	}
	return env, nil
}

// serverArgs copy the CA file into the data directory: the scenario's
// copy may sit where the server's user cannot read it.
func (r *s3Repo) serverArgs(dataDir string) ([]string, error) {
	if r.cfg.CAFile == "" || r.cfg.InsecureSkipVerify {
		return r.args(), nil
	}
	pem, err := os.ReadFile(r.cfg.CAFile)
	if err != nil {
		return nil, fault.Infra(fmt.Errorf("s3 CA file: %w: fix source.s3.tls.caFile", err))
	}
	caCopy := filepath.Join(dataDir, caFileName)
	if err := os.WriteFile(caCopy, pem, 0o600); err != nil {
		return nil, fault.Infra(fmt.Errorf("copy the s3 CA file into the restored data directory: %w", err))
	}
	return r.argsWithCA(caCopy), nil
}

// check proves the bucket answers with these credentials: pgbackrest info
// would only say the stanza is missing.
func (r *s3Repo) check(ctx context.Context) error {
	client, err := source.S3Client(r.cfg)
	if err != nil {
		return err
	}
	for obj := range client.ListObjects(ctx, r.cfg.Bucket, minio.ListObjectsOptions{Prefix: r.keyPrefix(), MaxKeys: 1}) {
		if obj.Err != nil {
			return source.S3Error(ctx, r.cfg, "read the pgBackRest repository "+r.String(), obj.Err)
		}
		break
	}
	return nil
}

// wal lists PREFIX/archive/STANZA/ARCHIVE-ID/16HEX/: a segment was
// archived when its object was last modified.
func (r *s3Repo) wal(ctx context.Context, stanza string) (map[string]time.Time, error) {
	client, err := source.S3Client(r.cfg)
	if err != nil {
		return nil, err
	}
	out := map[string]time.Time{}
	for obj := range client.ListObjects(ctx, r.cfg.Bucket, minio.ListObjectsOptions{Prefix: r.keyPrefix("archive", stanza), Recursive: true}) {
		if obj.Err != nil {
			return nil, source.S3Error(ctx, r.cfg, "list the WAL archive of stanza "+stanza+" in "+r.String(), obj.Err)
		}
		if seg, ok := segmentOf(path.Base(obj.Key)); ok {
			out[seg] = obj.LastModified
		}
	}
	return out, nil
}

func (r *s3Repo) artifact(stanza, label string) *source.Artifact {
	return &source.Artifact{Object: &source.Object{Endpoint: r.cfg.Endpoint, Bucket: r.cfg.Bucket, Key: r.keyPrefix("backup", stanza, label)}}
}

package app_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/restore-drill/drill/drills/source/s3test"
)

// s3Scenario writes a scenario that restores from srv.
func s3Scenario(t *testing.T, srv *s3test.Server, bucket, prefix, rule, expect string) string {
	t.Helper()
	tmpl, err := os.ReadFile("testdata/billing-s3.yaml.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.NewReplacer("{{ENDPOINT}}", srv.Endpoint, "{{BUCKET}}", bucket, "{{PREFIX}}", prefix,
		"{{RULE}}", rule, "{{EXPECT}}", expect).Replace(string(tmpl))
	path := filepath.Join(t.TempDir(), "billing-s3.yaml")
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRunFromS3 restores real pg_dump archives from a real S3 server.
func TestRunFromS3(t *testing.T) {
	srv := s3test.Start(t)
	b := makeBackups(t)
	srv.MakeBucket(t, "backups")
	now := time.Now()
	// Two old archives hold 10 invoices, the newest holds all of them: the
	// check tells which one was restored.
	olds, err := filepath.Glob(filepath.Join(b.threeIn, "billing-old-*.dump"))
	if err != nil || len(olds) != 2 {
		t.Fatalf("old archives: %v %v", olds, err)
	}
	srv.PutFile(t, "backups", "billing/old-a.dump", olds[0], now.Add(-72*time.Hour))
	srv.PutFile(t, "backups", "billing/old-b.dump", olds[1], now.Add(-48*time.Hour))
	srv.PutFile(t, "backups", "billing/new.dump", b.custom, now.Add(-time.Hour))
	custom, err := os.ReadFile(b.custom)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(custom)
	t.Setenv("DRILL_TEST_S3_KEY_ID", srv.AccessKey)
	t.Setenv("DRILL_TEST_S3_SECRET", srv.SecretKey)

	t.Run("newest", func(t *testing.T) {
		results := t.TempDir()
		r := drill(t, "run", s3Scenario(t, srv, "backups", "billing/", "newest", fmt.Sprint(sampleInvoices)), "-o", "json", "--results", results)
		if r.code != 0 {
			t.Fatalf("exit %d, want 0; stderr:\n%s", r.code, r.stderr)
		}
		var rec struct {
			Restores []struct {
				Archive struct {
					Path, Bucket, Key, ETag, SHA256, Format string
					Bytes                                   int64
					ModTime                                 time.Time
				}
			}
		}
		if err := json.Unmarshal([]byte(r.stdout), &rec); err != nil {
			t.Fatalf("stdout is not the JSON record: %v\n%s", err, r.stdout)
		}
		a := rec.Restores[0].Archive
		if a.Path != "s3://backups/billing/new.dump" || a.Bucket != "backups" || a.Key != "billing/new.dump" || a.ETag == "" {
			t.Errorf("archive %+v: want s3://backups/billing/new.dump with bucket, key and ETag", a)
		}
		if a.SHA256 != hex.EncodeToString(sum[:]) || a.Bytes != int64(len(custom)) || a.Format != "custom" {
			t.Errorf("archive sha256 %s, %d bytes, format %s; want %x, %d, custom", a.SHA256, a.Bytes, a.Format, sum, len(custom))
		}
		if d := now.Add(-time.Hour).Sub(a.ModTime); d < -time.Second || d > time.Second {
			t.Errorf("modTime %s, want the object's LastModified %s", a.ModTime, now.Add(-time.Hour))
		}
		if !strings.Contains(r.stderr, "downloading s3://backups/billing/new.dump") {
			t.Errorf("progress should show the download:\n%s", r.stderr)
		}
		assertNoDownloadsLeft(t)
	})

	t.Run("random picks among all", func(t *testing.T) {
		// Ten old invoices or all of them: each run passes its check only
		// with the archive it picked, so accept either and count.
		seen := map[string]bool{}
		for i := 0; i < 8 && len(seen) < 2; i++ {
			r := drill(t, "run", s3Scenario(t, srv, "backups", "billing/", "random", ">= 10"), "-o", "json", "--results", t.TempDir())
			if r.code != 0 {
				t.Fatalf("exit %d, want 0; stderr:\n%s", r.code, r.stderr)
			}
			var rec struct {
				Restores []struct{ Archive struct{ Key string } }
			}
			if err := json.Unmarshal([]byte(r.stdout), &rec); err != nil {
				t.Fatal(err)
			}
			seen[rec.Restores[0].Archive.Key] = true
		}
		if len(seen) < 2 {
			t.Errorf("8 random picks all took %v: the rule does not pick at random", seen)
		}
	})

	t.Run("check reads the newest object whole", func(t *testing.T) {
		r := drill(t, "check", s3Scenario(t, srv, "backups", "billing/", "random", "1"), "-o", "json")
		if r.code != 0 || !strings.Contains(r.stdout, `"key": "billing/new.dump"`) || !strings.Contains(r.stdout, hex.EncodeToString(sum[:])) {
			t.Errorf("exit %d, want 0 with the newest object and its sha256; stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
		}
		assertNoDownloadsLeft(t)
	})

	t.Run("empty prefix fails with no backup found", func(t *testing.T) {
		r := drill(t, "run", s3Scenario(t, srv, "backups", "crm/", "newest", "1"), "--results", t.TempDir())
		if r.code != 1 || !strings.Contains(r.stderr, "no backup found at s3://backups/crm/") {
			t.Errorf("exit %d, want 1 with \"no backup found\"; stderr:\n%s", r.code, r.stderr)
		}
	})

	const wrongSecret = "not-the-secret-5f2a9c"
	for _, tt := range []struct {
		name, bucket, says string
		setup              func(t *testing.T)
	}{
		{"missing bucket", "nope", "bucket nope does not exist", func(*testing.T) {}},
		{"wrong credentials", "backups", "refused the credentials", func(t *testing.T) { t.Setenv("DRILL_TEST_S3_SECRET", wrongSecret) }},
	} {
		t.Run(tt.name+" is an infrastructure error", func(t *testing.T) {
			tt.setup(t)
			results := t.TempDir()
			r := drill(t, "run", s3Scenario(t, srv, tt.bucket, "billing/", "newest", "1"), "-o", "json", "--results", results)
			if r.code != 3 || !strings.Contains(r.stderr, tt.says) {
				t.Errorf("exit %d, want 3 saying %q; stderr:\n%s", r.code, tt.says, r.stderr)
			}
			everything := r.stdout + r.stderr + readAll(t, results)
			for _, secret := range []string{srv.SecretKey, wrongSecret} {
				if strings.Contains(everything, secret) {
					t.Errorf("a secret key appears in the output or the record")
				}
			}
		})
	}
}

// assertNoDownloadsLeft checks that teardown removed the run's downloads.
func assertNoDownloadsLeft(t *testing.T) {
	t.Helper()
	left, _ := filepath.Glob(filepath.Join(os.TempDir(), "drill-*-download-*"))
	if len(left) > 0 {
		t.Errorf("downloads left behind: %v", left)
	}
}

// readAll concatenates every file under dir.
func readAll(t *testing.T, dir string) string {
	t.Helper()
	var all strings.Builder
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			all.Write(b)
		}
		return nil
	})
	return all.String()
}

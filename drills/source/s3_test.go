package source_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/drills/source"
	"github.com/restore-drill/drill/drills/source/s3test"
	"github.com/restore-drill/drill/scenarios"
)

// s3Source points at srv with the keys in environment variables, as a
// scenario would.
func s3Source(t *testing.T, srv *s3test.Server, bucket, prefix string) scenarios.Source {
	t.Setenv("DRILL_TEST_KEY_ID", srv.AccessKey)
	t.Setenv("DRILL_TEST_SECRET", srv.SecretKey)
	return scenarios.Source{S3: &scenarios.S3Source{
		Endpoint: srv.Endpoint, Bucket: bucket, Prefix: prefix, PathStyle: true,
		Credentials: scenarios.S3Credentials{AccessKeyIDEnv: "DRILL_TEST_KEY_ID", SecretAccessKeyEnv: "DRILL_TEST_SECRET"},
	}}
}

func TestPickObject(t *testing.T) {
	srv := s3test.Start(t)
	srv.MakeBucket(t, "backups")
	now := time.Now().Truncate(time.Second)
	srv.Put(t, "backups", "billing/billing-1.dump", []byte("one"), now.Add(-72*time.Hour))
	srv.Put(t, "backups", "billing/billing-2.dump", []byte("two!"), now.Add(-48*time.Hour))
	srv.Put(t, "backups", "billing/billing-3.dump", []byte("three"), now.Add(-time.Hour))
	srv.Put(t, "backups", "billing/notes.txt", []byte("newest but not a dump"), now.Add(-time.Minute))
	srv.Put(t, "backups", "billing/next.dump.partial", []byte("partial"), now)
	srv.Put(t, "backups", "billing/archive/old.dump", []byte("below the prefix"), now)
	srv.Put(t, "backups", "other/x.dump", []byte("other prefix"), now)

	tests := []struct {
		name    string
		prefix  string
		pick    scenarios.Pick
		want    string
		bytes   int64
		modTime time.Time
	}{
		{"newest directly under the prefix", "billing/", scenarios.Pick{}, "billing/notes.txt", 21, now.Add(-time.Minute)},
		{"newest matching the pattern", "billing/", scenarios.Pick{Pattern: "billing-*.dump"}, "billing/billing-3.dump", 5, now.Add(-time.Hour)},
		{"a prefix that is part of a name", "billing/billing-", scenarios.Pick{Rule: scenarios.PickNewest}, "billing/billing-3.dump", 5, now.Add(-time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := s3Source(t, srv, "backups", tt.prefix)
			src.Pick = tt.pick
			art, err := source.Pick(context.Background(), src)
			if err != nil {
				t.Fatal(err)
			}
			if art.Object == nil || art.Object.Key != tt.want || art.Object.Bucket != "backups" {
				t.Fatalf("picked %+v, want backups/%s", art.Object, tt.want)
			}
			if art.Bytes != tt.bytes || !art.ModTime.Equal(tt.modTime) {
				t.Errorf("bytes %d, modified %s; want %d, %s", art.Bytes, art.ModTime, tt.bytes, tt.modTime)
			}
			if art.Object.ETag == "" || art.Path != "" {
				t.Errorf("ETag %q, Path %q: want an ETag and no path before Fetch", art.Object.ETag, art.Path)
			}
			if got := art.Name(); got != "s3://backups/"+tt.want {
				t.Errorf("Name() = %s", got)
			}
		})
	}

	t.Run("random within the window", func(t *testing.T) {
		src := s3Source(t, srv, "backups", "billing/")
		src.Pick = scenarios.Pick{Rule: scenarios.PickRandom, Window: 50 * time.Hour, Pattern: "*.dump"}
		seen := map[string]int{}
		for range 60 {
			art, err := source.Pick(context.Background(), src)
			if err != nil {
				t.Fatal(err)
			}
			seen[art.Object.Key]++
		}
		if len(seen) != 2 || seen["billing/billing-2.dump"] == 0 || seen["billing/billing-3.dump"] == 0 {
			t.Errorf("picked %v, want both dumps younger than 50h and nothing else", seen)
		}
	})
}

func TestPickObjectNoBackup(t *testing.T) {
	srv := s3test.Start(t)
	srv.MakeBucket(t, "backups")
	srv.Put(t, "backups", "old/a.dump", []byte("a"), time.Now().Add(-100*time.Hour))
	tests := []struct {
		name, prefix string
		pick         scenarios.Pick
		why          string
	}{
		{"empty prefix", "billing/", scenarios.Pick{}, "holds no archive"},
		{"nothing in the window", "old/", scenarios.Pick{Rule: scenarios.PickRandom, Window: time.Hour}, "younger than pick.window"},
		{"nothing matches", "old/", scenarios.Pick{Pattern: "*.sql"}, "matches pick.pattern"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := s3Source(t, srv, "backups", tt.prefix)
			src.Pick = tt.pick
			_, err := source.Pick(context.Background(), src)
			if !errors.Is(err, source.ErrNoBackup) || fault.IsInfra(err) {
				t.Fatalf("err = %v, want ErrNoBackup, not an infrastructure error", err)
			}
			if !strings.Contains(err.Error(), "s3://backups/"+tt.prefix) || !strings.Contains(err.Error(), tt.why) {
				t.Errorf("error %q should name the source and say %q", err, tt.why)
			}
		})
	}
}

func TestPickObjectInfraErrors(t *testing.T) {
	srv := s3test.Start(t)
	srv.MakeBucket(t, "backups")
	srv.Put(t, "backups", "a.dump", []byte("a"), time.Time{})
	const wrongSecret = "wrong-secret-0123456789"
	tests := []struct {
		name  string
		setup func(*scenarios.Source)
		says  string
	}{
		{"missing bucket", func(s *scenarios.Source) { s.S3.Bucket = "nope" }, "bucket nope does not exist"},
		{"wrong secret", func(s *scenarios.Source) { t.Setenv("DRILL_TEST_SECRET", wrongSecret) }, "refused the credentials from $DRILL_TEST_KEY_ID and $DRILL_TEST_SECRET"},
		{"unknown key id", func(s *scenarios.Source) { t.Setenv("DRILL_TEST_KEY_ID", "nobody") }, "refused the credentials"},
		{"unset keys", func(s *scenarios.Source) { os.Unsetenv("DRILL_TEST_SECRET") }, "set the environment variables DRILL_TEST_KEY_ID and DRILL_TEST_SECRET"},
		{"nothing listening", func(s *scenarios.Source) { s.S3.Endpoint = "http://127.0.0.1:1" }, "cannot reach http://127.0.0.1:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := s3Source(t, srv, "backups", "")
			tt.setup(&src)
			_, err := source.Pick(context.Background(), src)
			if !fault.IsInfra(err) || errors.Is(err, source.ErrNoBackup) {
				t.Fatalf("err = %v, want an infrastructure error", err)
			}
			if !strings.Contains(err.Error(), tt.says) {
				t.Errorf("error %q should say %q", err, tt.says)
			}
			for _, secret := range []string{srv.SecretKey, wrongSecret} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q shows a secret key", err)
				}
			}
		})
	}
}

func TestFetch(t *testing.T) {
	srv := s3test.Start(t)
	srv.MakeBucket(t, "backups")
	content := []byte(strings.Repeat("PGDMP backup bytes ", 200_000)) // ~3.8 MB: several chunks
	srv.Put(t, "backups", "db/nightly.dump", content, time.Time{})
	src := s3Source(t, srv, "backups", "db/")
	art, err := source.Pick(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var last, total int64
	if err := source.Fetch(context.Background(), src, art, dir, func(d, tot int64) { last, total = d, tot }); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(art.Path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(content)
	if string(got) != string(content) || art.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("downloaded %d bytes with sha256 %s, want %d bytes with %x", len(got), art.SHA256, len(content), sum)
	}
	if last != int64(len(content)) || total != int64(len(content)) {
		t.Errorf("last progress %d of %d, want %d of %d", last, total, len(content), len(content))
	}
	info, err := os.Stat(art.Path)
	if err != nil || info.Mode().Perm() != 0o600 || !strings.HasPrefix(art.Path, dir) {
		t.Errorf("downloaded file %s (mode %v, %v): want a private file in %s", art.Path, info.Mode(), err, dir)
	}

	// The object replaced after the pick: the drill must not restore
	// something other than what it recorded.
	srv.Put(t, "backups", "db/nightly.dump", []byte("replaced"), time.Time{})
	again := *art
	again.Path, again.SHA256 = "", ""
	if err := source.Fetch(context.Background(), src, &again, dir, nil); err == nil || again.Path != "" {
		t.Errorf("Fetch of a replaced object: err %v, path %q; want an error and no file", err, again.Path)
	}
}

// TestPickObjectTLS reads a bucket over https with a private CA: trusted
// through tls.caFile, refused without it, accepted with insecureSkipVerify.
func TestPickObjectTLS(t *testing.T) {
	srv := s3test.StartTLS(t)
	srv.MakeBucket(t, "backups")
	srv.Put(t, "backups", "db/a.dump", []byte("a"), time.Time{})
	tests := []struct {
		name  string
		setup func(*scenarios.S3Source)
		fails string
	}{
		{"trusted through caFile", func(s *scenarios.S3Source) { s.CAFile = srv.CAFile }, ""},
		{"insecureSkipVerify", func(s *scenarios.S3Source) { s.InsecureSkipVerify = true }, ""},
		{"unknown authority", func(*scenarios.S3Source) {}, "certificate"},
		{"caFile without a certificate", func(s *scenarios.S3Source) {
			s.CAFile = filepath.Join(t.TempDir(), "empty.pem")
			os.WriteFile(s.CAFile, []byte("not pem"), 0o644)
		}, "holds no PEM certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := s3Source(t, srv, "backups", "db/")
			tt.setup(src.S3)
			art, err := source.Pick(context.Background(), src)
			switch {
			case tt.fails == "" && err != nil:
				t.Fatalf("Pick: %v", err)
			case tt.fails == "" && art.Object.Key != "db/a.dump":
				t.Errorf("picked %+v", art.Object)
			case tt.fails != "" && (!fault.IsInfra(err) || !strings.Contains(err.Error(), tt.fails)):
				t.Errorf("err = %v, want an infrastructure error about %q", err, tt.fails)
			}
		})
	}
}

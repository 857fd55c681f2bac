package source

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/scenarios"
)

// progressEvery is how often Fetch reports progress: often enough for a
// person watching a large download, rarely enough to stay out of the way.
const progressEvery = 2 * time.Second

// Progress is told how many of total bytes have arrived so far.
type Progress func(done, total int64)

// Fetch downloads a picked object into a new private file in dir, computing
// its sha256 on the way, and points art.Path at it. It downloads exactly the
// object that was picked (same ETag): one replaced in between is an error,
// and so is a download that ends early. An artifact that is not an object
// is left alone. The caller removes dir.
func Fetch(ctx context.Context, src scenarios.Source, art *Artifact, dir string, progress Progress) error {
	if art.Object == nil {
		return nil
	}
	cfg, obj := src.S3, art.Object
	client, err := newS3Client(cfg)
	if err != nil {
		return err
	}
	opts := minio.GetObjectOptions{}
	if obj.ETag != "" {
		if err := opts.SetMatchETag(obj.ETag); err != nil {
			return fmt.Errorf("download %s: %w", obj.URL(), err)
		}
	}
	body, err := client.GetObject(ctx, obj.Bucket, obj.Key, opts)
	if err != nil {
		return storeError(ctx, cfg, "download "+obj.URL(), err)
	}
	defer body.Close()

	f, err := os.CreateTemp(dir, "backup-*-"+path.Base(obj.Key))
	if err != nil {
		return fault.Infra(fmt.Errorf("download %s: %w: free space or fix TMPDIR", obj.URL(), err))
	}
	h := sha256.New()
	n, err := copyWithProgress(ctx, io.MultiWriter(f, h), body, art.Bytes, progress)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fault.Infra(fmt.Errorf("write %s: %w", f.Name(), cerr))
	}
	if err != nil {
		os.Remove(f.Name())
		return storeError(ctx, cfg, "download "+obj.URL(), err)
	}
	if n != art.Bytes {
		os.Remove(f.Name())
		return fault.Infra(fmt.Errorf("download %s: got %d bytes, the store listed %d: the object changed or the connection broke; run the drill again", obj.URL(), n, art.Bytes))
	}
	art.Path = f.Name()
	art.SHA256 = hex.EncodeToString(h.Sum(nil))
	return nil
}

// copyWithProgress copies src to dst in chunks, looking at ctx between
// chunks and telling progress at most every progressEvery, and once at the
// end.
func copyWithProgress(ctx context.Context, dst io.Writer, src io.Reader, total int64, progress Progress) (int64, error) {
	buf := make([]byte, chunk)
	var done int64
	last := time.Now()
	for {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		n, err := src.Read(buf)
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return done, fault.Infra(werr)
			}
			done += int64(n)
		}
		if progress != nil && (err == io.EOF || time.Since(last) >= progressEvery) {
			progress(done, total)
			last = time.Now()
		}
		if err == io.EOF {
			return done, nil
		}
		if err != nil {
			return done, err
		}
	}
}

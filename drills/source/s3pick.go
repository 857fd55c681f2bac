package source

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/scenarios"
)

// pickObject lists the objects directly under the source's prefix and
// chooses one by the pick rule. Nothing is downloaded.
func pickObject(ctx context.Context, src scenarios.Source) (*Artifact, error) {
	cfg := src.S3
	client, err := newS3Client(cfg)
	if err != nil {
		return nil, err
	}
	var candidates []*Artifact
	listed := client.ListObjects(ctx, cfg.Bucket, minio.ListObjectsOptions{Prefix: cfg.Prefix})
	for obj := range listed {
		if obj.Err != nil {
			return nil, storeError(ctx, cfg, "list "+src.String(), obj.Err)
		}
		name := strings.TrimPrefix(obj.Key, cfg.Prefix)
		// Keys ending in "/" are the "directories" below the prefix.
		if name == "" || strings.HasSuffix(obj.Key, "/") || ignored(path.Base(obj.Key)) {
			continue
		}
		candidates = append(candidates, &Artifact{
			Bytes:   obj.Size,
			ModTime: obj.LastModified,
			Object:  &Object{Endpoint: cfg.Endpoint, Bucket: cfg.Bucket, Key: obj.Key, ETag: obj.ETag},
		})
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	best, reason := choose(candidates, func(a *Artifact) string { return path.Base(a.Object.Key) }, src.Pick, time.Now())
	if best == nil {
		return nil, &noBackupError{path: src.String(), reason: "the prefix " + strings.TrimPrefix(reason, "it ")}
	}
	return best, nil
}

// storeError explains an error of the object store. Every such error is an
// infrastructure fault: the drill could not look at the backups. Messages
// name the endpoint, bucket and where the credentials came from, never a key.
func storeError(ctx context.Context, cfg *scenarios.S3Source, what string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return err
	}
	if fault.IsInfra(err) { // already explained (a local file that cannot be written)
		return fmt.Errorf("%s: %w", what, err)
	}
	resp := minio.ToErrorResponse(err)
	switch {
	case resp.Code == "NoSuchBucket":
		return fault.Infra(fmt.Errorf("%s: bucket %s does not exist at %s: create it or fix source.s3.bucket", what, cfg.Bucket, cfg.Endpoint))
	case resp.StatusCode == http.StatusForbidden, credentialCodes[resp.Code]:
		// The store's own message may quote the key id: not repeated.
		return fault.Infra(fmt.Errorf("%s: %s refused the credentials from %s (%s): check the keys and their access to bucket %s",
			what, cfg.Endpoint, credentialSource(cfg.Credentials), resp.Code, cfg.Bucket))
	case resp.Code == "":
		return fault.Infra(fmt.Errorf("%s: cannot reach %s: %w", what, cfg.Endpoint, err))
	}
	return fault.Infra(fmt.Errorf("%s at %s: %s (%s)", what, cfg.Endpoint, resp.Message, resp.Code))
}

// credentialCodes are the S3 error codes of refused credentials.
var credentialCodes = map[string]bool{
	"InvalidAccessKeyId": true, "SignatureDoesNotMatch": true, "AccessDenied": true,
	"InvalidToken": true, "ExpiredToken": true, "XAdminUserNotFound": true,
}

// credentialSource says where the keys were read from, for messages.
func credentialSource(c scenarios.S3Credentials) string {
	if c.File != "" {
		return fmt.Sprintf("file %s, profile %s", c.File, c.Profile)
	}
	return fmt.Sprintf("$%s and $%s", c.AccessKeyIDEnv, c.SecretAccessKeyEnv)
}

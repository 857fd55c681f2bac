package source

import (
	"errors"
	"time"
)

// ErrNoBackup means the source holds no backup to restore. A drill with no
// backup fails (it proves the backups are missing); it is not an
// infrastructure error.
var ErrNoBackup = errors.New("no backup found")

// Artifact is one backup, picked from a source.
type Artifact struct {
	// Path is the file, or the directory of a directory-format archive.
	Path string
	// IsDir is true for a directory archive.
	IsDir bool
	// Bytes is the file's size, or the sum of the directory's files.
	Bytes int64
	// ModTime is the file's modification time; for a directory, the newest
	// of its files; for an object, its LastModified. The backup's age is
	// measured from it.
	ModTime time.Time
	// Object is set for a backup in an object store. Path is then empty
	// until Fetch has downloaded it.
	Object *Object
	// SHA256 is the hex sha256 of the content when it was computed on the
	// way (while downloading); empty otherwise.
	SHA256 string
}

// Object identifies a backup in an S3-compatible object store.
type Object struct {
	Endpoint string
	Bucket   string
	Key      string
	// ETag is the store's entity tag of the object, as the store gives it.
	ETag string
}

// URL is s3://BUCKET/KEY.
func (o *Object) URL() string { return "s3://" + o.Bucket + "/" + o.Key }

// Name is the backup's name for people and records: its path, or for an
// object s3://BUCKET/KEY.
func (a *Artifact) Name() string {
	if a.Object != nil {
		return a.Object.URL()
	}
	return a.Path
}

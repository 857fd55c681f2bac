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
	// of its files. The backup's age is measured from it.
	ModTime time.Time
}

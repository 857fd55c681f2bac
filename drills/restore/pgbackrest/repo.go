package pgbackrest

import (
	"context"
	"strings"
	"time"

	"github.com/restore-drill/drill/drills/source"
	"github.com/restore-drill/drill/scenarios"
)

// repository is where a stanza's backups and WAL archive live: a posix
// directory or an S3 bucket. Everything else (the backup choice, the WAL
// proof, the restore and its proofs) is the same for both.
type repository interface {
	// args are the pgbackrest options that select the repository. They hold
	// no secret: they are written into the restored server's
	// restore_command.
	args() []string
	// env is what pgbackrest needs in its environment to reach the
	// repository: the credentials. It holds secrets: pass it to a process,
	// never print it or write it into a file.
	env() ([]string, error)
	// serverArgs are args for pgbackrest running as the restored server's
	// user (its restore_command); it may copy into dataDir what that user
	// must read (a CA file).
	serverArgs(dataDir string) ([]string, error)
	// check fails with source.ErrNoBackup when the repository is not there
	// at all.
	check(ctx context.Context) error
	// wal lists the archived WAL segments of the stanza from the
	// repository's own listing: segment name -> when it was archived.
	wal(ctx context.Context, stanza string) (map[string]time.Time, error)
	// artifact names a backup of the stanza for records.
	artifact(stanza, label string) *source.Artifact
	// String names the repository for people.
	String() string
}

// newRepository reads src: path is a posix repository's repo1-path, s3 a
// bucket whose prefix is the repo1-path.
func newRepository(src scenarios.Source) repository {
	if src.S3 != nil {
		return &s3Repo{cfg: src.S3}
	}
	return posixRepo{path: src.Path}
}

// segmentOf says whether an archive file (SEGMENT-SHA1[.EXT], the name
// pgBackRest gives an archived WAL segment) is a segment, and which.
// History, backup-label and partial files are not.
func segmentOf(name string) (string, bool) {
	if len(name) < 25 || name[24] != '-' || strings.Contains(name, ".backup") || strings.Contains(name, ".partial") {
		return "", false
	}
	return name[:24], true
}

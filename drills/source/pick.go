package source

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/restore-drill/drill/scenarios"
)

// tocFile marks a pg_dump directory-format archive: pg_dump writes its table
// of contents there, and pg_restore reads the directory through it.
const tocFile = "toc.dat"

// Pick finds the backup that src points at: the file itself, a
// directory-format archive, or the archive its pick rule chooses among those
// in a directory or under a bucket's prefix. A source that holds no backup
// gives an error wrapping ErrNoBackup. An object is not downloaded here:
// see Fetch.
func Pick(ctx context.Context, src scenarios.Source) (*Artifact, error) {
	if src.S3 != nil {
		return pickObject(ctx, src)
	}
	if src.Path == "" {
		return nil, errors.New("backup source has no path: set source.path to an archive or a directory of archives")
	}
	path := filepath.Clean(src.Path)
	info, err := os.Stat(path)
	if err != nil {
		return nil, statError(path, err)
	}
	if !info.IsDir() {
		if !info.Mode().IsRegular() {
			return nil, &noBackupError{path: path, reason: "it is not a regular file or a directory"}
		}
		return fileArtifact(path, info), nil
	}
	if isDirArchive(path) {
		return dirArtifact(ctx, path)
	}
	return pickIn(ctx, path, src.Pick)
}

// pickIn chooses among the archives in dir. Only entries directly in dir
// count: files, and sub-directories that are directory-format archives.
func pickIn(ctx context.Context, dir string, pk scenarios.Pick) (*Artifact, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, readError(dir, err)
	}
	var candidates []*Artifact
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if ignored(e.Name()) {
			continue
		}
		art, err := candidate(ctx, filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		if art != nil {
			candidates = append(candidates, art)
		}
	}
	best, reason := choose(candidates, func(a *Artifact) string { return filepath.Base(a.Path) }, pk, time.Now())
	if best == nil {
		return nil, &noBackupError{path: dir, reason: "the directory " + strings.TrimPrefix(reason, "it ")}
	}
	return best, nil
}

// candidate is the archive at path, or nil when path is something a backup
// directory may hold that is not an archive (another directory, a socket).
func candidate(ctx context.Context, path string) (*Artifact, error) {
	// Stat, not Lstat: a symlink to the newest backup ("latest") is common.
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil // removed while listing, or a dangling symlink
	case err != nil:
		return nil, readError(path, err)
	case info.Mode().IsRegular():
		return fileArtifact(path, info), nil
	case info.IsDir() && isDirArchive(path):
		return dirArtifact(ctx, path)
	}
	return nil, nil
}

// temporarySuffixes mark files still being written or left by an aborted
// copy: restoring one would prove nothing about the real backup.
var temporarySuffixes = []string{".tmp", ".temp", ".partial", ".part", ".swp", "~"}

func ignored(name string) bool {
	if strings.HasPrefix(name, ".") {
		return true
	}
	lower := strings.ToLower(name)
	for _, s := range temporarySuffixes {
		if strings.HasSuffix(lower, s) {
			return true
		}
	}
	return false
}

func isDirArchive(dir string) bool {
	info, err := os.Stat(filepath.Join(dir, tocFile))
	return err == nil && info.Mode().IsRegular()
}

func fileArtifact(path string, info fs.FileInfo) *Artifact {
	return &Artifact{Path: path, Bytes: info.Size(), ModTime: info.ModTime()}
}

// dirArtifact sums a directory archive's files; its time is that of its
// newest file, since pg_dump writes the files one after the other.
func dirArtifact(ctx context.Context, dir string) (*Artifact, error) {
	files, err := archiveFiles(ctx, dir)
	if err != nil {
		return nil, err
	}
	art := &Artifact{Path: dir, IsDir: true}
	for _, f := range files {
		art.Bytes += f.info.Size()
		if f.info.ModTime().After(art.ModTime) {
			art.ModTime = f.info.ModTime()
		}
	}
	return art, nil
}

type archiveFile struct {
	name string
	info fs.FileInfo
}

// archiveFiles lists the regular files of a directory archive in name order.
// pg_dump writes no sub-directories into one, so none are followed.
func archiveFiles(ctx context.Context, dir string) ([]archiveFile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, readError(dir, err)
	}
	var files []archiveFile
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		info, err := os.Stat(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, readError(filepath.Join(dir, e.Name()), err)
		}
		if info.Mode().IsRegular() {
			files = append(files, archiveFile{name: e.Name(), info: info})
		}
	}
	return files, nil
}

// noBackupError says why a path holds no backup. It matches ErrNoBackup, and
// reads "no backup found at PATH: REASON".
type noBackupError struct {
	path   string
	reason string
}

func (e *noBackupError) Error() string {
	return fmt.Sprintf("no backup found at %s: %s", e.path, e.reason)
}
func (e *noBackupError) Is(target error) bool { return target == ErrNoBackup }

func statError(path string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return &noBackupError{path: path, reason: "the path does not exist"}
	}
	return readError(path, err)
}

func readError(path string, err error) error {
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("cannot read backup source %s: permission denied: give the user running drill read access to it: %w", path, err)
	}
	return fmt.Errorf("cannot read backup source %s: %w", path, err)
}

package pgbackrest

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/restore-drill/drill/drills/source"
)

// posixRepo is a repository in a directory (repo1-type=posix).
type posixRepo struct{ path string }

func (r posixRepo) String() string { return r.path }

func (r posixRepo) args() []string { return []string{"--repo1-path=" + r.path} }

func (r posixRepo) env() ([]string, error) { return nil, nil }

func (r posixRepo) serverArgs(string) ([]string, error) { return r.args(), nil }

func (r posixRepo) check(context.Context) error {
	if _, err := os.Stat(r.path); err != nil {
		return fmt.Errorf("%w: pgBackRest repository %s: %v", source.ErrNoBackup, r.path, err)
	}
	return nil
}

// wal walks REPO/archive/STANZA/ARCHIVE-ID/16HEX/: a segment was archived
// when its file was last written.
func (r posixRepo) wal(_ context.Context, stanza string) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	err := filepath.WalkDir(filepath.Join(r.path, "archive", stanza), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		seg, ok := segmentOf(d.Name())
		if !ok {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		out[seg] = info.ModTime()
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	return out, nil
}

func (r posixRepo) artifact(stanza, label string) *source.Artifact {
	return &source.Artifact{Path: filepath.Join(r.path, "backup", stanza, label), IsDir: true}
}

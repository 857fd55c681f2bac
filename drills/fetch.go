package drills

import (
	"context"
	"fmt"
	"os"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/drills/restore"
	"github.com/restore-drill/drill/drills/source"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/scenarios"
)

// findBackup picks a restore's backup: the method's own choice for a
// physical backup (a base backup and its WAL), else the source's pick rule.
// Nothing is downloaded.
func findBackup(ctx context.Context, m restore.Method, src scenarios.Source) (*source.Artifact, error) {
	if loc, ok := m.(restore.Locator); ok {
		return loc.Locate(ctx, src)
	}
	return source.Pick(ctx, src)
}

// fetch downloads a backup picked from an object store into the run's
// private download directory, which teardown removes. A local backup is
// read where it is.
func (x *execution) fetch(ctx context.Context, r scenarios.Restore, art *source.Artifact) error {
	if art.Object == nil {
		return nil
	}
	dir, err := x.downloadDir()
	if err != nil {
		return err
	}
	x.prog.printf("    %s: downloading %s (%s)", r.Name, art.Name(), results.FormatBytes(art.Bytes))
	return source.Fetch(ctx, r.Source, art, dir, func(done, total int64) {
		if done < total {
			x.prog.printf("    %s: %s of %s downloaded", r.Name, results.FormatBytes(done), results.FormatBytes(total))
		}
	})
}

// downloadDir makes the run's download directory on first use. It is
// private (0700) and named after the run, so a leftover says whose it was.
func (x *execution) downloadDir() (string, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.downloads != "" {
		return x.downloads, nil
	}
	dir, err := os.MkdirTemp("", "drill-"+x.opts.RunID+"-download-")
	if err != nil {
		return "", fault.Infra(fmt.Errorf("make a directory for downloaded backups: %w: free space or set TMPDIR", err))
	}
	x.downloads = dir
	x.undo.push(func(context.Context) error { return os.RemoveAll(dir) })
	return dir, nil
}

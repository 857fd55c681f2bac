package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/local"
	"github.com/restore-drill/drill/sandbox/local/sampledb"
)

// teardownTimeout bounds removing the server, even after an interrupt.
const teardownTimeout = time.Minute

// sampleOptions are the checked command line.
type sampleOptions struct {
	out          string
	database     string
	invoices     int
	customers    int
	payloadBytes int
	format       string
	jobs         int
	newest       time.Time
	name         string
	binDir       string
}

// archiveName is the archive's file name: --name, or DATABASE-TIME.EXT.
func (o sampleOptions) archiveName(now time.Time) string {
	if o.name != "" {
		return o.name
	}
	return o.database + "-" + now.UTC().Format("20060102T150405Z") + sampledb.Ext(o.format)
}

// makeSample starts a server, creates and dumps the sample, and removes the
// server again, also when ctx is cancelled midway.
func makeSample(ctx context.Context, o sampleOptions, stdout, progress io.Writer) (err error) {
	begin := time.Now()
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return fmt.Errorf("create the output directory: %w", err)
	}
	archive := filepath.Join(o.out, o.archiveName(begin))
	if _, err := os.Lstat(archive); err == nil {
		return fmt.Errorf("%s already exists: pick another --name or remove it", archive)
	} else if !os.IsNotExist(err) {
		return err
	}

	provider := local.NewProvider(local.Options{BinDir: o.binDir, Log: progress})
	sb, err := provider.Create(ctx, sandbox.Options{RunID: "sample-" + begin.UTC().Format("20060102T150405Z"), Scenario: "drill-sample"})
	if err != nil {
		return err
	}
	defer func() {
		tctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), teardownTimeout)
		defer cancel()
		if derr := sb.Destroy(tctx); derr != nil && err == nil {
			err = derr
		}
	}()
	srv, err := sb.Postgres(ctx, "")
	if err != nil {
		return err
	}

	fmt.Fprintf(progress, "drill-sample: creating database %s: %d invoices, %d-byte payloads, newest at %s\n",
		o.database, o.invoices, o.payloadBytes, o.newest.UTC().Format(time.RFC3339))
	step := time.Now()
	err = sampledb.Create(ctx, srv, o.database, sampledb.Options{
		Invoices: o.invoices, Customers: o.customers, Newest: o.newest, PayloadBytes: o.payloadBytes,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(progress, "drill-sample: database created (%.1fs); dumping it (%s format)\n", time.Since(step).Seconds(), o.format)
	step = time.Now()
	if err := sampledb.Dump(ctx, srv, o.database, o.format, archive, o.jobs); err != nil {
		_ = os.RemoveAll(archive) // a partial archive must not pass for a backup
		return err
	}
	size, err := archiveSize(archive)
	if err != nil {
		return err
	}
	fmt.Fprintf(progress, "drill-sample: wrote %s, %.1f MB (%.1fs dump, %.1fs in all)\n",
		archive, float64(size)/1e6, time.Since(step).Seconds(), time.Since(begin).Seconds())
	fmt.Fprintln(stdout, archive)
	return nil
}

// archiveSize is a file's size, or the sum of a directory archive's files.
func archiveSize(path string) (int64, error) {
	var total int64
	err := filepath.WalkDir(path, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			total += info.Size()
		}
		return nil
	})
	return total, err
}

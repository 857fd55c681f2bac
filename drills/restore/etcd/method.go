package etcd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/drills/restore"
	"github.com/restore-drill/drill/drills/source"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/scenarios"
)

// Format is the Inspection.Format of an etcd snapshot.
const Format = "etcd-snapshot"

// Options configure the method.
type Options struct {
	// TempDir is the parent of each restore's private directory; "" means
	// os.TempDir().
	TempDir string
}

type method struct {
	name string
	spec scenarios.EtcdRestore
	opts Options
}

var _ restore.Method = (*method)(nil)

// New is the etcd restore method of the restore called name.
func New(name string, spec *scenarios.EtcdRestore, opts Options) restore.Method {
	m := &method{name: name, opts: opts}
	if spec != nil {
		m.spec = *spec
	}
	if m.spec.Prefix == "" {
		m.spec.Prefix = scenarios.DefaultEtcdPrefix
	}
	return m
}

// Inspect proves the snapshot whole and reads its revision and size.
func (m *method) Inspect(ctx context.Context, art *source.Artifact) (restore.Inspection, error) {
	f, err := m.read(ctx, art)
	if err != nil {
		return restore.Inspection{}, err
	}
	return inspection(f), nil
}

func (m *method) read(ctx context.Context, art *source.Artifact) (facts, error) {
	if art.IsDir {
		return facts{}, fmt.Errorf("etcd snapshot %s is a directory: point source.path at a snapshot file, or at a directory of them", art.Path)
	}
	return readSnapshot(ctx, art.Path)
}

func inspection(f facts) restore.Inspection {
	return restore.Inspection{
		Format: Format,
		Jobs:   1,
		// The restored database is the snapshot copied, plus etcd's WAL
		// and a little room: a fifth more is generous.
		RestoreBytes: f.Bytes + f.Bytes/5,
		Notes:        []string{fmt.Sprintf("snapshot at revision %d, %d database entries, %s", f.Revision, f.Entries, results.FormatBytes(f.Bytes))},
	}
}

// Restore restores the snapshot into a throwaway etcd, checks what it
// holds against the scenario, and stops it. The sandbox is not used. The
// etcd's own log goes to log (warnings and errors only).
func (m *method) Restore(ctx context.Context, _ sandbox.Sandbox, art *source.Artifact, log io.Writer) (res restore.Result, err error) {
	res.Database = "etcd"
	if log == nil {
		log = io.Discard
	}
	f, err := m.read(ctx, art)
	if err != nil {
		return res, err
	}
	res.Inspection = inspection(f)

	dir, err := os.MkdirTemp(m.opts.TempDir, "drill-etcd-"+m.name+"-")
	if err != nil {
		return res, fault.Infra(fmt.Errorf("make a directory to restore etcd snapshot %s into: %w: free space or set TMPDIR", art.Path, err))
	}
	defer func() {
		if rmErr := os.RemoveAll(dir); rmErr != nil {
			err = errors.Join(err, fault.Infra(fmt.Errorf("remove the restored etcd's directory %s: %w", dir, rmErr)))
		}
	}()

	begin := time.Now()
	fmt.Fprintf(log, "etcd: restoring snapshot %s (revision %d) into %s\n", art.Path, f.Revision, dir)
	srv, err := restoreAndStart(ctx, art.Path, f.Bytes, dir, logger(log))
	if err != nil {
		return res, err
	}
	defer func() {
		if stopErr := srv.stop(); stopErr != nil {
			err = errors.Join(err, fault.Infra(stopErr))
		}
	}()
	fmt.Fprintf(log, "etcd: restored snapshot serving on %s after %s\n", srv.URL, time.Since(begin).Round(time.Millisecond))

	found, err := inspectKeys(ctx, srv.client, m.spec.Prefix, m.spec.Expect)
	if err != nil {
		return res, err
	}
	res.Notes = append(res.Notes, found.Counts...)
	res.LogTail = "restored etcd snapshot: " + found.summary(m.spec.Prefix)
	fmt.Fprintln(log, "etcd: "+res.LogTail)
	if len(found.Misses) > 0 {
		return res, fmt.Errorf("etcd snapshot %s does not hold what the scenario expects: %s", art.Name(), strings.Join(found.Misses, "; "))
	}
	return res, nil
}

// logger writes etcd's warnings and errors to log, one line each.
func logger(log io.Writer) *zap.Logger {
	if log == nil || log == io.Discard {
		return zap.NewNop()
	}
	enc := zapcore.NewConsoleEncoder(zap.NewProductionEncoderConfig())
	return zap.New(zapcore.NewCore(enc, zapcore.AddSync(log), zapcore.WarnLevel))
}

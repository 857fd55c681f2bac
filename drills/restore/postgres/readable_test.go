package postgres

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/sandbox/local/localtest"
	"github.com/restore-drill/drill/sandbox/local/sampledb"
)

// TestReadable reads real archives of every format whole, and the same
// archives cut short, which must never read as good.
func TestReadable(t *testing.T) {
	srv := localtest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	formats := []string{FormatCustom, FormatDirectory, FormatTar, FormatPlain, FormatPlainGzip}
	paths := dumps(t, ctx, srv, sampledb.Options{Invoices: 3000}, formats...)
	for _, f := range formats {
		t.Run(f, func(t *testing.T) {
			if err := Readable(ctx, srv.BinDir, artifact(t, paths[f])); err != nil {
				t.Fatalf("a good %s archive is not readable: %v", f, err)
			}
			bad := truncated(t, paths[f])
			err := Readable(ctx, srv.BinDir, artifact(t, bad))
			var te *ToolError
			if err == nil || fault.IsInfra(err) || !(errors.Is(err, ErrNotArchive) || errors.As(err, &te)) {
				t.Fatalf("a truncated %s archive: err = %v, want a bad backup (not an infrastructure error)", f, err)
			}
		})
	}
	t.Run("empty", func(t *testing.T) {
		empty := filepath.Join(t.TempDir(), "empty.dump")
		if err := os.WriteFile(empty, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := Readable(ctx, srv.BinDir, artifact(t, empty)); !errors.Is(err, ErrNotArchive) {
			t.Errorf("an empty file: err = %v, want ErrNotArchive", err)
		}
	})
}

// truncated copies an archive with its second half cut off; for a
// directory archive, the largest data file is cut.
func truncated(t *testing.T, path string) string {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !info.IsDir() {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "cut-"+filepath.Base(path))
		if err := os.WriteFile(out, data[:len(data)/2], 0o644); err != nil {
			t.Fatal(err)
		}
		return out
	}
	out := filepath.Join(t.TempDir(), "cut")
	if err := os.CopyFS(out, os.DirFS(path)); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(out)
	var largest string
	var size int64
	for _, e := range entries {
		if i, _ := e.Info(); e.Name() != "toc.dat" && i.Size() > size {
			largest, size = e.Name(), i.Size()
		}
	}
	if err := os.Truncate(filepath.Join(out, largest), size/2); err != nil {
		t.Fatal(err)
	}
	return out
}

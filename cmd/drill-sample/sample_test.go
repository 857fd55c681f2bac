package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/restore-drill/drill/sandbox/local"
)

func TestRunMakesArchive(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: starts a real PostgreSQL server, which -short leaves out")
	}
	bins, err := local.FindBinaries("")
	if err != nil {
		t.Skipf("skipping: %v", err)
	}
	out := filepath.Join(t.TempDir(), "backups")
	tests := []struct {
		format string
		name   string
		isDir  bool
	}{
		{format: "custom", name: "billing.dump"},
		{format: "directory", name: "billing.dir", isDir: true},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			var stdout, stderr strings.Builder
			args := []string{"--out", out, "--invoices", "300", "--payload-bytes", "20", "--format", tt.format, "--name", tt.name, "--newest", "2025-01-01T00:00:00Z"}
			if err := run(ctx, args, &stdout, &stderr); err != nil {
				t.Fatalf("run: %v\nstderr:\n%s", err, stderr.String())
			}
			archive := strings.TrimSpace(stdout.String())
			if archive != filepath.Join(out, tt.name) {
				t.Fatalf("stdout = %q, want only the archive path %s", stdout.String(), filepath.Join(out, tt.name))
			}
			st, err := os.Stat(archive)
			if err != nil || st.IsDir() != tt.isDir {
				t.Fatalf("archive %s: %v, dir %v", archive, err, st != nil && st.IsDir())
			}
			list, err := exec.Command(bins.Path("pg_restore"), "--list", archive).CombinedOutput()
			if err != nil || !strings.Contains(string(list), "TABLE DATA public invoices") {
				t.Errorf("pg_restore --list %s: %v\n%s", archive, err, list)
			}
			for _, want := range []string{"creating database billing: 300 invoices", "stopped PostgreSQL"} {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("progress lacks %q:\n%s", want, stderr.String())
				}
			}

			// The same name again is refused rather than overwritten.
			stdout.Reset()
			err = run(ctx, args, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), "already exists") || stdout.Len() > 0 {
				t.Errorf("second run = %v, stdout %q; want an already-exists error and no output", err, stdout.String())
			}
		})
	}
}

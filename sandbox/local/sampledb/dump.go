package sampledb

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/restore-drill/drill/sandbox"
)

// formats maps pg_dump's format names to its --format letters.
var formats = map[string]string{
	"custom":    "c",
	"directory": "d",
	"tar":       "t",
	"plain":     "p",
	"plain.gz":  "p", // piped through gzip, as "pg_dump | gzip" does
}

// Ext is the usual file name ending of an archive of format: "" for the
// directory format and for unknown formats.
func Ext(format string) string {
	switch format {
	case "custom":
		return ".dump"
	case "tar":
		return ".tar"
	case "plain":
		return ".sql"
	case "plain.gz":
		return ".sql.gz"
	}
	return ""
}

// dumpArgs are pg_dump's arguments. Only the directory format dumps with
// more than one job.
func dumpArgs(format, out string, jobs int) ([]string, error) {
	letter, ok := formats[format]
	if !ok {
		return nil, fmt.Errorf("unknown dump format %q: use custom, directory, tar, plain or plain.gz", format)
	}
	if jobs > 1 && format != "directory" {
		return nil, fmt.Errorf("pg_dump runs %d jobs only for the directory format, not %s: use jobs 1 or the directory format", jobs, format)
	}
	args := []string{"--format=" + letter, "--no-password"}
	if format != "plain.gz" {
		args = append(args, "--file="+out)
	}
	if jobs > 1 {
		args = append(args, "--jobs="+strconv.Itoa(jobs))
	}
	return args, nil
}

// Dump writes database to out with srv.BinDir/pg_dump. format is custom,
// directory, tar, plain or plain.gz (plain SQL, gzip-compressed); jobs > 1 is
// for the directory format only. The credentials go through the environment,
// never the command line.
func Dump(ctx context.Context, srv *sandbox.PostgresServer, database, format, out string, jobs int) (err error) {
	args, err := dumpArgs(format, out, jobs)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, filepath.Join(srv.BinDir, "pg_dump"), args...)
	cmd.Env = srv.ClientEnviron(database)
	var stderr tailBuffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if format == "plain.gz" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		zw := gzip.NewWriter(f)
		cmd.Stdout = zw
		defer func() {
			if cerr := errors.Join(zw.Close(), f.Close()); err == nil && cerr != nil {
				err = fmt.Errorf("write %s: %w", out, cerr)
			}
		}()
	}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pg_dump of %s to %s failed: %w; its output:\n%s", srv.Redacted(database), out, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// tailBufferSize bounds how much of a program's output an error carries.
const tailBufferSize = 8 << 10

// tailBuffer keeps the last tailBufferSize bytes written to it.
type tailBuffer struct{ b []byte }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > tailBufferSize {
		t.b = append(t.b[:0:0], t.b[len(t.b)-tailBufferSize:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return string(t.b) }

package sampledb

import (
	"context"
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
	}
	return ""
}

// dumpArgs are pg_dump's arguments. Only the directory format dumps with
// more than one job.
func dumpArgs(format, out string, jobs int) ([]string, error) {
	letter, ok := formats[format]
	if !ok {
		return nil, fmt.Errorf("unknown dump format %q: use custom, directory, tar or plain", format)
	}
	if jobs > 1 && format != "directory" {
		return nil, fmt.Errorf("pg_dump runs %d jobs only for the directory format, not %s: use jobs 1 or the directory format", jobs, format)
	}
	args := []string{"--format=" + letter, "--file=" + out, "--no-password"}
	if jobs > 1 {
		args = append(args, "--jobs="+strconv.Itoa(jobs))
	}
	return args, nil
}

// Dump writes database to out with srv.BinDir/pg_dump. format is custom,
// directory, tar or plain; jobs > 1 is for the directory format only. The
// credentials go through the environment, never the command line.
func Dump(ctx context.Context, srv *sandbox.PostgresServer, database, format, out string, jobs int) error {
	args, err := dumpArgs(format, out, jobs)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, filepath.Join(srv.BinDir, "pg_dump"), args...)
	cmd.Env = append(withoutLibpqEnv(os.Environ()), srv.ClientEnv(database)...)
	var stderr tailBuffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pg_dump of %s to %s failed: %w; its output:\n%s", srv.Redacted(database), out, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// withoutLibpqEnv drops PG* variables, so that only the server's own
// settings reach the client.
func withoutLibpqEnv(env []string) []string {
	var kept []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "PG") {
			kept = append(kept, kv)
		}
	}
	return kept
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

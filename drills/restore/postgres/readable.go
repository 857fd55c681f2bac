package postgres

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/drills/source"
)

// dumpCompleteLine ends every plain dump pg_dump finished writing; a dump
// without it was cut short.
const dumpCompleteLine = "-- PostgreSQL database dump complete"

// tailSize is how much of a plain dump's end is searched for dumpCompleteLine.
const tailSize = 4096

// Readable reads the whole backup without restoring it, to prove it can be
// restored: pg_restore from binDir turns an archive (custom, directory, tar)
// into SQL that goes nowhere, which reads every table of contents entry and
// data block; a plain dump is read to its end, through gzip when
// compressed, and must end with pg_dump's closing line. A backup that is
// cut short or corrupt is an error wrapping ErrNotArchive, or a *ToolError
// carrying pg_restore's message.
func Readable(ctx context.Context, binDir string, art *source.Artifact) error {
	d, err := detect(art.Path, art.IsDir)
	if err != nil {
		return err
	}
	switch d.format {
	case FormatPlain, FormatPlainGzip:
		return plainComplete(art.Path, d)
	}
	if d.format == FormatTar {
		// pg_restore writing a script from a tar archive does not read
		// every data member: walk them all.
		if err := tarComplete(art.Path); err != nil {
			return err
		}
	}
	bin := filepath.Join(binDir, "pg_restore")
	toolVersion, err := versionOf(ctx, bin)
	if err != nil {
		return err
	}
	if err := compatible(d, sandboxVersions{tool: "pg_restore", toolVersion: toolVersion}); err != nil {
		return fault.Infra(err) // this machine's pg_restore is too old: not the backup's fault
	}
	run := toolRun{tool: "pg_restore", bin: bin, archive: art.Path, env: os.Environ(),
		args: []string{"--file=" + os.DevNull, argPath(art.Path)}}
	_, err = run.run(ctx, io.Discard)
	return err
}

// plainComplete reads a plain dump to its end and looks for pg_dump's
// closing line there. SQL that pg_dump did not write (no version comments)
// has no such line and is only read through.
func plainComplete(path string, d detected) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", path, err)
	}
	defer f.Close()
	var r io.Reader = f
	if d.format == FormatPlainGzip {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return notArchive(path, "it is not a readable gzip file: %v", err)
		}
		r = zr
	}
	tail := &tailWriter{max: tailSize}
	if _, err := io.Copy(tail, r); err != nil {
		if d.format == FormatPlainGzip {
			return &archiveError{path: path, what: "is corrupt", reason: fmt.Sprintf("its gzip stream breaks off: %v", err)}
		}
		return fmt.Errorf("cannot read %s: %w", path, err)
	}
	if d.dumpedBy != "" && !bytes.Contains(tail.buf, []byte(dumpCompleteLine)) {
		return &archiveError{path: path, what: "is incomplete", reason: "it does not end with pg_dump's \"" + dumpCompleteLine + "\" line: the dump or its copy was cut short"}
	}
	return nil
}

// tarComplete reads every member of a tar archive to its end.
func tarComplete(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", path, err)
	}
	defer f.Close()
	tr := tar.NewReader(f)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err == nil {
			_, err = io.Copy(io.Discard, tr)
		}
		if err != nil {
			member := ""
			if hdr != nil {
				member = " in member " + hdr.Name
			}
			return &archiveError{path: path, what: "is incomplete", reason: fmt.Sprintf("the tar archive breaks off%s: %v", member, err)}
		}
	}
}

// tailWriter keeps the last max bytes written to it.
type tailWriter struct {
	buf []byte
	max int
}

func (t *tailWriter) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

package postgres

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/drills/restore"
	"github.com/restore-drill/drill/drills/source"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/scenarios"
)

type method struct {
	name string
	spec scenarios.PostgresRestore
}

// New is the postgres restore method of the restore called name. The
// sandbox's Postgres(ctx, name) is the server it restores into.
func New(name string, spec *scenarios.PostgresRestore) restore.Method {
	m := &method{name: name}
	if spec != nil {
		m.spec = *spec
	}
	return m
}

// database is where the data goes; the restore's name when the scenario
// names none.
func (m *method) database() string {
	if m.spec.Database != "" {
		return m.spec.Database
	}
	return m.name
}

func (m *method) jobs() int { return max(m.spec.Jobs, 1) }

// Inspect tells the archive's format from its content and reads which
// pg_dump made it, from which server.
func (m *method) Inspect(ctx context.Context, art *source.Artifact) (restore.Inspection, error) {
	if err := ctx.Err(); err != nil {
		return restore.Inspection{}, err
	}
	d, err := detect(art.Path, art.IsDir)
	if err != nil {
		return restore.Inspection{}, err
	}
	insp := m.inspection(d)
	insp.RestoreBytes = restoredSize(d, art.Bytes)
	return insp, nil
}

// restoredSize guesses the disk a restored archive takes: compressed table
// data grows several times over, and indexes are rebuilt on top of the data
// either way. A guess on the generous side: the preflight refuses a restore
// that cannot fit, not one that might.
func restoredSize(d detected, archiveBytes int64) int64 {
	compressed := d.format == FormatPlainGzip || d.format == FormatDirectory ||
		d.header != nil && d.header.compression != "" && d.header.compression != "none"
	if compressed {
		return archiveBytes * 6
	}
	return archiveBytes * 2
}

func (m *method) inspection(d detected) restore.Inspection {
	insp := restore.Inspection{Format: d.format, DumpedBy: d.dumpedBy, DumpedFrom: d.dumpedFrom, Jobs: 1}
	switch d.format {
	case FormatCustom, FormatDirectory:
		insp.Jobs = m.jobs()
	case FormatTar:
		insp.Notes = append(insp.Notes, "tar archives restore with one job: pg_restore cannot run them in parallel (dump with -Fd or -Fc for that)")
	case FormatPlain, FormatPlainGzip:
		if m.jobs() > 1 {
			insp.Notes = append(insp.Notes, fmt.Sprintf("plain SQL runs through psql in one session: jobs: %d does not apply", m.jobs()))
		}
	}
	if d.header != nil && d.header.unknown {
		insp.Notes = append(insp.Notes, fmt.Sprintf("archive format %s is newer than this drill knows: pg_restore decides whether it can read it", d.header.version))
	}
	return insp
}

// Restore creates the roles and the database, then runs pg_restore or psql.
func (m *method) Restore(ctx context.Context, sb sandbox.Sandbox, art *source.Artifact, log io.Writer) (restore.Result, error) {
	res := restore.Result{Database: m.database()}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	d, err := detect(art.Path, art.IsDir)
	if err != nil {
		return res, err
	}
	res.Inspection = m.inspection(d)
	srv, err := sb.Postgres(ctx, m.name)
	if err != nil {
		return res, fault.Infra(fmt.Errorf("the sandbox has no PostgreSQL server for restore %s: %w", m.name, err))
	}
	run := m.command(d, art.Path, srv)
	toolVersion, err := versionOf(ctx, run.bin)
	if err != nil {
		return res, err
	}
	if err := compatible(d, sandboxVersions{tool: run.tool, toolVersion: toolVersion, server: srv.Version}); err != nil {
		return res, fault.Infra(err)
	}
	if err := prepare(ctx, srv, res.Database, m.spec.Roles); err != nil {
		return res, err
	}
	if d.format == FormatPlainGzip {
		return m.restoreGzip(ctx, run, art.Path, res, log)
	}
	res.LogTail, err = run.run(ctx, log)
	return res, err
}

// command is the tool run that restores an archive of format d.
func (m *method) command(d detected, archive string, srv *sandbox.PostgresServer) toolRun {
	run := toolRun{archive: archive, env: srv.ClientEnviron(m.database())}
	switch d.format {
	case FormatPlain:
		run.tool, run.args = "psql", psqlArgs(archive)
	case FormatPlainGzip:
		run.tool, run.args = "psql", psqlArgs("")
	default:
		jobs := m.jobs()
		if d.format == FormatTar {
			jobs = 1
		}
		run.tool, run.args = "pg_restore", pgRestoreArgs(archive, m.database(), jobs, m.spec.KeepOwners)
	}
	run.bin = toolBin(srv, run.tool)
	return run
}

// restoreGzip streams the decompressed dump into psql. A corrupt stream is
// the backup's fault and says so, whatever psql made of its cut-off input.
func (m *method) restoreGzip(ctx context.Context, run toolRun, path string, res restore.Result, log io.Writer) (restore.Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return res, fmt.Errorf("cannot read %s: %w", path, err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return res, notArchive(path, "it is not a readable gzip file: %v", err)
	}
	src := &errReader{r: zr}
	run.stdin = src
	res.LogTail, err = run.run(ctx, log)
	if src.err != nil && ctx.Err() == nil {
		reason := fmt.Sprintf("its gzip stream breaks off: %v", src.err)
		var te *ToolError
		if errors.As(err, &te) {
			reason += "; psql said: " + te.Message
		}
		return res, &archiveError{path: path, what: "is corrupt", reason: reason}
	}
	return res, err
}

// errReader remembers the error its reader failed with, other than EOF.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		e.err = err
	}
	return n, err
}

// versionOf asks a client program its version: "15.18" of "pg_restore
// (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)".
func versionOf(ctx context.Context, bin string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "--version").Output()
	if err != nil {
		return "", fault.Infra(fmt.Errorf("cannot run %s: %w: install the PostgreSQL client programs or set spec.sandbox.local.binDir", bin, err))
	}
	s := strings.TrimSpace(string(out))
	if i := strings.Index(s, ")"); i >= 0 {
		s = strings.TrimSpace(s[i+1:])
	}
	if majorOf(s) == 0 {
		return "", fault.Infra(fmt.Errorf("cannot tell the version of %s from %q", bin, out))
	}
	return s, nil
}

package pgbackrest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/drills/restore"
	"github.com/restore-drill/drill/drills/restore/pitr"
	"github.com/restore-drill/drill/drills/source"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/scenarios"
)

// Format is the Inspection.Format of a pgBackRest backup.
const Format = "pgbackrest"

type method struct {
	name string
	spec *scenarios.PgBackRestRestore
	repo repository

	chosen pitr.Backup
	proof  string
}

// New returns the pgbackrest method of one restore, reading the posix
// repository at src.Path or the s3 repository in src.S3 (its prefix is the
// repo1-path).
func New(name string, spec *scenarios.PgBackRestRestore, src scenarios.Source) restore.Method {
	return &method{name: name, spec: spec, repo: newRepository(src)}
}

var (
	_ restore.Method  = (*method)(nil)
	_ restore.Locator = (*method)(nil)
)

// commonArgs select the stanza, say whether the repository is encrypted
// and keep pgBackRest's own log files out of the way (its messages come
// back on stderr); repoArgs select the repository.
func (m *method) commonArgs(repoArgs []string) []string {
	args := append(append([]string{"--stanza=" + m.spec.Stanza}, repoArgs...), m.cipherArgs()...)
	return append(args, "--log-level-file=off", "--log-level-console=warn")
}

// run runs pgbackrest with the repository's credentials in its
// environment only.
func (m *method) run(ctx context.Context, log io.Writer, args ...string) ([]byte, error) {
	env, err := m.env()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "pgbackrest", append(m.commonArgs(m.repo.args()), args...)...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, io.MultiWriter(&stderr, log)
	err = cmd.Run()
	switch {
	case errors.Is(err, exec.ErrNotFound):
		return nil, fault.Infra(errors.New("pgbackrest is not installed: apt-get install pgbackrest"))
	case err != nil && ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil:
		return nil, fault.Infra(fmt.Errorf("pgbackrest %s: %w: %s", args[len(args)-1], err, pitr.LastLines(stderr.String()+stdout.String(), 5)))
	}
	return stdout.Bytes(), nil
}

// Locate chooses the backup the target needs and proves the repository's
// WAL archive holds every segment from it to the target.
func (m *method) Locate(ctx context.Context, src scenarios.Source) (*source.Artifact, error) {
	if err := m.repo.check(ctx); err != nil {
		return nil, err
	}
	out, err := m.run(ctx, io.Discard, "--output=json", "info")
	if err != nil {
		return nil, err
	}
	all, err := backups(out)
	if errors.Is(err, errInfoNotJSON) || errors.Is(err, errStanzaUnreadable) {
		return nil, fault.Infra(fmt.Errorf("pgBackRest repository %s (stanza %s) cannot be read: %w%s", m.repo, m.spec.Stanza, err, m.passphraseHint()))
	}
	if err != nil {
		return nil, fmt.Errorf("%w in %s: %v", source.ErrNoBackup, m.repo, err)
	}
	where := m.repo.String() + " (stanza " + m.spec.Stanza + ")"
	b, err := pitr.Choose(all, m.spec.TargetTime, m.spec.BackupID)
	if err != nil {
		return nil, fmt.Errorf("%w in %s: %v", source.ErrNoBackup, where, err)
	}
	wals, err := m.repo.wal(ctx, m.spec.Stanza)
	if err != nil {
		if fault.IsInfra(err) || ctx.Err() != nil {
			return nil, err
		}
		return nil, fault.Infra(fmt.Errorf("read the WAL archive in %s: %w", where, err))
	}
	latest := m.spec.TargetTime.IsZero() && m.spec.BackupID == ""
	proof, err := pitr.ProveWAL(b, wals, m.spec.TargetTime, latest)
	if err != nil {
		return nil, fmt.Errorf("backup %s in %s cannot be recovered to %s: %w", b.ID, where, m.targetName(), err)
	}
	m.chosen, m.proof = b, proof
	art := m.repo.artifact(m.spec.Stanza, b.ID)
	art.Bytes, art.ModTime = b.Size, b.EndTime
	return art, nil
}

func (m *method) targetName() string {
	return pitr.TargetName(m.spec.TargetTime, m.spec.BackupID)
}

// Inspect says what Locate found.
func (m *method) Inspect(ctx context.Context, art *source.Artifact) (restore.Inspection, error) {
	if m.chosen.ID == "" {
		return restore.Inspection{}, errors.New("pgbackrest: Inspect before Locate")
	}
	return pitr.Inspection(Format, m.chosen, m.targetName(), m.proof), nil
}

// Restore has pgbackrest restore write the data directory, then starts a
// server that replays the WAL to the target and proves where it stopped.
func (m *method) Restore(ctx context.Context, sb sandbox.Sandbox, art *source.Artifact, log io.Writer) (restore.Result, error) {
	res := restore.Result{Database: m.spec.Database}
	insp, err := m.Inspect(ctx, art)
	if err != nil {
		return res, err
	}
	res.Inspection = insp
	// archive-get, run by the server, reaches the repository with the same
	// credentials, through the server's environment.
	env, err := m.env()
	if err != nil {
		return res, err
	}
	recovery := sandbox.Recovery{
		Prepare: func(ctx context.Context, dataDir string) error { return m.restoreInto(ctx, dataDir, log) },
		Env:     env,
		User:    m.spec.User,
	}
	err = pitr.Recover(ctx, sb, m.name, recovery, m.spec.TargetTime, m.spec.Database, &res)
	return res, err
}

// restoreInto runs pgbackrest restore into dataDir. pgBackRest writes its
// own restore_command (it carries --pg1-path and the stanza); drill appends
// the repository options to it rather than replacing it.
func (m *method) restoreInto(ctx context.Context, dataDir string, log io.Writer) error {
	args := []string{"--pg1-path=" + dataDir, "--set=" + m.chosen.ID, "--archive-mode=off"}
	// Latest (type default) replays to the end of the archive and promotes;
	// a target needs the promotion asked for.
	switch {
	case !m.spec.TargetTime.IsZero():
		args = append(args, "--type=time", "--target="+m.spec.TargetTime.UTC().Format("2006-01-02 15:04:05.999999+00"), "--target-action=promote")
	case m.spec.BackupID != "":
		args = append(args, "--type=immediate", "--target-action=promote")
	}
	if _, err := m.run(ctx, log, append(args, "restore")...); err != nil {
		return err
	}
	serverArgs, err := m.repo.serverArgs(dataDir)
	if err != nil {
		return err
	}
	return m.extendRestoreCommand(filepath.Join(dataDir, "postgresql.auto.conf"), serverArgs)
}

var restoreCommand = regexp.MustCompile(`(?m)^restore_command = '(.*) archive-get (.*)'$`)

// extendRestoreCommand sets, in the restore_command pgbackrest restore
// wrote, the options of repoArgs and the common ones: an option pgBackRest
// already wrote takes drill's value (the server reads the CA file from its
// own copy), a missing one is appended.
func (m *method) extendRestoreCommand(conf string, repoArgs []string) error {
	b, err := os.ReadFile(conf)
	if err != nil {
		return fault.Infra(fmt.Errorf("read the restored configuration: %w", err))
	}
	loc := restoreCommand.FindSubmatchIndex(b)
	if loc == nil {
		return fault.Infra(fmt.Errorf("pgbackrest restore wrote no restore_command into %s", conf))
	}
	command := string(b[loc[2]:loc[3]])
	for _, a := range m.commonArgs(repoArgs) {
		name := strings.SplitN(a, "=", 2)[0] + "="
		opt := regexp.MustCompile(`(^|\s)` + regexp.QuoteMeta(name) + `\S*`)
		if opt.MatchString(command) {
			command = opt.ReplaceAllStringFunc(command, func(s string) string {
				return strings.TrimSuffix(s, strings.TrimLeftFunc(s, unicode.IsSpace)) + a
			})
			continue
		}
		command += " " + a
	}
	out := append(append(append([]byte{}, b[:loc[2]]...), command...), b[loc[3]:]...)
	return os.WriteFile(conf, out, 0o600)
}

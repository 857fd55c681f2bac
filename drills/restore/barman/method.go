package barman

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/drills/restore"
	"github.com/restore-drill/drill/drills/restore/pitr"
	"github.com/restore-drill/drill/drills/source"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/scenarios"
	"github.com/restore-drill/drill/scenarios/v1alpha1"
)

// Format is the Inspection.Format of a Barman Cloud backup.
const Format = "barman"

// method restores one scenario restore; Locate remembers the backup it
// chose and the proof that its WAL is complete.
type method struct {
	name string
	spec *scenarios.BarmanRestore
	src  scenarios.Source

	chosen pitr.Backup
	proof  string
}

// New returns the barman method of one restore, reading src (an s3 source:
// bucket and prefix are the destinationPath).
func New(name string, spec *scenarios.BarmanRestore, src scenarios.Source) restore.Method {
	return &method{name: name, spec: spec, src: src}
}

var (
	_ restore.Method  = (*method)(nil)
	_ restore.Locator = (*method)(nil)
)

// destination is s3://BUCKET/PREFIX, as barman-cloud tools take it.
func (m *method) destination() string {
	return "s3://" + m.src.S3.Bucket + "/" + strings.TrimSuffix(m.src.S3.Prefix, "/")
}

func (m *method) store(ctx context.Context) (*store, error) {
	client, err := source.S3Client(m.src.S3)
	if err != nil {
		return nil, err
	}
	root := m.src.S3.Prefix
	if root != "" && !strings.HasSuffix(root, "/") {
		root += "/"
	}
	return &store{client: client, bucket: m.src.S3.Bucket, root: root + m.spec.ServerName + "/"}, nil
}

// Locate chooses the backup the target needs and proves, before anything
// is restored, that the archive holds all the WAL from it to the target.
// A missing backup or a hole in the WAL fails the drill (ErrNoBackup, or a
// plain error); an unreachable store is an infrastructure error.
func (m *method) Locate(ctx context.Context, src scenarios.Source) (*source.Artifact, error) {
	if src.S3 == nil {
		return nil, fmt.Errorf("restore %s: barman reads an object store: set source.s3", m.name)
	}
	st, err := m.store(ctx)
	if err != nil {
		return nil, err
	}
	where := m.destination() + "/" + m.spec.ServerName
	all, err := st.backups(ctx)
	if err != nil {
		return nil, source.S3Error(ctx, src.S3, "list the backups in "+where, err)
	}
	b, err := pitr.Choose(all, m.spec.TargetTime, m.spec.BackupID)
	if err != nil {
		return nil, fmt.Errorf("%w in %s: %v", source.ErrNoBackup, where, err)
	}
	wals, err := st.wals(ctx)
	if err != nil {
		return nil, source.S3Error(ctx, src.S3, "list the WAL in "+where, err)
	}
	latest := m.spec.TargetTime.IsZero() && m.spec.BackupID == ""
	proof, err := pitr.ProveWAL(b, wals, m.spec.TargetTime, latest)
	if err != nil {
		return nil, fmt.Errorf("backup %s in %s cannot be recovered to %s: %w", b.ID, where, m.targetName(), err)
	}
	m.chosen, m.proof = b, proof
	return &source.Artifact{
		Bytes:   b.Size,
		ModTime: b.EndTime,
		Object:  &source.Object{Endpoint: src.S3.Endpoint, Bucket: src.S3.Bucket, Key: st.root + "base/" + b.ID + "/"},
	}, nil
}

func (m *method) targetName() string {
	return pitr.TargetName(m.spec.TargetTime, m.spec.BackupID)
}

// Inspect says what Locate found; a Barman backup is not read ahead.
func (m *method) Inspect(ctx context.Context, art *source.Artifact) (restore.Inspection, error) {
	if m.chosen.ID == "" {
		return restore.Inspection{}, errors.New("barman: Inspect before Locate")
	}
	return pitr.Inspection(Format, m.chosen, m.targetName(), m.proof), nil
}

// Restore fetches the base backup into a new data directory of the
// sandbox, starts a server that replays the WAL to the target and
// promotes, and proves where it stopped.
func (m *method) Restore(ctx context.Context, sb sandbox.Sandbox, art *source.Artifact, log io.Writer) (restore.Result, error) {
	res := restore.Result{Database: m.spec.Database}
	insp, err := m.Inspect(ctx, art)
	if err != nil {
		return res, err
	}
	res.Inspection = insp
	env, err := source.S3Env(m.src.S3.Credentials)
	if err != nil {
		return res, err
	}
	env = append(env, m.toolEnv()...)
	recovery := sandbox.Recovery{
		Prepare:  func(ctx context.Context, dataDir string) error { return m.fetchBase(ctx, dataDir, env, log) },
		Settings: m.settings(),
		Env:      env,
		User:     m.spec.User,
	}
	err = pitr.Recover(ctx, sb, m.name, recovery, m.spec.TargetTime, m.spec.Database, &res)
	return res, err
}

// toolEnv points the barman-cloud tools at the store's CA and gives them a
// home they can read when they run as the server's user.
func (m *method) toolEnv() []string {
	env := []string{"HOME=" + os.TempDir()}
	if m.src.S3.CAFile != "" {
		env = append(env, "AWS_CA_BUNDLE="+m.src.S3.CAFile)
	}
	return env
}

// endpointArgs are the barman-cloud options that select the store.
func (m *method) endpointArgs() []string {
	args := []string{"--cloud-provider", "aws-s3"}
	if m.src.S3.Endpoint != "" && m.src.S3.Endpoint != v1alpha1.DefaultS3Endpoint {
		args = append(args, "--endpoint-url", m.src.S3.Endpoint)
	}
	return args
}

// fetchBase runs barman-cloud-restore into dataDir and asks for archive
// recovery.
func (m *method) fetchBase(ctx context.Context, dataDir string, env []string, log io.Writer) error {
	args := append(m.endpointArgs(), m.destination(), m.spec.ServerName, m.chosen.ID, dataDir)
	cmd := exec.CommandContext(ctx, "barman-cloud-restore", args...)
	cmd.Env = append(os.Environ(), env...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = io.MultiWriter(&out, log), io.MultiWriter(&out, log)
	if err := cmd.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return fault.Infra(fmt.Errorf("barman-cloud-restore is not installed: apt-get install barman-cli-cloud python3-boto3"))
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fault.Infra(fmt.Errorf("barman-cloud-restore of backup %s: %w: %s", m.chosen.ID, err, pitr.LastLines(out.String(), 5)))
	}
	return os.WriteFile(filepath.Join(dataDir, "recovery.signal"), nil, 0o600)
}

// settings are the recovery settings: WAL from the store, the target, and
// promotion at the target. The restored copy never archives: its config
// still holds production's archive_command, which would push a new
// timeline into production's WAL (the sandbox turns archive_mode off).
func (m *method) settings() []string {
	restoreCmd := strings.Join(append(append([]string{"barman-cloud-wal-restore"}, m.endpointArgs()...),
		m.destination(), m.spec.ServerName, "%f", "%p"), " ")
	s := []string{"restore_command=" + restoreCmd, "recovery_target_action=promote", "hot_standby=on"}
	switch {
	case !m.spec.TargetTime.IsZero():
		s = append(s, "recovery_target_time="+m.spec.TargetTime.UTC().Format("2006-01-02 15:04:05.999999+00"))
	case m.spec.BackupID != "":
		s = append(s, "recovery_target=immediate")
	}
	return s
}

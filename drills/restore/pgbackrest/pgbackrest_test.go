package pgbackrest_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/restore-drill/drill/drills"
	"github.com/restore-drill/drill/drills/restore"
	"github.com/restore-drill/drill/drills/restore/pgbackrest"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/local"
	"github.com/restore-drill/drill/sandbox/local/localtest"
	"github.com/restore-drill/drill/scenarios"
)

const stanza = "main"

type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// production is a real server archiving with pgbackrest archive-push into
// a repository, with one full backup.
type production struct {
	conn *pgx.Conn
	user string
	repo repoUnderTest
}

// repoUnderTest is a repository production writes to and drill reads.
type repoUnderTest struct {
	// src is what drill is given.
	src scenarios.Source
	// args select the repository for production's pgbackrest, which runs
	// as the server's user and can read what its data directory holds.
	args func(dataDir string) []string
	// env holds production's credentials.
	env []string
	// dirs must belong to the server's user.
	dirs []string
	// archive is the directory where the stanza's archived WAL lies on disk.
	archive string
	// secrets must never be written where drill writes.
	secrets []string
	// cipherPassEnv names the variable holding an encrypted repository's
	// passphrase.
	cipherPassEnv string
}

// shows says whether text holds one of the repository's secrets.
func (r repoUnderTest) shows(text string) bool {
	for _, s := range r.secrets {
		if strings.Contains(text, s) {
			return true
		}
	}
	return false
}

// posixRepo is a repository in a directory that the server's user owns.
func posixRepo(t *testing.T) repoUnderTest {
	t.Helper()
	// The repository's parent must be reachable by the server's user.
	parent, err := os.MkdirTemp("", "drill-test-pgbackrest-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(parent) })
	if err := os.Chmod(parent, 0o755); err != nil {
		t.Fatal(err)
	}
	repo := filepath.Join(parent, "repo")
	if err := os.MkdirAll(repo, 0o750); err != nil {
		t.Fatal(err)
	}
	return repoUnderTest{
		src: scenarios.Source{Path: repo},
		args: func(string) []string {
			return []string{"--repo1-path=" + repo, "--lock-path=" + filepath.Join(repo, "lock")}
		},
		dirs:    []string{repo},
		archive: filepath.Join(repo, "archive", stanza),
	}
}

// asServer runs pgbackrest as the server's user: archive-push does, and
// the repository must be that user's.
func asServer(ctx context.Context, owner os.FileInfo, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "pgbackrest", args...)
	if st, ok := owner.Sys().(*syscall.Stat_t); ok && os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: st.Uid, Gid: st.Gid}}
	}
	cmd.Env = append(os.Environ(), "HOME="+os.TempDir())
	return cmd
}

func startProduction(t *testing.T, ctx context.Context, newRepo func(*testing.T) repoUnderTest) *production {
	t.Helper()
	if _, err := exec.LookPath("pgbackrest"); err != nil {
		t.Skip("skipping: pgbackrest is not installed (apt-get install pgbackrest; ci/install-deps.sh does)")
	}
	seed := localtest.Start(t)
	repo := newRepo(t)
	sb, err := local.NewProvider(local.Options{Log: testLog{t}}).Create(ctx, sandbox.Options{RunID: "test-pgbackrest-prod", Scenario: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Destroy(context.Background()) })
	common := func(dataDir string) []string {
		return append(append([]string{"--stanza=" + stanza}, repo.args(dataDir)...), "--log-level-file=off")
	}
	rec, err := sb.(sandbox.Recoverer).Recover(ctx, "prod", sandbox.Recovery{
		Prepare: func(ctx context.Context, dataDir string) error {
			cmd := exec.CommandContext(ctx, filepath.Join(seed.BinDir, "pg_basebackup"), "-D", dataDir, "-X", "stream", "-c", "fast")
			cmd.Env = append(os.Environ(), seed.ClientEnv("postgres")...)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Logf("pg_basebackup: %s", out)
				return err
			}
			archive := "pgbackrest " + strings.Join(common(dataDir), " ") + " --pg1-path=" + dataDir + " archive-push %p"
			f, err := os.OpenFile(filepath.Join(dataDir, "postgresql.auto.conf"), os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = f.WriteString("archive_command = '" + archive + "'\n")
			return err
		},
		Settings: []string{"archive_mode=on"},
		User:     seed.User,
		Env:      append([]string{"HOME=" + os.TempDir()}, repo.env...),
	})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, rec.Server.ConnString("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	var dataDir, socket string
	if err := conn.QueryRow(ctx, "select current_setting('data_directory'), current_setting('unix_socket_directories')").Scan(&dataDir, &socket); err != nil {
		t.Fatal(err)
	}
	if socket == "" {
		t.Skip("skipping: the sandbox's directory is too long for a unix socket, which pgbackrest backup needs")
	}
	owner, err := os.Stat(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	if st, ok := owner.Sys().(*syscall.Stat_t); ok && os.Geteuid() == 0 {
		for _, dir := range repo.dirs {
			filepath.WalkDir(dir, func(p string, _ os.DirEntry, err error) error {
				if err == nil {
					err = os.Chown(p, int(st.Uid), int(st.Gid))
				}
				return err
			})
		}
	}
	pg := append(common(dataDir), "--pg1-path="+dataDir, "--pg1-port="+strconv.Itoa(rec.Server.Port), "--pg1-socket-path="+socket, "--pg1-user="+rec.Server.User)
	if _, err := conn.Exec(ctx, "create table events (id serial primary key, batch int not null)"); err != nil {
		t.Fatal(err)
	}
	p := &production{conn: conn, user: rec.Server.User, repo: repo}
	run := func(args ...string) {
		cmd := asServer(ctx, owner, append(append([]string{}, pg...), args...)...)
		cmd.Env = append(cmd.Env, repo.env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("pgbackrest %v: %v\n%s", args, err, out)
		}
	}
	run("stanza-create")
	p.insert(t, ctx, 1)
	run("--start-fast", "--repo1-retention-full=9", "backup")
	return p
}

func (p *production) insert(t *testing.T, ctx context.Context, batch int) string {
	t.Helper()
	if _, err := p.conn.Exec(ctx, "insert into events (batch) select $1 from generate_series(1, 10)", batch); err != nil {
		t.Fatal(err)
	}
	var seg string
	if err := p.conn.QueryRow(ctx, "select pg_walfile_name(pg_switch_wal())").Scan(&seg); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		var last *string
		if err := p.conn.QueryRow(ctx, "select last_archived_wal from pg_stat_archiver").Scan(&last); err != nil {
			t.Fatal(err)
		}
		if last != nil && *last >= seg {
			return seg
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("segment %s was not archived within a minute", seg)
	return ""
}

func recoverTo(t *testing.T, ctx context.Context, p *production, spec scenarios.PgBackRestRestore) (map[int]int, restore.Result, error) {
	t.Helper()
	spec.Stanza, spec.User, spec.Database, spec.CipherPassEnv = stanza, p.user, "postgres", p.repo.cipherPassEnv
	src := p.repo.src
	m := pgbackrest.New("billing", &spec, src)
	art, err := m.(restore.Locator).Locate(ctx, src)
	if err != nil {
		return nil, restore.Result{}, err
	}
	sb, err := local.NewProvider(local.Options{Log: testLog{t}}).Create(ctx, sandbox.Options{RunID: "test-pgbackrest-drill", Scenario: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Destroy(context.Background())
	res, err := m.Restore(ctx, sb, art, testLog{t})
	if err != nil {
		return nil, res, err
	}
	srv, err := sb.Postgres(ctx, "billing")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, srv.ConnString("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if len(p.repo.secrets) > 0 {
		var dataDir string
		if err := conn.QueryRow(ctx, "select current_setting('data_directory')").Scan(&dataDir); err != nil {
			t.Fatal(err)
		}
		conf, err := os.ReadFile(filepath.Join(dataDir, "postgresql.auto.conf"))
		if err != nil {
			t.Fatal(err)
		}
		if p.repo.shows(string(conf)) {
			t.Error("the restored configuration holds a secret")
		}
	}
	rows, err := conn.Query(ctx, "select batch, count(*) from events group by batch")
	if err != nil {
		t.Fatal(err)
	}
	found := map[int]int{}
	for rows.Next() {
		var b, n int
		if err := rows.Scan(&b, &n); err != nil {
			t.Fatal(err)
		}
		found[b] = n
	}
	return found, res, rows.Err()
}

// TestPointInTimeRecovery: the same proof as for barman, with a posix
// pgBackRest repository.
func TestPointInTimeRecovery(t *testing.T) {
	testPointInTimeRecovery(t, posixRepo, nil)
}

// testPointInTimeRecovery has production archive into the repository,
// back up and write over time, then recovers to a time in the middle and
// to the latest, and, once a segment in the range is removed, fails both;
// drill check passes before and fails after. more runs before the gap.
func testPointInTimeRecovery(t *testing.T, newRepo func(*testing.T) repoUnderTest, more func(t *testing.T, ctx context.Context, p *production, target time.Time)) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	p := startProduction(t, ctx, newRepo)
	beforeGap := time.Now()
	gap := p.insert(t, ctx, 2)
	time.Sleep(1100 * time.Millisecond)
	target := time.Now()
	time.Sleep(1100 * time.Millisecond)
	p.insert(t, ctx, 3)

	t.Run("time target", func(t *testing.T) {
		found, res, err := recoverTo(t, ctx, p, scenarios.PgBackRestRestore{TargetTime: target})
		if err != nil {
			t.Fatal(err)
		}
		if found[1] != 10 || found[2] != 10 || found[3] != 0 {
			t.Errorf("rows by batch %v: want batches 1 and 2 and not 3", found)
		}
		if res.NewestData == nil || res.NewestData.After(target) || res.NewestData.Before(beforeGap) {
			t.Errorf("last replayed commit %v, want between %s and %s", res.NewestData, beforeGap, target)
		}
	})
	t.Run("latest", func(t *testing.T) {
		found, _, err := recoverTo(t, ctx, p, scenarios.PgBackRestRestore{})
		if err != nil {
			t.Fatal(err)
		}
		if found[1] != 10 || found[2] != 10 || found[3] != 10 {
			t.Errorf("rows by batch %v: want all three batches", found)
		}
	})

	if more != nil {
		more(t, ctx, p, target)
	}
	t.Run("check passes", func(t *testing.T) {
		if rec := checkBackups(t, ctx, p); rec.Outcome != results.Passed {
			t.Errorf("drill check: %s: %s", rec.Outcome, rec.Reason)
		}
	})

	matches, _ := filepath.Glob(filepath.Join(p.repo.archive, "*", "*", gap+"-*"))
	if len(matches) != 1 {
		t.Fatalf("archived files of %s: %v", gap, matches)
	}
	if err := os.Remove(matches[0]); err != nil {
		t.Fatal(err)
	}
	t.Run("check fails over the gap", func(t *testing.T) {
		rec := checkBackups(t, ctx, p)
		if rec.Outcome != results.Failed || !strings.Contains(rec.Reason, "WAL segment "+gap+" is missing") {
			t.Errorf("drill check: %s: %s; want failed naming %s", rec.Outcome, rec.Reason, gap)
		}
		if p.repo.shows(rec.Reason) {
			t.Error("drill check's reason shows a secret")
		}
	})
	for _, spec := range []scenarios.PgBackRestRestore{{TargetTime: target}, {}} {
		_, _, err := recoverTo(t, ctx, p, spec)
		if err == nil || !strings.Contains(err.Error(), "WAL segment "+gap+" is missing from the archive") {
			t.Errorf("target %s over a gap: err = %v, want the missing segment named", spec.TargetTime, err)
		}
		if err != nil && p.repo.shows(err.Error()) {
			t.Error("the error shows a secret")
		}
	}
}

// checkBackups runs drill check on the production's repository.
func checkBackups(t *testing.T, ctx context.Context, p *production) *results.Record {
	t.Helper()
	spec := &scenarios.PgBackRestRestore{Stanza: stanza, User: p.user, Database: "postgres", CipherPassEnv: p.repo.cipherPassEnv}
	sc := &scenarios.Scenario{Name: "billing-pitr", Timeout: time.Minute, Restores: []scenarios.Restore{{Name: "billing", Source: p.repo.src, PgBackRest: spec}}}
	return drills.Check(ctx, sc, drills.CheckOptions{
		Methods: func(r scenarios.Restore) (restore.Method, error) {
			return pgbackrest.New(r.Name, r.PgBackRest, r.Source), nil
		},
		MaxAge: time.Hour,
	})
}

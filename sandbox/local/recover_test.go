package local

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/restore-drill/drill/sandbox"
)

// TestRecover fills a data directory with a real physical copy of another
// server (pg_basebackup), starts a recovered server on it, reads the copied
// data, and checks that Destroy takes it down.
func TestRecover(t *testing.T) {
	p, _ := realProvider(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	prod := create(t, p, "test-recover-prod")
	srv, _ := prod.Postgres(ctx, "")
	conn, err := pgx.Connect(ctx, srv.ConnString("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "create table marker as select 42 as answer"); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)

	sb := create(t, p, "test-recover")
	copyOf := func(ctx context.Context, dataDir string) error {
		cmd := exec.CommandContext(ctx, srv.BinDir+"/pg_basebackup", "-D", dataDir, "-X", "stream", "-c", "fast")
		cmd.Env = append(os.Environ(), srv.ClientEnv("postgres")...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Logf("pg_basebackup: %s", out)
			return err
		}
		return nil
	}
	rec, err := sb.Recover(ctx, "billing", sandbox.Recovery{Prepare: copyOf, User: srv.User, Settings: []string{"work_mem=8MB"}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := sb.Postgres(ctx, "billing")
	if err != nil || got.Port == srv.Port || got.Port == sb.info.Port {
		t.Fatalf("Postgres(billing) = %+v, %v: want the recovered server", got, err)
	}
	c2, err := pgx.Connect(ctx, got.ConnString("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	var answer int
	var workMem string
	if err := c2.QueryRow(ctx, "select answer, current_setting('work_mem') from marker").Scan(&answer, &workMem); err != nil || answer != 42 || workMem != "8MB" {
		t.Errorf("recovered data: %d, work_mem %s, %v; want 42 and the extra setting", answer, workMem, err)
	}
	c2.Close(ctx)
	log, err := os.ReadFile(rec.LogFile)
	if err != nil || !strings.Contains(string(log), "ready to accept connections") {
		t.Errorf("log file %s: %v\n%s", rec.LogFile, err, log)
	}
	if err := sb.Destroy(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := pgx.Connect(ctx, got.ConnString("postgres")); err == nil {
		t.Error("the recovered server still accepts connections after Destroy")
	}

	t.Run("prepare fails", func(t *testing.T) {
		sb := create(t, p, "test-recover-fails")
		boom := errors.New("no base backup")
		if _, err := sb.Recover(ctx, "x", sandbox.Recovery{Prepare: func(context.Context, string) error { return boom }}); !errors.Is(err, boom) {
			t.Errorf("err = %v, want the prepare error", err)
		}
	})
}

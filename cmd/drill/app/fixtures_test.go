package app_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/restore-drill/drill/cmd/drill/app"
	"github.com/restore-drill/drill/sandbox/local/localtest"
	"github.com/restore-drill/drill/sandbox/local/sampledb"
)

const sampleInvoices = 1200

// backups are real pg_dump archives of a sample "production" database, made
// once for all the command's tests.
type backups struct {
	dir     string
	custom  string            // a custom-format archive, newest invoice one hour old
	formats map[string]string // the same data in every format drill reads
	threeIn string            // a directory of three archives; the newest is custom
	newest  time.Time
}

func makeBackups(t *testing.T) *backups {
	t.Helper()
	srv := localtest.Start(t) // skips with the reason when PostgreSQL is absent
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	b := &backups{dir: t.TempDir(), newest: time.Now().Add(-time.Hour).Truncate(time.Second)}
	if err := sampledb.Create(ctx, srv, "billing", sampledb.Options{Invoices: sampleInvoices, Newest: b.newest}); err != nil {
		t.Fatalf("create the sample database: %v", err)
	}
	b.custom = filepath.Join(b.dir, "billing.dump")
	if err := sampledb.Dump(ctx, srv, "billing", "custom", b.custom, 1); err != nil {
		t.Fatalf("dump the sample database: %v", err)
	}
	b.formats = map[string]string{"custom": b.custom}
	for _, f := range []string{"directory", "tar", "plain", "plain.gz"} {
		p := filepath.Join(b.dir, "billing-"+f)
		if err := sampledb.Dump(ctx, srv, "billing", f, p, 1); err != nil {
			t.Fatalf("dump the sample database as %s: %v", f, err)
		}
		b.formats[f] = p
	}
	b.threeIn = filepath.Join(b.dir, "three")
	if err := os.Mkdir(b.threeIn, 0o755); err != nil {
		t.Fatal(err)
	}
	// Two older archives that would fail the check, and the newest that
	// passes it: picking the wrong one shows.
	conn, err := pgx.Connect(ctx, srv.ConnString("billing"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "delete from invoices where id > 10"); err != nil {
		t.Fatalf("shrink the sample: %v", err)
	}
	for i, age := range []time.Duration{72 * time.Hour, 48 * time.Hour} {
		p := filepath.Join(b.threeIn, "billing-old-"+string(rune('a'+i))+".dump")
		if err := sampledb.Dump(ctx, srv, "billing", "custom", p, 1); err != nil {
			t.Fatal(err)
		}
		mt := time.Now().Add(-age)
		if err := os.Chtimes(p, mt, mt); err != nil {
			t.Fatal(err)
		}
	}
	copyFile(t, b.custom, filepath.Join(b.threeIn, "billing-new.dump"))
	return b
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeScenario fills the billing scenario template.
func writeScenario(t *testing.T, backupPath, expect string) string {
	t.Helper()
	tmpl, err := os.ReadFile("testdata/billing.yaml.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.NewReplacer("{{PATH}}", backupPath, "{{EXPECT}}", expect).Replace(string(tmpl))
	path := filepath.Join(t.TempDir(), "billing.yaml")
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

type result struct {
	code           int
	stdout, stderr string
}

// drill runs the command in-process, as main would, bounded so that a hang
// fails the test instead of stalling it.
func drill(t *testing.T, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var out, errOut bytes.Buffer
	err := app.Run(ctx, args, app.Streams{In: strings.NewReader(""), Out: &out, Err: &errOut})
	code := app.ExitCode(err, &errOut)
	if ctx.Err() != nil {
		t.Fatalf("drill %v did not finish in time; stderr:\n%s", args, errOut.String())
	}
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

package app_test

import (
	"context"
	"encoding/json"
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/sandbox/local/localtest"
)

// TestResultsCopyThroughPostgres copies a directory of records into a real
// PostgreSQL store and back, reports from the database, runs a real drill
// that records into it, and checks that the password, given through
// PGPASSWORD, is never shown.
func TestResultsCopyThroughPostgres(t *testing.T) {
	srv := localtest.Start(t)
	dir, _ := historyStore(t, 30, time.Now())
	u, err := url.Parse(srv.ConnString("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	password, _ := u.User.Password()
	t.Setenv("PGPASSWORD", password)
	u.User = url.User(u.User.Username())
	db := u.String()

	in := drill(t, "results", "copy", "--from", dir, "--to", db)
	if in.code != 0 || !strings.Contains(in.stderr, "copied 30 run records") {
		t.Fatalf("copy into the database: exit %d\n%s", in.code, in.stderr)
	}
	back := filepath.Join(t.TempDir(), "back")
	out := drill(t, "results", "copy", "--from", db, "--to", back)
	if out.code != 0 {
		t.Fatalf("copy out of the database: exit %d\n%s", out.code, out.stderr)
	}
	ctx := context.Background()
	want, _ := results.ReadAll(ctx, results.DirStore{Dir: dir})
	got, err := results.ReadAll(ctx, results.DirStore{Dir: back})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("records copied through PostgreSQL came back different (%d vs %d records)", len(got), len(want))
	}
	rep := drill(t, "report", "--store", db, "-o", "json")
	if rep.code != 0 || !strings.Contains(rep.stdout, `"records": 30`) {
		t.Errorf("report from the database: exit %d\n%s", rep.code, rep.stderr)
	}

	// A real drill records its run in the database; the exercise report
	// reads it back.
	b := makeBackups(t)
	run := drill(t, "run", writeScenario(t, b.custom, ">= 1000"), "--store", db, "-o", "json")
	if run.code != 0 {
		t.Fatalf("run --store %s: exit %d\n%s", db, run.code, run.stderr)
	}
	var rec results.Record
	if err := json.Unmarshal([]byte(run.stdout), &rec); err != nil {
		t.Fatal(err)
	}
	ex := drill(t, "report", "--store", db, "--exercise", "billing-monthly/"+rec.RunID, "-o", "html")
	if ex.code != 0 || !strings.Contains(ex.stdout, rec.Restores[0].Archive.SHA256) || !strings.Contains(ex.stdout, "<svg") {
		t.Errorf("exercise report of the real run from the database: exit %d\n%s", ex.code, ex.stderr)
	}

	// A wrong password is an infrastructure error that never shows it.
	t.Setenv("PGPASSWORD", "")
	u.User = url.UserPassword(u.User.Username(), "not-"+password)
	bad := drill(t, "report", "--store", u.String())
	if bad.code != 3 {
		t.Errorf("report with a wrong password: exit %d, want 3\n%s", bad.code, bad.stderr)
	}
	for _, r := range []string{in.stderr, out.stderr, rep.stderr, run.stderr, run.stdout, ex.stdout, bad.stderr} {
		if strings.Contains(r, password) {
			t.Errorf("a message shows the password:\n%s", r)
		}
	}
}

package app_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/restore-drill/drill/sandbox/local/localtest"
	"github.com/restore-drill/drill/sandbox/local/sampledb"
)

// TestRunCommandChecks runs a whole local drill whose command checks run
// the real psql against the restored database: one passes with the rows
// the archive holds; one prints the password and fails, and neither the
// record nor the output holds it.
func TestRunCommandChecks(t *testing.T) {
	srv := localtest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := sampledb.Create(ctx, srv, "billing", sampledb.Options{Invoices: 50, Newest: time.Now().Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(t.TempDir(), "billing.dump")
	if err := sampledb.Dump(ctx, srv, "billing", "custom", archive, 1); err != nil {
		t.Fatal(err)
	}
	scenario := `apiVersion: restore-drill.io/v1alpha1
kind: Scenario
metadata: {name: billing-command}
spec:
  sandbox: {local: {}}
  restores:
    - name: billing
      source: {path: ` + archive + `}
      postgres: {database: billing}
  checks:
    - name: invoices-listed
      command:
        run: ["` + filepath.Join(srv.BinDir, "psql") + `", "-Atc", "select count(*) from invoices"]
        restore: billing
        stdout: "^50$"
    - name: leaks-password
      command:
        run: ["sh", "-c", "echo \"user=$PGUSER password=$PGPASSWORD\"; exit 1"]
        restore: billing
`
	file := filepath.Join(t.TempDir(), "billing-command.yaml")
	if err := os.WriteFile(file, []byte(scenario), 0o644); err != nil {
		t.Fatal(err)
	}
	r := drill(t, "run", file, "-o", "json", "--results", t.TempDir())
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (one check fails); stderr:\n%s", r.code, r.stderr)
	}
	var rec struct {
		Checks []struct{ Name, Kind, Restore, Outcome, Expected, Observed, Message string } `json:"checks"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rec); err != nil {
		t.Fatalf("stdout is not the JSON record: %v", err)
	}
	if len(rec.Checks) != 2 {
		t.Fatalf("checks: %+v", rec.Checks)
	}
	listed, leak := rec.Checks[0], rec.Checks[1]
	if listed.Kind != "command" || listed.Restore != "billing" || listed.Outcome != "passed" || listed.Observed != "exit code 0, stdout matched" {
		t.Errorf("invoices-listed: %+v", listed)
	}
	if leak.Outcome != "failed" || !strings.Contains(leak.Message, "exited with code 1, not 0") {
		t.Errorf("leaks-password: %+v", leak)
	}
	// The sandbox's password is made for the run: whatever followed
	// "password=" must have been replaced.
	for _, out := range []string{r.stdout, r.stderr} {
		for _, m := range regexp.MustCompile(`password=([^\s"\\]*)`).FindAllStringSubmatch(out, -1) {
			if m[1] != "********" && m[1] != "$PGPASSWORD" { // the hidden value, or the command as written
				t.Errorf("a password is shown: %q", m[0])
			}
		}
	}
	t.Logf("drill run:\n%s", r.stderr)
	if !strings.Contains(r.stdout, "password=********") {
		t.Errorf("the record does not show the hidden password's place:\n%s", r.stdout)
	}
}

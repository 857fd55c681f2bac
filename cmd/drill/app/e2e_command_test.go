//go:build e2e

package app_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const commandScenario = `apiVersion: restore-drill.io/v1alpha1
kind: Scenario
metadata:
  name: {{NAME}}
spec:
  timeout: 5m
  sandbox:
    namespace:
      prefix: e2e
  apps:
    - name: web
      timeout: 2m
      helm:
        chart: {{CHART}}
        release: shop
  restores:
    - name: orders
      source:
        path: {{BACKUP}}
      postgres:
        database: {{DB}}
        target:
          address: 127.0.0.1:{{PORT}}
          userEnv: E2E_SHOP_PG_USER
          passwordEnv: E2E_SHOP_PG_PASSWORD
  checks:
    - name: invoices-listed
      command:
        run: ["{{PSQL}}", "-Atc", "select count(*) from invoices"]
        restore: orders
        stdout: "^1200$"
    - name: shop-admin
      timeout: 1m
      command:
        run: ["shop-admin", "orders", "count"]
        pod: {selector: {app.kubernetes.io/instance: shop}}
`

// Both forms of the command check through a whole namespace drill: psql
// run here against the database restored into a server the sandbox
// reaches at an address, and a program exec'd in the app's ready pod,
// which kwok's node cannot serve: the run ends as an infrastructure error
// naming the pod and container, and leaves nothing behind.
func TestNamespaceDrillCommandChecks(t *testing.T) {
	d := newNamespaceDrill(t)
	chart, err := filepath.Abs("../../../drills/gitops/helm/testdata/web")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("E2E_SHOP_PG_USER", d.srv.User)
	t.Setenv("E2E_SHOP_PG_PASSWORD", d.srv.Password)
	s := strings.NewReplacer("{{NAME}}", d.name, "{{CHART}}", chart, "{{BACKUP}}", d.backups.custom,
		"{{DB}}", strings.ReplaceAll(d.name, "-", "_"), "{{PORT}}", fmt.Sprint(d.srv.Port),
		"{{PSQL}}", filepath.Join(d.srv.BinDir, "psql")).Replace(commandScenario)
	file := filepath.Join(t.TempDir(), d.name+".yaml")
	if err := os.WriteFile(file, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}

	res := drill(t, "run", file, "--store", t.TempDir(), "-o", "json", "--kubeconfig", d.env.Kubeconfig)
	rec := decodeRecord(t, res)
	if res.code != 3 || rec.Outcome != "error" {
		t.Fatalf("exit %d, outcome %s (%s), want 3 and error: the exec cannot be served in the lab\nstderr:\n%s", res.code, rec.Outcome, rec.Reason, res.stderr)
	}
	if len(rec.Checks) != 2 {
		t.Fatalf("checks: %+v", rec.Checks)
	}
	listed, admin := rec.Checks[0], rec.Checks[1]
	if listed.Kind != "command" || listed.Outcome != "passed" || listed.Observed != "exit code 0, stdout matched" {
		t.Errorf("invoices-listed: %+v", listed)
	}
	if admin.Kind != "command" || admin.Outcome != "error" || !strings.Contains(admin.Message, "exec shop-admin orders count in pod shop-") ||
		!strings.Contains(admin.Message, ", container web through the API server: ") {
		t.Errorf("shop-admin: %+v, want an error naming the app's pod and its container", admin)
	}
	if strings.Contains(res.stderr, d.srv.Password) || strings.Contains(res.stdout, d.srv.Password) {
		t.Errorf("the database password appears in drill's output")
	}
	if left := d.leftovers(t, rec.RunID); len(left) > 0 {
		t.Errorf("after the run, still there: %v", left)
	}
	t.Logf("command checks in a namespace drill:\n%s", res.stderr)
}

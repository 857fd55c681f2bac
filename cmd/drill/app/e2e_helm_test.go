//go:build e2e

package app_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const helmScenario = `apiVersion: restore-drill.io/v1alpha1
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
        values: {greeting: restored, replicas: 2}
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
    - name: invoices-present
      sql:
        restore: orders
        query: select count(*) from invoices
        expect: "== 1200"
    - name: web-rolled-out
      workload: {kind: Deployment, name: shop}
    - name: web-pods-ready
      workload:
        selector: {app.kubernetes.io/instance: shop}
    - name: objects-present
      exists:
        objects:
          - {kind: ConfigMap, name: shop-config}
          - {kind: Service, name: shop}
`

// The monthly drill with Helm: a local chart installed into a new
// namespace with the run's labels, a database restored with credentials
// from drill's environment, sql, workload and exists checks passing, the
// release and the namespace gone after.
func TestNamespaceDrillWithHelm(t *testing.T) {
	d := newNamespaceDrill(t)
	chart, err := filepath.Abs("../../../drills/gitops/helm/testdata/web")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("E2E_SHOP_PG_USER", d.srv.User)
	t.Setenv("E2E_SHOP_PG_PASSWORD", d.srv.Password)
	s := strings.NewReplacer("{{NAME}}", d.name, "{{CHART}}", chart, "{{BACKUP}}", d.backups.custom,
		"{{DB}}", strings.ReplaceAll(d.name, "-", "_"), "{{PORT}}", fmt.Sprint(d.srv.Port)).Replace(helmScenario)
	file := filepath.Join(t.TempDir(), d.name+".yaml")
	if err := os.WriteFile(file, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}

	res := drill(t, "run", file, "--store", t.TempDir(), "-o", "json", "--kubeconfig", d.env.Kubeconfig)
	rec := decodeRecord(t, res)
	if res.code != 0 || rec.Outcome != "passed" {
		t.Fatalf("exit %d, outcome %s (%s), want 0 and passed\nstderr:\n%s", res.code, rec.Outcome, rec.Reason, res.stderr)
	}
	for _, c := range rec.Checks {
		if c.Outcome != "passed" {
			t.Errorf("check %s (%s): %s: %s", c.Name, c.Kind, c.Outcome, c.Message)
		}
	}
	if strings.Contains(res.stderr, d.srv.Password) || strings.Contains(res.stdout, d.srv.Password) {
		t.Errorf("the database password appears in drill's output")
	}
	if left := d.leftovers(t, rec.RunID); len(left) > 0 {
		t.Errorf("after the run, still there: %v", left)
	}
	t.Logf("helm namespace drill:\n%s", res.stderr)
}

//go:build e2e

package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/client-go/dynamic"

	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/kube"
	"github.com/restore-drill/drill/sandbox/kube/lab"
	"github.com/restore-drill/drill/sandbox/kube/lab/labtest"
	"github.com/restore-drill/drill/sandbox/local/localtest"
)

// These tests run whole namespace drills against the lab: a real API
// server and controllers, kwok making pods Ready, a real Argo CD syncing
// from a file:// git repository. The database is a real PostgreSQL on this
// machine reached through the target's direct address (the lab's pods run
// nothing, so nothing can be port-forwarded to them); its credentials come
// from a Secret the app itself puts into the sandbox.

var (
	applications = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "applications"}
	appProjects  = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "appprojects"}
)

// shopManifests is the shop's deployment in git: a Deployment and Service,
// a ConfigMap, and the Secret with the database's credentials. extra is
// appended (another document).
func shopManifests(srv *sandbox.PostgresServer, nodeSelector, extra string) string {
	return fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  progressDeadlineSeconds: 600
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:%s
      containers:
      - name: web
        image: registry.invalid/shop-web:1
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 8080
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: shop-config
data:
  currency: EUR
---
apiVersion: v1
kind: Secret
metadata:
  name: shop-db
stringData:
  username: %s
  password: %s
%s`, nodeSelector, srv.User, srv.Password, extra)
}

const shopScenario = `apiVersion: restore-drill.io/v1alpha1
kind: Scenario
metadata:
  name: {{NAME}}
spec:
  timeout: 5m
  objectives:
    rto: 5m
  sandbox:
    namespace:
      prefix: e2e
  apps:
    - name: shop
      timeout: {{APP_TIMEOUT}}
      argocd:
        source:
          repoURL: {{REPO}}
          path: {{PATH}}
          revision: main
  restores:
    - name: orders
      source:
        path: {{BACKUP}}
      postgres:
        database: {{DB}}
        target:
          address: 127.0.0.1:{{PORT}}
          secret: shop-db
  checks:
    - name: invoices-present
      sql:
        restore: orders
        query: select count(*) from invoices
        expect: "== 1200"
    - name: web-rolled-out
      workload: {kind: Deployment, name: web}
    - name: shop-synced
      argocd: {app: shop}
    - name: config-present
      exists:
        objects:
          - {kind: ConfigMap, name: shop-config}
          - {kind: Service, name: web}
`

type namespaceDrill struct {
	env     lab.Env
	srv     *sandbox.PostgresServer
	backups *backups
	dyn     dynamic.Interface
	name    string // the scenario's name, unique per test
}

func newNamespaceDrill(t *testing.T) *namespaceDrill {
	env := labtest.Start(t)
	b := makeBackups(t)
	srv := localtest.Start(t)
	dyn, err := dynamic.NewForConfig(labtest.RESTConfig(t, env))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("ARGOCD_AUTH_TOKEN", env.ArgoCDAuthToken)
	return &namespaceDrill{env: env, srv: srv, backups: b, dyn: dyn, name: "shop-" + rand.String(5)}
}

// scenario pushes the manifests and writes the scenario file.
func (d *namespaceDrill) scenario(t *testing.T, manifests, appTimeout string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	path := "apps/" + d.name
	if _, err := lab.Push(ctx, d.env.GitRepo, map[string]string{path + "/app.yaml": manifests}, "Add "+d.name); err != nil {
		t.Fatalf("push the shop's manifests: %v", err)
	}
	s := strings.NewReplacer(
		"{{NAME}}", d.name, "{{APP_TIMEOUT}}", appTimeout, "{{REPO}}", d.env.GitURL, "{{PATH}}", path,
		"{{BACKUP}}", d.backups.custom, "{{DB}}", strings.ReplaceAll(d.name, "-", "_"), "{{PORT}}", fmt.Sprint(d.srv.Port),
	).Replace(shopScenario)
	file := filepath.Join(t.TempDir(), d.name+".yaml")
	if err := os.WriteFile(file, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func (d *namespaceDrill) args(file, results string, extra ...string) []string {
	return append([]string{"run", file, "--store", results, "-o", "json",
		"--kubeconfig", d.env.Kubeconfig, "--argocd-server", d.env.ArgoCDServer, "--argocd-plaintext"}, extra...)
}

// leftovers lists what still carries the run's label: namespaces,
// Applications and AppProjects.
func (d *namespaceDrill) leftovers(t *testing.T, runID string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sel := metav1.ListOptions{LabelSelector: kube.LabelRunID + "=" + runID}
	var left []string
	nss, err := labtest.Kube(t, d.env).CoreV1().Namespaces().List(ctx, sel)
	if err != nil {
		t.Fatalf("list namespaces: %v", err)
	}
	for _, ns := range nss.Items {
		left = append(left, "namespace/"+ns.Name+" ("+string(ns.Status.Phase)+")")
	}
	for _, gvr := range []schema.GroupVersionResource{applications, appProjects} {
		list, err := d.dyn.Resource(gvr).Namespace(lab.ArgoCDNamespace).List(ctx, sel)
		if err != nil {
			t.Fatalf("list %s: %v", gvr.Resource, err)
		}
		for _, o := range list.Items {
			left = append(left, gvr.Resource+"/"+o.GetName())
		}
	}
	return left
}

type e2eRecord struct {
	RunID   string `json:"runId"`
	Outcome string `json:"outcome"`
	Reason  string `json:"reason"`
	Sandbox struct {
		Namespace string `json:"namespace"`
		Retained  bool   `json:"retained"`
	} `json:"sandbox"`
	Apps []struct {
		Name, Outcome, Revision string
		ReadyAt                 *time.Time `json:"readyAt"`
	} `json:"apps"`
	Checks []struct {
		Name, Kind, Outcome, Observed, Message string
	} `json:"checks"`
	Diagnostics []string `json:"diagnostics"`
	RTOSeconds  *float64 `json:"rtoSeconds"`
}

func decodeRecord(t *testing.T, res result) e2eRecord {
	t.Helper()
	var rec e2eRecord
	if err := json.Unmarshal([]byte(res.stdout), &rec); err != nil {
		t.Fatalf("the record on stdout is not JSON: %v\nstdout:\n%s\nstderr:\n%s", err, res.stdout, res.stderr)
	}
	return rec
}

// The monthly drill end to end: an Application synced from git into a new
// namespace, a database restored with credentials from the app's Secret,
// sql, workload, argocd and exists checks passing, and nothing left after.
func TestNamespaceDrillWithArgoCD(t *testing.T) {
	d := newNamespaceDrill(t)
	file := d.scenario(t, shopManifests(d.srv, "", ""), "3m")
	results := t.TempDir()

	res := drill(t, d.args(file, results)...)
	rec := decodeRecord(t, res)
	if res.code != 0 || rec.Outcome != "passed" {
		t.Fatalf("exit %d, outcome %s (%s), want 0 and passed\nstderr:\n%s", res.code, rec.Outcome, rec.Reason, res.stderr)
	}
	if len(rec.Apps) != 1 || rec.Apps[0].Outcome != "passed" || len(rec.Apps[0].Revision) != 40 || rec.Apps[0].ReadyAt == nil {
		t.Errorf("apps = %+v, want shop passed at a git commit with its ready time", rec.Apps)
	}
	kinds := map[string]bool{}
	for _, c := range rec.Checks {
		if c.Outcome != "passed" {
			t.Errorf("check %s (%s): %s, observed %q: %s", c.Name, c.Kind, c.Outcome, c.Observed, c.Message)
		}
		kinds[c.Kind] = true
	}
	for _, k := range []string{"sql", "workload", "argocd", "exists"} {
		if !kinds[k] {
			t.Errorf("no %s check in the record: %+v", k, rec.Checks)
		}
	}
	if !strings.HasPrefix(rec.Sandbox.Namespace, "e2e-"+d.name+"-") || rec.RTOSeconds == nil {
		t.Errorf("sandbox %+v, rto %v: want an e2e-%s-* namespace and a measured RTO", rec.Sandbox, rec.RTOSeconds, d.name)
	}
	if left := d.leftovers(t, rec.RunID); len(left) > 0 {
		t.Errorf("after the run, still there: %v", left)
	}
	t.Logf("namespace drill passed, RTO %.1fs\n%s", *rec.RTOSeconds, res.stderr)
}

// A manifest that names another namespace is refused by Argo CD through the
// run's AppProject: the drill fails (exit 1) saying so, nothing lands in
// that namespace, and the run leaves nothing behind.
func TestNamespaceDrillRefusesAManifestForAnotherNamespace(t *testing.T) {
	d := newNamespaceDrill(t)
	victim := "e2e-prod-" + rand.String(5)
	cs := labtest.Kube(t, d.env)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	if _, err := cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: victim}}, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create namespace %s: %v", victim, err)
	}
	t.Cleanup(func() { _ = cs.CoreV1().Namespaces().Delete(context.Background(), victim, metav1.DeleteOptions{}) })
	evil := fmt.Sprintf(`---
apiVersion: v1
kind: ConfigMap
metadata:
  name: overwritten
  namespace: %s
data:
  who: drill
`, victim)
	file := d.scenario(t, shopManifests(d.srv, "", evil), "2m")

	res := drill(t, d.args(file, t.TempDir())...)
	rec := decodeRecord(t, res)
	if res.code != 1 || rec.Outcome != "failed" || !strings.Contains(rec.Reason, victim) {
		t.Fatalf("exit %d, outcome %s (%s), want 1, failed, naming namespace %s\nstderr:\n%s", res.code, rec.Outcome, rec.Reason, victim, res.stderr)
	}
	cms, err := cs.CoreV1().ConfigMaps(victim).List(ctx, metav1.ListOptions{})
	if err != nil || len(cms.Items) > 1 { // kube-root-ca.crt only
		t.Errorf("namespace %s after the drill: %v, config maps %d; want untouched", victim, err, len(cms.Items))
	}
	if _, err := cs.CoreV1().ConfigMaps(victim).Get(ctx, "overwritten", metav1.GetOptions{}); err == nil {
		t.Errorf("config map %s/overwritten exists: the drill wrote outside its sandbox", victim)
	}
	if left := d.leftovers(t, rec.RunID); len(left) > 0 {
		t.Errorf("after the run, still there: %v", left)
	}
}

// An Application that never gets healthy (its pod can be scheduled on no
// node) fails the drill after the app's timeout, exit 1, with the app's
// status in the reason and the sandbox's events and pods collected.
func TestNamespaceDrillAppNeverHealthy(t *testing.T) {
	d := newNamespaceDrill(t)
	file := d.scenario(t, shopManifests(d.srv, "\n      nodeSelector: {drill.example/never: \"true\"}", ""), "20s")
	results := t.TempDir()

	res := drill(t, d.args(file, results)...)
	rec := decodeRecord(t, res)
	if res.code != 1 || rec.Outcome != "failed" || !strings.Contains(rec.Reason, "app shop") || !strings.Contains(rec.Reason, "Progressing") {
		t.Fatalf("exit %d, outcome %s (%s), want 1, failed, with app shop's Progressing health in the reason\nstderr:\n%s", res.code, rec.Outcome, rec.Reason, res.stderr)
	}
	if len(rec.Diagnostics) == 0 {
		t.Fatalf("no diagnostics in the record\nstderr:\n%s", res.stderr)
	}
	events, err := os.ReadFile(filepath.Join(results, d.name, "diagnostics", rec.RunID, "events.txt"))
	if err != nil || !strings.Contains(string(events), "FailedScheduling") {
		t.Errorf("events.txt: %v, want the pod's FailedScheduling event:\n%s", err, events)
	}
	if left := d.leftovers(t, rec.RunID); len(left) > 0 {
		t.Errorf("after the run, still there: %v", left)
	}
}

// An API server that does not answer is an infrastructure error: exit 3,
// and the record says so.
func TestNamespaceDrillUnreachableCluster(t *testing.T) {
	d := newNamespaceDrill(t)
	file := d.scenario(t, shopManifests(d.srv, "", ""), "1m")
	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(kubeconfig, []byte(`apiVersion: v1
kind: Config
clusters: [{name: gone, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: not-a-secret}}]
contexts: [{name: gone, context: {cluster: gone, user: u}}]
current-context: gone
`), 0o600); err != nil {
		t.Fatal(err)
	}
	args := d.args(file, t.TempDir())
	for i, a := range args {
		if a == d.env.Kubeconfig {
			args[i] = kubeconfig
		}
	}
	res := drill(t, args...)
	if res.code != 3 {
		t.Fatalf("exit %d, want 3\nstderr:\n%s", res.code, res.stderr)
	}
	if !strings.Contains(res.stderr, "127.0.0.1:1") {
		t.Errorf("stderr does not name the unreachable server:\n%s", res.stderr)
	}
}

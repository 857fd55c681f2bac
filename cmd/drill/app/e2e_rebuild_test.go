//go:build e2e

package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/client-go/dynamic"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/kube"
	"github.com/restore-drill/drill/sandbox/kube/lab"
	"github.com/restore-drill/drill/sandbox/kube/lab/labtest"
	"github.com/restore-drill/drill/sandbox/local/localtest"
)

// These tests run whole quarterly rebuilds against the lab as a standby
// cluster (sandbox cluster): the lab's real Argo CD syncs a root
// Application from a file:// repository, whose three children come up in
// two sync waves, each into its own namespace; two archives are restored
// into two real PostgreSQL servers (reached by address: the lab's pods run
// nothing) with the credentials each database's child app puts into its
// namespace.

// rebuildWorkload is what a child deploys: a Deployment (kwok makes it
// Ready; with never set, it can be scheduled on no node and turns
// Degraded) and, for a database, the Secret with its credentials.
func rebuildWorkload(name string, db *sandbox.PostgresServer, never bool) string {
	extra := ""
	if never {
		extra = "\n      nodeSelector: {restore-drill.io/no-such-node: \"true\"}"
	}
	s := fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata: {name: %[1]s}
spec:
  replicas: 1
  progressDeadlineSeconds: 5
  selector:
    matchLabels: {app: %[1]s}
  template:
    metadata:
      labels: {app: %[1]s}
    spec:%[2]s
      containers:
      - name: main
        image: registry.invalid/%[1]s:1
`, name, extra)
	if db != nil {
		s += fmt.Sprintf(`---
apiVersion: v1
kind: Secret
metadata: {name: db-creds}
stringData: {username: %s, password: %s}
`, db.User, db.Password)
	}
	return s
}

const rebuildScenario = `apiVersion: restore-drill.io/v1alpha1
kind: Scenario
metadata:
  name: {{NAME}}
spec:
  timeout: 5m
  sandbox:
    cluster: {}
  bootstrap:
    argocd:
      namespace: argocd
      root:
        name: {{NAME}}-root
        repoURL: {{REPO}}
        path: {{NAME}}/root
        revision: main
        appTimeout: {{APP_TIMEOUT}}
  restores:
    - name: orders-a
      source: {path: {{BACKUP}}}
      waitFor: [{{NAME}}-db-a]
      postgres:
        database: orders_a
        target: {address: "{{ADDR_A}}", secret: db-creds, namespace: {{NAME}}-db-a, readyTimeout: 2m}
    - name: orders-b
      source: {path: {{BACKUP}}}
      waitFor: [{{NAME}}-db-b]
      postgres:
        database: orders_b
        target: {address: "{{ADDR_B}}", secret: db-creds, namespace: {{NAME}}-db-b, readyTimeout: 2m}
  checks:
    - name: invoices-a
      sql: {restore: orders-a, query: select count(*) from invoices, expect: "== 1200"}
    - name: invoices-b
      sql: {restore: orders-b, query: select count(*) from invoices, expect: "== 1200"}
    - name: web-synced
      argocd: {app: {{NAME}}-web}
`

type rebuildDrill struct {
	env     lab.Env
	a, b    *sandbox.PostgresServer
	backups *backups
	name    string
}

func newRebuildDrill(t *testing.T) *rebuildDrill {
	env := labtest.Start(t)
	return &rebuildDrill{env: env, backups: makeBackups(t), a: localtest.Start(t), b: localtest.Start(t), name: "rb-" + rand.String(5)}
}

// scenario pushes the platform (root, two databases in wave 0, web in wave
// 1) and writes the scenario; addrB is where restore orders-b reaches its
// server.
func (d *rebuildDrill) scenario(t *testing.T, addrB, appTimeout string, webNever bool) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	files := map[string]string{}
	for _, c := range []struct {
		name, wave string
		db         *sandbox.PostgresServer
	}{{"db-a", "0", d.a}, {"db-b", "0", d.b}, {"web", "1", nil}} {
		app := d.name + "-" + c.name
		files[d.name+"/root/"+c.name+".yaml"] = labtest.ChildApplication(d.env, d.name, app, c.wave)
		files[d.name+"/apps/"+app+"/all.yaml"] = rebuildWorkload(c.name, c.db, webNever && c.db == nil)
	}
	if _, err := lab.Push(ctx, d.env.GitRepo, files, "Add platform "+d.name); err != nil {
		t.Fatalf("push the platform: %v", err)
	}
	s := strings.NewReplacer(
		"{{NAME}}", d.name, "{{REPO}}", d.env.GitURL, "{{APP_TIMEOUT}}", appTimeout, "{{BACKUP}}", d.backups.custom,
		"{{ADDR_A}}", fmt.Sprintf("127.0.0.1:%d", d.a.Port), "{{ADDR_B}}", addrB,
	).Replace(rebuildScenario)
	file := filepath.Join(t.TempDir(), d.name+".yaml")
	if err := os.WriteFile(file, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func (d *rebuildDrill) args(file, store string) []string {
	return []string{"run", file, "--store", store, "-o", "json", "--kubeconfig", d.env.Kubeconfig}
}

// leftovers lists what the run left: namespaces with its label, and the
// test's Applications.
func (d *rebuildDrill) leftovers(t *testing.T, runID string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var left []string
	cs := labtest.Kube(t, d.env)
	nss, err := cs.CoreV1().Namespaces().List(ctx, metav1.ListOptions{LabelSelector: kube.LabelRunID + "=" + runID})
	if err != nil {
		t.Fatalf("list namespaces: %v", err)
	}
	for _, ns := range nss.Items {
		left = append(left, "namespace/"+ns.Name)
	}
	for _, c := range []string{"db-a", "db-b", "web"} {
		if _, err := cs.CoreV1().Namespaces().Get(ctx, d.name+"-"+c, metav1.GetOptions{}); err == nil {
			left = append(left, "namespace/"+d.name+"-"+c)
		}
	}
	apps, err := applicationsClient(t, d.env).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatalf("list Applications: %v", err)
	}
	for _, a := range apps.Items {
		if strings.HasPrefix(a.GetName(), d.name) {
			left = append(left, "application/"+a.GetName())
		}
	}
	return left
}

func decodeFullRecord(t *testing.T, res result) *results.Record {
	t.Helper()
	var rec results.Record
	if err := json.Unmarshal([]byte(res.stdout), &rec); err != nil {
		t.Fatalf("the record on stdout is not JSON: %v\nstdout:\n%s\nstderr:\n%s", err, res.stdout, res.stderr)
	}
	return &rec
}

func recordPhase(t *testing.T, rec *results.Record, name string) results.Phase {
	t.Helper()
	for _, p := range rec.Phases {
		if p.Name == name && p.End != nil {
			return p
		}
	}
	t.Fatalf("the record has no ended phase %s: %+v", name, rec.Phases)
	return results.Phase{}
}

// assertChained checks that each step of the critical path waited for the
// one before it, and that the path starts at locate.
func assertChained(t *testing.T, rec *results.Record) {
	t.Helper()
	path := rec.CriticalPath
	if len(path) < 4 || path[0] != "locate" {
		t.Fatalf("critical path %v, want it to start at locate and lead through the bootstrap", path)
	}
	after := map[string][]string{}
	for _, p := range rec.Phases {
		after[p.Name] = p.After
	}
	for _, c := range rec.Checks {
		after["check/"+c.Name] = c.After
	}
	for i := 1; i < len(path); i++ {
		if !slices.Contains(after[path[i]], path[i-1]) {
			t.Errorf("critical path %v: %s did not wait for %s (it waited for %v)", path, path[i], path[i-1], after[path[i]])
		}
	}
}

// The rebuild end to end: the root and its children in two waves, each
// restore starting as soon as its own database's app is ready (before the
// later wave is done), every check passing, the critical path chained
// through the bootstrap, and nothing of the run left in the cluster.
func TestRebuildDrillInTheLab(t *testing.T) {
	d := newRebuildDrill(t)
	file := d.scenario(t, fmt.Sprintf("127.0.0.1:%d", d.b.Port), "2m", false)
	res := drill(t, d.args(file, t.TempDir())...)
	rec := decodeFullRecord(t, res)
	if res.code != 0 || rec.Outcome != results.Passed {
		t.Fatalf("exit %d, outcome %s (%s), want 0 and passed\nstderr:\n%s", res.code, rec.Outcome, rec.Reason, res.stderr)
	}
	web := recordPhase(t, rec, "app/"+d.name+"-web")
	for _, db := range []string{"a", "b"} {
		app := recordPhase(t, rec, "app/"+d.name+"-db-"+db)
		r := recordPhase(t, rec, "restore/orders-"+db)
		if r.Start.Before(*app.End) || !r.Start.Before(*web.End) {
			t.Errorf("restore/orders-%s started at %s; want after its app (ready %s) and before web (wave 1) was ready at %s", db, r.Start, app.End, web.End)
		}
		if web.Start.Before(*app.End) {
			t.Errorf("web (wave 1) started at %s, before db-%s (wave 0) was ready at %s", web.Start, db, app.End)
		}
	}
	if len(rec.Apps) != 4 {
		t.Errorf("apps %+v, want the root and three children", rec.Apps)
	}
	for _, a := range rec.Apps {
		if a.Outcome != results.Passed || len(a.Revision) != 40 {
			t.Errorf("app %s: %s at %q, want passed at a git commit", a.Name, a.Outcome, a.Revision)
		}
	}
	assertChained(t, rec)
	if left := d.leftovers(t, rec.RunID); len(left) > 0 {
		t.Errorf("after the run, still there: %v", left)
	}
	t.Logf("rebuild passed, RTO %.1fs, critical path %v\n%s", *rec.RTOSeconds, rec.CriticalPath, res.stderr)
}

// A database that comes up late (its server accepts connections only after
// the later wave is ready) moves the critical path to its restore.
func TestRebuildDrillCriticalPathFollowsALateDatabase(t *testing.T) {
	d := newRebuildDrill(t)
	late := lateListener(t, d.b)
	file := d.scenario(t, late.addr, "2m", false)
	store := t.TempDir()
	go late.openAfter(t, store, d.name, "app/"+d.name+"-web", 2*time.Second)
	res := drill(t, d.args(file, store)...)
	rec := decodeFullRecord(t, res)
	if res.code != 0 || rec.Outcome != results.Passed {
		t.Fatalf("exit %d, outcome %s (%s), want 0 and passed\nstderr:\n%s", res.code, rec.Outcome, rec.Reason, res.stderr)
	}
	assertChained(t, rec)
	for _, want := range []string{"app/" + d.name + "-db-b", "restore/orders-b"} {
		if !slices.Contains(rec.CriticalPath, want) {
			t.Errorf("critical path %v, want it through %s (the late database)", rec.CriticalPath, want)
		}
	}
	if slices.Contains(rec.CriticalPath, "app/"+d.name+"-web") {
		t.Errorf("critical path %v still goes through web, which was ready before the late database", rec.CriticalPath)
	}
	t.Logf("critical path with a late database: %v, RTO %.1fs", rec.CriticalPath, *rec.RTOSeconds)
}

// A child that never gets healthy fails the run (exit 1) naming it, the
// diagnostics are collected, and everything the run made is removed.
func TestRebuildDrillChildNeverHealthy(t *testing.T) {
	d := newRebuildDrill(t)
	file := d.scenario(t, fmt.Sprintf("127.0.0.1:%d", d.b.Port), "30s", true)
	res := drill(t, d.args(file, t.TempDir())...)
	rec := decodeFullRecord(t, res)
	if res.code != 1 || rec.Outcome != results.Failed || !strings.Contains(rec.Reason, "app "+d.name+"-web") {
		t.Fatalf("exit %d, outcome %s (%s), want 1, failed, naming app %s-web\nstderr:\n%s", res.code, rec.Outcome, rec.Reason, d.name, res.stderr)
	}
	if len(rec.Diagnostics) == 0 {
		t.Errorf("no diagnostics in the record\nstderr:\n%s", res.stderr)
	}
	if left := d.leftovers(t, rec.RunID); len(left) > 0 {
		t.Errorf("after the run, still there: %v", left)
	}
}

// late is a PostgreSQL server's address that refuses connections until
// opened: a database whose pod comes up late.
type late struct {
	addr string
	port *localtest.Port
	srv  *sandbox.PostgresServer
}

// lateListener reserves a port for the late server: refused until
// openAfter listens on it, and held meanwhile, so that no other program
// can take it in the minutes before.
func lateListener(t *testing.T, srv *sandbox.PostgresServer) *late {
	port := localtest.ReservePort(t)
	return &late{addr: port.Addr(), port: port, srv: srv}
}

// openAfter waits until the run's record in store shows phase ended, then
// for delay, then forwards the address to the real server until the test
// ends.
func (l *late) openAfter(t *testing.T, store, scenario, phase string, delay time.Duration) {
	// The test's context ends before its cleanups run: a run that never
	// got so far leaves nothing waiting here.
	ctx := t.Context()
	for !phaseEnded(store, scenario, phase) {
		select {
		case <-ctx.Done():
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
	select {
	case <-ctx.Done():
		return
	case <-time.After(delay):
	}
	ln, err := l.port.Listen()
	if err != nil {
		if ctx.Err() == nil {
			t.Errorf("open the late database's address: %v", err)
		}
		return
	}
	go func() {
		<-ctx.Done()
		_ = ln.Close()
	}()
	target := net.JoinHostPort(l.srv.Host, strconv.Itoa(l.srv.Port))
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			up, err := net.Dial("tcp", target)
			if err != nil {
				return
			}
			defer up.Close()
			go func() { _, _ = io.Copy(up, c) }()
			_, _ = io.Copy(c, up)
		}()
	}
}

// phaseEnded reads the running record in a directory store.
func phaseEnded(store, scenario, phase string) bool {
	files, _ := filepath.Glob(filepath.Join(store, scenario, "*.json"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		var rec results.Record
		if json.Unmarshal(b, &rec) != nil {
			continue
		}
		for _, p := range rec.Phases {
			if p.Name == phase && p.End != nil {
				return true
			}
		}
	}
	return false
}

// applicationsClient reads the Applications in Argo CD's namespace.
func applicationsClient(t *testing.T, env lab.Env) dynamic.ResourceInterface {
	t.Helper()
	dyn, err := dynamic.NewForConfig(labtest.RESTConfig(t, env))
	if err != nil {
		t.Fatal(err)
	}
	return dyn.Resource(applications).Namespace(lab.ArgoCDNamespace)
}

//go:build e2e

package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/client-go/kubernetes"

	"github.com/restore-drill/drill/sandbox/kube"
	"github.com/restore-drill/drill/sandbox/kube/lab"
	"github.com/restore-drill/drill/sandbox/kube/lab/labtest"
)

// withRepository adds repository credentials to a rebuild scenario (for a
// URL the lab never reads, so that Argo CD keeps reading the file://
// repository as before), with the password in a file beside it.
func withRepository(t *testing.T, file, url string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(file), "repo-password"), []byte(rand.String(16)), 0o600); err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), "      namespace: argocd\n",
		"      namespace: argocd\n      repositories:\n        - {url: "+url+", username: drill, passwordFile: repo-password}\n", 1)
	if err := os.WriteFile(file, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A rebuild killed with SIGKILL while its later wave syncs leaves its
// sandbox namespace, the child namespaces it labelled, the root and its
// children, and its repository Secret. While the run's heartbeat is fresh
// drill cleanup takes none of them; drill cleanup --run lists them
// (--dry-run, -o json) and then removes every one: the root's deletion
// cascades to the children, and the namespace of the child that was
// syncing goes too: drill made it, labelled, before asking for the sync
// that would have made it (CreateNamespace=true). What the run did not
// make stays: another run's namespace and a Secret of Argo CD's that is not
// drill's.
func TestCleanupAfterAKilledRebuild(t *testing.T) {
	d := newRebuildDrill(t)
	cs := labtest.Kube(t, d.env)
	file := d.scenario(t, fmt.Sprintf("127.0.0.1:%d", d.b.Port), "3m", true)
	withRepository(t, file, "https://git.example.invalid/"+d.name+"/platform.git")
	bystanders := placeBystanders(t, d)

	bin := buildDrill(t)
	web := d.name + "-web"
	cmd, runID, rest := runUntil(t, bin, d.args(file, t.TempDir()), "argocd: "+web+" sync requested")
	untilNamespace(t, d.env, web) // made by drill, labelled, for the syncing child
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	stderr := <-rest
	t.Cleanup(func() { deleteNamespaceNow(cs, web) })

	made := d.leftovers(t, runID)
	for _, want := range []string{"application/" + d.name + "-root", "namespace/" + d.name + "-db-a", "namespace/" + d.name + "-db-b", "namespace/" + web} {
		if !slices.Contains(made, want) {
			t.Fatalf("after kill -9, %s is not there: %v\nstderr:\n%s", want, made, stderr)
		}
	}
	if len(runSecrets(t, d.env, runID)) != 1 {
		t.Fatalf("after kill -9, the run's repository Secret is not there")
	}

	live := drill(t, "cleanup", "--dry-run", "-o", "json", "--kubeconfig", d.env.Kubeconfig)
	if got := cleanupListing(t, live, runID); len(got) > 0 {
		t.Fatalf("with the run's heartbeat still fresh, drill cleanup would take %v", got)
	}

	dry := drill(t, "cleanup", "--run", runID, "--dry-run", "-o", "json", "--kubeconfig", d.env.Kubeconfig)
	listed := cleanupListing(t, dry, runID)
	want := []string{
		"Application " + d.name + "-root",
		"Secret " + runSecrets(t, d.env, runID)[0],
		"Namespace " + d.name + "-db-a",
		"Namespace " + d.name + "-db-b",
		"Namespace " + web,
	}
	for _, w := range want {
		if !slices.Contains(listed, w) {
			t.Errorf("cleanup --run --dry-run does not list %s: %v", w, listed)
		}
	}
	if again := d.leftovers(t, runID); !slices.Equal(again, made) {
		t.Fatalf("--dry-run removed something: before %v, after %v", made, again)
	}

	started := time.Now()
	res := drill(t, "cleanup", "--run", runID, "--kubeconfig", d.env.Kubeconfig)
	if res.code != 0 {
		t.Fatalf("cleanup: exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	t.Logf("drill cleanup --run took %s:\n%s", time.Since(started).Round(100*time.Millisecond), res.stdout)
	if after := d.leftovers(t, runID); len(after) > 0 {
		t.Errorf("after drill cleanup --run, still there: %v", after)
	}
	if left := runSecrets(t, d.env, runID); len(left) > 0 {
		t.Errorf("the run's repository Secrets are still there: %v", left)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, b := range bystanders {
		if _, err := b.get(ctx); err != nil {
			t.Errorf("%s is gone: %v", b.name, err)
		}
	}
}

// bystander is something a killed run's cleanup must leave.
type bystander struct {
	name string
	get  func(context.Context) (metav1.Object, error)
}

// placeBystanders makes a namespace of another drill run whose heartbeat
// is long stale, and an Argo CD repository Secret that is not drill's.
func placeBystanders(t *testing.T, d *rebuildDrill) []bystander {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cs := labtest.Kube(t, d.env)
	other := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{
		Name:   d.name + "-other-run",
		Labels: kube.RunLabels("other-"+d.name, "platform"),
		Annotations: map[string]string{
			kube.AnnotationHeartbeat: time.Now().Add(-time.Hour).UTC().Format(time.RFC3339),
			kube.AnnotationExpires:   time.Now().Add(time.Hour).UTC().Format(time.RFC3339),
		},
	}}
	if _, err := cs.CoreV1().Namespaces().Create(ctx, other, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { deleteNamespaceNow(cs, other.Name) })
	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{
		Name: d.name + "-not-drills", Namespace: lab.ArgoCDNamespace,
		Labels: map[string]string{"argocd.argoproj.io/secret-type": "repository", kube.LabelRunID: "nobody"},
	}, StringData: map[string]string{"url": "https://git.example.invalid/" + d.name + "/other.git"}}
	if _, err := cs.CoreV1().Secrets(lab.ArgoCDNamespace).Create(ctx, secret, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cs.CoreV1().Secrets(lab.ArgoCDNamespace).Delete(context.Background(), secret.Name, metav1.DeleteOptions{})
	})
	return []bystander{
		{"namespace " + other.Name, func(ctx context.Context) (metav1.Object, error) {
			return cs.CoreV1().Namespaces().Get(ctx, other.Name, metav1.GetOptions{})
		}},
		{"Secret " + secret.Name, func(ctx context.Context) (metav1.Object, error) {
			return cs.CoreV1().Secrets(lab.ArgoCDNamespace).Get(ctx, secret.Name, metav1.GetOptions{})
		}},
	}
}

// runSecrets names the Secrets in Argo CD's namespace with the run's id.
func runSecrets(t *testing.T, env lab.Env, runID string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	list, err := labtest.Kube(t, env).CoreV1().Secrets(lab.ArgoCDNamespace).List(ctx, metav1.ListOptions{LabelSelector: kube.LabelRunID + "=" + runID})
	if err != nil {
		t.Fatalf("list Secrets: %v", err)
	}
	var names []string
	for _, s := range list.Items {
		names = append(names, s.Name)
	}
	return names
}

// cleanupListing reads drill cleanup -o json and returns "Kind name" of
// the run's leftovers.
func cleanupListing(t *testing.T, res result, runID string) []string {
	t.Helper()
	if res.code != 0 {
		t.Fatalf("cleanup: exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	var listed []struct {
		Kind, Name, Run string
		Removed         bool
	}
	if err := json.Unmarshal([]byte(res.stdout), &listed); err != nil {
		t.Fatalf("cleanup -o json: %v\n%s", err, res.stdout)
	}
	var out []string
	for _, l := range listed {
		if l.Run != runID {
			continue
		}
		if l.Removed {
			t.Errorf("--dry-run says %s %s was removed", l.Kind, l.Name)
		}
		out = append(out, l.Kind+" "+l.Name)
	}
	return out
}

// untilNamespace waits until the namespace exists.
func untilNamespace(t *testing.T, env lab.Env, name string) {
	t.Helper()
	cs := labtest.Kube(t, env)
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if _, err := cs.CoreV1().Namespaces().Get(context.Background(), name, metav1.GetOptions{}); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("namespace %s was not made in a minute", name)
}

// deleteNamespaceNow deletes a namespace the test made or left, without
// waiting.
func deleteNamespaceNow(cs kubernetes.Interface, name string) {
	_ = cs.CoreV1().Namespaces().Delete(context.Background(), name, metav1.DeleteOptions{})
}

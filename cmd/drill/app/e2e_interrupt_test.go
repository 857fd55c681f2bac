//go:build e2e

package app_test

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runUntilSyncing starts a real drill process on a scenario whose app never
// gets healthy, and returns once the app is syncing, with the run's id and
// the rest of stderr still being read into the returned channel.
func runUntilSyncing(t *testing.T, bin string, args []string) (*exec.Cmd, string, <-chan string) {
	t.Helper()
	return runUntil(t, bin, args, "syncing at revision")
}

// runUntil is runUntilSyncing for any line of progress: it returns once a
// line on stderr contains marker.
func runUntil(t *testing.T, bin string, args []string, marker string) (*exec.Cmd, string, <-chan string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = os.Environ()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	runIDPattern := regexp.MustCompile(`: run (\S+), sandbox`)
	var (
		seen  strings.Builder
		runID string
	)
	rest := make(chan string, 1)
	syncing := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		signalled := false
		for sc.Scan() {
			line := sc.Text()
			seen.WriteString(line + "\n")
			if m := runIDPattern.FindStringSubmatch(line); m != nil && runID == "" {
				runID = m[1]
			}
			if !signalled && strings.Contains(line, marker) {
				signalled = true
				close(syncing)
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
		rest <- seen.String()
	}()
	select {
	case <-syncing:
	case out := <-rest:
		t.Fatalf("drill ended before it printed %q:\n%s", marker, out)
	case <-time.After(2 * time.Minute):
		t.Fatalf("drill did not print %q in 2 minutes", marker)
	}
	return cmd, runID, rest
}

// SIGINT while an app syncs: drill exits 130 and removes the namespace, the
// Application and the AppProject before it does.
func TestNamespaceDrillInterruptedDuringSync(t *testing.T) {
	d := newNamespaceDrill(t)
	bin := buildDrill(t)
	file := d.scenario(t, shopManifests(d.srv, "\n      nodeSelector: {drill.example/never: \"true\"}", ""), "3m")
	cmd, runID, rest := runUntilSyncing(t, bin, d.args(file, t.TempDir()))

	sent := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	stderr := <-rest
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Fatalf("drill ended with %v, want exit code 130\nstderr:\n%s", err, stderr)
	}
	t.Logf("exit 130 %s after SIGINT", time.Since(sent).Round(time.Millisecond))
	if left := d.leftovers(t, runID); len(left) > 0 {
		t.Errorf("after the interrupted run %s, still there: %v\nstderr:\n%s", runID, left, stderr)
	}
}

// A run killed with SIGKILL cannot clean up; drill cleanup --run removes
// what it left (namespace, Application, AppProject).
func TestCleanupAfterAKilledRun(t *testing.T) {
	d := newNamespaceDrill(t)
	bin := buildDrill(t)
	file := d.scenario(t, shopManifests(d.srv, "\n      nodeSelector: {drill.example/never: \"true\"}", ""), "3m")
	cmd, runID, rest := runUntilSyncing(t, bin, d.args(file, t.TempDir()))
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	<-rest
	left := d.leftovers(t, runID)
	if len(left) < 3 {
		t.Fatalf("after kill -9, expected the namespace, Application and AppProject to remain; found %v", left)
	}

	dry := drill(t, "cleanup", "--run", runID, "--dry-run", "--kubeconfig", d.env.Kubeconfig)
	if dry.code != 0 || !strings.Contains(dry.stdout, runID) {
		t.Fatalf("cleanup --dry-run: exit %d, want 0 listing run %s\nstdout:\n%s\nstderr:\n%s", dry.code, runID, dry.stdout, dry.stderr)
	}
	if again := d.leftovers(t, runID); len(again) != len(left) {
		t.Fatalf("--dry-run removed something: before %v, after %v", left, again)
	}
	res := drill(t, "cleanup", "--run", runID, "--kubeconfig", d.env.Kubeconfig)
	if res.code != 0 {
		t.Fatalf("cleanup: exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	if after := d.leftovers(t, runID); len(after) > 0 {
		t.Errorf("after drill cleanup, still there: %v\n%s", after, res.stdout)
	}
}

// --retain keeps a failed run's namespace and Argo CD objects for a person
// to look into, and drill cleanup --run removes them afterwards.
func TestNamespaceDrillRetainKeepsAFailedRun(t *testing.T) {
	d := newNamespaceDrill(t)
	file := d.scenario(t, shopManifests(d.srv, "\n      nodeSelector: {drill.example/never: \"true\"}", ""), "15s")

	res := drill(t, d.args(file, t.TempDir(), "--retain")...)
	rec := decodeRecord(t, res)
	if res.code != 1 || !rec.Sandbox.Retained {
		t.Fatalf("exit %d, sandbox %+v, want 1 and retained\nstderr:\n%s", res.code, rec.Sandbox, res.stderr)
	}
	if !strings.Contains(res.stderr, "drill cleanup --run "+rec.RunID) {
		t.Errorf("stderr does not say how to remove the kept sandbox:\n%s", res.stderr)
	}
	if left := d.leftovers(t, rec.RunID); len(left) < 3 {
		t.Fatalf("kept: %v, want the namespace, the Application and the AppProject", left)
	}
	clean := drill(t, "cleanup", "--run", rec.RunID, "--kubeconfig", d.env.Kubeconfig)
	if clean.code != 0 {
		t.Fatalf("cleanup: exit %d\n%s\n%s", clean.code, clean.stdout, clean.stderr)
	}
	if left := d.leftovers(t, rec.RunID); len(left) > 0 {
		t.Errorf("after drill cleanup --run, still there: %v", left)
	}
}

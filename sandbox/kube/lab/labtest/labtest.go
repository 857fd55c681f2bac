//go:build e2e

package labtest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/restore-drill/drill/sandbox/kube/lab"
)

const (
	// EnvFileEnv names the env file of a lab started outside the tests.
	EnvFileEnv = "DRILL_LAB_ENV"
	// BinEnv names the directory of the lab's programs.
	BinEnv = "DRILL_LAB_BIN"

	stopTimeout = 2 * time.Minute
)

// Start returns the shared lab's Env: the lab `make e2e` started, or a new
// lab for this test when DRILL_LAB_ENV is not set.
func Start(t testing.TB) lab.Env {
	t.Helper()
	if path := os.Getenv(EnvFileEnv); path != "" {
		env, err := lab.ReadEnv(path)
		if err != nil {
			t.Fatalf("%s=%s: %v", EnvFileEnv, path, err)
		}
		return env
	}
	return StartOwn(t, lab.Options{}).Env
}

// StartOwn starts a new lab for the test, in a directory of its own, and
// stops it when the test ends (also when it fails). opts.BinDir and
// opts.Dir are filled in when empty.
func StartOwn(t testing.TB, opts lab.Options) *lab.Lab {
	t.Helper()
	if testing.Short() {
		t.Skip("skipping: starts a Kubernetes + Argo CD lab, which -short leaves out")
	}
	if opts.BinDir == "" {
		opts.BinDir = BinDir(t)
	}
	if opts.Dir == "" {
		// Not t.TempDir: its path can exceed what a Unix socket may be.
		dir, err := os.MkdirTemp("", "drill-lab-*")
		if err != nil {
			t.Fatal(err)
		}
		opts.Dir = dir
	}
	opts.Progress = logWriter{t}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	l, err := lab.Start(ctx, opts)
	if err != nil {
		t.Fatalf("start a lab: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
		defer cancel()
		if err := l.Stop(ctx); err != nil {
			t.Errorf("stop the lab in %s: %v", l.Dir, err)
		}
	})
	return l
}

// BinDir finds the lab's programs: DRILL_LAB_BIN, or what ci/lab/build.sh
// builds (once; later calls find them in its cache). The test is skipped
// when they cannot be built.
func BinDir(t testing.TB) string {
	t.Helper()
	if dir := os.Getenv(BinEnv); dir != "" {
		return dir
	}
	script, err := findBuildScript()
	if err != nil {
		t.Skipf("skipping: the lab's programs are absent and %v", err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(script)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Skipf("skipping: the lab's programs are absent and cannot be built (%s): %v\n%s", script, err, lastLines(stderr.String(), 20))
	}
	return strings.TrimSpace(stdout.String())
}

// findBuildScript looks for ci/lab/build.sh from the working directory up.
func findBuildScript() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, "ci", "lab", "build.sh")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("ci/lab/build.sh was not found above the working directory")
		}
		dir = parent
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// logWriter sends the lab's progress to the test log.
type logWriter struct{ t testing.TB }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

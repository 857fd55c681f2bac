package main

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/restore-drill/drill/sandbox/local"
)

// helperArgsEnv, when set, makes TestHelperMain run main with these
// arguments (separated by newlines), as the real command would.
const helperArgsEnv = "DRILL_SAMPLE_TEST_ARGS"

func TestHelperMain(t *testing.T) {
	args := os.Getenv(helperArgsEnv)
	if args == "" {
		t.Skip("skipping: helper process for TestInterruptTearsDown")
	}
	os.Args = append([]string{"drill-sample"}, strings.Split(args, "\n")...)
	main()
}

func TestInterruptTearsDown(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: starts a real PostgreSQL server, which -short leaves out")
	}
	if _, err := local.FindBinaries(""); err != nil {
		t.Skipf("skipping: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out := t.TempDir()
	// Big enough that loading takes well over the moment the signal comes.
	args := []string{"--out", out, "--invoices", "5000000", "--payload-bytes", "200"}
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperMain$")
	cmd.Env = append(os.Environ(), helperArgsEnv+"="+strings.Join(args, "\n"))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}

	var lines []string
	var dir string
	sandboxDir := regexp.MustCompile(`initdb done in (\S+)`)
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if m := sandboxDir.FindStringSubmatch(sc.Text()); m != nil {
			dir = m[1]
		}
		if strings.Contains(sc.Text(), "creating database") {
			if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitInterrupted {
		t.Errorf("exit = %v, want code %d", err, exitInterrupted)
	}
	log := strings.Join(lines, "\n")
	if !strings.Contains(log, "stopped PostgreSQL") {
		t.Errorf("no teardown after the interrupt:\n%s", log)
	}
	if dir == "" {
		t.Fatalf("no sandbox directory in the progress:\n%s", log)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("sandbox directory %s still exists (stat: %v)", dir, err)
	}
	if left, _ := filepath.Glob(filepath.Join(out, "*")); len(left) > 0 {
		t.Errorf("an interrupted run left %v", left)
	}
}

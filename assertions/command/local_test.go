package command

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/scenarios"
)

// fakeConn names a database that no test connects to: the programs these
// tests run only read their environment.
const (
	fakePassword = "s3cret-Pa55"
	fakeConn     = "postgres://billing_owner:" + fakePassword + "@127.0.0.1:5999/billing?sslmode=disable"
)

func localCheckOf(t *testing.T, timeout time.Duration, cmd scenarios.CommandCheck) *localCheck {
	t.Helper()
	if cmd.Restore == "" {
		cmd.Restore = "billing"
	}
	chk, err := New(scenarios.Check{Name: "cmd", Timeout: timeout, Command: &cmd})
	if err != nil {
		t.Fatal(err)
	}
	return chk.(*localCheck)
}

func sh(script string) []string { return []string{"sh", "-c", script} }

func TestLocalOutcomes(t *testing.T) {
	manyLines := `for i in $(seq 1 100); do echo "line $i"; done; exit 1`
	tests := []struct {
		name         string
		cmd          scenarios.CommandCheck
		want         results.Outcome
		wantObserved string
		wantMessage  []string // parts the message must contain
		notMessage   []string // parts it must not
	}{
		{name: "exit 0 passes", cmd: scenarios.CommandCheck{Run: []string{"true"}},
			want: results.Passed, wantObserved: "exit code 0"},
		{name: "the restore's database in the environment", cmd: scenarios.CommandCheck{
			Run:    sh(`echo "$PGHOST:$PGPORT $PGUSER@$PGDATABASE"; test "$PGPASSWORD" = '` + fakePassword + `'`),
			Stdout: `^127\.0\.0\.1:5999 billing_owner@billing$`},
			want: results.Passed, wantObserved: "exit code 0, stdout matched"},
		{name: "trailing newlines are not part of the output", cmd: scenarios.CommandCheck{
			Run: sh(`printf '42\n\n\n'`), Stdout: `^[1-9][0-9]*$`},
			want: results.Passed},
		{name: "newlines inside are", cmd: scenarios.CommandCheck{
			Run: sh(`printf '42\n\n43\n'`), Stdout: `^[1-9][0-9]*$`},
			want: results.Failed, wantObserved: "exit code 0, stdout not matching",
			wantMessage: []string{`does not match "^[1-9][0-9]*$"`, "last output:\n    42\n\n    43"}},
		{name: "multi-line mode on request", cmd: scenarios.CommandCheck{
			Run: sh(`printf 'Checking GitLab Shell ...\nok\nChecking GitLab Shell ... Finished\n'`), Stdout: `(?m)^Checking GitLab .* Finished$`},
			want: results.Passed},
		{name: "another exit code fails with the last lines", cmd: scenarios.CommandCheck{Run: sh(manyLines)},
			want: results.Failed, wantObserved: "exit code 1",
			wantMessage: []string{"exited with code 1, not 0", "last output:\n    line 81\n", "line 100"},
			notMessage:  []string{"line 80\n"}},
		{name: "the expected exit code passes", cmd: scenarios.CommandCheck{Run: sh("exit 3"), ExitCode: 3},
			want: results.Passed, wantObserved: "exit code 3"},
		{name: "standard error is in the message", cmd: scenarios.CommandCheck{Run: sh("echo 'no such project' >&2; exit 2")},
			want: results.Failed, wantMessage: []string{"exited with code 2, not 0; last output:\n    no such project"}},
		{name: "the password is not on the command line", cmd: scenarios.CommandCheck{
			Run: sh(`test -n "$PGPASSWORD" && case "$(tr '\0' ' ' < /proc/$$/cmdline)" in *"$PGPASSWORD"*) exit 1;; esac`)},
			want: results.Passed},
		{name: "a printed password is hidden", cmd: scenarios.CommandCheck{Run: sh(`echo "password=$PGPASSWORD"; exit 1`)},
			want: results.Failed, wantMessage: []string{"password=********"}, notMessage: []string{fakePassword}},
		{name: "nothing printed", cmd: scenarios.CommandCheck{Run: []string{"false"}},
			want: results.Failed, wantMessage: []string{"it printed nothing"}},
		{name: "a missing program is an error", cmd: scenarios.CommandCheck{Run: []string{"drill-no-such-program", "x"}},
			want: results.Error, wantObserved: "not run", wantMessage: []string{"cannot run drill-no-such-program", "install it"}},
		{name: "no input to wait for", cmd: scenarios.CommandCheck{Run: []string{"cat"}},
			want: results.Passed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := localCheckOf(t, time.Minute, tt.cmd).Run(context.Background(), fakeConn)
			if res.Outcome != tt.want {
				t.Fatalf("outcome %s, want %s: %+v", res.Outcome, tt.want, res)
			}
			if tt.wantObserved != "" && res.Observed != tt.wantObserved {
				t.Errorf("observed %q, want %q", res.Observed, tt.wantObserved)
			}
			for _, part := range tt.wantMessage {
				if !strings.Contains(res.Message, part) {
					t.Errorf("message %q lacks %q", res.Message, part)
				}
			}
			for _, part := range tt.notMessage {
				if strings.Contains(res.Message, part) {
					t.Errorf("message %q has %q", res.Message, part)
				}
			}
			if strings.Contains(res.Message+res.Observed+res.Expected, fakePassword) {
				t.Errorf("the password is in the result: %+v", res)
			}
			if res.Expected == "" {
				t.Errorf("no expectation recorded")
			}
			if (res.Outcome == results.Passed) != (res.ReadyAt != nil) {
				t.Errorf("ReadyAt %v for outcome %s", res.ReadyAt, res.Outcome)
			}
		})
	}
}

// TestLocalTimeoutKillsEverything runs a shell that starts a child and
// ignores SIGTERM: at the check's timeout both are gone, and the outcome is
// a timeout.
func TestLocalTimeoutKillsEverything(t *testing.T) {
	pids := filepath.Join(t.TempDir(), "pids")
	script := `trap '' TERM; sleep 300 & echo "$$ $!" > ` + pids + `; echo started; wait`
	start := time.Now()
	res := localCheckOf(t, 500*time.Millisecond, scenarios.CommandCheck{Run: sh(script)}).Run(context.Background(), fakeConn)
	took := time.Since(start)
	if res.Outcome != results.Timeout {
		t.Fatalf("outcome %s, want timeout: %+v", res.Outcome, res)
	}
	for _, part := range []string{"the check's timeout of 500ms passed", "last output:\n    started"} {
		if !strings.Contains(res.Message, part) {
			t.Errorf("message %q lacks %q", res.Message, part)
		}
	}
	if took > 500*time.Millisecond+stopGrace+5*time.Second {
		t.Errorf("took %s to stop, want about the timeout plus stopGrace", took)
	}
	assertGone(t, pids)
}

// TestLocalInterrupted cancels the run: the check is interrupted and the
// program and its child are gone.
func TestLocalInterrupted(t *testing.T) {
	pids := filepath.Join(t.TempDir(), "pids")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		// The shell creates the file before echo writes into it: cancel
		// once the pids are in, or assertGone would have none to check.
		for ctx.Err() == nil {
			if fi, err := os.Stat(pids); err == nil && fi.Size() > 0 {
				cancel()
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	res := localCheckOf(t, time.Minute, scenarios.CommandCheck{Run: sh(`sleep 300 & echo "$$ $!" > ` + pids + `; wait`)}).Run(ctx, fakeConn)
	if res.Outcome != results.Interrupted {
		t.Fatalf("outcome %s, want interrupted: %+v", res.Outcome, res)
	}
	assertGone(t, pids)
}

// TestLocalLeftoverChildIsKilled checks that a program that ends leaves
// nothing running behind it.
func TestLocalLeftoverChildIsKilled(t *testing.T) {
	pids := filepath.Join(t.TempDir(), "pids")
	res := localCheckOf(t, time.Minute, scenarios.CommandCheck{Run: sh(`sleep 300 >/dev/null 2>&1 & echo "$$ $!" > ` + pids)}).Run(context.Background(), fakeConn)
	if res.Outcome != results.Passed {
		t.Fatalf("outcome %s, want passed: %+v", res.Outcome, res)
	}
	assertGone(t, pids)
}

// TestLocalChildHoldingTheOutput checks a program that ends while a child
// it left still holds its output open: the program's own ending and
// output decide, and the child is killed.
func TestLocalChildHoldingTheOutput(t *testing.T) {
	pids := filepath.Join(t.TempDir(), "pids")
	start := time.Now()
	res := localCheckOf(t, time.Minute, scenarios.CommandCheck{Run: sh(`sleep 300 & echo "$$ $!" > ` + pids + `; echo done`), Stdout: "^done$"}).Run(context.Background(), fakeConn)
	if res.Outcome != results.Passed {
		t.Fatalf("outcome %s, want passed: %+v", res.Outcome, res)
	}
	if took := time.Since(start); took > stopGrace+5*time.Second {
		t.Errorf("took %s, want about stopGrace (%s)", took, stopGrace)
	}
	assertGone(t, pids)
}

// assertGone reads the pids a script wrote and checks that none of them
// runs any more.
func assertGone(t *testing.T, file string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("the script wrote no pids: %v", err)
	}
	if len(strings.Fields(string(data))) != 2 {
		t.Fatalf("the script wrote pids %q, want the shell's and its child's", data)
	}
	for _, f := range strings.Fields(string(data)) {
		pid, err := strconv.Atoi(f)
		if err != nil {
			t.Fatal(err)
		}
		// A zombie has already exited: only its parent's wait is missing.
		deadline := time.Now().Add(5 * time.Second)
		for alive(pid) && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if alive(pid) {
			t.Errorf("process %d is still running", pid)
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

func alive(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return !errors.Is(err, os.ErrNotExist) && syscall.Kill(pid, 0) == nil
	}
	// The state follows the command name in parentheses; Z is a zombie.
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}

// TestLocalOutputStaysBounded runs a program that prints 16 MiB: the
// pattern is matched as it streams, the message keeps only the end, and
// the check allocates a small fraction of what was printed.
func TestLocalOutputStaysBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: prints 16 MiB through the check")
	}
	const printed = 16 << 20
	script := `yes 'a line of output that goes on and on' | head -c ` + strconv.Itoa(printed) + `; echo; echo done; exit 1`
	chk := localCheckOf(t, 2*time.Minute, scenarios.CommandCheck{Run: sh(script), Stdout: `(?m)^done$`})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res := chk.Run(context.Background(), fakeConn)
	runtime.ReadMemStats(&after)
	if res.Outcome != results.Failed || res.Observed != "exit code 1, stdout matched" {
		t.Fatalf("got %s, observed %q, want failed on the exit code with the output matched", res.Outcome, res.Observed)
	}
	if len(res.Message) > tailBytes+200 {
		t.Errorf("message of %d bytes, want at most about %d", len(res.Message), tailBytes)
	}
	if !strings.HasSuffix(res.Message, "\n    done") {
		t.Errorf("message does not end with the last line: %q", res.Message[max(0, len(res.Message)-100):])
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > printed/4 {
		t.Errorf("allocated %d MiB for %d MiB of output: the output is being kept", alloc>>20, printed>>20)
	}
}

package ci_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// git runs git in dir and returns its output.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// stepOutputs reads name=value lines from GITHUB_OUTPUT.
func stepOutputs(s string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(s, "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			out[k] = v
		}
	}
	return out
}

// TestActionKeepsRecordsOnAResultsBranch runs the action's two results
// branch steps as three jobs would, against a real (local) remote: the first
// creates the branch, the next find the records before them as history, and
// two that overlap both get their records in.
func TestActionKeepsRecordsOnAResultsBranch(t *testing.T) {
	if testing.Short() {
		t.Skip("clones and pushes git repositories for some seconds")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	checkout := actionStep(t, "Check out the results branch")
	commit := actionStep(t, "Commit the records to the results branch")

	remote := filepath.Join(t.TempDir(), "origin.git")
	git(t, "", "init", "-q", "--bare", "--initial-branch=main", remote)
	seed := t.TempDir()
	git(t, seed, "init", "-q")
	if err := os.WriteFile(filepath.Join(seed, "billing.yaml"), []byte("scenario\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git(t, seed, "add", ".")
	git(t, seed, "commit", "-qm", "scenarios")
	git(t, seed, "push", "-q", remote, "HEAD:refs/heads/main")

	type job struct {
		work, dir string
		env       map[string]string
	}
	start := func(runID string) job {
		t.Helper()
		work := filepath.Join(t.TempDir(), "work")
		git(t, "", "clone", "-q", remote, work)
		env := map[string]string{
			"RESULTS_DIR": "drill-results", "RESULTS_BRANCH": "drill-results",
			"RUNNER_TEMP": t.TempDir(), "GITHUB_RUN_ID": runID, "GIT_CONFIG_GLOBAL": "/dev/null",
		}
		out, code, files := runStep(t, checkout, work, env, "")
		if code != 0 {
			t.Fatalf("check out the results branch: exit %d\n%s", code, out)
		}
		o := stepOutputs(files["GITHUB_OUTPUT"])
		env["TREE"] = o["tree"]
		if o["dir"] == "" || o["tree"] == "" {
			t.Fatalf("outputs %q, want dir and tree", files["GITHUB_OUTPUT"])
		}
		if _, err := os.Stat(filepath.Join(o["dir"], "billing.yaml")); err == nil {
			t.Errorf("the results branch holds the scenarios of main: it must start empty")
		}
		return job{work: work, dir: o["dir"], env: env}
	}
	finish := func(j job, record string) {
		t.Helper()
		p := filepath.Join(j.dir, "billing-monthly", record)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("{}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, code, _ := runStep(t, commit, j.work, j.env, ""); code != 0 {
			t.Fatalf("commit the records: exit %d\n%s", code, out)
		}
	}

	finish(start("101"), "run-1.json")
	second := start("102")
	if _, err := os.Stat(filepath.Join(second.dir, "billing-monthly", "run-1.json")); err != nil {
		t.Errorf("the second job did not get the first job's record as history: %v", err)
	}
	// A third job starts before the second pushes: its push is rejected
	// once, and it rebases onto the second's records.
	third := start("103")
	finish(second, "run-2.json")
	finish(third, "run-3.json")
	files := git(t, remote, "ls-tree", "-r", "--name-only", "drill-results")
	if files != "drill-results/billing-monthly/run-1.json\ndrill-results/billing-monthly/run-2.json\ndrill-results/billing-monthly/run-3.json\n" {
		t.Errorf("the results branch holds:\n%s\nwant the three records and nothing else", files)
	}
	if log := git(t, remote, "log", "--format=%s", "drill-results"); strings.Count(log, "drill records of workflow run") != 3 {
		t.Errorf("results branch history:\n%s", log)
	}
	if main := git(t, remote, "ls-tree", "-r", "--name-only", "main"); main != "billing.yaml\n" {
		t.Errorf("main changed: %q", main)
	}
}

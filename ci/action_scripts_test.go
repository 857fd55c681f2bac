package ci_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// actionStep returns the shell script of the composite action's step with
// the given name.
func actionStep(t *testing.T, name string) string {
	t.Helper()
	raw, err := os.ReadFile(actionFile)
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Runs struct {
			Steps []struct {
				Name string `yaml:"name"`
				Run  string `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(raw, &action); err != nil {
		t.Fatal(err)
	}
	for _, s := range action.Runs.Steps {
		if s.Name == name {
			return s.Run
		}
	}
	t.Fatalf("%s has no step %q", actionFile, name)
	return ""
}

// runStep runs a step's script with bash as the runner would, in the
// workspace dir (a new directory when empty), with the runner's files
// (GITHUB_ENV, GITHUB_OUTPUT) in a temporary directory and path before PATH.
func runStep(t *testing.T, script, dir string, env map[string]string, path string) (out string, code int, files map[string]string) {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed")
	}
	runner := t.TempDir()
	files = map[string]string{"GITHUB_ENV": filepath.Join(runner, "env"), "GITHUB_OUTPUT": filepath.Join(runner, "output")}
	cmd := exec.Command(bash, "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", script)
	cmd.Dir = dir
	if dir == "" {
		cmd.Dir = t.TempDir()
	}
	cmd.Env = []string{"PATH=" + path + string(os.PathListSeparator) + os.Getenv("PATH"), "HOME=" + runner}
	for k, v := range files {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	b, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	for k, p := range files {
		data, _ := os.ReadFile(p)
		files[k] = string(data)
	}
	return string(b), code, files
}

func TestActionMasksSecrets(t *testing.T) {
	script := actionStep(t, "Mask secrets and pass them to drill")
	secretEnv := "PGPASSWORD=pg-s3cret\r\n# a comment\n\nAWS_SECRET_ACCESS_KEY=abc=def/ghi\nEMPTY="
	out, code, files := runStep(t, script, "", map[string]string{"SECRET_ENV": secretEnv}, "")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	for _, want := range []string{"::add-mask::pg-s3cret\n", "::add-mask::abc=def/ghi\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "::add-mask::") != 2 {
		t.Errorf("want exactly two masks (comments and empty values are not masked):\n%s", out)
	}
	for _, want := range []string{"PGPASSWORD<<", "\npg-s3cret\n", "AWS_SECRET_ACCESS_KEY<<", "\nabc=def/ghi\n", "EMPTY<<"} {
		if !strings.Contains(files["GITHUB_ENV"], want) {
			t.Errorf("GITHUB_ENV lacks %q:\n%s", want, files["GITHUB_ENV"])
		}
	}

	out, code, _ = runStep(t, script, "", map[string]string{"SECRET_ENV": "PGPASSWORD=ok\nnot a pair with s3cret-value"}, "")
	if code == 0 || strings.Contains(out, "s3cret-value") {
		t.Errorf("a malformed line gave exit %d and output:\n%s\nwant a failure that does not show the line", code, out)
	}
}

// fakeDrill is a drill on PATH that records its arguments and exits with
// the code named in the scenario file's name (e.g. b-exit3.yaml → 3).
func fakeDrill(t *testing.T) (dir, log string) {
	t.Helper()
	dir = t.TempDir()
	log = filepath.Join(dir, "calls")
	script := `#!/bin/sh
echo "$*" >> "` + log + `"
case "$2" in *exit*) code=${2##*exit}; exit "${code%%.*}" ;; esac
exit 0
`
	if err := os.WriteFile(filepath.Join(dir, "drill"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir, log
}

func TestActionRunsEveryScenarioAndKeepsTheFirstFailure(t *testing.T) {
	script := actionStep(t, "Run the drills")
	bin, log := fakeDrill(t)
	scenarios := t.TempDir()
	for _, f := range []string{"a.yaml", "b-exit3.yaml", "c-exit1.yaml", "nested/d.yaml"} {
		p := filepath.Join(scenarios, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	reports := t.TempDir()
	env := map[string]string{
		"SCENARIOS": scenarios + "/*.yaml\n" + scenarios + "/nested/*.yaml",
		"RESULTS":   "/srv/records", "REPORTS": reports, "RETAIN": "false", "PUSHGATEWAY": "",
	}
	out, code, files := runStep(t, script, "", env, bin)
	if code != 0 {
		t.Fatalf("the step must not fail (later steps upload the evidence); exit %d:\n%s", code, out)
	}
	if !strings.Contains(files["GITHUB_OUTPUT"], "exit-code=3\n") {
		t.Errorf("outputs %q, want exit-code=3 (the first failure)", files["GITHUB_OUTPUT"])
	}
	calls, _ := os.ReadFile(log)
	want := []string{"a", "b-exit3", "c-exit1", "d"}
	lines := strings.Split(strings.TrimSpace(string(calls)), "\n")
	if len(lines) != len(want) {
		t.Fatalf("drill calls:\n%s\nwant %d", calls, len(want))
	}
	for i, name := range want {
		if !strings.HasPrefix(lines[i], "run ") || !strings.Contains(lines[i], "--results /srv/records --junit "+reports+"/junit/"+name+".xml") {
			t.Errorf("call %d: %q, want drill run with the records and a JUnit file per scenario", i, lines[i])
		}
	}

	env["SCENARIOS"] = scenarios + "/*.yml"
	out, _, files = runStep(t, script, "", env, bin)
	if !strings.Contains(files["GITHUB_OUTPUT"], "exit-code=2") || !strings.Contains(out, "no scenario file matches") {
		t.Errorf("a pattern that matches nothing gave %q and output:\n%s\nwant exit code 2 and an error", files["GITHUB_OUTPUT"], out)
	}
}

// TestActionRendersTheReports: the trend report, and for the exercise the
// exercise report of each run this job recorded (not of older runs), with
// the participants and the sign-off.
func TestActionRendersTheReports(t *testing.T) {
	script := actionStep(t, "Render the reports")
	bin := t.TempDir()
	log := filepath.Join(bin, "calls")
	// Each argument in brackets, so that a split argument shows.
	fake := `#!/bin/sh
args=$(for a in "$@"; do printf '[%s]' "$a"; done)
echo "$args" >> "` + log + `"
echo "<html>$args</html>"
`
	if err := os.WriteFile(filepath.Join(bin, "drill"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	results, reports := t.TempDir(), t.TempDir()
	old := filepath.Join(results, "billing-monthly", "20261001-041700-aaaaaa.json")
	if err := os.MkdirAll(filepath.Dir(old), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(old, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	past := time.Now().Add(-time.Hour)
	if err := os.Chtimes(old, past, past); err != nil {
		t.Fatal(err)
	}
	started := filepath.Join(reports, ".started")
	if err := os.WriteFile(started, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(started, past.Add(time.Minute), past.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(results, "billing-monthly", "20261103-041700-bbbbbb.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"RESULTS": results, "REPORTS": reports, "EXERCISE": "true",
		"PARTICIPANTS": "Ada Lovelace (DBA)\n\nGrace Hopper (SRE)", "SIGN_OFF": "Head of Platform",
	}
	out, code, _ := runStep(t, script, "", env, bin)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	trend, err := os.ReadFile(filepath.Join(reports, "report.html"))
	if err != nil || !strings.Contains(string(trend), "[report][--store]["+results+"][-o][html]") {
		t.Errorf("report.html %q (%v), want the trend report of the results", trend, err)
	}
	exercise, err := os.ReadFile(filepath.Join(reports, "exercise-billing-monthly-20261103-041700-bbbbbb.html"))
	want := "[--exercise][billing-monthly/20261103-041700-bbbbbb][--participant][Ada Lovelace (DBA)][--participant][Grace Hopper (SRE)][--sign-off][Head of Platform][-o][html]"
	if err != nil || !strings.Contains(string(exercise), want) {
		t.Errorf("exercise report %q (%v), want one rendered with %q", exercise, err, want)
	}
	if _, err := os.Stat(filepath.Join(reports, "exercise-billing-monthly-20261001-041700-aaaaaa.html")); err == nil {
		t.Errorf("an exercise report was rendered for a run older than this job")
	}
}

package ci_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"
)

const (
	reusableWorkflow = "../.github/workflows/drill.yml"
	exampleCaller    = "examples/scheduled-drill.yml"
	actionDir        = "./ci/action" // as a workflow names it, from the repository's root
	actionFile       = "action/action.yml"
)

// project is the repository as actionlint sees it, so that local reusable
// workflows and actions are read and checked against their callers.
func project(t *testing.T) *actionlint.Project {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	p, err := actionlint.NewProject(root)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// lint runs actionlint on content and fails the test with every problem it
// reports. With shellcheck installed (ci/install-deps.sh installs it),
// actionlint also checks every run: script with it.
func lint(t *testing.T, name string, content []byte) {
	t.Helper()
	var out bytes.Buffer
	shellcheck, err := exec.LookPath("shellcheck")
	if err != nil {
		t.Log("shellcheck is not installed: the run: scripts are not checked with it")
	}
	l, err := actionlint.NewLinter(&out, &actionlint.LinterOptions{Oneline: true, Shellcheck: shellcheck})
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.Lint(name, content, project(t))
	if err != nil {
		t.Fatalf("actionlint %s: %v", name, err)
	}
	for _, e := range errs {
		t.Errorf("actionlint %s:%d:%d: %s [%s]", name, e.Line, e.Column, e.Message, e.Kind)
	}
}

func TestWorkflowsPassActionlint(t *testing.T) {
	for _, f := range []string{reusableWorkflow, exampleCaller} {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			lint(t, f, data)
		})
	}
}

// The example calls the reusable workflow from GitHub; called locally
// instead, actionlint checks every input and secret it passes against the
// reusable workflow's declarations.
func TestExampleCallerMatchesTheReusableWorkflow(t *testing.T) {
	data, err := os.ReadFile(exampleCaller)
	if err != nil {
		t.Fatal(err)
	}
	remote := regexp.MustCompile(`restore-drill/drill/(\.github/workflows/drill\.yml)@\S+`)
	if !remote.Match(data) {
		t.Fatalf("%s does not call the reusable workflow", exampleCaller)
	}
	lint(t, exampleCaller+" (called locally)", remote.ReplaceAll(data, []byte("./$1")))
	for _, want := range []string{"schedule:", "workflow_dispatch:", "cancel-in-progress: false", "scenario:", "retain:"} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("%s lacks %q", exampleCaller, want)
		}
	}
	cron := regexp.MustCompile(`cron: "(\d+) `).FindSubmatch(data)
	if cron == nil || string(cron[1]) == "0" || string(cron[1]) == "30" {
		t.Errorf("the schedule should start at an odd minute, not on the hour or half hour: %q", cron)
	}
}

// actionlint lints workflows, not action metadata. The composite action's
// steps are linted as the steps of a workflow whose inputs are the action's
// (expressions, step ids and outputs, the inputs of the actions it uses),
// and its inputs are checked against their use here and in the workflow.
func TestCompositeAction(t *testing.T) {
	meta, _, err := actionlint.NewLocalActionsCache(project(t), nil).FindMetadata(actionDir)
	if err != nil || meta == nil {
		t.Fatalf("%s does not parse as action metadata: %v", actionFile, err)
	}
	if meta.Runs.Using != "composite" || len(meta.Runs.Steps) == 0 {
		t.Fatalf("%s: runs.using %q with %d steps, want a composite action", actionFile, meta.Runs.Using, len(meta.Runs.Steps))
	}
	raw, err := os.ReadFile(actionFile)
	if err != nil {
		t.Fatal(err)
	}
	for name := range meta.Inputs {
		if !bytes.Contains(raw, []byte("inputs."+name+" ")) && !bytes.Contains(raw, []byte("inputs."+name+"}")) {
			t.Errorf("input %s is declared but never used", name)
		}
	}
	for _, m := range regexp.MustCompile(`inputs\.([A-Za-z0-9_-]+)`).FindAllSubmatch(raw, -1) {
		if _, ok := meta.Inputs[strings.ToLower(string(m[1]))]; !ok {
			t.Errorf("%s uses input %s, which it does not declare", actionFile, m[1])
		}
	}

	lint(t, actionFile+" (its steps as a workflow)", actionAsWorkflow(t, raw, meta))

	// Every use of the action passes declared inputs and the required ones.
	data, err := os.ReadFile(reusableWorkflow)
	if err != nil {
		t.Fatal(err)
	}
	wf, errs := actionlint.Parse(data)
	if len(errs) > 0 {
		t.Fatalf("%s: %v", reusableWorkflow, errs)
	}
	uses := 0
	for id, job := range wf.Jobs {
		for _, step := range job.Steps {
			exec, ok := step.Exec.(*actionlint.ExecAction)
			if !ok || !strings.HasSuffix(exec.Uses.Value, "/ci/action") {
				continue
			}
			uses++
			for name := range exec.Inputs {
				if _, ok := meta.Inputs[name]; !ok {
					t.Errorf("job %s passes input %s, which the action does not declare", id, name)
				}
			}
			for name, in := range meta.Inputs {
				if _, ok := exec.Inputs[name]; in.Required && !ok {
					t.Errorf("job %s does not pass the required input %s", id, name)
				}
			}
		}
	}
	if uses == 0 {
		t.Errorf("%s never uses the composite action", reusableWorkflow)
	}
}

// actionAsWorkflow wraps the action's steps in a workflow_dispatch workflow
// with the same inputs.
func actionAsWorkflow(t *testing.T, raw []byte, meta *actionlint.ActionMetadata) []byte {
	t.Helper()
	var action struct {
		Runs struct {
			Steps []yaml.Node `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(raw, &action); err != nil {
		t.Fatal(err)
	}
	inputs := map[string]any{}
	names := make([]string, 0, len(meta.Inputs))
	for name := range meta.Inputs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		inputs[name] = map[string]any{"type": "string", "required": meta.Inputs[name].Required}
	}
	wf := map[string]any{
		"name": "composite action " + meta.Name,
		"on":   map[string]any{"workflow_dispatch": map[string]any{"inputs": inputs}},
		"jobs": map[string]any{"action": map[string]any{"runs-on": "ubuntu-latest", "steps": action.Runs.Steps}},
	}
	out, err := yaml.Marshal(wf)
	if err != nil {
		t.Fatal(fmt.Errorf("build the workflow from the action: %w", err))
	}
	return out
}

package scenarios

import (
	"regexp"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
)

// validateCommandChecks checks the command checks; the sandbox says whether
// there is a cluster for pod to run in, and which of its namespaces.
func validateCommandChecks(checks []Check, restores []Restore, sb Sandbox, p *problems) {
	restoreNames, jobNames := databaseRestores(restores)
	for i, c := range checks {
		if c.Command == nil || len(checkKinds(c)) != 1 {
			continue // several kinds: validateChecks'
		}
		path := childPath(indexPath("spec.checks", i), CheckCommand)
		validateCommandCheck(c.Command, path, sb, restoreNames, jobNames, p)
	}
}

func validateCommandCheck(c *CommandCheck, path string, sb Sandbox, restoreNames, jobNames []string, p *problems) {
	validateCommandRun(c.Run, childPath(path, "run"), p)
	switch {
	case c.Restore != "" && c.Pod != nil:
		p.report(path, "set restore or pod, not both: the program runs on this machine against a restored database, or in a pod")
	case c.Restore != "":
		validateDatabaseRestore(c.Restore, path, restoreNames, jobNames, p)
	case c.Pod != nil:
		if !sb.InCluster() {
			p.report(childPath(path, "pod"), "runs the program in a pod of a cluster: only in a namespace, kind or cluster sandbox; in the local sandbox set restore to run it on this machine against a restored database")
		}
		validateCommandPod(c.Pod, childPath(path, "pod"), sb, p)
	default:
		p.report(path, "set restore (run the program on this machine with the PG* environment of a restored database) or pod (run it in a pod of the sandbox)")
	}
	if c.ExitCode < 0 || c.ExitCode > 255 {
		p.report(childPath(path, "exitCode"), "must be between 0 and 255 (got %d)", c.ExitCode)
	}
	if c.Stdout != "" {
		if _, err := regexp.Compile(c.Stdout); err != nil {
			p.report(childPath(path, "stdout"), "is not an RE2 regular expression: %v", err)
		}
	}
}

// validateCommandRun checks the program and its arguments. One item with
// spaces is a command line written as one string, which would be taken as
// a program's name: no shell splits it.
func validateCommandRun(run []string, path string, p *problems) {
	switch {
	case len(run) == 0:
		p.report(path, `is required: the program and its arguments, each one item, e.g. ["psql", "-Atc", "select 1"]`)
	case strings.TrimSpace(run[0]) == "":
		p.report(indexPath(path, 0), "is empty: name the program to run")
	case len(run) == 1 && strings.ContainsAny(strings.TrimSpace(run[0]), " \t\n"):
		p.report(indexPath(path, 0), `%s is one item, taken whole as the program's name: no shell splits it; write each argument as its own item, e.g. ["gitlab-rake", "gitlab:check"], or ["sh", "-c", "..."] for a shell`, quoteShort(run[0]))
	}
}

func validateCommandPod(pod *CommandPod, path string, sb Sandbox, p *problems) {
	switch {
	case pod.Name != "" && len(pod.Selector) > 0:
		p.report(path, "set name or selector, not both")
	case pod.Name != "":
		if msg := checkObjectName(pod.Name); msg != "" {
			p.report(childPath(path, "name"), "%s", msg)
		}
	case len(pod.Selector) == 0:
		p.report(path, "set name (a pod's name) or selector (the labels of the pods to choose a ready one from)")
	}
	checkLabels(pod.Selector, childPath(path, "selector"), p)
	if pod.Namespace != "" {
		if msg := kubeProblem(pod.Namespace, "namespace", validation.IsDNS1123Label(pod.Namespace)); msg != "" {
			p.report(childPath(path, "namespace"), "%s", msg)
		}
		if sb.Kind == SandboxNamespace {
			p.report(childPath(path, "namespace"), "is for kind and cluster sandboxes, where the whole cluster is the run's: in a namespace sandbox the apps are in the sandbox's namespace, and another namespace holds live ones; remove namespace")
		}
	}
	if pod.Container != "" {
		if msg := kubeProblem(pod.Container, "container name", validation.IsDNS1123Label(pod.Container)); msg != "" {
			p.report(childPath(path, "container"), "%s", msg)
		}
	}
}

package scenarios

import (
	"maps"
	"slices"

	"github.com/restore-drill/drill/scenarios/v1alpha1"
)

// CheckCommand is the kind of a check that runs a program.
const CheckCommand = "command"

// CommandCheck runs a program and checks how it ends. Exactly one of
// Restore and Pod is set: with Restore it runs on this machine with the PG*
// environment of that restore's database (a database check); with Pod it
// runs in a container of a ready pod of the sandbox (a cluster check).
type CommandCheck struct {
	// Run is the program and its arguments, executed without a shell.
	Run     []string
	Restore string
	Pod     *CommandPod
	// ExitCode is the exit code the program must end with. Defaulted to 0.
	ExitCode int
	// Stdout, when set, is an RE2 regular expression the standard output,
	// trailing newlines removed, must match.
	Stdout string
}

// CommandPod picks the pod (by Name, or a ready one matching Selector, in
// Namespace or, when empty, the sandbox's) and the container (empty:
// kubectl's default) a command runs in.
type CommandPod struct {
	Name      string
	Selector  map[string]string
	Namespace string
	Container string
}

func convertCommandCheck(in *v1alpha1.CommandCheck) *CommandCheck {
	if in == nil {
		return nil
	}
	out := &CommandCheck{Run: slices.Clone(in.Run), Restore: in.Restore, Stdout: in.Stdout}
	if in.ExitCode != nil {
		out.ExitCode = *in.ExitCode
	}
	if p := in.Pod; p != nil {
		out.Pod = &CommandPod{Name: p.Name, Selector: maps.Clone(p.Selector), Namespace: p.Namespace, Container: p.Container}
	}
	return out
}

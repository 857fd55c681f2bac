package v1alpha1

// CommandCheck runs a program and checks how it ends: the application's own
// tools (gitlab-rake, an identity provider's CLI, psql) prove the recovery
// where SQL cannot. Exactly one of restore and pod is set.
type CommandCheck struct {
	// Run is the program and its arguments, each one item. It is run
	// directly, never through a shell: for one, write ["sh", "-c", "..."].
	// Required.
	Run []string `json:"run" jsonschema:"minItems=1"`
	// Restore names the restore whose database the program reaches: it runs
	// on the machine drill runs on, with PGHOST, PGPORT, PGUSER, PGPASSWORD
	// and PGDATABASE set to that database (the connection sql checks use),
	// in any sandbox. The password is passed only in the environment. Not a
	// job or etcd restore, which give drill no database.
	Restore string `json:"restore,omitempty" jsonschema:"pattern=^[a-z0-9]([-a-z0-9]*[a-z0-9])?$,maxLength=63"`
	// Pod runs the program in a container of a ready pod of the sandbox's
	// namespace (kubectl exec, no terminal, no input). Only in a namespace,
	// kind or cluster sandbox.
	Pod *CommandPod `json:"pod,omitempty"`
	// ExitCode is the exit code the program must end with, from 0 to 255.
	// Default: 0.
	ExitCode *int `json:"exitCode,omitempty" jsonschema:"minimum=0,maximum=255,default=0"`
	// Stdout is an RE2 regular expression the program's standard output
	// must match, searched in the whole output with its trailing newlines
	// removed: ^ and $ are the start and end of the output, or of each line
	// after (?m). Default: none (the output is not matched).
	Stdout string `json:"stdout,omitempty" jsonschema:"minLength=1"`
}

// CommandPod picks the pod and container a command check runs in. Exactly
// one of name and selector is set.
type CommandPod struct {
	// Name is the pod's name; drill waits until it is ready.
	Name string `json:"name,omitempty" jsonschema:"minLength=1,maxLength=253"`
	// Selector picks a ready pod by its labels: the first ready one by name,
	// waiting until one is.
	Selector map[string]string `json:"selector,omitempty" jsonschema:"minProperties=1"`
	// Namespace holds the pod: in a full-cluster rebuild the apps are
	// deployed into namespaces of their own. Only in kind and cluster
	// sandboxes, where the whole cluster is the run's: in a namespace
	// sandbox of a shared cluster another namespace holds live apps.
	// Default: the sandbox's namespace.
	Namespace string `json:"namespace,omitempty" jsonschema:"pattern=^[a-z0-9]([-a-z0-9]*[a-z0-9])?$,maxLength=63"`
	// Container is the container the program runs in. Default: the one
	// the pod's kubectl.kubernetes.io/default-container annotation names,
	// else the pod's first container, as kubectl exec chooses.
	Container string `json:"container,omitempty" jsonschema:"pattern=^[a-z0-9]([-a-z0-9]*[a-z0-9])?$,maxLength=63"`
}

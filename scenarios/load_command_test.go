package scenarios

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// TestLoadCommandChecks checks that command checks are converted with their
// defaults, and that each is a database or a cluster check by its form.
func TestLoadCommandChecks(t *testing.T) {
	s, err := Load(filepath.Join("testdata", "valid-command.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Check{
		{Name: "users-exported", Timeout: 5 * time.Minute, Command: &CommandCheck{
			Run: []string{"psql", "-Atc", "select count(*) from users"}, Restore: "billing", Stdout: "^[1-9][0-9]*$",
		}},
		{Name: "projects-listed", Timeout: 10 * time.Minute, Command: &CommandCheck{
			Run: []string{"gitlab-rake", "gitlab:check"}, Stdout: "Checking GitLab .* Finished",
			Pod: &CommandPod{Selector: map[string]string{"app": "gitlab"}, Container: "toolbox"},
		}},
		{Name: "toolbox-answers", Timeout: 5 * time.Minute, Command: &CommandCheck{
			Run: []string{"sh", "-c", "exit 3"}, ExitCode: 3, Pod: &CommandPod{Name: "gitlab-toolbox-0"},
		}},
	}
	if !reflect.DeepEqual(s.Checks, want) {
		t.Errorf("checks:\n got %+v\nwant %+v", s.Checks, want)
	}
	for i, wantRestore := range []string{"billing", "", ""} {
		c := s.Checks[i]
		if c.Kind() != CheckCommand || c.Restore() != wantRestore || c.InCluster() != (wantRestore == "") {
			t.Errorf("%s: kind %q, restore %q, in cluster %v", c.Name, c.Kind(), c.Restore(), c.InCluster())
		}
	}
}

// TestLoadInvalidCommandChecks checks every problem of command checks at
// once, with its line and field, in a local sandbox that has no pods.
func TestLoadInvalidCommandChecks(t *testing.T) {
	assertInvalidFile(t, filepath.Join("testdata", "invalid-command.yaml"), []want{
		{20, "spec.checks[0].command.pod", `runs the program in a pod of a cluster: only in a namespace, kind or`},
		{20, "spec.checks[0].command.pod.container", `"Toolbox" is not a valid container name: a lowercase RFC 1123 label`},
		{22, "spec.checks[1].command", `set restore or pod, not both: the program runs on this machine`},
		{27, "spec.checks[2].command", `set restore (run the program on this machine with the PG* environment`},
		{28, "spec.checks[2].command.run[0]", `"gitlab-rake gitlab:check" is one item, taken whole as the program's`},
		{31, "spec.checks[3].command.run", `is required: the program and its arguments, each one item, e.g.`},
		{32, "spec.checks[3].command.restore", `no restore is named "nowhere": the restores are "billing", "etcd"`},
		{33, "spec.checks[3].command.exitCode", `must be between 0 and 255 (got 256)`},
		{34, "spec.checks[3].command.stdout", "is not an RE2 regular expression: error parsing regexp: missing"},
		{37, "spec.checks[4].command.run[0]", `is empty: name the program to run`},
		{38, "spec.checks[4].command.restore", `"etcd" is an etcd restore, which gives drill no database to query`},
		{42, "spec.checks[5].command.pod", `runs the program in a pod of a cluster: only in a namespace, kind or`},
		{42, "spec.checks[5].command.pod", `set name or selector, not both`},
		{46, "spec.checks[6].command.pod", `runs the program in a pod of a cluster: only in a namespace, kind or`},
		{46, "spec.checks[6].command.pod", `set name (a pod's name) or selector (the labels of the pods to choose`},
		{47, "spec.checks[7]", `set one check kind, not both sql and command: split it into 2 checks`},
	})
}

// TestValidateCommandCheckOnJobRestore refuses a command check on a job
// restore, which gives drill no database to connect the program to.
func TestValidateCommandCheckOnJobRestore(t *testing.T) {
	s := &Scenario{
		Name: "jobcheck", Timeout: time.Hour,
		Sandbox:  Sandbox{Kind: SandboxNamespace, Namespace: &NamespaceSandbox{Prefix: "drill", TTL: time.Hour}},
		Restores: []Restore{{Name: "media", Job: &JobRestore{Image: "restore:1"}}},
		Checks: []Check{{Name: "listed", Timeout: time.Minute, Command: &CommandCheck{
			Run: []string{"ls"}, Restore: "media",
		}}},
	}
	err := s.Validate()
	assertProblems(t, err, "", []want{
		{0, "spec.checks[0].command.restore", `"media" is a job restore, which gives drill no database to query`},
	})
}

// TestValidateCommandPodNamespace allows a pod's namespace where the whole
// cluster is the run's, and refuses it in a namespace sandbox of a shared
// cluster.
func TestValidateCommandPodNamespace(t *testing.T) {
	scenario := func(sb Sandbox, namespace string) *Scenario {
		return &Scenario{
			Name: "gitlab", Timeout: time.Hour, Sandbox: sb,
			Restores: []Restore{{Name: "media", Job: &JobRestore{Image: "restore:1"}}},
			Checks: []Check{{Name: "projects", Timeout: time.Minute, Command: &CommandCheck{
				Run: []string{"gitlab-rake", "gitlab:check"}, Pod: &CommandPod{Selector: map[string]string{"app": "toolbox"}, Namespace: namespace},
			}}},
		}
	}
	if err := scenario(Sandbox{Kind: SandboxCluster, Cluster: &ClusterSandbox{}}, "gitlab").Validate(); err != nil {
		t.Errorf("cluster sandbox: %v", err)
	}
	assertProblems(t, scenario(Sandbox{Kind: SandboxCluster, Cluster: &ClusterSandbox{}}, "GitLab").Validate(), "", []want{
		{0, "spec.checks[0].command.pod.namespace", `"GitLab" is not a valid namespace: a lowercase RFC 1123 label`},
	})
	assertProblems(t, scenario(Sandbox{Kind: SandboxNamespace, Namespace: &NamespaceSandbox{Prefix: "drill", TTL: time.Hour}}, "gitlab").Validate(), "", []want{
		{0, "spec.checks[0].command.pod.namespace", `is for kind and cluster sandboxes, where the whole cluster is the run's`},
	})
}

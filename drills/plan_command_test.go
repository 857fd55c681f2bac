package drills

import (
	"testing"

	"github.com/restore-drill/drill/scenarios"
)

func TestCommandCheckWhat(t *testing.T) {
	tests := []struct {
		cmd                  scenarios.CommandCheck
		wantWhat, wantExpect string
	}{
		{scenarios.CommandCheck{Run: []string{"psql", "-Atc", "select count(*) from users"}, Restore: "billing", Stdout: "^[1-9][0-9]*$"},
			`run psql -Atc "select count(*) from users" on this machine with the PG* environment of restore billing`,
			`exit code 0, stdout matching "^[1-9][0-9]*$"`},
		{scenarios.CommandCheck{Run: []string{"gitlab-rake", "gitlab:check"}, Pod: &scenarios.CommandPod{Selector: map[string]string{"app": "gitlab", "tier": "tools"}, Container: "toolbox"}},
			`run gitlab-rake gitlab:check in a ready pod app=gitlab,tier=tools, container toolbox`, `exit code 0`},
		{scenarios.CommandCheck{Run: []string{"sh", "-c", "exit 3", ""}, ExitCode: 3, Pod: &scenarios.CommandPod{Name: "toolbox-0"}},
			`run sh -c "exit 3" "" in pod toolbox-0`, `exit code 3`},
		{scenarios.CommandCheck{Run: []string{"true"}, Pod: &scenarios.CommandPod{Name: "toolbox-0", Namespace: "gitlab", Container: "toolbox"}},
			`run true in pod toolbox-0 of namespace gitlab, container toolbox`, `exit code 0`},
	}
	for _, tt := range tests {
		what, expect := commandCheckWhat(&tt.cmd)
		if what != tt.wantWhat || expect != tt.wantExpect {
			t.Errorf("commandCheckWhat(%+v) =\n %q, %q\nwant\n %q, %q", tt.cmd, what, expect, tt.wantWhat, tt.wantExpect)
		}
	}
}

package drills

import (
	"github.com/restore-drill/drill/assertions/command"
	"github.com/restore-drill/drill/scenarios"
)

// commandCheckWhat says what a command check runs, and where, and how it
// must end: "run psql -Atc 'select 1' on this machine with restore
// billing's PG* environment", "exit code 0, stdout matching ...".
func commandCheckWhat(c *scenarios.CommandCheck) (what, expect string) {
	what = "run " + command.Line(c.Run)
	switch p := c.Pod; {
	case p == nil:
		what += " on this machine with the PG* environment of restore " + c.Restore
	case p.Name != "":
		what += " in pod " + p.Name
	default:
		what += " in a ready pod " + selectorString(p.Selector)
	}
	if p := c.Pod; p != nil && p.Namespace != "" {
		what += " of namespace " + p.Namespace
	}
	if p := c.Pod; p != nil && p.Container != "" {
		what += ", container " + p.Container
	}
	return what, command.Expected(c.ExitCode, c.Stdout)
}

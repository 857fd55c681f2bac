package app

import (
	"github.com/restore-drill/drill/assertions"
	"github.com/restore-drill/drill/assertions/command"
	"github.com/restore-drill/drill/scenarios"
)

// checkFor builds a check that reads a restored database: sql, rpo, or a
// command run against it on this machine.
func checkFor(c scenarios.Check) (assertions.Check, error) {
	if c.Command != nil {
		return command.New(c)
	}
	return assertions.New(c)
}

package app

import (
	"github.com/restore-drill/drill/assertions"
	"github.com/restore-drill/drill/assertions/cluster"
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

// clusterCheckFor builds a check that reads the sandbox's cluster:
// workload, argocd, http, exists, or a command run in a pod.
func clusterCheckFor(c scenarios.Check) (assertions.ClusterCheck, error) {
	if c.Command != nil {
		return command.NewInPod(c)
	}
	return cluster.New(c)
}
